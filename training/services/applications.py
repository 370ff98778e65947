"""Applications from programme pages, decided by the coordinator of the applicant's region."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import Profile

from ..kinds import cohort_notification_send
from ..models import (
    Cohort,
    CohortMembership,
    CohortStatus,
    MembershipRole,
    MembershipStatus,
)
from ..permissions import can_decide_application
from ..seats import seat_holders, seat_lock
from .memberships import membership_joined_status


@transaction.atomic
def application_submit(*, cohort: Cohort, acting_user, statement: str) -> CohortMembership:
    """Apply from a programme page; the coordinator of the applicant's region decides."""
    if cohort.status != CohortStatus.RECRUITING:
        raise ValidationError(_("This cohort is not taking applications."))
    profile = Profile.objects.filter(user=acting_user).select_related("region").first()
    region = profile.region if profile else None
    if region is None:
        raise ValidationError(_("Set your home region in your profile before you apply."))
    link = cohort.cohort_regions.filter(region=region).first()
    if link is None:
        raise ValidationError(_("%(region)s does not take part in this cohort.") % {"region": region.localized_name})
    # Refused now, not when the coordinator decides: an applicant should not wait for a "no" that is already certain.
    if seat_holders(cohort=cohort).filter(region=region).count() >= link.quota:
        raise ValidationError(
            _("%(region)s has no seats left in this cohort, so applications from it cannot be accepted.")
            % {"region": region.localized_name},
            code="quota",
        )
    if cohort.capacity and seat_holders(cohort=cohort).count() >= cohort.capacity:
        raise ValidationError(_("The cohort is full; it takes no more applications."), code="full")
    existing = (
        CohortMembership.objects.select_for_update()
        .filter(cohort=cohort, user=acting_user, role=MembershipRole.TRAINEE)
        .first()
    )
    if existing is not None and existing.status != MembershipStatus.WITHDRAWN:
        raise ValidationError(_("You have already applied to or joined this cohort."))
    if not statement.strip():
        raise ValidationError({"statement": _("Tell the coordinators why you are applying.")})
    if existing is None:
        membership = CohortMembership.objects.create(
            cohort=cohort,
            user=acting_user,
            role=MembershipRole.TRAINEE,
            status=MembershipStatus.APPLIED,
            region=region,
            statement=statement,
        )
    else:
        membership = existing
        membership.status = MembershipStatus.APPLIED
        membership.region = region
        membership.statement = statement
        membership.decided_by, membership.decided_at, membership.decision_note = None, None, ""
        membership.save()
    audit_log(
        instance=membership,
        action="training.application.submit",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "region_id": region.pk},
    )
    coordinators = [
        coordinator.user
        for coordinator in CohortMembership.objects.filter(
            cohort=cohort, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
        ).select_related("user")
        if coordinator.region_id in (None, region.pk)
    ]
    cohort_notification_send(
        cohort=cohort,
        recipients=coordinators,
        kind="training.application_received",
        target=membership,
        occasion="submitted",
        context=lambda: {
            "cohort": cohort.localized_name,
            "name": acting_user.get_full_name(),
            "region": region.localized_name,
        },
        url_name="training:application-list",
        url_kwargs={"cohort_id": cohort.pk},
    )
    return membership


@transaction.atomic
def application_decide(*, membership: CohortMembership, acting_user, accept: bool, note: str = "") -> CohortMembership:
    """Accept (within the region's quota) or decline an application."""
    if not can_decide_application(acting_user, membership):
        raise PermissionDenied
    membership = (
        CohortMembership.objects.select_for_update(of=("self",)).select_related("cohort", "user").get(pk=membership.pk)
    )
    if membership.status != MembershipStatus.APPLIED:
        raise ValidationError(_("This application has already been decided."))
    if accept:
        seat_lock(cohort=membership.cohort, region_id=membership.region_id)
        membership.status = membership_joined_status(membership.cohort)
    else:
        membership.status = MembershipStatus.WITHDRAWN
    membership.decided_by = acting_user
    membership.decided_at = timezone.now()
    membership.decision_note = note
    membership.save()
    audit_log(
        instance=membership,
        action="training.application.decide",
        acting_user=acting_user,
        data={"cohort_id": membership.cohort_id, "accepted": accept, "note": note},
    )
    cohort = membership.cohort
    cohort_notification_send(
        cohort=cohort,
        recipients=[membership.user],
        kind="training.application_accepted" if accept else "training.application_declined",
        target=membership,
        occasion=f"decided-{membership.decided_at.isoformat()}",
        context=lambda: {"cohort": cohort.localized_name, "message": note},
        url_name="dashboard:home",
    )
    return membership
