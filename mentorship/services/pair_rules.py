"""The cohort as the matcher sees it, and the hard rules one pair must keep.

Matching runs the solver over `matching_input_build`; a coordinator's pin, swap
or reassignment checks one pair against the same rules with `pair_rule_check`.
"""

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from training.models import Cohort, CohortMembership, CohortRegion, MembershipRole, MembershipStatus

from .. import matching
from ..models import (
    DoNotMatch,
    HostProfile,
    HostWindow,
    MatchingPreference,
    Pairing,
    PairingPin,
    PairingStatus,
)
from ..reasons import PAIR_MESSAGES


def trainee_region_id(membership) -> int | None:
    return membership.region_id or getattr(getattr(membership.user, "profile", None), "region_id", None)


def cohort_windows(cohort: Cohort):
    """Shadowing windows that overlap the cohort's period."""
    return HostWindow.objects.filter(starts_on__lte=cohort.ends_on, ends_on__gte=cohort.starts_on)


def _mentor_in(user, host: HostProfile | None, load: int) -> matching.MentorIn | None:
    profile = getattr(user, "profile", None)
    school = host.school if host else getattr(profile, "school", None)
    if school is None:
        return None
    subjects = set(host.subjects if host else []) | set(getattr(profile, "subjects", []) or [])
    stages = set(host.stages if host else []) | set(getattr(profile, "stages", []) or [])
    capacity = host.capacity if host else HostProfile._meta.get_field("capacity").default
    return matching.MentorIn(
        id=user.pk,
        region_id=school.region_id,
        school_id=school.pk,
        capacity=max(capacity - load, 0),
        stages=frozenset(stages),
        subjects=frozenset(subjects),
        focus_areas=frozenset(host.focus_areas if host else []),
        school_type=school.school_type,
        school_stage=school.stage,
    )


def matching_input_build(*, cohort: Cohort) -> tuple[matching.MatchingInput, dict]:
    """The cohort as the matcher sees it: remaining capacities, rules, wishes and pins."""
    counted = MembershipStatus.counted_values()
    memberships = list(
        CohortMembership.objects.filter(
            cohort=cohort, status__in=counted, role__in=[MembershipRole.TRAINEE, MembershipRole.MENTOR]
        ).select_related("user__profile__school", "user__host_profile__school")
    )
    placed = set(Pairing.objects.current().filter(cohort=cohort).values_list("trainee_id", flat=True))
    preferences = {p.trainee_id: p for p in MatchingPreference.objects.filter(cohort=cohort)}
    mentor_ids = [m.user_id for m in memberships if m.role == MembershipRole.MENTOR]
    loads = dict(
        Pairing.objects.current()
        .filter(mentor_id__in=mentor_ids)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    trainees, mentors = [], []
    for membership in memberships:
        user = membership.user
        if membership.role == MembershipRole.MENTOR:
            mentor = _mentor_in(user, getattr(user, "host_profile", None), loads.get(user.pk, 0))
            if mentor is not None:
                mentors.append(mentor)
            continue
        if user.pk in placed:
            continue
        profile = getattr(user, "profile", None)
        school = getattr(profile, "school", None)
        preference = preferences.get(user.pk)
        trainees.append(
            matching.TraineeIn(
                id=user.pk,
                region_id=trainee_region_id(membership) or 0,
                school_id=school.pk if school else None,
                stages=frozenset(getattr(profile, "stages", []) or []),
                subjects=frozenset(getattr(profile, "subjects", []) or []),
                focus_areas=frozenset(preference.focus_areas if preference else []),
                school_type=school.school_type if school else "",
                school_stage=school.stage if school else "",
                wishes=tuple(preference.wishes if preference else ()),
            )
        )
    windows = list(
        cohort_windows(cohort).annotate(
            used=Count("pairings", filter=Q(pairings__status__in=PairingStatus.current_values()))
        )
    )
    region_of = {m.user_id: trainee_region_id(m) for m in memberships if m.role == MembershipRole.TRAINEE}
    paired_by_region = Counter(region_of.get(trainee_id) for trainee_id in placed)
    quotas = {
        row.region_id: row.quota - paired_by_region.get(row.region_id, 0)
        for row in CohortRegion.objects.filter(cohort=cohort)
    }
    trainee_ids = [t.id for t in trainees]
    data = matching.MatchingInput(
        kind=cohort.programme.kind,
        cross_region=cohort.programme.requires_cross_region,
        trainees=trainees,
        mentors=mentors,
        windows=[matching.WindowIn(id=w.pk, school_id=w.school_id, capacity=w.capacity - w.used) for w in windows],
        quotas=quotas,
        do_not_match=set(
            DoNotMatch.objects.filter(trainee_id__in=trainee_ids, mentor_id__in=mentor_ids).values_list(
                "trainee_id", "mentor_id"
            )
        ),
        pinned=dict(PairingPin.objects.filter(cohort=cohort).values_list("trainee_id", "mentor_id")),
    )
    return data, {w.pk: w for w in windows}


def pair_rule_check(
    *, cohort: Cohort, trainee_id: int, mentor_id: int, window_id: int | None = None, ignore_pairing=None
):
    """The hard rule a pair of these two people would break today, or None."""
    data, _windows = matching_input_build(cohort=cohort)
    trainee = next((t for t in data.trainees if t.id == trainee_id), None)
    if trainee is None:
        membership = (
            CohortMembership.objects.filter(cohort=cohort, user_id=trainee_id, role=MembershipRole.TRAINEE)
            .select_related("user__profile__school")
            .first()
        )
        if membership is None:
            return matching.RULE_NO_HOSTS
        profile = getattr(membership.user, "profile", None)
        school = getattr(profile, "school", None)
        trainee = matching.TraineeIn(
            id=trainee_id,
            region_id=trainee_region_id(membership) or 0,
            school_id=school.pk if school else None,
            stages=frozenset(getattr(profile, "stages", []) or []),
            subjects=frozenset(getattr(profile, "subjects", []) or []),
            school_stage=school.stage if school else "",
        )
    mentor = next((m for m in data.mentors if m.id == mentor_id), None)
    if mentor is None:
        return matching.RULE_NO_HOSTS
    # The matcher loads do-not-match pairs only for unplaced trainees; this pair may already be placed.
    if DoNotMatch.objects.filter(trainee_id=trainee_id, mentor_id=mentor_id).exists():
        data.do_not_match.add((trainee_id, mentor_id))
    rule = matching.pair_rule_broken(data=data, trainee=trainee, mentor=mentor)
    if rule:
        return rule
    own = 1 if ignore_pairing is not None and ignore_pairing.is_current else 0
    if mentor.capacity + own <= 0:
        return matching.RULE_MENTOR_CAPACITY
    if window_id is not None:
        window = next((w for w in data.windows if w.id == window_id), None)
        if window is None or window.school_id != mentor.school_id:
            return matching.RULE_NO_WINDOW
        if window.capacity + own <= 0:
            return matching.RULE_SCHOOL_CAPACITY
    return None


def pair_rule_refuse(rule: str | None) -> None:
    if rule:
        raise ValidationError(str(PAIR_MESSAGES[rule]))


def pairing_period(cohort: Cohort, window: HostWindow | None) -> tuple[datetime.date, datetime.date]:
    if window is None:
        return cohort.starts_on, cohort.ends_on
    starts_on, ends_on = max(cohort.starts_on, window.starts_on), min(cohort.ends_on, window.ends_on)
    return (starts_on, ends_on) if starts_on <= ends_on else (cohort.starts_on, cohort.ends_on)
