"""A cohort's schedule as each person may see it, and its items as calendar entries."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ..calendar import CalendarEvent
from ..models import (
    Cohort,
    CohortMembership,
    MembershipRole,
    MembershipStatus,
    ScheduleItem,
    ScheduleItemKind,
    ScheduleItemStatus,
)
from ..overview import cohort_token
from ..permissions import (
    can_manage_cohort,
    can_view_cohort,
    cohort_roles,
    hosts_shadowing_block,
    is_staff,
)
from .cohorts import id_or_404


def schedule_items_visible(*, acting_user, cohort: Cohort) -> QuerySet[ScheduleItem]:
    """A cohort's items this person may see: all for coordinators and overseers, their own for members."""
    items = ScheduleItem.objects.filter(cohort=cohort).select_related("host_school", "host_school__region")
    roles = cohort_roles(acting_user, cohort)
    if is_staff(acting_user) or MembershipRole.COORDINATOR in roles or not roles:
        return items
    return items.filter(pk__in=ScheduleItem.objects.for_person(acting_user).filter(cohort=cohort).values("pk"))


def schedule_item_list_for_cohort(*, acting_user, cohort: Cohort) -> list[ScheduleItem]:
    """The cohort plan as a timeline, grouped by month on the page."""
    return list(schedule_items_visible(acting_user=acting_user, cohort=cohort).order_by("starts_at", "pk"))


def schedule_item_get_for_user(*, acting_user, item_id) -> ScheduleItem:
    """An item of a cohort this person may see and whose audience includes them, or 404."""
    try:
        item = ScheduleItem.objects.select_related("cohort", "cohort__programme", "host_school").get(
            pk=id_or_404(item_id)
        )
    except ScheduleItem.DoesNotExist:
        raise Http404 from None
    if not can_view_cohort(acting_user, item.cohort):
        raise Http404
    if not schedule_items_visible(acting_user=acting_user, cohort=item.cohort).filter(pk=item.pk).exists():
        raise Http404
    return item


def schedule_item_get_for_manager(*, acting_user, item_id) -> ScheduleItem:
    """An item of a cohort this person coordinates: 404 if they cannot see it, 403 if they may not change it."""
    item = schedule_item_get_for_user(acting_user=acting_user, item_id=item_id)
    if not can_manage_cohort(acting_user, item.cohort):
        raise PermissionDenied
    return item


def schedule_item_get_for_attendance(*, acting_user, item_id) -> ScheduleItem:
    """An item whose attendance this person takes: a coordinator's, or a host mentor's shadowing block."""
    try:
        item = ScheduleItem.objects.select_related("cohort", "cohort__programme", "host_school").get(
            pk=id_or_404(item_id)
        )
    except ScheduleItem.DoesNotExist:
        raise Http404 from None
    if hosts_shadowing_block(acting_user, item):
        return item
    return schedule_item_get_for_manager(acting_user=acting_user, item_id=item.pk)


def shadowing_blocks_hosted_by(*, user) -> list[ScheduleItem]:
    """Current and coming shadowing blocks at this mentor's school, in cohorts they mentor in."""
    from accounts.models import Profile

    school_id = Profile.objects.filter(user=user).values_list("school_id", flat=True).first()
    if school_id is None:
        return []
    mentored = CohortMembership.objects.filter(
        user=user, role=MembershipRole.MENTOR, status__in=MembershipStatus.counted_values()
    ).values("cohort_id")
    return list(
        ScheduleItem.objects.filter(
            kind=ScheduleItemKind.SHADOWING_BLOCK,
            host_school_id=school_id,
            cohort_id__in=mentored,
            ends_at__gte=timezone.now() - datetime.timedelta(days=7),
        )
        .exclude(status=ScheduleItemStatus.CANCELLED)
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )


def schedule_item_list_upcoming_for_person(*, user, limit: int = 5) -> list[ScheduleItem]:
    """What is next for me, across my cohorts."""
    return list(
        ScheduleItem.objects.for_person(user)
        .filter(ends_at__gte=timezone.now())
        .select_related("cohort", "host_school")
        .order_by("starts_at", "pk")[:limit]
    )


def schedule_item_calendar_event(item: ScheduleItem) -> CalendarEvent:
    """One item as a calendar entry: the UID never changes, SEQUENCE rises with each change."""
    from django.conf import settings
    from django.urls import reverse

    where = item.location
    if item.online_url:
        where = f"{where} · {item.online_url}" if where else item.online_url
    # In the active language: the feed views and e-mail attachments switch to the owner's language first.
    description = item.localized_description
    if item.host_school_id:
        description = f"{item.host_school.localized_name}\n{description}".strip()
    return CalendarEvent(
        uid=item.uid,
        sequence=item.sequence,
        summary=item.localized_title,
        start=item.starts_at,
        end=item.ends_at,
        location=where,
        description=description,
        url=settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("training:schedule-item-detail", kwargs={"item_id": item.pk}),
        cancelled=item.is_cancelled,
        last_modified=item.updated_at,
    )


def schedule_calendar_events(*, user, cohort: Cohort | None = None) -> list[CalendarEvent]:
    """Calendar provider: a person's items, or with a cohort every item of that cohort (for its coordinators)."""
    if cohort is not None:
        items = ScheduleItem.objects.filter(cohort=cohort)
    else:
        items = ScheduleItem.objects.for_person(user)
    return [schedule_item_calendar_event(item) for item in items.select_related("host_school").order_by("starts_at")]


def schedule_calendar_tokens(*, user, cohort: Cohort | None = None) -> list[str]:
    """The version tokens of the items `schedule_calendar_events` gives: those of the person's cohorts, whatever
    the membership's status (a status changed renews the cohort's token too)."""
    if cohort is not None:
        return [cohort_token(cohort.pk)]
    cohort_ids = CohortMembership.objects.filter(user=user).order_by().values_list("cohort_id", flat=True).distinct()
    return [cohort_token(pk) for pk in cohort_ids]
