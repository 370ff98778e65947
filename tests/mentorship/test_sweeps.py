"""A matching run started while the broker was down runs once the broker is back, through beat's sweeper."""

import datetime

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentorship.models import BatchStatus, MatchingBatch
from mentorship.services import matching_batch_start
from mentorship.sweeps import matching_batches_sweep
from mentorship.tasks import run_matching_batch_task
from tests.factories.mentorship import make_host, make_window

pytestmark = pytest.mark.django_db


def test_a_matching_run_started_while_the_broker_was_down_runs_once_it_is_back(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    make_host(world.mentor)
    make_window(world.mentor.profile.school, world.cohort)
    real_delay = run_matching_batch_task.delay

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(run_matching_batch_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        batch = matching_batch_start(acting_user=world.coordinator, cohort=world.cohort)
    assert MatchingBatch.objects.get(pk=batch.pk).status == BatchStatus.QUEUED

    monkeypatch.setattr(run_matching_batch_task, "delay", real_delay)
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert matching_batches_sweep(now=later) == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PENDING and batch.progress == 100  # proposals ready for review
    assert matching_batches_sweep(now=later) == 0
