"""The day-before reminder of a lesson, found by beat once an hour; a mark per lesson makes it send once."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from notifications.reminders import DueReminder
from training.reminders import reminder_marks_take

from .models import Lesson
from .services.lesson_study import cycle_audience

NOTICE = datetime.timedelta(hours=24)


def lessons_soon(now: datetime.datetime):
    """Lessons starting within a day: everyone the cycle concerns is reminded, with the link to observe."""
    lessons = {
        lesson.pk: lesson
        for lesson in Lesson.objects.filter(starts_at__gt=now, starts_at__lte=now + NOTICE).select_related("cycle")
    }
    fresh = reminder_marks_take(
        "studios.lesson-soon", {pk: f"soon-{lesson.revision}" for pk, lesson in lessons.items()}
    )
    for pk, occasion in fresh.items():
        lesson = lessons[pk]
        for person in cycle_audience(lesson.cycle):
            with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
                when = formats.date_format(timezone.localtime(lesson.starts_at), "SHORT_DATETIME_FORMAT")
                yield DueReminder(
                    recipient=person,
                    kind="studios.lesson",
                    target=lesson,
                    occasion=occasion,
                    url=reverse("studios:lesson", args=[lesson.pk]),
                    context={
                        "topic": lesson.cycle.topic,
                        "title": lesson.cycle.topic,
                        "when": when,
                        "body": _("Tomorrow's lesson on “%(topic)s” starts at %(when)s in %(classroom)s.")
                        % {"topic": lesson.cycle.topic, "when": when, "classroom": lesson.classroom},
                    },
                )
