"""A coordinator's changes to someone's role, status or region in a cohort."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from ..events import membership_withdrawn
from ..models import (
    Cohort,
    CohortMembership,
    CohortStatus,
    InvitationStatus,
    MembershipStatus,
)
from ..permissions import require_cohort_manager
from ..seats import seat_lock, takes_seat


def membership_joined_status(cohort: Cohort) -> str:
    return MembershipStatus.ACTIVE if cohort.status == CohortStatus.ACTIVE else MembershipStatus.ACCEPTED


PENDING_STATUSES = [MembershipStatus.INVITED, MembershipStatus.APPLIED]
COORDINATOR_STATUSES = [MembershipStatus.ACCEPTED, MembershipStatus.ACTIVE, MembershipStatus.WITHDRAWN]


@transaction.atomic
def membership_change(
    *,
    membership: CohortMembership,
    acting_user,
    status: str | None = None,
    role: str | None = None,
    region=None,
    note: str = "",
) -> CohortMembership:
    """A coordinator changes someone's role, status or region in their cohort; every change is audited."""
    require_cohort_manager(acting_user, membership.cohort)
    membership = CohortMembership.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=membership.pk)
    before = {"role": membership.role, "status": membership.status, "region_id": membership.region_id}
    new_role = role or membership.role
    new_status = status or membership.status
    new_region_id = region.pk if region is not None else membership.region_id
    # Roles cannot be raised from below: a coordinator who changed their own region would read another
    # region's people. Another coordinator of the cohort (or staff) makes such a change.
    if membership.user_id == acting_user.pk and (new_role, new_status, new_region_id) != (
        membership.role,
        membership.status,
        membership.region_id,
    ):
        raise ValidationError(_("Nobody changes their own role, status or region; ask another coordinator."))
    if status and status != membership.status and status not in COORDINATOR_STATUSES:
        raise ValidationError(
            {"status": _("Invitations, applications and completion change this status; choose another.")}
        )
    # Only the person accepting their invitation, or their application being accepted, makes them a member.
    if membership.status in PENDING_STATUSES and new_status in MembershipStatus.counted_values():
        raise ValidationError(
            {
                "status": _(
                    "Only the person can accept their invitation, and an application is accepted from the "
                    "applications list; until then they are not a member."
                )
            }
        )
    if (
        new_role != membership.role
        and CohortMembership.objects.filter(cohort=membership.cohort, user=membership.user, role=new_role).exists()
    ):
        raise ValidationError({"role": _("This person already has that role in this cohort.")})
    if takes_seat(new_role, new_status) and (
        not takes_seat(membership.role, membership.status) or new_region_id != membership.region_id
    ):
        seat_lock(cohort=membership.cohort, region_id=new_region_id)
    membership.role, membership.status, membership.region_id = new_role, new_status, new_region_id
    membership.save()
    if new_status == MembershipStatus.WITHDRAWN:
        membership.invitations.filter(status=InvitationStatus.PENDING).update(status=InvitationStatus.REVOKED)
        if before["status"] != MembershipStatus.WITHDRAWN:
            # Their pairings end with them (mentorship listens); in this transaction.
            membership_withdrawn.send(sender=CohortMembership, membership=membership, acting_user=acting_user)
    after = {"role": membership.role, "status": membership.status, "region_id": membership.region_id}
    if after != before:
        audit_log(
            instance=membership,
            action="training.membership.change",
            acting_user=acting_user,
            data={"cohort_id": membership.cohort_id, "before": before, "after": after, "note": note},
        )
    return membership
