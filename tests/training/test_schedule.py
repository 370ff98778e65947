import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

import versioned
from accounts.audit import audit_entries_for
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.training import add_member
from training.models import Attendance, HoursEntry, ScheduleItem
from training.overview import cohort_token
from training.selectors import hours_total_for_trainee
from training.services import (
    attendance_check_in,
    attendance_mark,
    checkin_code,
    schedule_item_cancel,
    schedule_item_create,
    schedule_item_recipients,
    schedule_item_update,
)

from .conftest import at

pytestmark = pytest.mark.django_db


def item_data(**overrides):
    start = timezone.now() + datetime.timedelta(days=3)
    data = {
        "kind": "workshop",
        "title": "集中研修",
        "title_en": "Workshop",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=3),
        "location": "上海市教育会堂",
        "audience": "cohort",
        "required": True,
        "credit_hours": Decimal("3"),
    }
    data.update(overrides)
    return data


def make_item(world, **overrides):
    return schedule_item_create(cohort=world.cohort, acting_user=world.coordinator, data=item_data(**overrides))


def test_an_item_ending_before_it_starts_is_refused_with_a_field_error(world):
    start = timezone.now()
    with pytest.raises(ValidationError) as raised:
        make_item(world, starts_at=start, ends_at=start - datetime.timedelta(hours=1))
    assert "ends_at" in raised.value.message_dict
    assert not ScheduleItem.objects.exists()


def test_the_schedule_form_says_so_in_the_readers_language(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        f"/en/cohorts/{world.cohort.pk}/schedule/new/",
        {
            "kind": "workshop",
            "title": "x",
            "starts_at": "2027-03-01T10:00",
            "ends_at": "2027-03-01T09:00",
            "location": "here",
            "audience": "cohort",
            "credit_hours": "1",
        },
    )
    assert response.status_code == 200
    assert "The end must come after the start." in response.content.decode()
    assert not ScheduleItem.objects.exists()


def test_a_shadowing_block_needs_a_host_school(world):
    with pytest.raises(ValidationError) as raised:
        make_item(world, kind="shadowing_block")
    assert "host_school" in raised.value.message_dict


def test_a_shadowing_block_spans_its_days_at_a_host_school(world):
    monday = timezone.localdate() + datetime.timedelta(days=7)
    item = make_item(
        world,
        kind="shadowing_block",
        host_school=SchoolFactory(region=world.region_a),
        starts_at=at(monday, 8),
        ends_at=at(monday + datetime.timedelta(days=4), 17),
    )
    assert item.days == [monday + datetime.timedelta(days=offset) for offset in range(5)]


def test_named_participants_are_the_only_audience_besides_coordinators(world):
    from training.models import CohortMembership

    mentor = CohortMembership.objects.get(cohort=world.cohort, user=world.mentor)
    item = make_item(world, audience="named", participants=[mentor])
    assert {person.pk for person in schedule_item_recipients(item)} == {world.mentor.pk, world.coordinator.pk}


def test_named_participants_from_another_cohort_are_refused(world):
    from training.models import CohortMembership

    outsider = CohortMembership.objects.get(cohort=world.other_cohort, user=world.other_trainee)
    with pytest.raises(ValidationError):
        make_item(world, audience="named", participants=[outsider])


def test_moving_an_item_tells_everyone_concerned_with_an_updated_calendar_file(
    world, django_capture_on_commit_callbacks
):
    item = make_item(world)
    new_start = item.starts_at + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_item_update(
            item=item,
            acting_user=world.coordinator,
            data={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=3)},
        )
    item.refresh_from_db()
    assert item.sequence == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted([world.trainee.email, world.mentor.email])
    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype.startswith("text/calendar")
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["uid"]) == item.uid
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == new_start.astimezone(datetime.UTC).replace(microsecond=0)
    assert [entry.action for entry in audit_entries_for(instances=[item])][0] == "training.schedule_item.move"


def test_a_change_of_wording_raises_the_sequence_but_sends_nothing(world, django_capture_on_commit_callbacks):
    item = make_item(world)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_item_update(item=item, acting_user=world.coordinator, data={"description": "请带笔记本电脑"})
    item.refresh_from_db()
    assert item.sequence == 1
    assert mail.outbox == []


def test_cancelling_sends_a_cancellation_for_the_calendar(world, django_capture_on_commit_callbacks):
    item = make_item(world, audience="trainees")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_item_cancel(item=item, acting_user=world.coordinator, reason="台风预警")
    assert [message.to[0] for message in mail.outbox] == [world.trainee.email]
    assert "台风预警" in mail.outbox[0].body
    calendar = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(calendar["method"]) == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1
    with pytest.raises(ValidationError):
        schedule_item_update(item=item, acting_user=world.coordinator, data={"title": "x"})


