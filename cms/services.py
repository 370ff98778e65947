"""Writes for event registration: register, cancel (promoting the waiting list), check in.

Capacity is enforced by locking the event's row (`SELECT ... FOR UPDATE`)
before counting, so concurrent registrations queue up on the lock and never
take more seats than there are. A unique constraint keeps one current
registration per person and event, even when the same person double-clicks.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from notifications.services.sending import notification_send_localized

from .models import EventChange, EventChangeStatus, EventPage, EventRegistration, RegistrationStatus
from .selectors import can_manage_event


def _lock_event(event: EventPage) -> EventPage:
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def event_when(event: EventPage) -> str:
    """When an event starts, in local time, as messages name it."""
    start = timezone.localtime(event.starts_at)
    return start.strftime("%Y-%m-%d %H:%M")


def registration_message_context(registration: EventRegistration, *, kind: str) -> dict:
    """What a message about a registration says, in the active language."""
    event = registration.event
    return {
        "title": event.title,
        "when": event_when(event),
        "where": event.venue or event.online_url,
        "code": registration.code,
        "message": _message(kind, event=event, registration=registration),
    }


def _notify(registration: EventRegistration, *, kind: str, occasion: str = "") -> None:
    event = registration.event
    notification_send_localized(
        recipients=[registration.user],
        kind=kind,
        target=registration,
        occasion=occasion,
        context=lambda: registration_message_context(registration, kind=kind),
        url_name="cms:registration-detail",
        url_kwargs={"registration_id": registration.pk},
        group_key=f"event:{event.pk}",
        group_label=event.title,
    )


def _message(kind: str, *, event: EventPage, registration: EventRegistration) -> str:
    where = event.venue or event.online_url
    if kind == "cms.event_registered":
        return _("Your place at %(title)s on %(when)s (%(where)s) is confirmed. Your check-in code is %(code)s.") % {
            "title": event.title,
            "when": event_when(event),
            "where": where,
            "code": registration.code,
        }
    if kind == "cms.event_waitlisted":
        return _("%(title)s is full. You are on the waiting list and will hear from us if a place frees up.") % {
            "title": event.title
        }
    if kind == "cms.event_promoted":
        return _("A place at %(title)s on %(when)s has freed up and is now yours. Your check-in code is %(code)s.") % {
            "title": event.title,
            "when": event_when(event),
            "code": registration.code,
        }
    if kind == "cms.event_registration_cancelled":
        return _("Your registration for %(title)s on %(when)s is cancelled. The calendar entry is cancelled too.") % {
            "title": event.title,
            "when": event_when(event),
        }
    return _("%(title)s starts tomorrow, %(when)s, at %(where)s. Your check-in code is %(code)s.") % {
        "title": event.title,
        "when": event_when(event),
        "where": where,
        "code": registration.code,
    }


def _seat_status(event: EventPage) -> str:
    """Confirmed while seats are left, else waiting; call only with the event's row locked."""
    confirmed = EventRegistration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    return RegistrationStatus.CONFIRMED if confirmed < event.capacity else RegistrationStatus.WAITLISTED


@transaction.atomic
def event_register(*, event: EventPage, acting_user) -> EventRegistration:
    """Take a seat at an event, or a place on its waiting list when it is full."""
    if not acting_user.is_authenticated:
        raise PermissionDenied
    event = _lock_event(event)
    state = event.registration_state()
    if state == "none":
        raise ValidationError(_("This event does not take registrations on this site."))
    if state == "not_yet":
        raise ValidationError(_("Registration has not opened yet."))
    if state == "closed":
        raise ValidationError(_("Registration for this event has closed."))
    current = EventRegistration.objects.filter(
        event=event, user=acting_user, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    )
    if current.exists():
        raise ValidationError(_("You are already registered for this event."))
    status = _seat_status(event)
    try:
        with transaction.atomic():
            registration = EventRegistration.objects.create(event=event, user=acting_user, status=status)
    except IntegrityError as error:
        raise ValidationError(_("You are already registered for this event.")) from error
    registration.event = event
    event_change_baseline(event)
    audit_log(
        instance=registration,
        action="cms.registration.create",
        acting_user=acting_user,
        data={"event_id": event.pk, "status": status},
    )
    kind = "cms.event_registered" if status == RegistrationStatus.CONFIRMED else "cms.event_waitlisted"
    _notify(registration, kind=kind)
    return registration


