"""A cohort's plan: schedule items, their moves and cancellations, and who is told."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from ..kinds import cohort_notification_send
from ..models import (
    Audience,
    Cohort,
    CohortMembership,
    MembershipRole,
    MembershipStatus,
    ScheduleItem,
    ScheduleItemKind,
    ScheduleItemStatus,
)
from ..permissions import require_cohort_manager
from .hours import hours_daily_cap, hours_text

SCHEDULE_FIELDS = [
    "kind",
    "title",
    "title_en",
    "description",
    "description_en",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "host_school",
    "audience",
    "required",
    "credit_hours",
]


# A change to any of these is a move: people are told and their calendars update.
MOVING_FIELDS = ["starts_at", "ends_at", "location", "online_url"]


CALENDAR_FIELDS = [*MOVING_FIELDS, "title", "title_en", "description", "description_en", "host_school"]


def _local_date(moment: datetime.datetime) -> datetime.date | None:
    """The local date of a moment; None for one so close to year 1 or 9999 that it has no local date."""
    try:
        return timezone.localdate(moment)
    except (OverflowError, ValueError):
        return None


def _schedule_item_check(item: ScheduleItem, participants) -> None:
    errors = {}
    # An English reader would see an English description under a Chinese title: ask for the title too.
    if item.description_en.strip() and not item.title_en.strip():
        errors["title_en"] = _("Give the English title too when you write an English description.")
    if item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    cohort = item.cohort
    within = _("An item takes place within the cohort's dates, %(starts)s to %(ends)s.") % {
        "starts": formats.date_format(cohort.starts_on, "SHORT_DATE_FORMAT"),
        "ends": formats.date_format(cohort.ends_on, "SHORT_DATE_FORMAT"),
    }
    if item.starts_at:
        starts_on = _local_date(item.starts_at)
        if starts_on is None or not cohort.starts_on <= starts_on <= cohort.ends_on:
            errors["starts_at"] = within
    if item.ends_at and "ends_at" not in errors:
        ends_on = _local_date(item.ends_at)
        if ends_on is None or not cohort.starts_on <= ends_on <= cohort.ends_on:
            errors["ends_at"] = within
    credit = item.credit_hours or Decimal(0)
    cap = hours_daily_cap()
    if credit > cap:
        errors["credit_hours"] = _("An item credits at most %(cap)s hours per day attended.") % {"cap": hours_text(cap)}
    elif item.starts_at and item.ends_at and not errors.keys() & {"starts_at", "ends_at"}:
        length = Decimal((item.ends_at - item.starts_at).total_seconds()) / 3600
        if credit > length:
            errors["credit_hours"] = _("An item cannot credit more hours per day than it lasts (%(length)s hours).") % {
                "length": hours_text(length)
            }
    if item.kind == ScheduleItemKind.SHADOWING_BLOCK and item.host_school_id is None:
        errors["host_school"] = _("A shadowing block takes place at a host school; choose it.")
    if item.audience == Audience.NAMED and not participants:
        errors["participants"] = _("Choose the people this item is for.")
    if participants and any(member.cohort_id != item.cohort_id for member in participants):
        errors["participants"] = _("Only people in this cohort can be chosen.")
    if item.starts_at and not (item.location or item.online_url):
        errors["location"] = _("Give a place or an online link.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def schedule_item_create(*, cohort: Cohort, acting_user, data: dict) -> ScheduleItem:
    """Add an item to the cohort's plan; it appears in everyone's calendar feed."""
    require_cohort_manager(acting_user, cohort)
    participants = list(data.get("participants") or [])
    item = ScheduleItem(
        cohort=cohort, created_by=acting_user, **{key: data[key] for key in SCHEDULE_FIELDS if key in data}
    )
    _schedule_item_check(item, participants)
    item.full_clean(exclude=["participants"])
    item.save()
    if item.audience == Audience.NAMED:
        item.participants.set(participants)
    audit_log(
        instance=item,
        action="training.schedule_item.create",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "title": item.title, "starts_at": item.starts_at.isoformat()},
    )
    return item


def schedule_item_recipients(item: ScheduleItem) -> list:
    """Everyone the item concerns: its audience, through memberships that grant access."""
    memberships = CohortMembership.objects.filter(
        cohort_id=item.cohort_id, status__in=MembershipStatus.counted_values()
    ).select_related("user")
    if item.audience == Audience.TRAINEES:
        memberships = memberships.filter(role__in=[MembershipRole.TRAINEE, MembershipRole.COORDINATOR])
    elif item.audience == Audience.MENTORS:
        memberships = memberships.filter(role__in=[MembershipRole.MENTOR, MembershipRole.COORDINATOR])
    elif item.audience == Audience.NAMED:
        memberships = memberships.filter(Q(pk__in=item.participants.values("pk")) | Q(role=MembershipRole.COORDINATOR))
    people = {}
    for membership in memberships:
        people[membership.user_id] = membership.user
    return list(people.values())


def schedule_item_message_context(item: ScheduleItem, reason: str = ""):
    def context():
        start = timezone.localtime(item.starts_at)
        end = timezone.localtime(item.ends_at)
        return {
            "title": item.localized_title,
            "cohort": item.cohort.localized_name,
            "when": f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}",
            "where": item.location or item.online_url,
            "message": reason,
        }

    return context


@transaction.atomic
def schedule_item_update(*, item: ScheduleItem, acting_user, data: dict) -> ScheduleItem:
    """Change an item; a move raises its SEQUENCE and tells everyone concerned, with an updated .ics."""
    require_cohort_manager(acting_user, item.cohort)
    item = ScheduleItem.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=item.pk)
    if item.is_cancelled:
        raise ValidationError(_("A cancelled item cannot be changed."))
    before = {key: getattr(item, key) for key in SCHEDULE_FIELDS}
    participants = list(data.get("participants") or []) if "participants" in data else list(item.participants.all())
    for key in SCHEDULE_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    _schedule_item_check(item, participants)
    item.full_clean(exclude=["participants"])
    changed = [key for key in SCHEDULE_FIELDS if before[key] != getattr(item, key)]
    moved = [key for key in changed if key in MOVING_FIELDS]
    if any(key in CALENDAR_FIELDS for key in changed):
        item.sequence += 1
    item.save()
    if "participants" in data:
        item.participants.set(participants if item.audience == Audience.NAMED else [])
    audit_log(
        instance=item,
        action="training.schedule_item.move" if moved else "training.schedule_item.update",
        acting_user=acting_user,
        data={
            "cohort_id": item.cohort_id,
            "changed": {key: {"from": str(before[key]), "to": str(getattr(item, key))} for key in changed},
            "sequence": item.sequence,
        },
    )
    if moved:
        cohort_notification_send(
            cohort=item.cohort,
            recipients=[person for person in schedule_item_recipients(item) if person.pk != acting_user.pk],
            kind="training.schedule_item_changed",
            target=item,
            occasion=f"sequence-{item.sequence}",
            context=schedule_item_message_context(item),
            url_name="training:schedule-item-detail",
            url_kwargs={"item_id": item.pk},
        )
    return item


@transaction.atomic
def schedule_item_cancel(*, item: ScheduleItem, acting_user, reason: str = "") -> ScheduleItem:
    """Cancel an item; it stays in calendars marked cancelled, and everyone concerned is told."""
    require_cohort_manager(acting_user, item.cohort)
    item = ScheduleItem.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=item.pk)
    if item.is_cancelled:
        raise ValidationError(_("This item is already cancelled."))
    item.status = ScheduleItemStatus.CANCELLED
    item.sequence += 1
    item.save(update_fields=["status", "sequence", "updated_at"])
    audit_log(
        instance=item,
        action="training.schedule_item.cancel",
        acting_user=acting_user,
        data={"cohort_id": item.cohort_id, "reason": reason, "sequence": item.sequence},
    )
    cohort_notification_send(
        cohort=item.cohort,
        recipients=[person for person in schedule_item_recipients(item) if person.pk != acting_user.pk],
        kind="training.schedule_item_cancelled",
        target=item,
        occasion=f"sequence-{item.sequence}",
        context=schedule_item_message_context(item, reason),
        url_name="training:schedule-item-detail",
        url_kwargs={"item_id": item.pk},
    )
    return item
