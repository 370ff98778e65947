"""The ledger accepts only what can be true: one daily cap across every source, sane schedule items."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from tests.factories.mentorship import log_session, make_host, make_pairing
from training.models import Attendance, HoursEntry, HoursSource, ScheduleItem
from training.services import attendance_mark, hours_correct, hours_credit, schedule_item_create

from .conftest import at
from .test_schedule import item_data

pytestmark = pytest.mark.django_db


def day_hours(trainee, day):
    return sum(HoursEntry.objects.filter(trainee=trainee, occurred_on=day).values_list("hours", flat=True))


def credit(world, hours, day, source=HoursSource.ASSIGNMENT, **kwargs):
    return hours_credit(trainee=world.trainee, hours=Decimal(hours), source=source, occurred_on=day, **kwargs)


def test_one_day_holds_at_most_24_hours_whatever_the_sources(world):
    day = timezone.localdate() - datetime.timedelta(days=2)
    credit(world, "20", day)
    with override("en"), pytest.raises(ValidationError) as refused:
        credit(world, "5", day, source=HoursSource.EVENT)
    assert "a day counts at most 24" in refused.value.messages[0]
    assert day_hours(world.trainee, day) == Decimal("20")
    credit(world, "4", day, source=HoursSource.ATTENDANCE)
    assert day_hours(world.trainee, day) == Decimal("24")
    # Another day is not affected.
    credit(world, "8", day - datetime.timedelta(days=1))


def test_the_cap_is_a_setting(world, settings):
    settings.TRAINING_HOURS_DAILY_CAP = Decimal("10")
    day = timezone.localdate()
    credit(world, "6", day)
    with pytest.raises(ValidationError):
        credit(world, "4.5", day, source=HoursSource.STUDIO)
    assert day_hours(world.trainee, day) == Decimal("6")


def test_a_correction_that_adds_hours_is_held_to_the_cap_and_one_that_takes_away_is_not(world):
    day = timezone.localdate()
    entry = credit(world, "20", day)
    hours_correct(entry=entry, hours=Decimal("-20"), acting_user=world.coordinator, note="wrong day")
    credit(world, "24", day, source=HoursSource.CONTEST)
    with pytest.raises(ValidationError):
        hours_correct(entry=entry, hours=Decimal("20"), acting_user=world.coordinator, note="right day after all")
    assert day_hours(world.trainee, day) == Decimal("24")


def test_refusal_is_in_the_readers_language(world):
    day = timezone.localdate()
    credit(world, "24", day)
    with override("zh-hans"), pytest.raises(ValidationError) as refused:
        credit(world, "1", day, source=HoursSource.EVENT)
    assert "学员甲" in refused.value.messages[0]
    assert "24" in refused.value.messages[0] and "。" in refused.value.messages[0]


def test_marking_attendance_past_the_cap_is_refused_and_writes_nothing(world, client):
    day = timezone.localdate() - datetime.timedelta(days=1)
    item = schedule_item_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data=item_data(starts_at=at(day, 9), ends_at=at(day, 17), credit_hours=Decimal("8")),
    )
    credit(world, "20", day)
    client.force_login(world.coordinator)
    response = client.post(
        f"/en/schedule/{item.pk}/attendance/",
        {"day": day.isoformat(), "trainee": [world.trainee.pk], "present": [world.trainee.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "a day counts at most 24" in response.content.decode()
    assert not Attendance.objects.filter(schedule_item=item).exists()
    assert day_hours(world.trainee, day) == Decimal("20")
    with pytest.raises(ValidationError):
        attendance_mark(
            item=item,
            acting_user=world.coordinator,
            day=day,
            present_ids=[world.trainee.pk],
            trainee_ids=[world.trainee.pk],
        )


def test_a_session_log_counts_what_other_sources_credited_that_day(world):
    make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)
    day = timezone.localdate() - datetime.timedelta(days=1)
    credit(world, "20", day, source=HoursSource.ATTENDANCE)
    with override("en"), pytest.raises(ValidationError) as refused:
        log_session(pairing, world.mentor, hours="5", days_ago=1)
    assert "more than 24 hours (20 already logged or credited)" in refused.value.message_dict["hours"][0]
    log_session(pairing, world.mentor, hours="4", days_ago=1)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_hours": Decimal("25")}, "credit_hours", "An item credits at most 24 hours per day attended."),
        ({"credit_hours": Decimal("999.9")}, "credit_hours", "An item credits at most 24 hours per day attended."),
        ({"credit_hours": Decimal("3.5")}, "credit_hours", "An item cannot credit more hours per day than it lasts"),
        ({"days_from_now": 400}, "starts_at", "An item takes place within the cohort's dates"),
        ({"days_from_now": -30}, "starts_at", "An item takes place within the cohort's dates"),
        ({"length": datetime.timedelta(days=36500)}, "ends_at", "An item takes place within the cohort's dates"),
    ],
)
def test_an_item_that_cannot_be_true_is_refused_with_a_field_error(world, overrides, field, message):
    start = timezone.now() + datetime.timedelta(days=overrides.pop("days_from_now", 3))
    data = item_data(starts_at=start, ends_at=start + overrides.pop("length", datetime.timedelta(hours=3)), **overrides)
    with override("en"), pytest.raises(ValidationError) as refused:
        schedule_item_create(cohort=world.cohort, acting_user=world.coordinator, data=data)
    assert refused.value.message_dict[field][0].startswith(message)
    assert not ScheduleItem.objects.exists()


@pytest.mark.parametrize("start", ["0001-01-01T00:00", "0001-01-01T10:00", "9999-12-31T23:00"])
def test_a_start_in_year_1_or_9999_is_a_form_error_not_a_500(client, world, start):
    client.force_login(world.coordinator)
    response = client.post(
        f"/en/cohorts/{world.cohort.pk}/schedule/new/",
        {
            "kind": "workshop",
            "title": "x",
            "starts_at": start,
            "ends_at": "9999-12-31T23:30",
            "location": "here",
            "audience": "cohort",
            "credit_hours": "1",
        },
    )
    assert response.status_code == 200
    assert "An item takes place within the cohort" in response.content.decode()
    assert not ScheduleItem.objects.exists()
