"""Memberships: a person's own, a cohort's people as each reader may see them, and applications."""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from ..models import (
    Cohort,
    CohortMembership,
    Invitation,
    MembershipRole,
    MembershipStatus,
)
from ..permissions import (
    can_decide_application,
    can_manage_cohort,
    coordinator_region_ids,
    visible_region_ids,
)
from .cohorts import id_or_404


def membership_list_for_user(*, user) -> QuerySet[CohortMembership]:
    """A person's own memberships, newest cohort first, for their dashboard."""
    return (
        CohortMembership.objects.filter(user=user)
        .exclude(status=MembershipStatus.WITHDRAWN)
        .select_related("cohort", "cohort__programme", "region")
        .order_by("-cohort__starts_on", "role")
    )


def membership_list_for_cohort(
    *, acting_user, cohort: Cohort, role: str = "", status: str = "", region_id=None, query: str = ""
) -> QuerySet[CohortMembership]:
    """People in a cohort as this person may see them: everyone for coordinators, own region for regional admins."""
    memberships = CohortMembership.objects.filter(cohort=cohort).select_related(
        "user", "region", "user__profile", "user__profile__school"
    )
    regions = visible_region_ids(acting_user, cohort)
    if regions is not None:
        memberships = memberships.filter(region_id__in=regions)
    if role:
        memberships = memberships.filter(role=role)
    if status:
        memberships = memberships.filter(status=status)
    if region_id:
        memberships = memberships.filter(region_id=region_id)
    latest_invitation = Invitation.objects.filter(membership=OuterRef("pk")).order_by("-created_at", "-pk")
    memberships = memberships.annotate(
        invited_name=Subquery(latest_invitation.values("display_name")[:1]),
        invited_email=Subquery(latest_invitation.values("email")[:1]),
    )
    if query:
        # An invited person is found by what the inviter typed, not by their account's real name.
        memberships = memberships.filter(
            (
                ~Q(status=MembershipStatus.INVITED)
                & (Q(user__display_name__icontains=query) | Q(user__email__icontains=query))
            )
            | Q(status=MembershipStatus.INVITED, invited_name__icontains=query)
            | Q(status=MembershipStatus.INVITED, invited_email__icontains=query)
        )
    return memberships.order_by("role", "user__display_name", "user__email")


def membership_get_for_manager(*, acting_user, cohort: Cohort, membership_id) -> CohortMembership:
    """One membership of a cohort this person coordinates, or 404."""
    if not can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    try:
        return CohortMembership.objects.select_related("user", "region", "cohort").get(
            pk=id_or_404(membership_id), cohort=cohort
        )
    except CohortMembership.DoesNotExist:
        raise Http404 from None


def application_list_for_cohort(*, acting_user, cohort: Cohort) -> QuerySet[CohortMembership]:
    """Applications waiting for this coordinator: their region's, or all for a cohort-wide coordinator."""
    if not can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    applications = CohortMembership.objects.filter(cohort=cohort, status=MembershipStatus.APPLIED).select_related(
        "user", "region", "user__profile__school"
    )
    regions = coordinator_region_ids(acting_user, cohort)
    if regions is not None:
        applications = applications.filter(region_id__in=regions)
    return applications.order_by("created_at", "pk")


def application_get_for_decider(*, acting_user, cohort: Cohort, membership_id) -> CohortMembership:
    """An application this coordinator may decide, or 404."""
    try:
        membership = CohortMembership.objects.select_related("user", "region", "cohort").get(
            pk=id_or_404(membership_id), cohort=cohort
        )
    except CohortMembership.DoesNotExist:
        raise Http404 from None
    if not can_decide_application(acting_user, membership):
        raise Http404
    return membership


def application_get_own(*, acting_user, cohort: Cohort) -> CohortMembership | None:
    """My trainee membership in a cohort, if I have applied or joined."""
    if not acting_user.is_authenticated:
        return None
    return CohortMembership.objects.filter(cohort=cohort, user=acting_user, role=MembershipRole.TRAINEE).first()
