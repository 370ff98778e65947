"""A summit that is a cohort's forum on its schedule: one attendance for the door and the cohort, credited once."""

import pytest
from django.utils import timezone

from cms import services
from cms.models import EventScheduleLink
from tests.factories.accounts import make_user
from training.models import Attendance, AttendanceMethod, HoursEntry, HoursSource, ScheduleItem, ScheduleItemKind
from training.services.attendance import attendance_check_in, checkin_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(event, world):
    """The cohort's forum item is the event: same day, same place, linked on the event page."""
    event.credit_hours = 3
    event.save()
    item = ScheduleItem.objects.create(
        cohort=world.cohort,
        kind=ScheduleItemKind.FORUM,
        title="长三角校长高峰论坛",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=event.venue,
        credit_hours=6,
        required=False,
    )
    EventScheduleLink.objects.create(page=event, schedule_item=item)
    return item


def check_in(event, person, staff):
    registration = services.event_register(event=event, acting_user=person)
    services.event_check_in(event=event, code=registration.code, acting_user=staff)
    return registration


def test_a_trainee_checked_in_at_the_door_attends_the_cohort_forum_once(event, world, forum):
    registration = check_in(event, world.trainee, world.staff)
    services.event_check_in(event=event, code=registration.code, acting_user=world.staff)  # at the door twice
    [attendance] = Attendance.objects.filter(schedule_item=forum, trainee=world.trainee)
    assert attendance.present and attendance.method == AttendanceMethod.EVENT
    ledger = HoursEntry.objects.filter(trainee=world.trainee)
    assert [(entry.source, entry.hours) for entry in ledger] == [(HoursSource.ATTENDANCE, 6)]


def test_a_guest_from_outside_the_cohort_gets_the_events_own_hours(event, world, forum):
    guest = make_user(email="guest@example.com", display_name="外省来宾")
    check_in(event, guest, world.staff)
    assert not Attendance.objects.filter(schedule_item=forum).exists()
    assert [(e.source, e.hours) for e in HoursEntry.objects.filter(trainee=guest)] == [(HoursSource.EVENT, 3)]


def test_the_cohorts_qr_code_first_then_the_door_is_still_one_record(event, world, forum):
    now = event.starts_at
    day = timezone.localdate(now)
    attendance_check_in(item=forum, acting_user=world.trainee, code=checkin_code(item=forum, day=day), now=now)
    check_in(event, world.trainee, world.staff)
    assert Attendance.objects.filter(schedule_item=forum, trainee=world.trainee).count() == 1
    assert [(e.source, e.hours) for e in HoursEntry.objects.filter(trainee=world.trainee)] == [
        (HoursSource.ATTENDANCE, 6)
    ]
