"""Progress and at-risk flags on hand-built cohorts, with the clock set by the test."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories.training import CohortFactory, ProgrammeFactory, add_member
from training.models import Attendance, CohortMembership, HoursSource, ScheduleItem, Submission
from training.progress import cohort_progress
from training.services import hours_correct, hours_credit

from .conftest import at

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)
END = datetime.date(2026, 12, 31)


@pytest.fixture
def scene(world):
    """A cohort from September to December: 2 required sessions, 1 assignment, 10 mentoring hours, 30 hours in all."""
    programme = ProgrammeFactory(required_sessions=2, required_assignments=1, min_mentoring_hours=10, credit_hours=30)
    cohort = CohortFactory(programme=programme, starts_on=START, ends_on=END)
    membership = add_member(cohort, world.trainee, "trainee")
    return cohort, membership


def workshop(cohort, day, *, required=True, audience="cohort", hours=6):
    return ScheduleItem.objects.create(
        cohort=cohort,
        kind="workshop",
        title=f"研修{day:%m%d}",
        starts_at=at(day, 9),
        ends_at=at(day, 15),
        location="会堂",
        required=required,
        audience=audience,
        credit_hours=hours,
    )


def attend(item, trainee, day=None):
    attendance = Attendance.objects.create(
        schedule_item=item, trainee=trainee, day=day or item.days[0], present=True, method="coordinator"
    )
    hours_credit(
        trainee=trainee,
        hours=item.credit_hours,
        source=HoursSource.ATTENDANCE,
        occurred_on=attendance.day,
        source_object=attendance,
        cohort=item.cohort,
    )


def mentoring(cohort, trainee, day, hours):
    hours_credit(
        trainee=trainee,
        hours=Decimal(hours),
        source=HoursSource.MENTORING,
        occurred_on=day,
        source_object=CohortMembership.objects.create(
            cohort=CohortFactory(), user=trainee, role="mentor"
        ),  # any distinct row stands in for a session log
        cohort=cohort,
    )


def assignment(cohort, due):
    from training.models import Assignment

    return Assignment.objects.create(
        cohort=cohort, kind="reflection", title="反思", due_at=at(due, 23), reviewer="coordinator", credit_hours=4
    )


def accept(assignment_, trainee):
    submission = Submission.objects.create(assignment=assignment_, trainee=trainee, status="accepted")
    hours_credit(
        trainee=trainee,
        hours=assignment_.credit_hours,
        source=HoursSource.ASSIGNMENT,
        occurred_on=START,
        source_object=submission,
        cohort=assignment_.cohort,
    )


def progress_on(cohort, membership, day):
    return cohort_progress(cohort=cohort, memberships=[membership], now=at(day, 12))[membership.pk]


def codes(progress):
    return sorted(flag.code for flag in progress.flags)


def test_a_trainee_who_did_everything_meets_every_rule_and_has_no_flag(world, scene):
    cohort, membership = scene
    first, second = workshop(cohort, datetime.date(2026, 9, 10)), workshop(cohort, datetime.date(2026, 10, 10))
    attend(first, world.trainee)
    attend(second, world.trainee)
    accept(assignment(cohort, datetime.date(2026, 10, 1)), world.trainee)
    mentoring(cohort, world.trainee, datetime.date(2026, 12, 20), 14)
    progress = progress_on(cohort, membership, datetime.date(2026, 12, 28))
    assert [(rule.key, rule.done, rule.required, rule.met) for rule in progress.rules] == [
        ("sessions", 2, 2, True),
        ("assignments", 1, 1, True),
        ("mentoring", Decimal("14"), Decimal("10"), True),
        ("hours", Decimal("30"), Decimal("30"), True),
    ]
    assert progress.meets_all_rules
    assert progress.percent == 100
    assert progress.flags == []


def test_missing_a_required_session_flags_the_trainee_with_its_title(world, scene):
    cohort, membership = scene
    workshop(cohort, datetime.date(2026, 9, 10))
    mentoring(cohort, world.trainee, datetime.date(2026, 9, 9), 4)
    progress = progress_on(cohort, membership, datetime.date(2026, 9, 12))
    assert "missed_session" in codes(progress)
    assert "研修0910" in next(flag.message for flag in progress.flags if flag.code == "missed_session")


def test_an_optional_session_or_one_for_mentors_is_not_missed(world, scene):
    cohort, membership = scene
    workshop(cohort, datetime.date(2026, 9, 10), required=False)
    workshop(cohort, datetime.date(2026, 9, 11), audience="mentors")
    progress = progress_on(cohort, membership, datetime.date(2026, 9, 12))
    assert "missed_session" not in codes(progress)


def test_the_cohort_can_tolerate_a_missed_session(world, scene):
    cohort, membership = scene
    cohort.risk_missed_sessions = 2
    cohort.save()
    workshop(cohort, datetime.date(2026, 9, 10))
    assert "missed_session" not in codes(progress_on(cohort, membership, datetime.date(2026, 9, 12)))


def test_a_shadowing_block_with_a_missed_day_is_not_attended(world, scene):
    cohort, membership = scene
    block = workshop(cohort, datetime.date(2026, 9, 14))
    block.ends_at = at(datetime.date(2026, 9, 16), 17)
    block.save()
    attend(block, world.trainee, datetime.date(2026, 9, 14))
    attend(block, world.trainee, datetime.date(2026, 9, 15))
    progress = progress_on(cohort, membership, datetime.date(2026, 9, 20))
    assert progress.sessions_attended == 0
    assert "missed_session" in codes(progress)


def test_an_assignment_overdue_by_more_than_the_threshold_is_flagged(world, scene):
    cohort, membership = scene
    assignment(cohort, datetime.date(2026, 10, 1))
    assert "overdue_assignment" not in codes(progress_on(cohort, membership, datetime.date(2026, 10, 7)))
    assert "overdue_assignment" in codes(progress_on(cohort, membership, datetime.date(2026, 10, 10)))
    cohort.risk_overdue_days = 14
    cohort.save()
    assert "overdue_assignment" not in codes(progress_on(cohort, membership, datetime.date(2026, 10, 10)))


def test_work_waiting_for_review_is_not_overdue(world, scene):
    cohort, membership = scene
    Submission.objects.create(assignment=assignment(cohort, datetime.date(2026, 10, 1)), trainee=world.trainee)
    assert "overdue_assignment" not in codes(progress_on(cohort, membership, datetime.date(2026, 10, 20)))


def test_three_weeks_without_mentoring_hours_is_flagged(world, scene):
    cohort, membership = scene
    mentoring(cohort, world.trainee, datetime.date(2026, 10, 1), 3)
    assert "mentoring_gap" not in codes(progress_on(cohort, membership, datetime.date(2026, 10, 20)))
    assert "mentoring_gap" in codes(progress_on(cohort, membership, datetime.date(2026, 10, 23)))


def test_no_mentoring_flag_in_the_first_weeks_of_a_cohort(world, scene):
    cohort, membership = scene
    assert "mentoring_gap" not in codes(progress_on(cohort, membership, datetime.date(2026, 9, 15)))


def test_corrected_mentoring_hours_do_not_count(world, scene):
    cohort, membership = scene
    mentoring(cohort, world.trainee, datetime.date(2026, 10, 1), 6)
    from training.models import HoursEntry

    hours_correct(entry=HoursEntry.objects.get(), hours=Decimal("-6"), acting_user=world.coordinator, note="误记")
    progress = progress_on(cohort, membership, datetime.date(2026, 10, 5))
    assert progress.mentoring_hours == 0


def test_falling_behind_the_pace_is_flagged_with_the_numbers(world, scene):
    cohort, membership = scene
    mentoring(cohort, world.trainee, datetime.date(2026, 11, 20), 1)
    progress = progress_on(cohort, membership, datetime.date(2026, 11, 25))
    flag = next(flag for flag in progress.flags if flag.code == "behind_pace")
    assert "expected" in flag.message or "预期" in flag.message
    cohort.risk_pace_margin = 100
    cohort.save()
    assert "behind_pace" not in codes(progress_on(cohort, membership, datetime.date(2026, 11, 25)))


def test_completed_trainees_carry_no_flags(world, scene):
    cohort, membership = scene
    membership.status = "completed"
    membership.save()
    assert progress_on(cohort, membership, datetime.date(2026, 12, 28)).flags == []


def test_the_whole_cohort_is_read_in_a_fixed_number_of_queries(world, scene, django_assert_num_queries):
    from tests.factories.accounts import make_user

    cohort, membership = scene
    memberships = [membership] + [add_member(cohort, make_user(region=world.region_b), "trainee") for _ in range(60)]
    workshop(cohort, datetime.date(2026, 9, 10))
    assignment(cohort, datetime.date(2026, 10, 1))
    with django_assert_num_queries(6):
        results = cohort_progress(cohort=cohort, memberships=memberships, now=timezone.now())
    assert len(results) == 61
