"""Opening a cohort and changing its settings and regional quotas."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import Region

from ..models import (
    Cohort,
    CohortMembership,
    CohortRegion,
    CohortStatus,
    MembershipRole,
    MembershipStatus,
)
from ..overview import overview_invalidate
from ..permissions import require_cohort_manager
from ..seats import seats_taken

COHORT_ORDER = [CohortStatus.DRAFT, CohortStatus.RECRUITING, CohortStatus.ACTIVE, CohortStatus.COMPLETED]


@transaction.atomic
def cohort_create(*, programme, acting_user, data: dict, quotas: dict[int, int]) -> Cohort:
    """Open a cohort; the person who opens it coordinates it."""
    from ..permissions import is_staff

    coordinates_any = CohortMembership.objects.filter(
        user=acting_user, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
    ).exists()
    if not (is_staff(acting_user) or coordinates_any):
        raise PermissionDenied
    cohort = Cohort(programme=programme, **data)
    cohort.full_clean()
    cohort.save()
    for region_id, quota in quotas.items():
        if quota:
            CohortRegion.objects.create(cohort=cohort, region_id=region_id, quota=quota)
    CohortMembership.objects.create(
        cohort=cohort, user=acting_user, role=MembershipRole.COORDINATOR, status=MembershipStatus.ACTIVE
    )
    audit_log(instance=cohort, action="training.cohort.create", acting_user=acting_user, data={"cohort_id": cohort.pk})
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, acting_user, data: dict, quotas: dict[int, int] | None = None) -> Cohort:
    """Change a cohort's dates, status, capacity, thresholds and regional quotas."""
    require_cohort_manager(acting_user, cohort)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    before = {key: str(getattr(cohort, key)) for key in data}
    new_status = data.get("status", cohort.status)
    if COHORT_ORDER.index(new_status) < COHORT_ORDER.index(cohort.status) and not (
        cohort.status == CohortStatus.RECRUITING and new_status == CohortStatus.DRAFT
    ):
        raise ValidationError({"status": _("A cohort's status only moves forward.")})
    for key, value in data.items():
        setattr(cohort, key, value)
    cohort.full_clean()
    cohort.save()
    if quotas is not None:
        _quotas_set(cohort=cohort, quotas=quotas)
    if new_status == CohortStatus.ACTIVE and before.get("status") != CohortStatus.ACTIVE:
        CohortMembership.objects.filter(cohort=cohort, status=MembershipStatus.ACCEPTED).update(
            status=MembershipStatus.ACTIVE, updated_at=timezone.now()
        )
        overview_invalidate(cohort.pk)  # a bulk update sends no signal
    changed = {
        key: {"from": before[key], "to": str(getattr(cohort, key))}
        for key in data
        if before[key] != str(getattr(cohort, key))
    }
    audit_log(
        instance=cohort,
        action="training.cohort.update",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "changed": changed, "quotas": {str(k): v for k, v in (quotas or {}).items()}},
    )
    return cohort


def _quotas_set(*, cohort: Cohort, quotas: dict[int, int]) -> None:
    taken = seats_taken(cohort=cohort)["by_region"]
    members = set(CohortMembership.objects.filter(cohort=cohort).values_list("region_id", flat=True))
    regions = {region.pk: region for region in Region.objects.filter(pk__in=list(quotas))}
    errors = []
    for region_id, quota in quotas.items():
        if quota < taken.get(region_id, 0):
            errors.append(
                _("%(region)s already has %(taken)s trainees; its quota cannot be lower.")
                % {"region": regions[region_id].localized_name, "taken": taken[region_id]}
            )
    if errors:
        raise ValidationError(errors)
    for region_id, quota in quotas.items():
        if quota == 0 and region_id not in members:
            CohortRegion.objects.filter(cohort=cohort, region_id=region_id).delete()
        elif quota or region_id in members:
            CohortRegion.objects.update_or_create(cohort=cohort, region_id=region_id, defaults={"quota": quota})
