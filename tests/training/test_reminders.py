import datetime

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from notifications.reminders import reminders_send_due
from training.models import Submission
from training.services import assignment_create, schedule_item_create, submission_create

from .conftest import at

pytestmark = pytest.mark.django_db


def item_at(world, starts_at, audience="cohort"):
    return schedule_item_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "workshop",
            "title": "集中研修",
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "location": "会堂",
            "audience": audience,
        },
    )


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_an_item_tomorrow_and_within_the_hour_reminds_each_person_once(world, django_capture_on_commit_callbacks):
    now = timezone.now()
    item = item_at(world, now + datetime.timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=now)
        reminders_send_due(now=now + datetime.timedelta(minutes=1))
    assert kinds_for(world.trainee) == ["training.schedule_reminder_day"]
    message = next(message for message in mail.outbox if message.to == [world.trainee.email])
    assert message.attachments[0][0].endswith(".ics")
    reminders_send_due(now=item.starts_at - datetime.timedelta(minutes=30))
    reminders_send_due(now=item.starts_at - datetime.timedelta(minutes=29))
    assert kinds_for(world.trainee) == ["training.schedule_reminder_day", "training.schedule_reminder_hour"]
    assert kinds_for(world.other_trainee) == []


def test_a_moved_item_is_reminded_again_for_its_new_time(world):
    from training.services import schedule_item_update

    now = timezone.now()
    item = item_at(world, now + datetime.timedelta(hours=20))
    reminders_send_due(now=now)
    later = item.starts_at + datetime.timedelta(hours=2)
    schedule_item_update(
        item=item,
        acting_user=world.coordinator,
        data={"starts_at": later, "ends_at": later + datetime.timedelta(hours=1)},
    )
    reminders_send_due(now=now + datetime.timedelta(minutes=5))
    assert kinds_for(world.trainee).count("training.schedule_reminder_day") == 2


def test_a_cancelled_item_sends_no_reminder(world):
    from training.services import schedule_item_cancel

    now = timezone.now()
    schedule_item_cancel(item=item_at(world, now + datetime.timedelta(hours=20)), acting_user=world.coordinator)
    reminders_send_due(now=now)
    assert "training.schedule_reminder_day" not in kinds_for(world.trainee)


def test_assignments_due_in_two_days_and_overdue_remind_only_those_who_have_not_submitted(
    world, django_capture_on_commit_callbacks
):
    from tests.factories.accounts import make_user
    from tests.factories.training import add_member

    diligent = make_user(region=world.region_b)
    add_member(world.cohort, diligent, "trainee")
    now = timezone.now()
    assignment = assignment_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "reflection",
            "title": "反思",
            "due_at": now + datetime.timedelta(hours=40),
            "reviewer": "mentor",
        },
    )
    submission_create(assignment=assignment, acting_user=diligent, text="已完成")
    reminders_send_due(now=now)
    reminders_send_due(now=now + datetime.timedelta(minutes=1))
    assert kinds_for(world.trainee) == ["training.assignment_due_soon"]
    assert kinds_for(diligent) == []
    reminders_send_due(now=assignment.due_at + datetime.timedelta(minutes=1))
    reminders_send_due(now=assignment.due_at + datetime.timedelta(minutes=2))
    assert kinds_for(world.trainee) == ["training.assignment_due_soon", "training.assignment_overdue"]
    assert Submission.objects.count() == 1


def test_the_weekly_digest_tells_coordinators_who_is_at_risk_and_why(world, django_capture_on_commit_callbacks):
    cohort = world.cohort
    monday = timezone.localdate()
    monday -= datetime.timedelta(days=monday.weekday())
    cohort.starts_on = monday - datetime.timedelta(days=60)
    cohort.save()
    sunday_evening = at(monday - datetime.timedelta(days=1), 20)
    reminders_send_due(now=sunday_evening)
    assert kinds_for(world.coordinator) == []
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=at(monday, 8, 5))
        reminders_send_due(now=at(monday, 9))
    assert kinds_for(world.coordinator) == ["training.at_risk_digest"]
    (message,) = [message for message in mail.outbox if message.to == [world.coordinator.email]]
    assert "学员甲" in message.body
    assert "21" in message.body  # no mentoring hours in the last 21 days
    assert kinds_for(world.other_coordinator) == []
