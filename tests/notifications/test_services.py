import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import (
    deliveries_sweep,
    delivery_send,
    notification_mark_all_read,
    notification_send,
    notification_send_many,
)
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def announce(recipient, **kwargs):
    return notification_send(
        recipient=recipient,
        kind="announcement",
        context={"title": "秋季研修开班", "message": "请查看日程。"},
        url="/dashboard/",
        **kwargs,
    )


def test_sending_writes_the_message_and_an_outbox_row_and_emails_after_commit(django_capture_on_commit_callbacks):
    person = make_user(email="reader@example.com")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = announce(person)
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert Notification.objects.get() == notification
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.com"]
    assert "秋季研修开班" in mail.outbox[0].subject


def test_the_same_occasion_twice_is_stored_and_sent_once(django_capture_on_commit_callbacks):
    person = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        first = announce(person, occasion="2026-12-01")
        second = announce(person, occasion="2026-12-01")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_new_occasion_is_a_new_message(django_capture_on_commit_callbacks):
    person = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        announce(person, occasion="day-1")
        announce(person, occasion="day-2")
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    person = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                announce(person)
                raise RuntimeError("the caller's business write failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_email_is_written_in_the_recipients_language(django_capture_on_commit_callbacks):
    english = make_user(email="en@example.com", preferred_language="en")
    chinese = make_user(email="zh@example.com", preferred_language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send_many(recipients=[english, chinese], kind="announcement", context={"title": "T"}, url="/x/")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Open in Yingzi" in by_recipient["en@example.com"].alternatives[0][0]
    assert "在影子平台中打开" in by_recipient["zh@example.com"].alternatives[0][0]


def test_fan_out_uses_bulk_inserts_not_a_query_per_person(django_assert_max_num_queries):
    people = [make_user() for _ in range(30)]
    with django_assert_max_num_queries(12):
        notification_send_many(recipients=people, kind="announcement", context={"title": "T"})
    assert Notification.objects.count() == 30


def test_an_unknown_kind_fails_loudly():
    with pytest.raises(LookupError):
        notification_send(recipient=make_user(), kind="no-such-kind")


def test_a_delivery_claimed_once_is_never_sent_twice():
    person = make_user()
    announce(person)  # on_commit never runs inside the test transaction
    delivery = Delivery.objects.get()
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.SENT
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_refused_recipient_is_recorded_as_dead_at_once(monkeypatch):
    import smtplib

    person = make_user(email="refused@example.com")
    announce(person)
    delivery = Delivery.objects.get()

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"refused@example.com": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.DEAD
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD
    assert delivery.attempts == 1
    assert "SMTPRecipientsRefused" in delivery.last_error
    assert "no such user" in delivery.last_error


def test_a_delivery_that_fails_once_is_sent_by_the_sweeper_when_due(monkeypatch, django_capture_on_commit_callbacks):
    from django.core.mail.backends.locmem import EmailBackend

    person = make_user(email="second-try@example.com")
    announce(person)
    delivery = Delivery.objects.get()
    real_send = EmailBackend.send_messages

    def server_down(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailBackend, "send_messages", server_down)
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep() == 0  # not due yet: backing off
        Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())  # thirty seconds later
        assert deliveries_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert len(mail.outbox) == 1


def test_the_sweeper_sends_what_a_broker_outage_left_pending(monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from notifications.tasks import send_deliveries_task

    person = make_user()
    real_delay = send_deliveries_task.delay

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_deliveries_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        announce(person)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.queued_at is None
    monkeypatch.setattr(send_deliveries_task, "delay", real_delay)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep() == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_the_sweeper_publishes_again_what_was_queued_long_ago_and_never_ran(django_capture_on_commit_callbacks):
    person = make_user()
    announce(person)  # queued at commit, but the broker lost it (a Redis restart without persistence)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep() == 0  # queued a moment ago: a worker may still be on it
        assert deliveries_sweep(now=timezone.now() + timezone.timedelta(minutes=6)) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_the_sweeper_frees_a_delivery_left_claimed_by_a_dead_worker(django_capture_on_commit_callbacks):
    person = make_user()
    announce(person)
    Delivery.objects.update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - timezone.timedelta(minutes=10), attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep()
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_mark_all_read_touches_only_ones_own():
    me, other = make_user(), make_user()
    announce(me)
    announce(other)
    assert notification_mark_all_read(acting_user=me) == 1
    assert Notification.objects.get(recipient=other).read_at is None
