"""Faults on real services: Redis stopped or paused, workers killed, workers racing, beat twice.

The requests made with Redis stopped or paused cache with production's
backend in the same Redis as the broker, as a default deployment does.

Each test runs on PostgreSQL with its own redis-server, real `celery worker`
subprocesses and a real SMTP server, and checks what people see: each
e-mail arrives once (counted by its Message-ID at the SMTP server) and each
message is in the inbox once.
"""

import datetime
import os
import signal
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications.channels import CHANNELS
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.security import PASSWORD_CHANGED
from notifications.services import deliveries_sweep, notification_send, notification_send_many
from notifications.tasks import send_deliveries_task
from tests.factories.accounts import PASSWORD, make_user

from .conftest import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Another-long-passphrase-42"
# What the sweeper sees when it runs after the five minutes that mark a row as stuck.
AFTER_STUCK = datetime.timedelta(minutes=6)


def message_ids(deliveries) -> dict[int, str]:
    email = CHANNELS["email"]
    return {delivery.pk: email.message_id(delivery) for delivery in deliveries}


def received(sink, message_id: str) -> int:
    with sink._lock:
        return sum(1 for _recipients, message in sink.messages if message["Message-ID"] == message_id)


def each_received_once(sink, deliveries) -> bool:
    return all(received(sink, message_id) == 1 for message_id in message_ids(deliveries).values())


def settle(sink, seconds: float = 1.5) -> None:
    """Give a duplicate the time to arrive, if one were on its way (short: the workers are idle by now)."""
    count = sink.count()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and sink.count() == count:
        time.sleep(0.1)


def sweep() -> None:
    deliveries_sweep()


def change_password(client, person):
    client.force_login(person)
    started = time.monotonic()
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    return response, time.monotonic() - started


def assert_seen_once(client, person, sink) -> None:
    notification = Notification.objects.get(recipient=person, kind=PASSWORD_CHANGED)
    delivery = Delivery.objects.get(notification=notification, channel="email")
    assert delivery.status == DeliveryStatus.SENT
    assert received(sink, message_ids([delivery])[delivery.pk]) == 1
    assert [message["To"] for message in sink.sent_to(person.email)] == [person.email]
    inbox = client.get(reverse("notifications:inbox"))
    assert inbox.status_code == 200
    page = inbox.content.decode()
    assert page.count(reverse("notifications:mark-read", args=[notification.pk])) == 1
    assert page.count('class="inbox-item') == 1


def test_redis_stopped_when_a_request_commits(client, start_worker, broker, production_cache, smtp_sink):
    person = make_user(email="stopped@example.com")
    start_worker()
    broker.stop()

    response, seconds = change_password(client, person)

    assert response.status_code == 302, response.content[:500]
    assert seconds < 5, f"the request took {seconds:.1f} s with Redis down"
    delivery = Delivery.objects.get(notification__recipient=person, channel="email")
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.queued_at is None  # never reached the broker: the sweeper will publish it
    assert smtp_sink.count() == 0

    broker.start()
    # Beat's sweeper runs every minute; here, every half second until the e-mail is in.
    assert wait_until(lambda: smtp_sink.count() >= 1, timeout=40, interval=0.5, action=sweep)
    settle(smtp_sink)
    sweep()
    settle(smtp_sink)
    assert_seen_once(client, person, smtp_sink)


def test_a_paused_redis_delays_the_e_mail_and_loses_nothing(client, start_worker, broker, production_cache, smtp_sink):
    person = make_user(email="paused@example.com")
    start_worker()
    broker.pause(3000)

    response, seconds = change_password(client, person)

    assert response.status_code == 302
    assert seconds < 5, f"the request took {seconds:.1f} s with Redis paused"
    assert wait_until(lambda: smtp_sink.count() >= 1, timeout=40, interval=0.5, action=sweep)
    settle(smtp_sink)
    sweep()
    settle(smtp_sink)
    assert_seen_once(client, person, smtp_sink)


def test_a_worker_child_killed_mid_send_leads_to_exactly_one_e_mail(start_worker, smtp_sink, gate):
    person = make_user(email="child@example.com")
    worker = start_worker()
    gate.touch()
    notification_send(recipient=person, kind="announcement", context={"title": "子进程被杀"})
    held = gate.with_name(gate.name + ".held")
    assert wait_until(held.exists, timeout=20), worker.output()[-2000:]
    child = int(held.read_text())
    assert child != worker.process.pid
    os.kill(child, signal.SIGKILL)
    gate.unlink()
    delivery = Delivery.objects.get(notification__recipient=person, channel="email")
    # acks_late + reject_on_worker_lost: the broker hands the task to a fresh child,
    # which finds the row claimed and leaves it; nothing was sent by the dead one.
    assert wait_until(lambda: "WorkerLostError" in worker.output(), timeout=20), worker.output()[-2000:]
    assert smtp_sink.count() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING

    # Five minutes on, the sweeper frees the row the dead child claimed and publishes it again.
    deliveries_sweep(now=timezone.now() + AFTER_STUCK)
    assert wait_until(lambda: smtp_sink.count() >= 1, timeout=30)
    settle(smtp_sink)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert each_received_once(smtp_sink, [delivery])
    assert Notification.objects.filter(recipient=person).count() == 1


