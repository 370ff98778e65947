import datetime

import pytest
from django.core import mail
from django.utils import timezone

from notifications.kinds import NotificationKind, register
from notifications.models import Notification
from notifications.reminders import _FINDERS, DueReminder, register_reminder, reminders_send_due
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def plan_attachment(notification):
    return [("plan.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")]


TEST_KIND = NotificationKind(key="test.reminder", label="Test reminder", subject="{title}", attachments=plan_attachment)


@pytest.fixture
def test_kind():
    return register(TEST_KIND)


@pytest.fixture
def finder(test_kind):
    person = make_user(email="reminded@example.com")

    def due_tomorrow(now):
        yield DueReminder(
            recipient=person,
            kind="test.reminder",
            target=person,
            occasion=f"{now.date()}",
            context={"title": "明天开课"},
        )

    register_reminder("test", due_tomorrow)
    yield person
    _FINDERS.pop("test")


def test_running_the_reminders_twice_sends_each_occasion_once(finder, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=now)
        reminders_send_due(now=now + datetime.timedelta(minutes=1))
    assert Notification.objects.filter(recipient=finder).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "plan.ics"


def test_a_broken_finder_does_not_stop_the_others(finder, django_capture_on_commit_callbacks):
    def broken(now):
        raise RuntimeError("database hiccup")

    register_reminder("a-broken", broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send_due(now=timezone.now())
    finally:
        _FINDERS.pop("a-broken")
    assert Notification.objects.filter(recipient=finder).count() == 1
