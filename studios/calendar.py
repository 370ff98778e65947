"""Lesson-study lessons in the personal and cohort calendar feeds of the people they concern."""

from django.urls import reverse
from django.utils.translation import gettext as _

from training.calendar import CalendarEvent

from .freshness import LESSONS_CALENDAR
from .selectors import lessons_for_person


def lesson_events(*, user, cohort=None):
    """Every lesson of the cycles in this person's studios and cohorts."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        CalendarEvent(
            uid=f"studios-lesson-{lesson.pk}@yingzi",
            sequence=lesson.revision,
            summary=_("Lesson study: %(topic)s") % {"topic": lesson.cycle.topic},
            start=lesson.starts_at,
            end=lesson.ends_at,
            location=", ".join(part for part in (lesson.classroom, lesson.place) if part),
            description=lesson.online_link,
            url=reverse("studios:lesson", args=[lesson.pk]),
        )
        for lesson in lessons_for_person(person=user, cohort=cohort)
    ]


def lesson_calendar_tokens(*, user, cohort=None):
    """The version token of `lesson_events`, renewed by lessons, cycles' topics and studio memberships
    (`studios.renewals`); cohort memberships renew the cohort tokens training's provider names."""
    return [LESSONS_CALENDAR]
