"""The public site (Wagtail pages); registers its kinds, calendar provider, reminders and page-cache renewals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public pages")

    def ready(self):
        from credits.sources import register_source
        from notifications.reminders import register_reminder
        from training.calendar import register_provider

        from . import credit_sources, kinds, reminders, renewals, selectors

        kinds.register_kinds()
        renewals.connect()
        from django.db.models.signals import post_migrate

        from .site_host import site_follow_configured_host

        post_migrate.connect(site_follow_configured_host, sender=self, dispatch_uid="cms-site-follows-host")
        connect_event_change_signals()
        register_provider("cms.events", selectors.event_calendar_events, tokens=selectors.event_calendar_tokens)
        register_source("event", credit_sources.describe_event_registrations)
        for key, finder in reminders.FINDERS.items():
            register_reminder(key, finder)


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
