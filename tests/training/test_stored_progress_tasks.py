"""Stored progress recomputed in the background, and never overwritten by figures older than a write's mark."""

import datetime
from decimal import Decimal

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.factories.accounts import make_user
from tests.factories.training import CohortFactory, ProgrammeFactory, add_member
from training import stored_progress
from training.models import Cohort, HoursEntry, ProgressRecord
from training.stored_progress import (
    STALE,
    progress_due_cohorts,
    progress_refresh_cohort,
    progress_refresh_due,
    progress_sweep,
)
from training.tasks import refresh_cohort_progress_task

from . import test_stored_progress
from .test_stored_progress import DAY, assert_stored_is_fresh, required_item

scene = test_stored_progress.scene  # the same cohort of three trainees

pytestmark = pytest.mark.django_db


def due_rows(cohort, now=None) -> int:
    return ProgressRecord.objects.filter(cohort=cohort, valid_until__lte=now or timezone.now()).count()


def test_a_schedule_change_is_recomputed_after_commit_and_the_next_look_recomputes_nothing(
    world, scene, django_capture_on_commit_callbacks
):
    cohort, _trainees, _memberships = scene
    progress_refresh_due(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        required_item(cohort, ends_at=timezone.now() - DAY)  # everyone missed it: every row changes
    assert due_rows(cohort) == 0
    with CaptureQueriesContext(connection) as queries:
        assert progress_refresh_due(cohort=cohort) == 0
    assert len(queries) == 1  # the coordinator's look only checks
    assert_stored_is_fresh(cohort)
    assert all(record.flag_count for record in ProgressRecord.objects.filter(cohort=cohort))


def test_bulk_writes_through_overview_invalidate_are_recomputed_after_commit(
    world, scene, django_capture_on_commit_callbacks
):
    from training.overview import overview_invalidate

    cohort, trainees, _memberships = scene
    HoursEntry.objects.bulk_create(
        [
            HoursEntry(trainee=trainee, cohort=cohort, source="mentoring", hours=5, occurred_on=timezone.localdate())
            for trainee in trainees
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        overview_invalidate(cohort.pk)
    assert due_rows(cohort) == 0
    assert set(ProgressRecord.objects.filter(cohort=cohort).values_list("total_hours", flat=True)) == {Decimal("5")}


def test_the_refresh_works_a_chunk_at_a_time_and_a_second_run_does_nothing(world, scene):
    cohort, _trainees, _memberships = scene
    required_item(cohort, ends_at=timezone.now() - DAY)
    assert due_rows(cohort) == 3
    assert progress_refresh_cohort(cohort_id=cohort.pk, chunk=2) == 3
    assert due_rows(cohort) == 0
    assert_stored_is_fresh(cohort)
    with CaptureQueriesContext(connection) as queries:
        assert refresh_cohort_progress_task(cohort.pk) == 0
    assert len(queries) == 1
    assert refresh_cohort_progress_task(Cohort.objects.order_by("-pk").first().pk + 1) == 0  # a cohort since deleted


def test_a_refresh_the_broker_missed_leaves_the_page_right_and_the_sweep_queues_it(
    world, scene, monkeypatch, django_capture_on_commit_callbacks
):
    cohort, _trainees, _memberships = scene
    progress_refresh_due(cohort=cohort)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    real_delay = refresh_cohort_progress_task.delay
    monkeypatch.setattr(refresh_cohort_progress_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        required_item(cohort, ends_at=timezone.now() - DAY)  # committed; no error reaches the editor
    assert due_rows(cohort) == 3
    assert cohort.pk in progress_due_cohorts()
    assert progress_sweep() == 0  # still down: nothing queued, nothing raised
    monkeypatch.setattr(refresh_cohort_progress_task, "delay", real_delay)
    assert progress_sweep() >= 1
    assert due_rows(cohort) == 0
    assert_stored_is_fresh(cohort)


def test_the_sweep_finds_rows_the_clock_made_stale_in_running_cohorts_only(world, scene):
    cohort, _trainees, _memberships = scene
    today = timezone.localdate()
    ended = CohortFactory(
        programme=ProgrammeFactory(), starts_on=today - 300 * DAY, ends_on=today - 30 * DAY, name="旧期"
    )
    add_member(ended, make_user(display_name="往期学员", region=world.region_b), "trainee")
    progress_refresh_due(cohort=cohort)
    progress_refresh_due(cohort=ended)
    now = timezone.now()
    assert cohort.pk not in progress_due_cohorts(now=now)
    after_midnight = timezone.make_aware(datetime.datetime.combine(today + DAY, datetime.time(0, 1)))
    due = progress_due_cohorts(now=after_midnight)
    assert cohort.pk in due and ended.pk not in due  # an old cohort waits for its next look
    assert progress_refresh_cohort(cohort_id=cohort.pk, now=after_midnight) == 3
    assert cohort.pk not in progress_due_cohorts(now=after_midnight)
    assert_stored_is_fresh(cohort, after_midnight)


def test_beat_sweeps_stored_progress_just_after_midnight_and_every_quarter_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-progress"]
    assert entry["task"] == "training.tasks.sweep_progress_task"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.minute == {1, 16, 31, 46} and schedule.hour == set(range(24))
    assert refresh_cohort_progress_task.soft_time_limit < 15 * 60  # done before the next sweep queues it again


# --- a recomputation racing a write ------------------------------------------------------------------------


def interleave(monkeypatch, write):
    """Run `write` (another request, committing) after the recomputation has read its facts, before it stores."""
    real = stored_progress.cohort_progress

    def computed_then_written(**kwargs):
        results = real(**kwargs)
        write()
        return results

    monkeypatch.setattr(stored_progress, "cohort_progress", computed_then_written)


def test_figures_computed_before_a_trainees_write_do_not_land_over_its_mark(world, scene, monkeypatch):
    cohort, trainees, memberships = scene
    progress_refresh_due(cohort=cohort)
    ProgressRecord.objects.filter(cohort=cohort).update(valid_until=STALE)  # the clock: all three due
    interleave(
        monkeypatch,
        lambda: HoursEntry.objects.create(
            trainee=trainees[0], cohort=cohort, source="mentoring", hours=4, occurred_on=timezone.localdate()
        ),
    )
    assert progress_refresh_due(cohort=cohort) == 3
    record = ProgressRecord.objects.get(membership=memberships[0])
    assert record.valid_until == STALE  # the older figures did not land: the row stays stale
    assert ProgressRecord.objects.filter(cohort=cohort, valid_until__gt=timezone.now()).count() == 2  # the others did
    monkeypatch.undo()
    assert_stored_is_fresh(cohort)
    assert ProgressRecord.objects.get(membership=memberships[0]).total_hours == Decimal("4")


def test_figures_computed_before_a_rule_change_do_not_land_over_its_mark(world, scene, monkeypatch):
    cohort, _trainees, _memberships = scene
    programme = cohort.programme

    def loosen_rules():
        programme.required_sessions = 0
        programme.save()

    interleave(monkeypatch, loosen_rules)
    progress_refresh_cohort(cohort_id=cohort.pk)
    assert due_rows(cohort) == 3  # nothing computed under the old rules was kept
    monkeypatch.undo()
    assert_stored_is_fresh(cohort)