def test_the_daily_digest_files_a_cancellation_under_its_cohort(world):
    from notifications.models import Notification

    world.trainee.preferred_language = "en"
    world.trainee.save()
    item = make_item(world, audience="trainees")
    schedule_item_cancel(item=item, acting_user=world.coordinator)
    notification = Notification.objects.get(recipient=world.trainee, kind="training.schedule_item_cancelled")
    assert notification.group_key == f"cohort-{world.cohort.pk}"
    assert notification.group_label == "First cohort"  # the cohort's name in the reader's language


def test_only_the_cohorts_coordinators_change_its_schedule(world):
    item = make_item(world)
    with pytest.raises(PermissionDenied):
        schedule_item_cancel(item=item, acting_user=world.other_coordinator)
    with pytest.raises(PermissionDenied):
        schedule_item_update(item=item, acting_user=world.trainee, data={"title": "x"})


# --- Attendance ---------------------------------------------------------------------


def past_item(world, days=1, **overrides):
    first = timezone.localdate() - datetime.timedelta(days=days + 1)
    return make_item(
        world,
        starts_at=at(first, 9),
        ends_at=at(first + datetime.timedelta(days=days - 1), 17),
        **overrides,
    )


def test_marking_present_credits_hours_once_per_day(world):
    item = past_item(world, days=2, kind="shadowing_block", host_school=SchoolFactory(region=world.region_a))
    for day in item.days:
        attendance_mark(
            item=item,
            acting_user=world.coordinator,
            day=day,
            present_ids=[world.trainee.pk],
            trainee_ids=[world.trainee.pk],
        )
    attendance_mark(
        item=item,
        acting_user=world.coordinator,
        day=item.days[0],
        present_ids=[world.trainee.pk],
        trainee_ids=[world.trainee.pk],
    )
    assert hours_total_for_trainee(trainee=world.trainee, cohort=world.cohort) == Decimal("6")
    assert Attendance.objects.filter(trainee=world.trainee, present=True).count() == 2


def test_a_mistaken_mark_is_corrected_in_the_ledger_not_edited(world):
    item = past_item(world)
    day = item.days[0]
    mark = lambda present: attendance_mark(  # noqa: E731
        item=item,
        acting_user=world.coordinator,
        day=day,
        present_ids=[world.trainee.pk] if present else [],
        trainee_ids=[world.trainee.pk],
    )
    mark(True)
    mark(False)
    assert hours_total_for_trainee(trainee=world.trainee) == 0
    mark(True)
    assert hours_total_for_trainee(trainee=world.trainee) == Decimal("3")
    assert list(HoursEntry.objects.order_by("pk").values_list("source", "hours")) == [
        ("attendance", Decimal("3")),
        ("correction", Decimal("-3")),
        ("correction", Decimal("3")),
    ]
    (logged, *_rest) = audit_entries_for(instances=[item])
    assert logged.action == "training.attendance.mark"


def test_attendance_cannot_be_taken_before_the_day(world):
    item = make_item(world)
    with pytest.raises(ValidationError):
        attendance_mark(
            item=item, acting_user=world.coordinator, day=item.days[0], present_ids=[], trainee_ids=[world.trainee.pk]
        )


def test_only_trainees_the_item_is_for_can_be_marked(world):
    item = past_item(world)
    with pytest.raises(ValidationError):
        attendance_mark(
            item=item,
            acting_user=world.coordinator,
            day=item.days[0],
            present_ids=[world.other_trainee.pk],
            trainee_ids=[world.other_trainee.pk],
        )


