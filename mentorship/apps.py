from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentorship")

    def ready(self):
        from notifications.reminders import register_reminder
        from training.calendar import register_provider

        from . import calendar, kinds, reminders

        kinds.register_kinds()
        register_provider("mentorship.sessions", calendar.mentorship_events)
        register_reminder("mentorship.log-awaiting", reminders.logs_awaiting_confirmation, hourly=True)
        register_reminder("mentorship.pairing-approval", reminders.pairings_awaiting_approval, hourly=True)
        register_reminder("mentorship.check-in", reminders.check_ins_due, hourly=True)
