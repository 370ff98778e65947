"""A coordinator's cohort and its people, for the choosers of matching (pins, wishes, host schools)."""

from django.db.models import Q
from django.http import Http404

from accounts.models import School, User
from training.models import Cohort, CohortMembership, MembershipRole, MembershipStatus
from training.permissions import can_manage_cohort


def cohort_get_for_coordinator(*, acting_user, cohort_id: int) -> Cohort:
    """A cohort this person coordinates (or staff), or 404."""
    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if cohort is None or not can_manage_cohort(acting_user, cohort):
        raise Http404
    return cohort


def cohort_people(*, cohort: Cohort, role: str):
    """The cohort's trainees or mentors, by name, for choosers."""
    return (
        User.objects.filter(
            memberships__cohort=cohort,
            memberships__role=role,
            memberships__status__in=MembershipStatus.counted_values(),
        )
        .distinct()
        .order_by("display_name", "email")
    )


def cohort_mentors_for_wishes(*, cohort: Cohort):
    """The cohort's mentors with what a trainee chooses a host by: school, region, focus areas (one query)."""
    return cohort_people(cohort=cohort, role=MembershipRole.MENTOR).select_related(
        "host_profile__school__region", "profile__school__region"
    )


def cohort_host_schools(*, cohort: Cohort):
    """Schools of the cohort's mentors (host profile first, else their profile)."""
    mentors = CohortMembership.objects.filter(
        cohort=cohort, role=MembershipRole.MENTOR, status__in=MembershipStatus.counted_values()
    ).values("user_id")
    return (
        School.objects.filter(Q(host_profiles__user_id__in=mentors) | Q(staff__user_id__in=mentors))
        .distinct()
        .select_related("region")
    )
