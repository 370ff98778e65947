"""Preferences per kind and channel, quiet hours and the daily digest, on a frozen clock."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notifications.digests import digests_send_due
from notifications.models import Cadence, Delivery, DeliveryStatus, Notification, NotificationPreference, QuietHours
from notifications.services import deliveries_sweep, notification_preferences_update, notification_send
from tests.factories.accounts import make_user

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def send(person, kind="test.pairing", title="结对已确认", **kwargs):
    return notification_send(recipient=person, kind=kind, context={"title": title}, **kwargs)


def choose(person, cadence, kind="test.pairing"):
    notification_preferences_update(acting_user=person, cadences={(kind, "email"): cadence})


def test_off_keeps_the_inbox_message_but_sends_no_email(kinds, frozen_clock, django_capture_on_commit_callbacks):
    person = make_user()
    choose(person, Cadence.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        send(person)
    assert Notification.objects.filter(recipient=person).count() == 1
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_a_mandatory_kind_cannot_be_turned_off_and_nothing_changes(kinds):
    person = make_user()
    choose(person, Cadence.DIGEST)
    with pytest.raises(ValidationError) as refused:
        notification_preferences_update(
            acting_user=person,
            cadences={("test.pairing", "email"): Cadence.OFF, ("test.invitation", "email"): Cadence.OFF},
        )
    assert "Invitation" in " ".join(refused.value.messages)
    # The valid half of the request was not saved either.
    assert NotificationPreference.objects.get(user=person, kind="test.pairing").cadence == Cadence.DIGEST
    assert not NotificationPreference.objects.filter(kind="test.invitation").exists()


def test_a_mandatory_kind_ignores_a_stored_off(kinds, django_capture_on_commit_callbacks):
    person = make_user()
    # A row written behind the service's back (or before the kind became mandatory).
    NotificationPreference.objects.create(user=person, kind="test.invitation", channel="email", cadence=Cadence.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        send(person, kind="test.invitation", title="邀请您加入第一期")
    assert len(mail.outbox) == 1


def test_quiet_hours_hold_an_immediate_email_until_seven(kinds, frozen_clock, django_capture_on_commit_callbacks):
    person = make_user()
    frozen_clock.set(2026, 12, 1, 23, 30)
    with django_capture_on_commit_callbacks(execute=True):
        send(person)
    delivery = Delivery.objects.get()
    assert delivery.due_at == datetime.datetime(2026, 12, 2, 7, 0, tzinfo=SHANGHAI)
    assert mail.outbox == []
    frozen_clock.set(2026, 12, 2, 6, 59)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep() == 0
    frozen_clock.set(2026, 12, 2, 7, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep() == 1
    assert len(mail.outbox) == 1


def test_a_persons_own_quiet_hours_replace_the_default(kinds, frozen_clock, django_capture_on_commit_callbacks):
    night_owl, early_bird = make_user(), make_user()
    notification_preferences_update(
        acting_user=night_owl,
        cadences={},
        quiet_hours_enabled=True,
        quiet_start=datetime.time(1, 0),
        quiet_end=datetime.time(9, 0),
    )
    notification_preferences_update(acting_user=early_bird, cadences={}, quiet_hours_enabled=False)
    frozen_clock.set(2026, 12, 1, 23, 0)
    with django_capture_on_commit_callbacks(execute=True):
        send(night_owl)
        send(early_bird)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([night_owl.email, early_bird.email])
    mail.outbox.clear()
    frozen_clock.set(2026, 12, 2, 8, 0)
    with django_capture_on_commit_callbacks(execute=True):
        send(night_owl, occasion="morning")
    assert mail.outbox == []
    held = Delivery.objects.filter(status=DeliveryStatus.PENDING).get()
    assert held.due_at == datetime.datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI)


def test_quiet_hours_must_not_be_empty(kinds):
    person = make_user()
    with pytest.raises(ValidationError):
        notification_preferences_update(
            acting_user=person,
            cadences={},
            quiet_hours_enabled=True,
            quiet_start=datetime.time(7, 0),
            quiet_end=datetime.time(7, 0),
        )
    assert not QuietHours.objects.exists()


def test_security_messages_ignore_quiet_hours(frozen_clock, django_capture_on_commit_callbacks):
    from notifications.security import PASSWORD_CHANGED

    person = make_user()
    frozen_clock.set(2026, 12, 1, 2, 0)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=person, kind=PASSWORD_CHANGED, occasion="x")
    assert len(mail.outbox) == 1


def test_the_digest_is_one_email_a_day_grouped_by_cohort(kinds, frozen_clock, django_capture_on_commit_callbacks):
    person = make_user(preferred_language="en")
    choose(person, Cadence.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        send(
            person,
            title="Pairing with Principal Chen confirmed",
            group_key="c1",
            group_label="First cohort",
            occasion="1",
        )
        frozen_clock.advance(hours=3)
        send(person, title="Session log awaiting you", group_key="c2", group_label="Second cohort", occasion="3")
        send(person, title="Another pairing note", group_key="c1", group_label="First cohort", occasion="2")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=person, read_at__isnull=True).count() == 3  # all in the inbox now

    frozen_clock.set(2026, 12, 2, 7, 59)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due() == 0
    frozen_clock.set(2026, 12, 2, 8, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due() == 1
        assert digests_send_due() == 0  # beat ran twice
    frozen_clock.advance(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "daily digest" in message.subject
    body = message.body
    assert "3 new messages" in body
    assert body.index("First cohort") < body.index("Pairing with Principal Chen") < body.index("Another pairing note")
    assert body.index("Second cohort") < body.index("Session log awaiting you")
    assert "First cohort" in message.alternatives[0][0]
    assert set(Delivery.objects.exclude(notification__kind="digest").values_list("status", flat=True)) == {
        DeliveryStatus.DIGESTED
    }
    # The digest's own inbox entry does not count as unread.
    assert Notification.objects.filter(recipient=person, read_at__isnull=True).count() == 3


def test_no_digest_on_a_day_with_nothing_in_it(kinds, frozen_clock, django_capture_on_commit_callbacks):
    person = make_user()
    choose(person, Cadence.DIGEST)
    frozen_clock.set(2026, 12, 2, 8, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due() == 0
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_digest_is_written_in_the_readers_language(kinds, frozen_clock, django_capture_on_commit_callbacks):
    person = make_user(preferred_language="zh-hans")
    choose(person, Cadence.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        send(person, title="结对已确认", group_label="第一期")
    frozen_clock.set(2026, 12, 2, 8, 0)
    with django_capture_on_commit_callbacks(execute=True):
        digests_send_due()
    assert "每日摘要" in mail.outbox[0].subject
    assert "第一期" in mail.outbox[0].body and "结对已确认" in mail.outbox[0].body


def test_what_arrives_after_todays_digest_waits_for_tomorrows(kinds, frozen_clock, django_capture_on_commit_callbacks):
    person = make_user()
    choose(person, Cadence.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        send(person, title="第一条", occasion="1")
        frozen_clock.set(2026, 12, 2, 8, 0)
        digests_send_due()
        frozen_clock.set(2026, 12, 2, 8, 5)
        send(person, title="第二条", occasion="2")
        digests_send_due()
    assert len(mail.outbox) == 1
    late = Delivery.objects.get(status=DeliveryStatus.DIGEST)
    assert late.due_at == datetime.datetime(2026, 12, 3, 8, 0, tzinfo=SHANGHAI)
    frozen_clock.set(2026, 12, 3, 8, 0)
    with django_capture_on_commit_callbacks(execute=True):
        digests_send_due()
    assert len(mail.outbox) == 2
    assert "第二条" in mail.outbox[1].body and "第一条" not in mail.outbox[1].body


@pytest.mark.postgres
def test_the_unnest_fan_out_writes_the_rows_bulk_create_writes(
    postgres, kinds, frozen_clock, monkeypatch, django_capture_on_commit_callbacks
):
    """PostgreSQL's one-statement fan-out against Django's bulk_create, for people with every kind of choice."""
    from notifications import services
    from notifications.services import sending

    people = [make_user() for _ in range(5)]
    choose(people[0], Cadence.OFF)
    choose(people[1], Cadence.DIGEST)
    notification_preferences_update(
        acting_user=people[2], cadences={}, quiet_hours_enabled=True, quiet_start=datetime.time(20, 0)
    )
    notification_preferences_update(acting_user=people[3], cadences={}, quiet_hours_enabled=False)
    frozen_clock.set(2026, 12, 1, 21, 30)
    published = []
    monkeypatch.setattr(
        sending, "deliveries_publish_after_commit", lambda *, delivery_ids: published.append(delivery_ids)
    )

    def fan_out(occasion):
        returned = services.notification_send_many(
            recipients=people, kind="test.pairing", context={"title": "结对", "n": 1}, occasion=occasion, url="/x/"
        )
        assert [notification.recipient_id for notification in returned] == [person.pk for person in people]
        assert all(notification.pk and not notification._state.adding for notification in returned)
        rows = Delivery.objects.filter(notification__in=returned).order_by("notification__recipient_id")
        return (
            [
                (n.recipient_id, n.kind, n.context, n.url, n.created_at, n.idempotency_key.rsplit(":", 1)[0])
                for n in Notification.objects.filter(pk__in=[n.pk for n in returned]).order_by("recipient_id")
            ],
            [
                (d.notification.recipient_id, d.channel, d.status, d.due_at, d.queued_at, d.attempts, d.created_at)
                for d in rows.select_related("notification")
            ],
            sorted(published.pop()),
            returned,
        )

    unnest = fan_out("unnest")
    monkeypatch.setattr(sending, "postgresql_in_use", lambda: False)
    orm = fan_out("orm")
    assert unnest[:2] == orm[:2]
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, queued_at__isnull=False)
    assert len(unnest[2]) == len(orm[2]) == 2  # one is in its quiet hours; off and digest send nothing now
    assert set(unnest[2]) | set(orm[2]) == set(due.values_list("pk", flat=True))
    # A second call for the same occasion returns the same messages and writes nothing.
    monkeypatch.setattr(sending, "postgresql_in_use", lambda: True)
    count = Delivery.objects.count()
    again = services.notification_send_many(
        recipients=people, kind="test.pairing", context={"title": "结对", "n": 1}, occasion="unnest", url="/x/"
    )
    assert [n.pk for n in again] == [n.pk for n in unnest[3]]
    assert Delivery.objects.count() == count and published == [[]]
