"""The public site (Wagtail pages); registers its kinds, calendar provider, reminder and page-cache signals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public pages")

    def ready(self):
        from credits.sources import register_source
        from notifications.reminders import register_reminder
        from training.calendar import register_provider

        from . import credit_sources, kinds, reminders, selectors

        kinds.register_kinds()
        connect_page_cache_signals()
        connect_event_change_signals()
        register_provider("cms.events", selectors.event_calendar_events)
        register_source("event", credit_sources.describe_event_registrations)
        for key, finder in reminders.FINDERS.items():
            register_reminder(key, finder)


def connect_page_cache_signals() -> None:
    """A publication, a withdrawal or a registration shows on public pages at once, not after the cache expires."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import EventRegistration
    from .page_cache import public_pages_changed

    page_published.connect(public_pages_changed, dispatch_uid="page-cache-published")
    page_unpublished.connect(public_pages_changed, dispatch_uid="page-cache-unpublished")
    # A move changes the page's address and the menus and links that lead to it.
    post_page_move.connect(public_pages_changed, dispatch_uid="page-cache-moved")
    post_delete.connect(public_pages_changed, sender=Page, dispatch_uid="page-cache-page-deleted")
    from accounts.models import Region
    from training.models import Cohort, CohortRegion, Programme

    from .models import Speaker

    for model in (EventRegistration, Region, Programme, Cohort, CohortRegion, Speaker, Site):
        name = model.__name__
        post_save.connect(public_pages_changed, sender=model, dispatch_uid=f"page-cache-{name}-saved")
        post_delete.connect(public_pages_changed, sender=model, dispatch_uid=f"page-cache-{name}-deleted")


def connect_event_change_signals() -> None:
    """Publishing or unpublishing an event page tells its registrants what changed (see `event_changes_announce`)."""
    from wagtail.signals import page_published, page_unpublished

    from .models import EventPage

    def published(sender, instance, **kwargs):
        from .services import event_changes_announce

        event_changes_announce(event=instance, live=True)

    def unpublished(sender, instance, **kwargs):
        from .services import event_changes_announce

        event_changes_announce(event=instance, live=False)

    page_published.connect(published, sender=EventPage, weak=False, dispatch_uid="event-change-published")
    page_unpublished.connect(unpublished, sender=EventPage, weak=False, dispatch_uid="event-change-unpublished")
