import json
import time

import pytest
from django.db import OperationalError

from tests.faults.blackhole import Blackhole, closed_port_url

pytestmark = pytest.mark.django_db


def resilient_cache(url: str) -> dict:
    return {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": url}}


def test_health_reports_database_ok_and_eager_broker_in_the_embedded_default(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "broker": "eager", "cache": "local"}


def test_health_answers_503_naming_the_broker_when_redis_does_not_answer(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "broker": "unavailable", "cache": "local"}


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
    assert json.loads(response.content) == {"database": "ok", "broker": "ok", "cache": "local"}


def test_health_answers_503_naming_the_cache_when_its_redis_refuses(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = resilient_cache(closed_port_url())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "broker": "eager", "cache": "unavailable"}


def test_health_names_a_hung_broker_and_cache_within_two_seconds(client, settings):
    hung = Blackhole()
    try:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = hung.url
        settings.CACHES = resilient_cache(hung.url)
        started = time.monotonic()
        response = client.get("/healthz")
        seconds = time.monotonic() - started
    finally:
        hung.close()
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "broker": "unavailable", "cache": "unavailable"}
    assert seconds < 2, f"/healthz took {seconds:.1f} s"


def test_health_never_goes_through_the_page_cache(client, settings, monkeypatch):
    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = True
    reads = []
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: reads.append(args))
    for _ in range(2):
        assert client.get("/healthz").status_code == 200
    assert reads == []


def test_staff_see_failing_and_dead_e_mails_in_the_health_answer(client, settings):
    from notifications.models import Delivery
    from notifications.services import notification_send
    from tests.factories.accounts import make_user

    settings.CELERY_TASK_ALWAYS_EAGER = True
    for email, status in [("a@example.com", "failed"), ("b@example.com", "dead"), ("c@example.com", "dead")]:
        notification_send(recipient=make_user(email=email), kind="announcement", context={"title": "通知"})
        Delivery.objects.filter(notification__recipient__email=email).update(status=status)

    assert "deliveries" not in json.loads(client.get("/healthz").content)
    client.force_login(make_user(email="member@example.com"))
    assert "deliveries" not in json.loads(client.get("/healthz").content)
    client.force_login(make_user(email="ops@example.com", is_staff=True))
    body = json.loads(client.get("/healthz").content)
    assert body["deliveries"] == {"failed": 1, "dead": 2}
