"""The notifications the CMS sends about event registrations, registered in `CmsConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register


def registration_ics(notification):
    """The event as an .ics file; the same UID as in the person's calendar feed."""
    from training.calendar import render_ics

    from .models import EventRegistration
    from .selectors import event_calendar_event

    registration = EventRegistration.objects.select_related("event").filter(pk=notification.target_id).first()
    if registration is None:
        return []
    content = render_ics(events=[event_calendar_event(registration)], name=registration.event.title, method="PUBLISH")
    return [(f"yingzi-event-{registration.event_id}.ics", content, "text/calendar; method=PUBLISH; charset=utf-8")]


KINDS = [
    NotificationKind(
        key="cms.event_registered",
        label=_("Event registration confirmed"),
        subject=_("Registered: {title}, {when}"),
        attachments=registration_ics,
    ),
    NotificationKind(
        key="cms.event_waitlisted",
        label=_("On an event's waiting list"),
        subject=_("Waiting list: {title}"),
    ),
    NotificationKind(
        key="cms.event_promoted",
        label=_("A place at an event freed up for you"),
        subject=_("You have a place: {title}, {when}"),
        attachments=registration_ics,
    ),
    NotificationKind(
        key="cms.event_reminder_day",
        label=_("Reminder: an event tomorrow"),
        subject=_("Tomorrow: {title}, {when}"),
        attachments=registration_ics,
    ),
]


def register_kinds() -> None:
    for kind in KINDS:
        register(kind)
