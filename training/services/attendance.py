"""Attendance: a coordinator's marks and trainees' QR check-ins, credited to the ledger."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from ..models import (
    Attendance,
    AttendanceMethod,
    Audience,
    CohortMembership,
    HoursSource,
    MembershipRole,
    MembershipStatus,
    ScheduleItem,
)
from ..permissions import require_cohort_manager
from .hours import hours_correct, hours_credit


def _attendance_set(
    *, item: ScheduleItem, trainee_id: int, day: datetime.date, present: bool, method: str, acting_user
):
    """Record presence for one day; the ledger gets a credit, or a correction when it flips back."""
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        schedule_item=item,
        trainee_id=trainee_id,
        day=day,
        defaults={"present": present, "method": method, "recorded_by": acting_user},
    )
    if not created:
        if attendance.present == present:
            return attendance, False
        attendance.present = present
        attendance.method = method
        attendance.recorded_by = acting_user
        attendance.recorded_at = timezone.now()
    if present and not attendance.credited and item.credit_hours > 0:
        if attendance.hours_entry_id is None:
            attendance.hours_entry = hours_credit(
                trainee=attendance.trainee,
                hours=item.credit_hours,
                source=HoursSource.ATTENDANCE,
                occurred_on=day,
                source_object=attendance,
                cohort=item.cohort,
                credited_by=acting_user,
                note=item.title[:200],
            )
        else:
            hours_correct(
                entry=attendance.hours_entry,
                hours=attendance.hours_entry.hours,
                acting_user=acting_user,
                note=_("Marked present again"),
            )
        attendance.credited = True
    elif not present and attendance.credited:
        hours_correct(
            entry=attendance.hours_entry,
            hours=-attendance.hours_entry.hours,
            acting_user=acting_user,
            note=_("Marked absent after being marked present"),
        )
        attendance.credited = False
    attendance.save()
    return attendance, True


def attendance_trainees(item: ScheduleItem):
    """Trainee memberships an item's attendance is taken for."""
    memberships = CohortMembership.objects.filter(
        cohort_id=item.cohort_id, role=MembershipRole.TRAINEE, status__in=MembershipStatus.counted_values()
    )
    if item.audience == Audience.MENTORS:
        return memberships.none()
    if item.audience == Audience.NAMED:
        memberships = memberships.filter(pk__in=item.participants.values("pk"))
    return memberships


@transaction.atomic
def attendance_mark(*, item: ScheduleItem, acting_user, day: datetime.date, present_ids, trainee_ids) -> int:
    """A coordinator marks who was there on one day; returns how many marks changed."""
    require_cohort_manager(acting_user, item.cohort)
    if item.is_cancelled:
        raise ValidationError(_("Attendance cannot be taken for a cancelled item."))
    if day not in item.days:
        raise ValidationError(_("%(day)s is not a day of this item.") % {"day": day.isoformat()})
    if day > timezone.localdate():
        raise ValidationError(_("Attendance can be taken from the day itself, not before."))
    allowed = set(attendance_trainees(item).values_list("user_id", flat=True))
    trainee_ids = [int(pk) for pk in trainee_ids]
    present_ids = {int(pk) for pk in present_ids}
    if not set(trainee_ids) <= allowed or not present_ids <= set(trainee_ids):
        raise ValidationError(_("Only trainees this item is for can be marked."))
    item = ScheduleItem.objects.select_related("cohort").get(pk=item.pk)
    changes = {"present": [], "absent": []}
    for trainee_id in trainee_ids:
        present = trainee_id in present_ids
        _attendance, changed = _attendance_set(
            item=item,
            trainee_id=trainee_id,
            day=day,
            present=present,
            method=AttendanceMethod.COORDINATOR,
            acting_user=acting_user,
        )
        if changed:
            changes["present" if present else "absent"].append(trainee_id)
    if changes["present"] or changes["absent"]:
        audit_log(
            instance=item,
            action="training.attendance.mark",
            acting_user=acting_user,
            data={"cohort_id": item.cohort_id, "day": day.isoformat(), **changes},
        )
    return len(changes["present"]) + len(changes["absent"])


def checkin_code(*, item: ScheduleItem, day: datetime.date) -> str:
    """Today's code for an item: yesterday's photo of the QR code does not work today."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("training.checkin", f"{item.pk}:{item.checkin_secret}:{day.isoformat()}").hexdigest()[:20]


CHECKIN_EARLY = datetime.timedelta(hours=1)


@transaction.atomic
def attendance_check_in(
    *, item: ScheduleItem, acting_user, code: str, now: datetime.datetime | None = None
) -> Attendance:
    """A trainee on site checks in with the item's QR code, once per day of the item."""
    from django.utils.crypto import constant_time_compare

    now = now or timezone.now()
    today = timezone.localdate(now)
    if item.is_cancelled:
        raise ValidationError(_("This item has been cancelled."))
    if today not in item.days or not (item.starts_at - CHECKIN_EARLY <= now <= item.ends_at + CHECKIN_EARLY):
        raise ValidationError(_("Check-in is open only during the item, from an hour before it starts."))
    if not constant_time_compare(code, checkin_code(item=item, day=today)):
        raise ValidationError(_("This check-in code is not valid today. Scan the code shown on site."))
    if not attendance_trainees(item).filter(user=acting_user).exists():
        raise PermissionDenied
    existing = Attendance.objects.filter(schedule_item=item, trainee=acting_user, day=today, present=True).first()
    if existing is not None:
        raise ValidationError(_("You have already checked in today."), code="already")
    attendance, _changed = _attendance_set(
        item=item,
        trainee_id=acting_user.pk,
        day=today,
        present=True,
        method=AttendanceMethod.QR,
        acting_user=acting_user,
    )
    audit_log(
        instance=item,
        action="training.attendance.check_in",
        acting_user=acting_user,
        data={"cohort_id": item.cohort_id, "day": today.isoformat(), "present": [acting_user.pk]},
    )
    return attendance


@transaction.atomic
def attendance_record_at_event(*, item: ScheduleItem, trainee, day: datetime.date, acting_user) -> Attendance | None:
    """A trainee checked in at the door of an event that is this schedule item: one attendance, credited once.

    Returns the attendance, or None when the person is not one of the item's trainees or the day is not one
    of its days (the event then credits its own hours). Checking in twice, or at the door after the QR code
    on site, changes nothing.
    """
    if item.is_cancelled or day not in item.days:
        return None
    if not attendance_trainees(item).filter(user_id=trainee.pk).exists():
        return None
    item = ScheduleItem.objects.select_related("cohort").get(pk=item.pk)
    attendance, changed = _attendance_set(
        item=item, trainee_id=trainee.pk, day=day, present=True, method=AttendanceMethod.EVENT, acting_user=acting_user
    )
    if changed:
        audit_log(
            instance=item,
            action="training.attendance.check_in",
            acting_user=acting_user,
            data={"cohort_id": item.cohort_id, "day": day.isoformat(), "present": [trainee.pk], "at_event": True},
        )
    return attendance
