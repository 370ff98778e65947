"""Beat forgets stored idempotent answers after a day, in batches; a replay within the day still works."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from api.models import IdempotentRequest
from api.services import idempotent_requests_prune
from api.tasks import prune_idempotent_requests_task

pytestmark = pytest.mark.django_db


def _record(user, key: str, age: datetime.timedelta) -> IdempotentRequest:
    return IdempotentRequest.objects.create(
        user=user,
        key=key,
        method="POST",
        path="/api/v1/x/",
        fingerprint="0" * 64,
        status=200,
        created_at=timezone.now() - age,
    )


def test_records_older_than_a_day_are_deleted_in_batches(world):
    for i in range(7):
        _record(world.coordinator, f"old-{i}", datetime.timedelta(hours=25 + i))
    fresh = _record(world.coordinator, "fresh", datetime.timedelta(hours=23))
    assert idempotent_requests_prune(batch=3) == 7
    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert idempotent_requests_prune() == 0


def test_the_beat_task_prunes_and_is_scheduled(world):
    _record(world.trainee, "old", datetime.timedelta(days=2))
    assert prune_idempotent_requests_task.apply().get() == 1
    assert not IdempotentRequest.objects.exists()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "api.tasks.prune_idempotent_requests_task" in scheduled


def test_a_key_is_honoured_within_the_day_and_runs_anew_after_pruning(token_for, world):
    from notifications.services import notification_send

    note = notification_send(recipient=world.trainee, kind="announcement", context={"title": "t"})
    api = token_for(world.trainee, scope="write", HTTP_IDEMPOTENCY_KEY="mark-1")
    assert api.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 200
    idempotent_requests_prune()
    assert api.post(f"/api/v1/notifications/{note.pk}/read/")["Idempotent-Replayed"] == "true"
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    idempotent_requests_prune()
    again = api.post(f"/api/v1/notifications/{note.pk}/read/")
    assert again.status_code == 200
    assert not again.has_header("Idempotent-Replayed")
