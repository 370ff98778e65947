"""The scaled demo (`seed_demo --scale`): sizes in proportion, written in bulk, a second run adds nothing."""

import pytest

from tests.demo.conftest import SCALE
from training.models import Cohort

pytestmark = pytest.mark.django_db


def test_seed_demo_scale_adds_trainees_and_mentors_in_bulk(seeded_demo_at_scale):
    cohort = Cohort.objects.get(name=f"规模测试班 {SCALE}")
    assert cohort.memberships.filter(role="trainee").count() == SCALE
    assert cohort.memberships.filter(role="mentor").count() == SCALE // 3
    # A second run at the same size reuses what exists.
    first, second = seeded_demo_at_scale.counts_after_first_run, seeded_demo_at_scale.counts_after_second_run
    assert {label: (first[label], second[label]) for label in first if first[label] != second[label]} == {}


def test_seed_demo_scale_adds_a_plan_attendance_and_hours_in_proportion(seeded_demo_at_scale):
    from training.models import Attendance, HoursEntry, ScheduleItem, Submission

    cohort = Cohort.objects.get(name=f"规模测试班 {SCALE}")
    assert ScheduleItem.objects.filter(cohort=cohort).count() == 8
    assert Attendance.objects.filter(schedule_item__cohort=cohort).count() > SCALE * 5
    assert Submission.objects.filter(assignment__cohort=cohort).count() > SCALE
    assert HoursEntry.objects.filter(cohort=cohort, source="mentoring").count() >= SCALE
    assert not Attendance.objects.filter(schedule_item__cohort=cohort, hours_entry__isnull=True).exists()
