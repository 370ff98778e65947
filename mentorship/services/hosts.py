"""Hosts and wishes: a mentor's host profile, shadowing windows, a trainee's matching preferences."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import School
from training.models import Cohort, CohortMembership, MembershipRole, MembershipStatus
from training.permissions import can_manage_cohort, is_trainee

from .. import matching
from ..models import (
    HostProfile,
    HostWindow,
    MatchingPreference,
)
from ..permissions import refuse_unless
from .inputs import focus_areas_checked


@transaction.atomic
def host_profile_save(*, acting_user, school: School, focus_areas, stages, subjects, capacity: int) -> HostProfile:
    """A mentor states their host school, focus areas, stages, subjects and capacity."""
    if not 0 <= int(capacity) <= 12:
        raise ValidationError({"capacity": _("A host takes between 0 and 12 trainees at once.")})
    profile, _created = HostProfile.objects.update_or_create(
        user=acting_user,
        defaults={
            "school": school,
            "focus_areas": focus_areas_checked(focus_areas),
            "stages": list(stages or []),
            "subjects": list(subjects or []),
            "capacity": int(capacity),
        },
    )
    audit_log(instance=profile, action="mentorship.host_profile.save", acting_user=acting_user)
    return profile


@transaction.atomic
def host_window_create(
    *, acting_user, cohort: Cohort, school: School, term: str, starts_on, ends_on, capacity: int
) -> HostWindow:
    """A coordinator opens a host school's shadowing window for a term."""
    refuse_unless(can_manage_cohort(acting_user, cohort))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The window cannot end before it starts.")})
    if HostWindow.objects.filter(school=school, term=term).exists():
        raise ValidationError({"term": _("This school already has a window for this term.")})
    window = HostWindow.objects.create(
        school=school, term=term, starts_on=starts_on, ends_on=ends_on, capacity=capacity
    )
    audit_log(instance=window, action="mentorship.window.create", acting_user=acting_user, data={"cohort": cohort.pk})
    return window


@transaction.atomic
def matching_preference_save(*, acting_user, cohort: Cohort, focus_areas, wishes) -> MatchingPreference:
    """A trainee names what they want to grow in and up to three hosts, first choice first."""
    refuse_unless(is_trainee(acting_user, cohort))
    wishes = [int(mentor_id) for mentor_id in dict.fromkeys(wishes or []) if mentor_id]
    if len(wishes) > matching.MAX_WISHES:
        raise ValidationError({"wishes": _("Name at most three hosts.")})
    mentors = set(
        CohortMembership.objects.filter(
            cohort=cohort, role=MembershipRole.MENTOR, status__in=MembershipStatus.counted_values()
        ).values_list("user_id", flat=True)
    )
    if any(mentor_id not in mentors for mentor_id in wishes):
        raise ValidationError({"wishes": _("Choose hosts who mentor in this cohort.")})
    preference, _created = MatchingPreference.objects.update_or_create(
        cohort=cohort,
        trainee=acting_user,
        defaults={"focus_areas": focus_areas_checked(focus_areas), "wishes": wishes},
    )
    return preference
