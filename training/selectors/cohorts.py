"""Cohorts a person may see, coordinate or oversee, and a cohort's audit trail."""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.sql import ListOf

from ..models import (
    Cohort,
    CohortMembership,
    MembershipRole,
    MembershipStatus,
)
from ..permissions import (
    can_manage_cohort,
    can_oversee_cohort,
    cohort_roles_remember,
)


def id_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def cohort_get_for_user(*, acting_user, cohort_id: int) -> Cohort:
    """A cohort this person may see, or 404 so that existence does not leak; their roles in it are read in the
    same query and kept for the permission checks that follow."""
    cohorts = Cohort.objects.visible_to(acting_user).select_related("programme")
    if acting_user.is_authenticated:
        roles = CohortMembership.objects.filter(
            cohort=OuterRef("pk"), user=acting_user, status__in=MembershipStatus.counted_values()
        ).order_by()
        cohorts = cohorts.annotate(acting_roles=ListOf(roles, "role", CharField()))
    try:
        cohort = cohorts.get(pk=cohort_id)
    except (Cohort.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    cohort_roles_remember(acting_user, cohort_id=cohort.pk, roles=cohort.acting_roles)
    return cohort


def cohort_get_for_manager(*, acting_user, cohort_id: int) -> Cohort:
    """A cohort this person coordinates: 404 if they cannot see it, 403 if they see but may not change it."""
    cohort = cohort_get_for_user(acting_user=acting_user, cohort_id=cohort_id)
    if not can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    return cohort


def cohort_get_for_overseer(*, acting_user, cohort_id: int) -> Cohort:
    """A cohort whose people this person oversees (coordinators; regional admins for their region): 404, else 403."""
    cohort = cohort_get_for_user(acting_user=acting_user, cohort_id=cohort_id)
    if not can_oversee_cohort(acting_user, cohort):
        raise PermissionDenied
    return cohort


def cohort_list_for_user(*, acting_user) -> QuerySet[Cohort]:
    """Cohorts this person belongs to, coordinates or oversees, with trainee counts."""
    return (
        Cohort.objects.visible_to(acting_user)
        .select_related("programme")
        .annotate(
            trainee_count=Count(
                "memberships",
                filter=Q(
                    memberships__role=MembershipRole.TRAINEE,
                    memberships__status__in=MembershipStatus.counted_values(),
                ),
            )
        )
        .order_by("-starts_on", "name")
    )


def cohort_get_open_for_applications(*, cohort_id) -> Cohort:
    """A cohort a visitor may apply to, or 404."""
    try:
        return Cohort.objects.live().select_related("programme").get(pk=id_or_404(cohort_id))
    except Cohort.DoesNotExist:
        raise Http404 from None


def audit_entries_for_cohort(*, acting_user, cohort: Cohort):
    """The cohort's audit trail (memberships, acceptance, attendance, sign-off, revocation), newest first."""
    from wagtail.models import ModelLogEntry

    if not can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    return (
        ModelLogEntry.objects.filter(action__startswith="training.", data__cohort_id=cohort.pk)
        .select_related("user", "content_type")
        .order_by("-timestamp", "-pk")
    )
