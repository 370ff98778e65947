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


def registration_cancel_ics(notification):
    """The cancelled calendar entry for a registration the person gave up (METHOD:CANCEL)."""
    from training.calendar import render_ics

    from .models import EventRegistration
    from .selectors import event_calendar_event

    registration = EventRegistration.objects.select_related("event").filter(pk=notification.target_id).first()
    if registration is None:
        return []
    content = render_ics(events=[event_calendar_event(registration)], name=registration.event.title, method="CANCEL")
    return [(f"yingzi-event-{registration.event_id}.ics", content, "text/calendar; method=CANCEL; charset=utf-8")]


def change_ics(notification):
    """The reader's calendar entry after an event changed: same UID, the next SEQUENCE; none for the waiting list."""
    from training.calendar import render_ics

    from .models import EventChange, EventChangeStatus, EventRegistration, RegistrationStatus
    from .selectors import event_calendar_event

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
    method = "PUBLISH" if change.status == EventChangeStatus.SCHEDULED else "CANCEL"
    content = render_ics(events=[event_calendar_event(registration)], name=registration.event.title, method=method)
    mimetype = f"text/calendar; method={method}; charset=utf-8"
    return [(f"yingzi-event-{registration.event_id}.ics", content, mimetype)]


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
