"""Delivery through a real Redis broker and a real Celery worker."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery_app import app as celery_app
from notifications.models import Delivery, DeliveryStatus
from notifications.services import notification_send
from tests.factories.accounts import make_user

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker(redis_url, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url)
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    celery_app.conf.update(task_always_eager=True, broker_url="memory://")


def wait_for(predicate, timeout=15.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_notification_committed_in_a_request_is_delivered_by_the_worker(real_worker):
    person = make_user(email="worker-test@example.com")
    notification_send(recipient=person, kind="announcement", context={"title": "经由 Redis 发送"})
    assert wait_for(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).exists())
    assert [message.to for message in mail.outbox] == [["worker-test@example.com"]]