def test_a_whole_worker_killed_and_restarted_delivers_each_e_mail_once(start_worker, broker, smtp_sink, gate):
    first, second = make_user(email="held@example.com"), make_user(email="queued@example.com")
    worker = start_worker()
    gate.touch()
    notification_send(recipient=first, kind="announcement", context={"title": "整个进程被杀"})
    held = gate.with_name(gate.name + ".held")
    assert wait_until(held.exists, timeout=20), worker.output()[-2000:]
    # The second waits in Redis behind the first: prefetch 1 and acks_late keep it there.
    notification_send(recipient=second, kind="announcement", context={"title": "排队中"})
    worker.kill()
    gate.unlink()
    assert smtp_sink.count() == 0

    start_worker()
    deliveries = list(Delivery.objects.filter(channel="email"))
    queued = next(delivery for delivery in deliveries if delivery.notification.recipient_id == second.pk)
    # What was still in the queue is delivered by the new worker at once.
    assert wait_until(lambda: each_received_once(smtp_sink, [queued]), timeout=30)
    # The message the dead worker held comes back after the visibility timeout, finds
    # its row claimed and leaves it; the sweeper frees and sends it once.
    assert wait_until(lambda: broker.client().hlen("unacked") == 0, timeout=30)
    deliveries_sweep(now=timezone.now() + AFTER_STUCK)
    assert wait_until(lambda: smtp_sink.count() >= 2, timeout=30)
    settle(smtp_sink)
    assert each_received_once(smtp_sink, deliveries)
    assert smtp_sink.count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_two_workers_racing_over_the_same_deliveries_send_each_once(start_worker, smtp_sink):
    people = [make_user(email=f"race{index}@example.com") for index in range(40)]
    start_worker(concurrency=2)
    start_worker(concurrency=2)
    notification_send_many(recipients=people, kind="announcement", context={"title": "抢同一批"})
    ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == len(people)
    # The same rows published many times over, in both orders, one by one and in batches.
    for _round in range(3):
        send_deliveries_task.delay(ids)
        send_deliveries_task.delay(ids[::-1])
    for delivery_id in ids:
        send_deliveries_task.delay([delivery_id])

    assert wait_until(lambda: smtp_sink.count() >= len(people), timeout=60, interval=0.2)
    assert wait_until(
        lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(), timeout=30, interval=0.2
    )
    settle(smtp_sink, 2)
    deliveries = list(Delivery.objects.all())
    assert each_received_once(smtp_sink, deliveries)
    assert smtp_sink.count() == len(people)
    assert {delivery.attempts for delivery in deliveries} == {1}


def test_beat_running_twice_at_once_sends_one_reminder_per_occasion(start_worker, smtp_sink, world, monkeypatch):
    from notifications import reminders
    from training.services import schedule_item_create

    starts_at = timezone.now() + datetime.timedelta(minutes=30)
    item = schedule_item_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "workshop",
            "title": "集中研修",
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "location": "会堂",
            "audience": "cohort",
        },
    )
    start_worker(concurrency=2)
    send = reminders.notification_send

    def slow_send(**kwargs):
        # Holds each tick's transaction open, so that the two ticks truly overlap.
        time.sleep(0.2)
        return send(**kwargs)

    monkeypatch.setattr(reminders, "notification_send", slow_send)
    now = timezone.now()
    start = threading.Barrier(2)
    errors = []

    def tick():
        try:
            start.wait(timeout=10)
            reminders.reminders_send_due(now=now)
        except Exception as exc:  # reported below, from the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    ticks = [threading.Thread(target=tick) for _ in range(2)]
    for thread in ticks:
        thread.start()
    for thread in ticks:
        thread.join(timeout=60)
    assert not errors

    reminded = Notification.objects.filter(kind="training.schedule_reminder_hour", target_id=item.pk)
    recipients = sorted(reminded.values_list("recipient_id", flat=True))
    assert recipients, "the reminder finder found nothing"
    assert len(recipients) == len(set(recipients))
    assert world.trainee.pk in recipients and world.other_trainee.pk not in recipients
    deliveries = list(Delivery.objects.filter(notification__in=reminded, channel="email"))
    assert len(deliveries) == len(recipients)
    assert wait_until(lambda: each_received_once(smtp_sink, deliveries), timeout=40, interval=0.2)
    settle(smtp_sink)
    assert each_received_once(smtp_sink, deliveries)


def test_a_worker_child_killed_in_the_middle_of_a_batch_sends_each_e_mail_once(start_worker, smtp_sink, gate):
    """Each row is marked sent right after its e-mail: a kill mid-batch leaves only unsent rows to send again."""
    people = [make_user(email=f"batch{index}@example.com") for index in range(5)]
    worker = start_worker()
    gate.write_text("3")  # three e-mails of the batch leave, the fourth is held
    notification_send_many(recipients=people, kind="announcement", context={"title": "批量发送中途被杀"})
    held = gate.with_name(gate.name + ".held")
    assert wait_until(held.exists, timeout=20), worker.output()[-2000:]
    os.kill(int(held.read_text()), signal.SIGKILL)
    gate.unlink()
    assert wait_until(lambda: "WorkerLostError" in worker.output(), timeout=20), worker.output()[-2000:]
    assert smtp_sink.count() == 3
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == [DeliveryStatus.SENDING] * 2 + [DeliveryStatus.SENT] * 3

    deliveries_sweep(now=timezone.now() + AFTER_STUCK)
    assert wait_until(lambda: smtp_sink.count() >= len(people), timeout=30)
    settle(smtp_sink)
    deliveries = list(Delivery.objects.all())
    assert each_received_once(smtp_sink, deliveries)
    assert smtp_sink.count() == len(people)
    assert {delivery.status for delivery in deliveries} == {DeliveryStatus.SENT}
