"""A coordinator's schedule items and assignments carry optional English text, shown to English readers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from training.models import Assignment, ScheduleItem
from training.services import (
    assignment_create,
    calendar_feed_regenerate,
    schedule_item_create,
    schedule_item_update,
)

pytestmark = pytest.mark.django_db


def make_item(world, **overrides):
    start = timezone.now() + datetime.timedelta(days=3)
    data = {
        "kind": "workshop",
        "title": "集中研修",
        "title_en": "Workshop",
        "description": "请提前十分钟到场签到。",
        "description_en": "Please arrive ten minutes early.",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=3),
        "location": "上海市教育会堂",
        "audience": "cohort",
        "credit_hours": Decimal("3"),
    }
    data.update(overrides)
    return schedule_item_create(cohort=world.cohort, acting_user=world.coordinator, data=data)


def make_assignment(world, **overrides):
    data = {
        "kind": "reflection",
        "title": "跟岗反思",
        "title_en": "Shadowing reflection",
        "instructions": "结合跟岗所见所思。",
        "instructions_en": "Draw on what you saw while shadowing.",
        "due_at": timezone.now() + datetime.timedelta(days=7),
        "reviewer": "mentor",
        "credit_hours": Decimal("4"),
    }
    data.update(overrides)
    return assignment_create(cohort=world.cohort, acting_user=world.coordinator, data=data)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_english_reader_sees_the_items_english_description_a_chinese_reader_the_chinese(client, world):
    item = make_item(world)
    client.force_login(world.trainee)
    english = page(client, f"/en/schedule/{item.pk}/")
    assert "Please arrive ten minutes early." in english
    assert "请提前十分钟到场签到。" not in english
    chinese = page(client, f"/schedule/{item.pk}/")
    assert "请提前十分钟到场签到。" in chinese
    assert "Please arrive ten minutes early." not in chinese


def test_without_an_english_description_the_english_reader_sees_the_chinese(client, world):
    item = make_item(world, description_en="")
    client.force_login(world.trainee)
    assert "请提前十分钟到场签到。" in page(client, f"/en/schedule/{item.pk}/")


def test_an_english_reader_sees_the_assignments_english_instructions_falling_back_to_chinese(client, world):
    both = make_assignment(world)
    chinese_only = make_assignment(
        world, title="案例分析", title_en="", instructions="写一个案例。", instructions_en=""
    )
    client.force_login(world.trainee)
    english = page(client, f"/en/assignments/{both.pk}/")
    assert "Draw on what you saw while shadowing." in english
    assert "结合跟岗所见所思。" not in english
    assert "结合跟岗所见所思。" in page(client, f"/assignments/{both.pk}/")
    fallback = page(client, f"/en/assignments/{chinese_only.pk}/")
    assert "案例分析" in fallback and "写一个案例。" in fallback


def feed_events(client, user):
    token = calendar_feed_regenerate(acting_user=user).token
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    return {str(event["uid"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_calendar_feed_is_written_in_its_owners_language(client, world):
    item = make_item(world)
    chinese_only = make_item(world, title="名校考察", title_en="", description="带好笔记本。", description_en="")
    world.trainee.preferred_language = "en"
    world.trainee.save(update_fields=["preferred_language"])
    english = feed_events(client, world.trainee)
    assert str(english[item.uid]["summary"]) == "Workshop"
    assert str(english[item.uid]["description"]) == "Please arrive ten minutes early."
    assert str(english[chinese_only.uid]["summary"]) == "名校考察"
    assert str(english[chinese_only.uid]["description"]) == "带好笔记本。"

    world.trainee.preferred_language = "zh-hans"
    world.trainee.save(update_fields=["preferred_language"])
    chinese = feed_events(client, world.trainee)
    assert str(chinese[item.uid]["summary"]) == "集中研修"
    assert str(chinese[item.uid]["description"]) == "请提前十分钟到场签到。"


def schedule_post(**overrides):
    data = {
        "kind": "workshop",
        "title": "集中研修",
        "title_en": "",
        "description": "请提前十分钟到场签到。",
        "description_en": "Please arrive ten minutes early.",
        "starts_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT10:00"),
        "ends_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT12:00"),
        "location": "上海市教育会堂",
        "audience": "cohort",
        "credit_hours": "2",
    }
    data.update(overrides)
    return data


def test_the_schedule_form_keeps_the_english_text(client, world):
    client.force_login(world.coordinator)
    response = client.post(f"/en/cohorts/{world.cohort.pk}/schedule/new/", schedule_post(title_en="Workshop"))
    assert response.status_code == 302
    item = ScheduleItem.objects.get()
    assert (item.title_en, item.description_en) == ("Workshop", "Please arrive ten minutes early.")


@pytest.mark.parametrize(
    ("overrides", "english", "chinese"),
    [
        (
            {},
            "Give the English title too when you write an English description.",
            "填写英文说明时，请同时填写英文标题。",
        ),
        (
            {"title_en": "W" * 201},
            "at most 200 characters; this one has 201",
            "英文标题最多 200 个字符，当前为 201 个。",
        ),
    ],
)
def test_the_schedule_form_refuses_bad_english_text_in_the_readers_language(client, world, overrides, english, chinese):
    client.force_login(world.coordinator)
    response = client.post(f"/en/cohorts/{world.cohort.pk}/schedule/new/", schedule_post(**overrides))
    assert response.status_code == 200
    assert english in response.content.decode()
    response = client.post(f"/cohorts/{world.cohort.pk}/schedule/new/", schedule_post(**overrides))
    assert response.status_code == 200
    assert chinese in response.content.decode()
    assert not ScheduleItem.objects.exists()


def assignment_post(**overrides):
    data = {
        "kind": "reflection",
        "title": "跟岗反思",
        "title_en": "",
        "instructions": "结合跟岗所见所思。",
        "instructions_en": "Draw on what you saw while shadowing.",
        "due_at": (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT23:00"),
        "reviewer": "mentor",
        "required": "on",
        "credit_hours": "4",
    }
    data.update(overrides)
    return data


def test_the_assignment_form_keeps_the_english_text(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        f"/en/cohorts/{world.cohort.pk}/assignments/new/", assignment_post(title_en="Shadowing reflection")
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.title_en, assignment.instructions_en) == (
        "Shadowing reflection",
        "Draw on what you saw while shadowing.",
    )


@pytest.mark.parametrize(
    ("overrides", "english", "chinese"),
    [
        (
            {},
            "Give the English title too when you write English instructions.",
            "填写英文说明时，请同时填写英文标题。",
        ),
        (
            {"title_en": "W" * 201},
            "at most 200 characters; this one has 201",
            "英文标题最多 200 个字符，当前为 201 个。",
        ),
    ],
)
def test_the_assignment_form_refuses_bad_english_text_in_the_readers_language(
    client, world, overrides, english, chinese
):
    client.force_login(world.coordinator)
    response = client.post(f"/en/cohorts/{world.cohort.pk}/assignments/new/", assignment_post(**overrides))
    assert response.status_code == 200
    assert english in response.content.decode()
    response = client.post(f"/cohorts/{world.cohort.pk}/assignments/new/", assignment_post(**overrides))
    assert response.status_code == 200
    assert chinese in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_calendar_file_sent_on_a_move_is_in_each_recipients_language(world, django_capture_on_commit_callbacks):
    from django.core import mail

    item = make_item(world)
    world.trainee.preferred_language = "en"
    world.trainee.save(update_fields=["preferred_language"])
    later = item.starts_at + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_item_update(
            item=item,
            acting_user=world.coordinator,
            data={"starts_at": later, "ends_at": later + datetime.timedelta(hours=3)},
        )
    summaries = {}
    for message in mail.outbox:
        (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
        summaries[message.to[0]] = (str(event["summary"]), str(event["description"]))
    assert summaries[world.trainee.email] == ("Workshop", "Please arrive ten minutes early.")
    assert summaries[world.mentor.email] == ("集中研修", "请提前十分钟到场签到。")


def test_removing_the_english_title_while_an_english_description_stays_is_refused(world):
    item = make_item(world)
    with pytest.raises(ValidationError) as raised:
        schedule_item_update(item=item, acting_user=world.coordinator, data={"title_en": ""})
    assert "title_en" in raised.value.message_dict
    item.refresh_from_db()
    assert item.title_en == "Workshop"