@transaction.atomic
def event_registration_cancel(*, registration: EventRegistration, acting_user) -> EventRegistration | None:
    """Give up a seat or a waiting place; a freed seat goes to the first person waiting. Returns who was promoted."""
    if registration.user_id != acting_user.id and not can_manage_event(user=acting_user, event=registration.event):
        raise PermissionDenied
    event = _lock_event(registration.event)
    registration = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    if registration.checked_in_at:
        raise ValidationError(_("You have already checked in; the registration can no longer be cancelled."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("The event has started; the registration can no longer be cancelled."))
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.sequence += 1
    registration.save(update_fields=["status", "cancelled_at", "sequence"])
    audit_log(
        instance=registration, action="cms.registration.cancel", acting_user=acting_user, data={"event_id": event.pk}
    )
    registration.event = event
    _notify(registration, kind="cms.event_registration_cancelled")
    if not was_confirmed:
        return None
    return _promote_first_waiting(event=event)


def _promote_first_waiting(*, event: EventPage) -> EventRegistration | None:
    confirmed = EventRegistration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    if confirmed >= event.capacity:
        return None
    first = (
        EventRegistration.objects.select_for_update()
        .filter(event=event, status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.promoted_at = timezone.now()
    first.sequence += 1
    first.save(update_fields=["status", "promoted_at", "sequence"])
    first.event = event
    audit_log(instance=first, action="cms.registration.promote", data={"event_id": event.pk})
    _notify(first, kind="cms.event_promoted")
    return first


@transaction.atomic
def event_check_in(*, event: EventPage, code: str, acting_user) -> tuple[EventRegistration, bool]:
    """Record attendance for a code at the door, once; returns the registration and whether this was the first time."""
    from training.models import HoursSource
    from training.services.hours import hours_credit

    if not can_manage_event(user=acting_user, event=event):
        raise PermissionDenied
    code = "".join(code.split()).upper().replace("-", "")
    registration = (
        EventRegistration.objects.select_for_update(of=("self",)).select_related("user").filter(code=code).first()
        if code
        else None
    )
    if registration is None:
        raise ValidationError(_("No registration has this code."))
    if registration.event_id != event.pk:
        raise ValidationError(_("This code belongs to another event."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("This registration is not confirmed (cancelled or on the waiting list)."))
    if registration.checked_in_at:
        return registration, False
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = acting_user
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    registration.event = event
    # The event may be a cohort's schedule item: then the door is that item's attendance, credited once.
    attended_in_cohort = _attendance_at_linked_items(event=event, person=registration.user, acting_user=acting_user)
    if event.credit_hours and event.credit_hours > 0 and not attended_in_cohort:
        hours_credit(
            trainee=registration.user,
            hours=event.credit_hours,
            source=HoursSource.EVENT,
            occurred_on=timezone.localdate(event.starts_at),
            source_object=registration,
            credited_by=acting_user,
            note=event.title[:200],
        )
    audit_log(
        instance=registration, action="cms.registration.check_in", acting_user=acting_user, data={"event_id": event.pk}
    )
    return registration, True


def _attendance_at_linked_items(*, event: EventPage, person, acting_user) -> bool:
    """Mark the person present on each cohort schedule item this event is; True when any of them counts them."""
    from training.services.attendance import attendance_record_at_event

    day = timezone.localdate(event.starts_at)
    recorded = False
    for link in event.schedule_links.select_related("schedule_item"):
        attendance = attendance_record_at_event(
            item=link.schedule_item, trainee=person, day=day, acting_user=acting_user
        )
        recorded = recorded or attendance is not None
    return recorded


# --- Events that change ---------------------------------------------------------------


def _event_state(event: EventPage, *, live: bool) -> dict:
    if not live:
        status = EventChangeStatus.WITHDRAWN
    elif event.cancelled:
        status = EventChangeStatus.CANCELLED
    else:
        status = EventChangeStatus.SCHEDULED
    return {
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue": event.venue,
        "online_url": event.online_url,
        "status": status,
    }


def event_change_baseline(event: EventPage) -> EventChange:
    """What the first registrant is told is the page as it stands; later changes are measured against it."""
    last = EventChange.objects.filter(event=event).order_by("-sequence").first()
    if last is not None:
        return last
    return EventChange.objects.create(event=event, sequence=0, **_event_state(event, live=True))


def _place(venue: str, online_url: str) -> str:
    return venue or online_url or "—"


def event_change_message(change: EventChange, previous: EventChange) -> str:
    """What changed, in the active language, as the message and the e-mail say it."""
    event = change.event
    if change.status == EventChangeStatus.CANCELLED:
        return _("%(title)s, planned for %(when)s, is cancelled. Your calendar entry is cancelled too.") % {
            "title": event.title,
            "when": event_when(previous),
        }
    if change.status == EventChangeStatus.WITHDRAWN:
        return _(
            "%(title)s, planned for %(when)s, has been withdrawn from the site and does not take place as "
            "announced. Your calendar entry is cancelled; you will hear from us if it is announced again."
        ) % {"title": event.title, "when": event_when(previous)}
    changes = []
    if (change.starts_at, change.ends_at) != (previous.starts_at, previous.ends_at):
        changes.append(
            _("time: %(before)s → %(after)s") % {"before": event_when(previous), "after": event_when(change)}
        )
    if _place(change.venue, change.online_url) != _place(previous.venue, previous.online_url):
        changes.append(
            _("place: %(before)s → %(after)s")
            % {"before": _place(previous.venue, previous.online_url), "after": _place(change.venue, change.online_url)}
        )
    if previous.status != EventChangeStatus.SCHEDULED:
        changes.append(_("it takes place again"))
    return _("%(title)s has changed (%(changes)s). Your calendar entry is updated; your place is kept.") % {
        "title": event.title,
        "changes": _("; ").join(str(change) for change in changes),
    }


@transaction.atomic
def event_changes_announce(*, event: EventPage, live: bool) -> EventChange | None:
    """Tell everyone registered or waiting what changed since they were last told, once per change.

    Called when the page is published (`live=True`) or unpublished (`live=False`). A change of
    time or place, a cancellation, a withdrawal and a return become a new `EventChange` and a
    message with an updated calendar entry (same UID, the next SEQUENCE; cancelled when the event
    is). A publication that changes none of these tells nobody anything.
    """
    event = _lock_event(event)
    previous = EventChange.objects.filter(event=event).order_by("-sequence").first()
    state = _event_state(event, live=live)
    if previous is None:
        # Nobody has registered yet (registering writes the baseline): there is nobody to tell.
        return None
    if all(getattr(previous, field) == value for field, value in state.items()):
        return None
    current = EventRegistration.objects.filter(
        event=event, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    )
    current.update(sequence=F("sequence") + 1)
    people = [registration.user for registration in current.select_related("user").order_by("pk")]
    change = EventChange.objects.create(event=event, sequence=previous.sequence + 1, recipients=len(people), **state)
    change.event = event
    kind = "cms.event_changed" if change.status == EventChangeStatus.SCHEDULED else "cms.event_cancelled"
    notification_send_localized(
        recipients=people,
        kind=kind,
        target=change,
        context=lambda: {
            "title": event.title,
            "when": event_when(change),
            "where": _place(change.venue, change.online_url),
            "message": event_change_message(change, previous),
        },
        url_name="cms:my-registration",
        url_kwargs={"event_id": event.pk},
        group_key=f"event:{event.pk}",
        group_label=event.title,
    )
    audit_log(
        instance=change,
        action="cms.event.change",
        data={"event_id": event.pk, "sequence": change.sequence, "status": change.status, "told": len(people)},
    )
    return change
