"""The training app; registers its kinds, calendar provider, reminders and signals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from accounts.two_factor import register_power
        from notifications.reminders import register_reminder

        from . import calendar, kinds, permissions, personal_data, reminders, renewals, selectors, stored_progress

        kinds.register_kinds()
        personal_data.register()
        register_power(_("Coordinator"), permissions.coordinates_any_cohort)
        renewals.connect()
        stored_progress.connect()
        calendar.register_provider(
            "training.schedule", selectors.schedule_calendar_events, tokens=selectors.schedule_calendar_tokens
        )
        for key, finder in reminders.FINDERS.items():
            register_reminder(key, finder)
