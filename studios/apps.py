"""The studios app; registers its notification kinds, its lessons' calendar provider and reminder, its credit source
and its cache renewals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "studios"
    verbose_name = _("Studios")

    def ready(self):
        from credits.sources import register_source
        from notifications.reminders import register_reminder
        from training.calendar import register_provider

        from . import calendar, kinds, reminders, renewals, sources

        kinds.register_kinds()
        register_provider("studios.lessons", calendar.lesson_events)
        register_reminder("studios.lesson-soon", reminders.lessons_soon, hourly=True)
        # Lesson-study hours become credit bank records, issued by the studio's region.
        register_source("studio", sources.describe_participations)
        renewals.connect()