def test_the_phone_page_saves_attendance(client, world):
    item = past_item(world)
    client.force_login(world.coordinator)
    page = client.get(f"/en/schedule/{item.pk}/attendance/").content.decode()
    assert world.trainee.display_name in page
    response = client.post(
        f"/en/schedule/{item.pk}/attendance/",
        {"day": item.days[0].isoformat(), "trainee": [world.trainee.pk], "present": [world.trainee.pk]},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(trainee=world.trainee).present


def test_a_malformed_register_is_refused_with_a_clear_message_and_nothing_is_saved(client, world):
    item = past_item(world)
    client.force_login(world.coordinator)
    response = client.post(
        f"/en/schedule/{item.pk}/attendance/",
        {"day": item.days[0].isoformat(), "trainee": [world.trainee.pk, "everyone"], "present": [world.trainee.pk]},
        follow=True,
    )
    assert "The list sent is not valid. Reload the page and try again." in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_attendance_page_query_count_does_not_grow_with_trainees(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = past_item(world)
    client.force_login(world.coordinator)
    client.get(f"/schedule/{item.pk}/attendance/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/schedule/{item.pk}/attendance/")
    for _ in range(20):
        add_member(world.cohort, make_user(region=world.region_b), "trainee")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/schedule/{item.pk}/attendance/")
    assert len(few) == len(many)


def today_item(world, **overrides):
    now = timezone.now()
    return make_item(
        world, starts_at=now - datetime.timedelta(minutes=30), ends_at=now + datetime.timedelta(hours=3), **overrides
    )


def test_a_trainee_checks_in_with_todays_code_once(world):
    item = today_item(world)
    code = checkin_code(item=item, day=timezone.localdate())
    attendance = attendance_check_in(item=item, acting_user=world.trainee, code=code)
    assert attendance.method == "qr"
    assert hours_total_for_trainee(trainee=world.trainee) == Decimal("3")
    with pytest.raises(ValidationError, match="已签到"):
        attendance_check_in(item=item, acting_user=world.trainee, code=code)
    assert hours_total_for_trainee(trainee=world.trainee) == Decimal("3")


def test_yesterdays_code_does_not_work_today(world):
    item = today_item(world)
    stale = checkin_code(item=item, day=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="今日无效"):
        attendance_check_in(item=item, acting_user=world.trainee, code=stale)
    assert not Attendance.objects.exists()


def test_someone_the_item_is_not_for_cannot_check_in(world):
    item = today_item(world, audience="mentors")
    code = checkin_code(item=item, day=timezone.localdate())
    with pytest.raises(PermissionDenied):
        attendance_check_in(item=item, acting_user=world.trainee, code=code)


def test_check_in_through_the_qr_link(client, world):
    item = today_item(world)
    code = checkin_code(item=item, day=timezone.localdate())
    client.force_login(world.coordinator)
    assert code in client.get(f"/en/schedule/{item.pk}/check-in-code/").content.decode()
    client.force_login(world.trainee)
    response = client.post(f"/en/check-in/{item.pk}/{code}/")
    assert "You are checked in for today" in response.content.decode()
    again = client.post(f"/en/check-in/{item.pk}/{code}/")
    assert again.status_code == 400
    assert "already checked in" in again.content.decode()


# --- The timeline: rendered once per change of the cohort, and again when an item ends ---------------------


def timeline_visit(client, cohort):
    """The page, its queries, and those of them that read schedule items."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/cohorts/{cohort.pk}/schedule/")
    assert response.status_code == 200
    items = [q for q in queries.captured_queries if 'FROM "training_scheduleitem"' in q["sql"]]
    return response.content.decode(), len(queries), len(items)


def test_the_timeline_is_read_once_per_change_and_costs_the_same_with_2_and_20_items(client, world):
    client.force_login(world.trainee)
    for n in range(2):
        schedule_item_create(cohort=world.cohort, acting_user=world.coordinator, data=item_data(title_en=f"Item {n}"))
    timeline_visit(client, world.cohort)  # warms what any first visit reads
    versioned.renew(cohort_token(world.cohort.pk))
    _, first, items = timeline_visit(client, world.cohort)
    assert items == 1
    page, kept, items = timeline_visit(client, world.cohort)
    assert items == 0 and kept == first - 1
    assert page.count('class="timeline-item') == 2
    for n in range(18):
        schedule_item_create(cohort=world.cohort, acting_user=world.coordinator, data=item_data(title_en=f"More {n}"))
    page, afresh, _ = timeline_visit(client, world.cohort)
    assert page.count('class="timeline-item') == 20  # a new item shows at once
    assert afresh == first
    assert timeline_visit(client, world.cohort)[1] == kept


def test_the_kept_timeline_turns_an_item_past_when_it_ends(client, world, monkeypatch):
    client.force_login(world.trainee)
    item = schedule_item_create(cohort=world.cohort, acting_user=world.coordinator, data=item_data())
    page, _, _ = timeline_visit(client, world.cohort)
    assert "is-past" not in page
    assert "is-past" not in timeline_visit(client, world.cohort)[0]
    later = item.ends_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page, _, items = timeline_visit(client, world.cohort)
    assert items == 1 and "is-past" in page


def test_the_timeline_is_each_persons_own(client, world):
    schedule_item_create(cohort=world.cohort, acting_user=world.coordinator, data=item_data(title_en="For all"))
    schedule_item_create(
        cohort=world.cohort, acting_user=world.coordinator, data=item_data(title_en="Mentors only", audience="mentors")
    )
    client.force_login(world.mentor)
    assert "Mentors only" in timeline_visit(client, world.cohort)[0]
    client.force_login(world.trainee)
    page = timeline_visit(client, world.cohort)[0]
    assert "For all" in page and "Mentors only" not in page
