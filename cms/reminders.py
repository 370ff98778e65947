"""The day-before reminder of an event, found by beat through `notifications.reminders`."""

import datetime

from django.urls import reverse
from django.utils import translation

from notifications.reminders import DueReminder
from training.models import ReminderMark

from .models import EventPage, EventRegistration, RegistrationStatus

KEY = "cms-event-day"


def event_tomorrow(now: datetime.datetime):
    """Confirmed registrants of events starting within a day (and more than an hour away), once per start time."""
    from .services import _message, _when

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
    candidates = {pk: event.starts_at.isoformat() for pk, event in events.items()}
    done = set(
        ReminderMark.objects.filter(key=KEY, target_id__in=list(candidates)).values_list("target_id", "occasion")
    )
    fresh = {pk: occasion for pk, occasion in candidates.items() if (pk, occasion) not in done}
    if not fresh:
        return
    ReminderMark.objects.bulk_create(
        [ReminderMark(key=KEY, target_id=pk, occasion=occasion) for pk, occasion in fresh.items()],
        ignore_conflicts=True,
    )
    registrations = EventRegistration.objects.filter(
        event_id__in=list(fresh), status=RegistrationStatus.CONFIRMED
    ).select_related("user")
    for registration in registrations:
        event = events[registration.event_id]
        registration.event = event
        person = registration.user
        with translation.override(person.preferred_language or "zh-hans"):
            context = {
                "title": event.title,
                "when": _when(event),
                "where": event.venue or event.online_url,
                "code": registration.code,
                "message": _message("cms.event_reminder_day", event=event, registration=registration),
            }
            url = reverse("cms:registration-detail", kwargs={"registration_id": registration.pk})
        yield DueReminder(
            recipient=person,
            kind="cms.event_reminder_day",
            target=registration,
            occasion=fresh[event.pk],
            context=context,
            url=url,
            group_key=f"event:{event.pk}",
            group_label=event.title,
        )


FINDERS = {"cms.event_tomorrow": event_tomorrow}
