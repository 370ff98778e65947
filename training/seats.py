"""Trainee seats (名额): who holds one, how many are left, and taking one safely.

A trainee who is invited, accepted, active or completed holds a seat of
their region. Each participating region has a quota (`CohortRegion.quota`)
and the cohort may cap the total (`Cohort.capacity`). Every path that gives
someone a seat (an invitation, an accepted application, a coordinator's
change, a bulk import) checks here, under the same row locks.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from .models import Cohort, CohortMembership, CohortRegion, MembershipRole, MembershipStatus

SEAT_STATUSES = [MembershipStatus.INVITED, *MembershipStatus.counted_values()]


def takes_seat(role: str, status: str) -> bool:
    """Whether a membership with this role and status holds a trainee seat."""
    return role == MembershipRole.TRAINEE and status in SEAT_STATUSES


def seat_holders(*, cohort: Cohort):
    """The trainee memberships of a cohort that hold a seat."""
    return CohortMembership.objects.filter(cohort=cohort, role=MembershipRole.TRAINEE, status__in=SEAT_STATUSES)


def seats_taken(*, cohort: Cohort) -> dict:
    """Trainee seats held (invited, accepted, active or completed), in total and by region."""
    by_region = dict(
        seat_holders(cohort=cohort)
        .values_list("region_id")
        .annotate(count=Count("pk"))
        .values_list("region_id", "count")
    )
    return {"by_region": by_region, "total": sum(by_region.values())}


def cohort_regions_with_seats(*, cohort: Cohort) -> list:
    """Each participating region with its quota and the trainee seats taken."""
    taken = seats_taken(cohort=cohort)["by_region"]
    links = list(cohort.cohort_regions.select_related("region").order_by("region__sort_order"))
    for link in links:
        link.taken = taken.get(link.region_id, 0)
        link.left = max(link.quota - link.taken, 0)
    return links


def seat_lock(*, cohort: Cohort, region_id: int | None) -> None:
    """Take a trainee seat in a region, or refuse; row locks make concurrent takers queue up."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    link = CohortRegion.objects.select_for_update().filter(cohort=cohort, region_id=region_id).first()
    if region_id is None or link is None:
        raise ValidationError(_("The trainee's region does not take part in this cohort."), code="region")
    taken = seat_holders(cohort=cohort)
    if taken.filter(region_id=region_id).count() >= link.quota:
        raise ValidationError(
            _("%(region)s has no seats left in this cohort (quota %(quota)s).")
            % {"region": link.region.localized_name, "quota": link.quota},
            code="quota",
        )
    capacity = Cohort.objects.values_list("capacity", flat=True).get(pk=cohort.pk)
    if capacity and taken.count() >= capacity:
        raise ValidationError(_("The cohort is full (%(capacity)s trainees).") % {"capacity": capacity}, code="full")


def seat_errors_for_rows(*, cohort: Cohort, rows) -> list:
    """Import rows (`row`, `role`, `region`) beyond a region's quota or the cohort's capacity, as row errors."""
    from .imports import RowError

    taken = seats_taken(cohort=cohort)
    quotas = dict(CohortRegion.objects.filter(cohort=cohort).values_list("region_id", "quota"))
    capacity = cohort.capacity
    errors = []
    used_by_region = Counter()
    used_total = 0
    for row in rows:
        if row.role != MembershipRole.TRAINEE:
            continue
        used_by_region[row.region.pk] += 1
        used_total += 1
        left = quotas.get(row.region.pk, 0) - taken["by_region"].get(row.region.pk, 0)
        if used_by_region[row.region.pk] > left:
            errors.append(
                RowError(row.row, "region", "quota_exceeded", {"region": row.region.name, "left": max(left, 0)})
            )
            continue
        if capacity:
            capacity_left = capacity - taken["total"]
            if used_total > capacity_left:
                errors.append(RowError(row.row, "role", "capacity_exceeded", {"left": max(capacity_left, 0)}))
    return errors
