"""Writes with an Idempotency-Key: a replay returns the first answer and changes nothing."""

import threading

import pytest
from django.db import connection

from api.models import IdempotentRequest
from training.models import CohortMembership

from .conftest import problem

pytestmark = pytest.mark.django_db

ROWS = {"rows": [{"name": "新学员", "email": "once@example.com", "role": "trainee", "region": "sh"}]}


def test_a_replay_returns_the_first_answer_and_changes_nothing(token_for, world):
    api = token_for(world.coordinator, scope="write", HTTP_IDEMPOTENCY_KEY="enrol-2026-11-29-001")
    path = f"/api/v1/cohorts/{world.cohort.pk}/memberships/"
    first = api.post(path, ROWS)
    assert first.status_code == 201
    count = CohortMembership.objects.count()
    again = api.post(path, ROWS)
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert CohortMembership.objects.count() == count
    # Without the key the same rows are refused as duplicates: the replay really did not run them.
    fresh = token_for(world.coordinator, scope="write").post(path, ROWS)
    assert fresh.status_code == 422


def test_a_replayed_error_stays_the_same_error(token_for, world):
    api = token_for(world.trainee, scope="write", HTTP_IDEMPOTENCY_KEY="k1")
    path = f"/api/v1/cohorts/{world.cohort.pk}/memberships/"
    assert api.post(path, ROWS).status_code == 403
    assert api.post(path, ROWS).status_code == 403


def test_the_same_key_with_another_body_is_refused(token_for, world):
    api = token_for(world.coordinator, scope="write", HTTP_IDEMPOTENCY_KEY="k2", HTTP_ACCEPT_LANGUAGE="en")
    path = f"/api/v1/cohorts/{world.cohort.pk}/memberships/"
    assert api.post(path, ROWS).status_code == 201
    other = {"rows": [{"name": "别人", "email": "other@example.com", "role": "trainee", "region": "sh"}]}
    body = problem(api.post(path, other))
    assert body["status"] == 422
    assert body["type"].endswith("/idempotency-key-reused/")
    assert not CohortMembership.objects.filter(user__email="other@example.com").exists()


def test_keys_belong_to_one_person(token_for, world):
    from notifications.services import notification_send

    mine = notification_send(recipient=world.trainee, kind="announcement", context={"title": "a"})
    theirs = notification_send(recipient=world.mentor, kind="announcement", context={"title": "b"})
    trainee = token_for(world.trainee, scope="write", HTTP_IDEMPOTENCY_KEY="same")
    mentor = token_for(world.mentor, scope="write", HTTP_IDEMPOTENCY_KEY="same")
    assert trainee.post(f"/api/v1/notifications/{mine.pk}/read/").status_code == 200
    assert mentor.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 200
    assert IdempotentRequest.objects.filter(key="same").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_run_once(postgres, token_for, world):
    """Two systems retrying at once: the unique (user, key) row makes the second wait, then replay."""
    api = token_for(world.coordinator, scope="write", HTTP_IDEMPOTENCY_KEY="race")
    path = f"/api/v1/cohorts/{world.cohort.pk}/memberships/"
    answers = []
    barrier = threading.Barrier(2)

    def call():
        try:
            barrier.wait()
            answers.append(api.post(path, ROWS).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [201, 201]
    assert CohortMembership.objects.filter(user__email="once@example.com").count() == 1
    assert IdempotentRequest.objects.filter(key="race").count() == 1
