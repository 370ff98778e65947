"""The mentorship app; registers its kinds, calendar provider, reminders and training's pairing source."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentorship")

    def ready(self):
        from notifications.reminders import register_reminder
        from training.calendar import register_provider
        from training.pairings import register_pairing_source

        from . import calendar, kinds, personal_data, reminders, selectors

        kinds.register_kinds()
        personal_data.register()
        connect_overview_signals()
        from training.events import membership_withdrawn

        from .services.pairings import pairings_end_for_withdrawn

        membership_withdrawn.connect(pairings_end_for_withdrawn, dispatch_uid="mentorship.pairings.withdrawn")
        # Training shows mentors, lets them review and names host regions without importing mentorship.
        register_pairing_source("mentorship", selectors.pairs_in_force)
        register_provider("mentorship.sessions", calendar.mentorship_events)
        register_reminder("mentorship.log-awaiting", reminders.logs_awaiting_confirmation, hourly=True)
        register_reminder("mentorship.pairing-approval", reminders.pairings_awaiting_approval, hourly=True)
        register_reminder("mentorship.check-in", reminders.check_ins_due, hourly=True)


def connect_overview_signals() -> None:
    """A pairing made, changed or ended changes the mentors the cohort overview shows."""
    from django.db.models.signals import post_delete, post_save

    from training.overview import overview_invalidate

    from .models import Pairing

    def forget(sender, instance, **kwargs):
        overview_invalidate(instance.cohort_id)

    post_save.connect(forget, sender=Pairing, dispatch_uid="overview-pairing-save", weak=False)
    post_delete.connect(forget, sender=Pairing, dispatch_uid="overview-pairing-delete", weak=False)
