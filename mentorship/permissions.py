"""Who may see and do what with a pairing and everything logged under it.

The pair (trainee and mentor) and the coordinators of the cohort see a
pairing; nobody else does, and getters answer 404 to them so that
existence does not leak.
"""

from django.core.exceptions import PermissionDenied

from training.models import CohortMembership, MembershipRole, MembershipStatus
from training.permissions import can_manage_cohort, is_staff

from .models import ApprovalParty, Pairing


def refuse_unless(allowed: bool) -> None:
    """Refuse the action (403) unless the caller's permission check passed."""
    if not allowed:
        raise PermissionDenied


def is_pair_member(user, pairing: Pairing) -> bool:
    return getattr(user, "pk", None) in (pairing.trainee_id, pairing.mentor_id)


def can_view_pairing(user, pairing: Pairing) -> bool:
    return is_pair_member(user, pairing) or can_manage_cohort(user, pairing.cohort)


def coordinator_regions(user, cohort) -> set[int | None] | None:
    """Regions a coordinator acts for in this cohort (None: the whole cohort); None if not a coordinator."""
    if is_staff(user):
        return {None}
    regions = set(
        CohortMembership.objects.filter(
            cohort=cohort,
            user=user,
            role=MembershipRole.COORDINATOR,
            status__in=MembershipStatus.counted_values(),
        ).values_list("region_id", flat=True)
    )
    return regions or None


def approval_parties_for(user, pairing: Pairing, *, trainee_region_id, host_region_id) -> list[str]:
    """The parties this person approves for: themself as trainee or mentor, or a region as coordinator."""
    parties = []
    if user.pk == pairing.trainee_id:
        parties.append(ApprovalParty.TRAINEE)
    if user.pk == pairing.mentor_id:
        parties.append(ApprovalParty.MENTOR)
    regions = coordinator_regions(user, pairing.cohort)
    if regions:
        covered = set(
            CohortMembership.objects.filter(
                cohort=pairing.cohort,
                role=MembershipRole.COORDINATOR,
                status__in=MembershipStatus.counted_values(),
                region_id__isnull=False,
            ).values_list("region_id", flat=True)
        )
        # A region with no coordinator of its own in the cohort is approved for by any coordinator.
        if None in regions or trainee_region_id in regions or trainee_region_id not in covered:
            parties.append(ApprovalParty.HOME_COORDINATOR)
        if None in regions or host_region_id in regions or host_region_id not in covered:
            parties.append(ApprovalParty.HOST_COORDINATOR)
    return parties
