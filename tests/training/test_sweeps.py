"""An enrolment import uploaded while the broker was down runs once the broker is back, through beat's sweeper."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from training.models import EnrolmentImport
from training.services import enrolment_import_create
from training.sweeps import enrolment_imports_sweep
from training.tasks import import_enrolment_task

from .test_imports import csv_file, good_rows

pytestmark = pytest.mark.django_db


def broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_an_import_uploaded_while_the_broker_was_down_runs_once_it_is_back(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    real_delay = import_enrolment_task.delay
    monkeypatch.setattr(import_enrolment_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        record = enrolment_import_create(
            cohort=world.cohort, acting_user=world.coordinator, upload=csv_file(good_rows(world))
        )
    assert EnrolmentImport.objects.get(pk=record.pk).status == EnrolmentImport.Status.PENDING

    # Still down a minute later: the sweeper tries, gives up quietly, and the import waits.
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert enrolment_imports_sweep(now=later) == 0
    monkeypatch.setattr(import_enrolment_task, "delay", real_delay)
    assert enrolment_imports_sweep(now=timezone.now()) == 0  # a minute's grace for the first publication
    assert enrolment_imports_sweep(now=later) == 1

    record.refresh_from_db()
    assert record.status == EnrolmentImport.Status.DONE
    assert record.created_count == 4
    assert enrolment_imports_sweep(now=later) == 0  # done: nothing more to queue


def test_beat_runs_the_import_and_matching_sweepers_every_minute():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["training.tasks.sweep_enrolment_imports_task"] == 60.0
    assert schedule["mentorship.tasks.sweep_matching_batches_task"] == 60.0
