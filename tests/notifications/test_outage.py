"""E-mail through an SMTP outage: retried for a day with capped waits, refusals end at once, never sent twice.

The clock is the notifications app's own (`frozen_clock`), moved as the
sweeper would find each row due; SMTP is Django's backend with its
`send_messages` replaced, or a real connection to a port nobody listens on.
"""

import datetime
import smtplib
import socket

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from notifications.models import Delivery, DeliveryStatus
from notifications.services import deliveries_send, deliveries_sweep, delivery_send, notification_send
from tests.factories.accounts import make_user
from tests.faults.blackhole import closed_port_url

pytestmark = pytest.mark.django_db

REAL_SEND = EmailBackend.send_messages


def announce(person):
    notification_send(recipient=person, kind="announcement", context={"title": "秋季研修开班"})
    return Delivery.objects.get(notification__recipient=person)


def server_down(self, messages):
    raise ConnectionRefusedError(111, "Connection refused")


def retry_when_due(delivery, frozen_clock) -> str:
    """What beat's sweeper does for a failed row: wait until it is due, then send it again."""
    delivery.refresh_from_db()
    if delivery.due_at > frozen_clock.moment:
        frozen_clock.moment = delivery.due_at
    return delivery_send(delivery_id=delivery.pk)


def test_an_smtp_outage_is_retried_with_capped_waits_for_a_day_then_dead_with_the_reason(frozen_clock, monkeypatch):
    delivery = announce(make_user(email="patient@example.com"))
    monkeypatch.setattr(EmailBackend, "send_messages", server_down)
    started = frozen_clock.moment
    waits, outcome = [], None
    while outcome != DeliveryStatus.DEAD:
        outcome = retry_when_due(delivery, frozen_clock)
        delivery.refresh_from_db()
        waits.append(delivery.due_at - frozen_clock.moment)
        if frozen_clock.moment - started < datetime.timedelta(hours=24):
            assert outcome == DeliveryStatus.FAILED, f"gave up after {frozen_clock.moment - started}"
        assert len(waits) < 200

    assert frozen_clock.moment - started >= datetime.timedelta(hours=24)
    minutes = [wait.total_seconds() / 60 for wait in waits]
    assert minutes[:4] == [0.5, 1, 2, 4]
    assert max(minutes) == 30  # capped: after an outage, mail flows again within half an hour
    assert delivery.attempts == len(waits) > 40
    assert delivery.status == DeliveryStatus.DEAD
    assert "ConnectionRefusedError" in delivery.last_error and "attempts since" in delivery.last_error
    assert mail.outbox == []


def test_mail_held_up_by_an_outage_of_hours_is_sent_once_when_the_server_returns(frozen_clock, monkeypatch):
    delivery = announce(make_user(email="waited@example.com"))
    monkeypatch.setattr(EmailBackend, "send_messages", server_down)
    started = frozen_clock.moment
    # Far longer than the five attempts (about twelve minutes) that used to end in "dead".
    while frozen_clock.moment - started < datetime.timedelta(hours=13):
        assert retry_when_due(delivery, frozen_clock) == DeliveryStatus.FAILED
    monkeypatch.setattr(EmailBackend, "send_messages", REAL_SEND)

    assert retry_when_due(delivery, frozen_clock) == DeliveryStatus.SENT
    assert retry_when_due(delivery, frozen_clock) == "skipped"
    delivery.refresh_from_db()
    assert delivery.failing_since is None and delivery.last_error == ""
    assert [message.to for message in mail.outbox] == [["waited@example.com"]]


def test_failed_rows_come_back_through_the_sweeper_and_not_as_long_etas(
    frozen_clock, monkeypatch, django_capture_on_commit_callbacks
):
    delivery = announce(make_user(email="swept@example.com"))
    monkeypatch.setattr(EmailBackend, "send_messages", server_down)
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.queued_at is None  # nothing waits in the broker: the row is swept when due
    monkeypatch.setattr(EmailBackend, "send_messages", REAL_SEND)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep() == 0
        frozen_clock.advance(seconds=30)
        assert deliveries_sweep() == 1
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


@pytest.mark.parametrize(
    "refusal",
    [
        smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam"),
        smtplib.SMTPRecipientsRefused({"gone@example.com": (550, b"5.1.1 No such mailbox")}),
    ],
)
def test_a_5xx_refusal_ends_at_once_as_dead_with_the_servers_reason(monkeypatch, refusal):
    delivery = announce(make_user(email="gone@example.com"))

    def refuse(self, messages):
        raise refusal

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.DEAD
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert type(refusal).__name__ in delivery.last_error
    assert "5." in delivery.last_error


@pytest.mark.parametrize(
    "trouble",
    [
        smtplib.SMTPRecipientsRefused({"full@example.com": (452, b"4.2.2 Mailbox full")}),
        smtplib.SMTPSenderRefused(550, b"5.7.1 Sender not allowed", "noreply@yingzi.example"),
        smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"),
    ],
)
def test_temporary_refusals_and_our_own_configuration_are_retried(monkeypatch, trouble):
    delivery = announce(make_user(email="full@example.com"))

    def refuse(self, messages):
        raise trouble

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.FAILED


def test_an_unreachable_server_fails_the_rest_of_a_batch_without_a_connection_each(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, port = "127.0.0.1", int(closed_port_url().rsplit(":", 1)[1].split("/")[0])
    settings.EMAIL_PORT = port
    people = [make_user(email=f"batch{index}@example.com") for index in range(10)]
    for person in people:
        announce(person)
    connects = []
    real_connect = socket.create_connection

    def counting(address, *args, **kwargs):
        connects.append(address)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(smtplib.socket, "create_connection", counting)
    outcome = deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
    assert outcome["failed"] == 10
    # One connection for the first e-mail and one more to see the server is still away; not ten.
    assert len(connects) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}


def test_rows_taken_back_from_a_slow_worker_are_sent_by_another_and_not_again(frozen_clock, monkeypatch):
    """A worker slow enough to pass the stuck threshold finds that the rows it had not reached are no longer its own."""
    people = [make_user(email=f"slow{index}@example.com") for index in range(5)]
    ids = [announce(person).pk for person in people]
    claimed_at = frozen_clock.moment
    other_worker = {"ran": False}

    def slow_send(self, messages):
        sent = REAL_SEND(self, messages)
        # Each e-mail of this worker takes two minutes (the SMTP server crawls).
        frozen_clock.advance(minutes=2)
        if frozen_clock.moment - claimed_at >= datetime.timedelta(minutes=6) and not other_worker["ran"]:
            other_worker["ran"] = True
            # Beat's sweeper frees the rows this worker claimed five minutes ago and has not reached;
            # another worker takes and sends them.
            deliveries_sweep()
            deliveries_send(delivery_ids=ids)
        return sent

    monkeypatch.setattr(EmailBackend, "send_messages", slow_send)
    outcome = deliveries_send(delivery_ids=ids)

    assert other_worker["ran"]
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(person.email for person in people)  # each once
    assert outcome["sent"] == 3 and outcome["skipped"] == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [1, 1, 1, 2, 2]
