"""The mentorship app; registers its kinds, calendar provider, reminders and training's pairing source and its cache renewals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentorship")

    def ready(self):
        from notifications.reminders import register_reminder
        from training.calendar import register_provider
        from training.pairings import register_pairing_source

        from . import calendar, kinds, personal_data, reminders, renewals, selectors

        kinds.register_kinds()
        personal_data.register()
        renewals.connect()
        from training.events import membership_withdrawn

        from .services.pairings import pairings_end_for_withdrawn

        membership_withdrawn.connect(pairings_end_for_withdrawn, dispatch_uid="mentorship.pairings.withdrawn")
        # Training shows mentors, lets them review and names host regions without importing mentorship.
        register_pairing_source("mentorship", selectors.pairs_in_force)
        register_provider("mentorship.sessions", calendar.mentorship_events, tokens=calendar.mentorship_calendar_tokens)
        register_reminder("mentorship.log-awaiting", reminders.logs_awaiting_confirmation, hourly=True)
        register_reminder("mentorship.pairing-approval", reminders.pairings_awaiting_approval, hourly=True)
        register_reminder("mentorship.check-in", reminders.check_ins_due, hourly=True)
