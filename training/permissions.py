"""Cohort roles: the permission helpers every view and selector uses.

A person holds roles through `CohortMembership` rows whose status grants
access (accepted, active, completed). Staff may do everything. A regional
admin sees cohorts their region takes part in, and only their region's people.
"""

from django.core.exceptions import PermissionDenied

from accounts.permissions import administered_region_ids

from .models import Cohort, CohortMembership, MembershipRole, MembershipStatus, ReviewerRole, Submission


def cohort_roles(user, cohort: Cohort) -> frozenset[str]:
    """The roles this person holds in this cohort, memoised for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = user.__dict__.setdefault("_yingzi_cohort_roles", {})
    if cohort.pk not in cache:
        cache[cohort.pk] = frozenset(
            CohortMembership.objects.filter(
                user=user, cohort=cohort, status__in=MembershipStatus.counted_values()
            ).values_list("role", flat=True)
        )
    return cache[cohort.pk]


def cohort_roles_remember(user, *, cohort_id: int, roles) -> None:
    """Keep a person's roles in a cohort, read with the cohort in one query, for the checks below."""
    user.__dict__.setdefault("_yingzi_cohort_roles", {})[cohort_id] = frozenset(roles)


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def is_coordinator(user, cohort: Cohort) -> bool:
    return is_staff(user) or MembershipRole.COORDINATOR in cohort_roles(user, cohort)


def coordinates_any_cohort(user) -> bool:
    """Whether this person coordinates some cohort (a role that needs two factors, accounts.two_factor)."""
    return CohortMembership.objects.filter(
        user=user, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
    ).exists()


def is_mentor(user, cohort: Cohort) -> bool:
    return MembershipRole.MENTOR in cohort_roles(user, cohort)


def is_trainee(user, cohort: Cohort) -> bool:
    return MembershipRole.TRAINEE in cohort_roles(user, cohort)


def administers_cohort_region(user, cohort: Cohort) -> bool:
    region_ids = administered_region_ids(user)
    return bool(region_ids) and cohort.cohort_regions.filter(region_id__in=region_ids).exists()


def can_view_cohort(user, cohort: Cohort) -> bool:
    return is_staff(user) or bool(cohort_roles(user, cohort)) or administers_cohort_region(user, cohort)


def can_manage_cohort(user, cohort: Cohort) -> bool:
    """Coordinators change their cohorts; nobody else does, staff aside."""
    return is_coordinator(user, cohort)


def can_oversee_cohort(user, cohort: Cohort) -> bool:
    """Whether this person sees the cohort's people: its coordinators, and regional admins (for their region)."""
    return can_manage_cohort(user, cohort) or bool(visible_region_ids(user, cohort))


def hosts_shadowing_block(user, item) -> bool:
    """A mentor of the cohort whose own school hosts this shadowing block: they see the trainees every day."""
    from accounts.models import Profile

    from .models import ScheduleItemKind

    if item.kind != ScheduleItemKind.SHADOWING_BLOCK or not item.host_school_id:
        return False
    if not is_mentor(user, item.cohort):
        return False
    return Profile.objects.filter(user=user, school_id=item.host_school_id).exists()


def can_take_attendance(user, item) -> bool:
    """The cohort's coordinators, and the host mentor at a shadowing block in their own school."""
    return can_manage_cohort(user, item.cohort) or hosts_shadowing_block(user, item)


def require_cohort_manager(user, cohort: Cohort) -> None:
    """Refuse anyone who may not change this cohort."""
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied


def can_view_person_in_cohort(user, cohort: Cohort, person_region_id: int | None) -> bool:
    """Coordinators see everyone in their cohort; regional admins only their region's people."""
    if can_manage_cohort(user, cohort):
        return True
    return person_region_id is not None and person_region_id in administered_region_ids(user)


def coordinator_region_ids(user, cohort: Cohort) -> frozenset[int] | None:
    """The regions a coordinator acts for in this cohort; None means the whole cohort (or staff)."""
    if is_staff(user):
        return None
    cache = user.__dict__.setdefault("_yingzi_coordinator_regions", {})
    if cohort.pk not in cache:
        region_ids = list(
            CohortMembership.objects.filter(
                user=user,
                cohort=cohort,
                role=MembershipRole.COORDINATOR,
                status__in=MembershipStatus.counted_values(),
            ).values_list("region_id", flat=True)
        )
        cache[cohort.pk] = None if (not region_ids or None in region_ids) else frozenset(region_ids)
    return cache[cohort.pk]


def can_review_submission(user, submission: Submission) -> bool:
    """Coordinators review everything in their cohort; mentors review their own mentees' work when asked to."""
    from .pairings import is_paired

    cohort = submission.assignment.cohort
    if can_manage_cohort(user, cohort):
        return True
    return (
        submission.assignment.reviewer == ReviewerRole.MENTOR
        and is_mentor(user, cohort)
        and is_paired(cohort_id=cohort.pk, trainee_id=submission.trainee_id, mentor_id=user.pk)
    )


def can_decide_application(user, membership: CohortMembership) -> bool:
    """The coordinator of the applicant's region decides; a cohort-wide coordinator or staff may too."""
    if not can_manage_cohort(user, membership.cohort):
        return False
    region_ids = coordinator_region_ids(user, membership.cohort)
    return region_ids is None or membership.region_id in region_ids


def visible_region_ids(user, cohort: Cohort) -> frozenset[int] | None:
    """Whose people this person may see in a cohort: None for everyone, else only these regions."""
    if can_manage_cohort(user, cohort):
        return None
    return administered_region_ids(user)
