"""Which writes renew the public pages' cache token: the one place where the public site declares it.

A publication, a withdrawal, a move or a deletion of a page, a registration
for an event (seats left), and a change of a region, programme, cohort,
speaker, site, or a contest's round, category or name start a new generation of every cached public page
(`page_cache`) at once, not after the cache expires.
"""

from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from accounts.models import Region
from contests.models import Category, Contest, Round
from training.models import Cohort, CohortRegion, Programme
from versioned import renews, renews_on

from .models import EventRegistration, Speaker
from .page_cache import PUBLIC_PAGES

OWNER = "cms"


def _public_pages(*args, **kwargs) -> list[str]:
    return [PUBLIC_PAGES]


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        # A move changes the page's address and the menus and links that lead to it.
        renews_on(signal, _public_pages, owner=OWNER, models=[Page])
    renews(Page, _public_pages, owner=OWNER, on_save=False)
    # A contest's round published (or renamed) changes the results its page shows.
    for model in (EventRegistration, Region, Programme, Cohort, CohortRegion, Speaker, Site, Contest, Category, Round):
        renews(model, _public_pages, owner=OWNER)
