"""The notifications the CMS sends about event registrations, registered in `CmsConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register


def _ics_file(registration, method: str) -> list:
    """The person's calendar entry for an event as an attached .ics (the same UID as in their feed)."""
    from training.calendar import render_ics

    from .selectors import event_calendar_event

    content = render_ics(events=[event_calendar_event(registration)], name=registration.event.title, method=method)
    mimetype = f"text/calendar; method={method}; charset=utf-8"
    return [(f"yingzi-event-{registration.event_id}.ics", content, mimetype)]


def _registration_of(notification):
    from .models import EventRegistration

    return EventRegistration.objects.select_related("event").filter(pk=notification.target_id).first()


def registration_ics(notification):
    """The event as an .ics file for a confirmed place."""
    registration = _registration_of(notification)
    return [] if registration is None else _ics_file(registration, "PUBLISH")


def registration_cancel_ics(notification):
    """The cancelled calendar entry for a registration the person gave up (METHOD:CANCEL)."""
    registration = _registration_of(notification)
    return [] if registration is None else _ics_file(registration, "CANCEL")


def change_ics(notification):
    """The reader's calendar entry after an event changed: same UID, the next SEQUENCE; none for the waiting list."""
    from .models import EventChange, EventChangeStatus, EventRegistration, RegistrationStatus

    change = EventChange.objects.filter(pk=notification.target_id).only("event_id", "status").first()
    if change is None:
        return []
    registration = (
        EventRegistration.objects.select_related("event")
        .filter(event_id=change.event_id, user_id=notification.recipient_id, status=RegistrationStatus.CONFIRMED)
        .first()
    )
    if registration is None:
        return []
    return _ics_file(registration, "PUBLISH" if change.status == EventChangeStatus.SCHEDULED else "CANCEL")


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
        key="cms.event_registration_cancelled",
        label=_("Event registration cancelled"),
        subject=_("Cancelled: your registration for {title}"),
        attachments=registration_cancel_ics,
    ),
    NotificationKind(
        key="cms.event_changed",
        label=_("An event you registered for changed"),
        subject=_("Changed: {title}, now {when}"),
        attachments=change_ics,
    ),
    NotificationKind(
        key="cms.event_cancelled",
        label=_("An event you registered for is cancelled"),
        subject=_("Cancelled: {title}"),
        attachments=change_ics,
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
