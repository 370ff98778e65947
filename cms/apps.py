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
        register_provider("cms.events", selectors.event_calendar_events)
        register_source("event", credit_sources.describe_event_registrations)
        for key, finder in reminders.FINDERS.items():
            register_reminder(key, finder)
