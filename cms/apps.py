from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public pages")

    def ready(self):
        from notifications.reminders import register_reminder
        from training.calendar import register_provider

        from . import kinds, reminders, selectors

        kinds.register_kinds()
        register_provider("cms.events", selectors.event_calendar_events)
        for key, finder in reminders.FINDERS.items():
            register_reminder(key, finder)
