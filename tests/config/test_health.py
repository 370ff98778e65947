import json

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_health_reports_database_ok_and_eager_broker_in_the_embedded_default(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "broker": "eager"}


def test_health_answers_503_naming_the_broker_when_redis_does_not_answer(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "broker": "unavailable"}


def test_health_answers_503_naming_the_database_when_it_does_not_answer(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    from django.db import connection

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


def test_health_reports_a_real_redis_broker_ok(client, settings, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "broker": "ok"}
