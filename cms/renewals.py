"""Which writes renew the public pages' cache token: the one place where the public site declares it.

A publication, a withdrawal, a move or a deletion of a page, a registration
for an event (seats left), and a change of a region, programme, cohort,
speaker, site, or a contest's round, category or name start a new generation of every cached public page
(`page_cache`) at once, not after the cache expires.

A studio's public page (`StudioPage`) shows its leader, regions, this year's
themes, members' count, public activities and public resources: a write to
any of these renews the public pages too, but only when the studio has a live
page and the write shows on it (an application, an invitation, a studio-only
resource or an internal activity do not).
"""

from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from accounts.models import Profile, Region, User
from contests.models import Category, Contest, Round
from studios.models import PlannedActivity, Resource, Studio, StudioMembership, StudioPlan
from training.models import Cohort, CohortRegion, Programme
from versioned import renews, renews_on

from .models import EventRegistration, Speaker, StudioPage
from .page_cache import PUBLIC_PAGES

OWNER = "cms"


def _public_pages(*args, **kwargs) -> list[str]:
    return [PUBLIC_PAGES]


def _if_on_a_public_page(studio_ids) -> list[str]:
    """The public pages' token when one of these studios has a live public page; else nothing (one query)."""
    studio_ids = [pk for pk in studio_ids if pk]
    if studio_ids and StudioPage.objects.live().filter(studio_id__in=studio_ids).exists():
        return [PUBLIC_PAGES]
    return []


# A membership waiting for a decision is not counted; one that becomes active, is refused or goes, may have been.
_NOT_SHOWN_STATUSES = {StudioMembership.Status.INVITED, StudioMembership.Status.APPLIED}
# What the public page and the programme page show of a person (the leader; the members' regions).
_SHOWN_OF_A_PERSON = {"display_name", "first_name", "last_name", "email", "erased_at"}


def _membership(instance) -> list[str]:
    return [] if instance.status in _NOT_SHOWN_STATUSES else _if_on_a_public_page([instance.studio_id])


def _resource(instance) -> list[str]:
    return _if_on_a_public_page([instance.studio_id]) if instance.visibility == Resource.Visibility.PUBLIC else []


def _activity(instance) -> list[str]:
    if not instance.is_public:
        return []
    return _if_on_a_public_page(StudioPlan.objects.filter(pk=instance.plan_id).values_list("studio_id", flat=True))


def _person(user_id) -> list[str]:
    """A studio's leader renamed, or an active member moved to another region."""
    active = StudioMembership.objects.filter(person_id=user_id, status=StudioMembership.Status.ACTIVE)
    return _if_on_a_public_page(active.values_list("studio_id", flat=True))


def connect_studio_pages() -> None:
    renews(Studio, lambda instance: _if_on_a_public_page([instance.pk]), owner=OWNER)
    renews(StudioMembership, _membership, owner=OWNER)
    renews(StudioPlan, lambda instance: _if_on_a_public_page([instance.studio_id]), owner=OWNER)
    renews(PlannedActivity, _activity, owner=OWNER)
    renews(Resource, _resource, owner=OWNER)
    renews(User, lambda instance: _person(instance.pk), owner=OWNER, fields=_SHOWN_OF_A_PERSON)
    renews(Profile, lambda instance: _person(instance.user_id), owner=OWNER, fields={"region"})


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        # A move changes the page's address and the menus and links that lead to it.
        renews_on(signal, _public_pages, owner=OWNER, models=[Page])
    renews(Page, _public_pages, owner=OWNER, on_save=False)
    # A contest's round published (or renamed) changes the results its page shows.
    for model in (EventRegistration, Region, Programme, Cohort, CohortRegion, Speaker, Site, Contest, Category, Round):
        renews(model, _public_pages, owner=OWNER)
    connect_studio_pages()
