"""The day-before reminder of an event, found by beat through `notifications.reminders`."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.reminders import DueReminder
from training.reminders import reminder_marks_take

from .models import EventPage, EventRegistration, RegistrationStatus

# One mark per registration and start time, not per event: someone who registers
# (or moves off the waiting list) after the first sweep of the day still has no
# mark, so the next sweep reminds them, and only them.
KEY = "cms-event-day-registration"


def event_tomorrow(now: datetime.datetime):
    """Confirmed registrants of events starting within a day (and more than an hour away), once per start time."""
    from .services import registration_message_context

    events = {
        event.pk: event
        for event in EventPage.objects.filter(
            capacity__gt=0,
            starts_at__gt=now + datetime.timedelta(hours=1),
            starts_at__lte=now + datetime.timedelta(days=1),
        )
    }
    if not events:
        return
    # Bounded by the events of the next day; the marks below leave only those not yet reminded.
    confirmed = list(
        EventRegistration.objects.filter(event_id__in=list(events), status=RegistrationStatus.CONFIRMED).select_related(
            "user"
        )
    )
    if not confirmed:
        return
    fresh = reminder_marks_take(KEY, {r.pk: events[r.event_id].starts_at.isoformat() for r in confirmed})
    registrations = [r for r in confirmed if r.pk in fresh]
    for registration in registrations:
        event = events[registration.event_id]
        registration.event = event
        person = registration.user
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            context = registration_message_context(registration, kind="cms.event_reminder_day")
            url = reverse("cms:registration-detail", kwargs={"registration_id": registration.pk})
        yield DueReminder(
            recipient=person,
            kind="cms.event_reminder_day",
            target=registration,
            occasion=event.starts_at.isoformat(),
            context=context,
            url=url,
            group_key=f"event:{event.pk}",
            group_label=event.title,
        )


FINDERS = {"cms.event_tomorrow": event_tomorrow}
