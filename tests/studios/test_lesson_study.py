"""Lesson study: sheets saved piece by piece then submitted, the summary's figures, hours once, bad input refused."""

import datetime
from decimal import Decimal
from statistics import mean

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import versioned
from notifications.models import Notification
from studios import services
from studios.calendar import lesson_events
from studios.freshness import lesson_token
from studios.models import Cycle, ObservationAnswer, ObservationItem, ObservationSheet, Participation
from studios.reminders import lessons_soon
from studios.sources import describe_participations
from tests.factories.accounts import make_user
from tests.factories.studios import add_studio_member, lesson_study_world, make_template
from training.models import HoursEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def lw(world):
    return lesson_study_world(world)


def _answer(client, lesson, item, value):
    return client.post(f"/studios/lessons/{lesson.pk}/sheet/answer/", {"item": item.pk, "value": value})


def test_a_sheet_is_saved_piece_by_piece_then_submitted_and_credits_the_observer_once(lw, client):
    w = lw
    client.force_login(w.trainee)
    for item, value in zip(w.items, [5, 3, 4], strict=True):
        response = _answer(client, w.lesson, item, value)
        assert response.status_code == 200 and response.json() == {"saved": True}
    # Changing one's mind keeps the latest score, not a second answer.
    _answer(client, w.lesson, w.items[1], 2)
    client.post(f"/studios/lessons/{w.lesson.pk}/sheet/answer/", {"notes": "提问可以更开放"})
    sheet = ObservationSheet.objects.get(lesson=w.lesson, observer=w.trainee)
    assert dict(sheet.answers.values_list("item_id", "value")) == {w.items[0].pk: 5, w.items[1].pk: 2, w.items[2].pk: 4}
    assert sheet.notes == "提问可以更开放" and sheet.submitted_at is None
    assert not HoursEntry.objects.filter(trainee=w.trainee).exists()

    response = client.post(f"/studios/lessons/{w.lesson.pk}/sheet/", {"action": "submit"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/studios/lessons/{w.lesson.pk}/summary/"
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None
    entry = HoursEntry.objects.get(trainee=w.trainee)
    assert entry.hours == Decimal("2.0") and entry.source == "studio"
    assert Participation.objects.get(person=w.trainee).kind == Participation.Kind.ONLINE

    # A submitted sheet no longer changes, and submitting again credits nothing more.
    refused = _answer(client, w.lesson, w.items[0], 1)
    assert refused.status_code == 400 and "已提交" in refused.json()["error"]
    client.post(f"/studios/lessons/{w.lesson.pk}/sheet/", {"action": "submit"})
    assert HoursEntry.objects.filter(trainee=w.trainee).count() == 1
    assert sheet.answers.get(item=w.items[0]).value == 5


def test_the_sheet_works_without_javascript(lw, client):
    w = lw
    client.force_login(w.mentor)
    data = {f"item-{item.pk}": str(value) for item, value in zip(w.items, [4, 4, 3], strict=True)}
    client.post(f"/studios/lessons/{w.lesson.pk}/sheet/", {**data, "notes": "节奏好", "action": "save"})
    sheet = ObservationSheet.objects.get(lesson=w.lesson, observer=w.mentor)
    assert sheet.answers.count() == 3 and sheet.submitted_at is None and sheet.notes == "节奏好"
    page = client.get(f"/studios/lessons/{w.lesson.pk}/sheet/").content.decode()
    assert f'name="item-{w.items[2].pk}" value="3" data-item="{w.items[2].pk}" checked' in page
    client.post(f"/studios/lessons/{w.lesson.pk}/sheet/", {**data, "action": "submit"})
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None


def test_an_answer_outside_the_scale_is_refused_in_the_readers_language_and_saves_nothing(lw, client):
    w = lw
    client.force_login(w.trainee)
    response = _answer(client, w.lesson, w.items[0], 6)
    assert response.status_code == 400
    assert response.json()["error"] == "评分须为 1 到 5 之间的整数。"
    for value in ("0", "三", "", "4.5"):
        assert _answer(client, w.lesson, w.items[0], value).status_code == 400
    # An item of another template is not on this sheet.
    stranger = make_template(w.studio, name="另一量表").items.first()
    assert _answer(client, w.lesson, stranger, 3).status_code == 400
    assert not ObservationAnswer.objects.filter(sheet__observer=w.trainee).exists()
    # The whole form is checked before any score is saved.
    client.post(
        f"/studios/lessons/{w.lesson.pk}/sheet/",
        {f"item-{w.items[0].pk}": "3", f"item-{w.items[1].pk}": "9", "action": "save"},
    )
    assert not ObservationAnswer.objects.filter(sheet__observer=w.trainee).exists()


def test_submitting_an_incomplete_sheet_is_refused(lw):
    w = lw
    services.sheet_answer_save(acting_user=w.trainee, lesson=w.lesson, item_id=w.items[0].pk, value=3)
    with pytest.raises(ValidationError, match="2"):
        services.sheet_submit(acting_user=w.trainee, lesson=w.lesson)
    assert ObservationSheet.objects.get(observer=w.trainee).submitted_at is None
    assert not HoursEntry.objects.filter(trainee=w.trainee).exists()


def test_an_item_with_answers_cannot_be_removed_but_one_without_can(lw, client):
    w = lw
    client.force_login(w.studio_leader)
    response = client.post(f"/studios/observation-items/{w.scored_item.pk}/remove/", follow=True)
    assert "已有观课人对“目标清晰、可检测”评分" in response.content.decode()
    assert ObservationItem.objects.filter(pk=w.scored_item.pk).exists()
    unanswered = w.items[2]
    client.post(f"/studios/observation-items/{unanswered.pk}/remove/")
    assert not ObservationItem.objects.filter(pk=unanswered.pk).exists()
    # The scale of a template with answers stays as it is.
    with pytest.raises(ValidationError):
        services.template_scale_set(
            acting_user=w.studio_leader, template=w.template, scale_min=1, scale_max=10, notes_prompt=""
        )


def _submit_sheets(lesson, items, count, *, offset=0):
    """`count` observers each submit a sheet with scores spread over the scale."""
    people = []
    for n in range(count):
        person = make_user(email=f"observer-{offset + n}@example.com", display_name=f"观课人{offset + n}")
        add_studio_member(lesson.cycle.studio, person)
        for index, item in enumerate(items):
            services.sheet_answer_save(
                acting_user=person, lesson=lesson, item_id=item.pk, value=1 + (offset + n + index) % 5
            )
        services.sheet_notes_save(acting_user=person, lesson=lesson, notes=f"建议{offset + n}")
        services.sheet_submit(acting_user=person, lesson=lesson)
        people.append(person)
    return people


def test_the_summarys_figures_equal_those_computed_from_the_raw_answers(lw, client):
    w = lw
    _submit_sheets(w.lesson, w.items, 7)
    # A sheet still being filled does not count.
    services.sheet_answer_save(acting_user=w.trainee, lesson=w.lesson, item_id=w.items[0].pk, value=1)
    from studios.selectors import lesson_summary

    summary = lesson_summary(lesson=w.lesson)
    assert summary.sheets_count == 7
    for row in summary.items:
        raw = list(
            ObservationAnswer.objects.filter(item=row.item, sheet__submitted_at__isnull=False).values_list(
                "value", flat=True
            )
        )
        assert row.count == len(raw)
        assert row.mean == pytest.approx(mean(raw))
        assert [count for _score, count, _percent in row.distribution] == [raw.count(s) for s in range(1, 6)]
    client.force_login(w.trainee)
    page = client.get(f"/studios/lessons/{w.lesson.pk}/summary/").content.decode()
    assert "已提交 7 份量表" in page and "<svg" in page and "建议3" in page
    assert f"{summary.items[0].mean:.2f}" in page


def test_the_summary_renders_in_the_same_number_of_queries_for_3_and_30_sheets(lw, client):
    w = lw
    client.force_login(w.trainee)
    _submit_sheets(w.lesson, w.items, 3)
    client.get(f"/studios/lessons/{w.lesson.pk}/summary/")  # the session and the content types, cached once
    # Composed afresh (the first visit after a sheet is submitted), then as kept in the cache.
    versioned.renew(lesson_token(w.lesson.pk))
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/studios/lessons/{w.lesson.pk}/summary/").status_code == 200
    with CaptureQueriesContext(connection) as few_kept:
        assert client.get(f"/studios/lessons/{w.lesson.pk}/summary/").status_code == 200
    _submit_sheets(w.lesson, w.items, 27, offset=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/studios/lessons/{w.lesson.pk}/summary/")
    assert "已提交 30 份量表" in response.content.decode()
    with CaptureQueriesContext(connection) as many_kept:
        assert client.get(f"/studios/lessons/{w.lesson.pk}/summary/").status_code == 200
    assert len(many) == len(few)
    assert len(many_kept) == len(few_kept) < len(few)


def test_hours_are_credited_once_per_lesson_on_site_or_online(lw):
    w = lw
    services.lesson_check_in(acting_user=w.studio_leader, lesson=w.lesson, person=w.mentor)
    with pytest.raises(ValidationError, match="学时只计一次|hours count once"):
        services.lesson_check_in(acting_user=w.studio_leader, lesson=w.lesson, person=w.mentor)
    # Checked in on site, then submitting the sheet too: still one credit for the lesson.
    for item in w.items:
        services.sheet_answer_save(acting_user=w.mentor, lesson=w.lesson, item_id=item.pk, value=4)
    services.sheet_submit(acting_user=w.mentor, lesson=w.lesson)
    assert HoursEntry.objects.filter(trainee=w.mentor).count() == 1
    assert Participation.objects.get(person=w.mentor).kind == Participation.Kind.ON_SITE
    # Someone outside the studio is not checked in.
    with pytest.raises(ValidationError):
        services.lesson_check_in(acting_user=w.studio_leader, lesson=w.lesson, person=w.other_trainee)
    assert not HoursEntry.objects.filter(trainee=w.other_trainee).exists()


def test_the_revised_plan_closes_the_cycle_and_credits_its_leader_once(lw, client):
    w = lw
    client.force_login(w.studio_leader)
    response = client.post(f"/studios/cycles/{w.cycle.pk}/close/", follow=True)
    assert "请先添加课后修改的版本" in response.content.decode()
    assert Cycle.objects.get(pk=w.cycle.pk).status == Cycle.Status.OPEN

    client.force_login(w.trainee)
    client.post(f"/studios/cycles/{w.cycle.pk}/plan/", {"body": "第二版：导入缩短到三分钟"})
    version = w.plan.versions.get(number=2)
    assert version.is_revision
    client.force_login(w.studio_leader)
    client.post(f"/studios/cycles/{w.cycle.pk}/close/")
    cycle = Cycle.objects.get(pk=w.cycle.pk)
    assert cycle.status == Cycle.Status.CLOSED
    assert HoursEntry.objects.get(trainee=w.studio_leader).hours == cycle.leader_hours
    # Closed: nothing changes any more, and the leader is never credited twice.
    with pytest.raises(ValidationError):
        services.cycle_close(acting_user=w.studio_leader, cycle=cycle)
    with pytest.raises(ValidationError):
        services.plan_version_add(acting_user=w.trainee, cycle=cycle, body="第三版")
    assert HoursEntry.objects.filter(trainee=w.studio_leader).count() == 1


def test_plans_side_by_side_with_versions_and_comments(lw, client):
    w = lw
    client.force_login(w.trainee)
    client.post(f"/studios/plan-versions/{w.plan_version.pk}/comments/", {"body": "谢谢建议"})
    page = client.get(f"/studios/cycles/{w.cycle.pk}/").content.decode()
    for text in ("学员甲", "导师甲", "以生活中的圆导入", "以画圆活动导入", "导入可以更短", "谢谢建议"):
        assert text in page


def test_scheduling_a_lesson_tells_the_studio_and_puts_it_in_their_calendars(lw):
    w = lw
    starts = timezone.now() + datetime.timedelta(hours=5)
    lesson = services.lesson_schedule(
        acting_user=w.mentor,
        cycle=w.cycle,
        plan=w.other_plan,
        classroom="合肥一中 录播教室",
        online_link="https://meeting.example.com/j/9",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=40),
    )
    told = set(
        Notification.objects.filter(kind="studios.lesson", target_id=lesson.pk).values_list("recipient", flat=True)
    )
    assert told == {w.studio_leader.pk, w.mentor.pk, w.trainee.pk}
    notification = Notification.objects.get(kind="studios.lesson", target_id=lesson.pk, recipient=w.trainee)
    assert notification.url == f"/studios/lessons/{lesson.pk}/"
    assert any(event.uid == f"studios-lesson-{lesson.pk}@yingzi" for event in lesson_events(user=w.trainee))
    assert lesson_events(user=w.other_trainee) == []
    # The day-before reminder: found once, however often beat runs.
    first = [reminder for reminder in lessons_soon(timezone.now()) if reminder.target == lesson]
    again = [reminder for reminder in lessons_soon(timezone.now()) if reminder.target == lesson]
    assert {reminder.recipient.pk for reminder in first} == told and again == []


def test_bad_lesson_input_is_refused_and_changes_nothing(lw):
    w = lw
    now = timezone.now()
    with pytest.raises(ValidationError, match="结束时间必须晚于开始时间|end after it starts"):
        services.lesson_schedule(
            acting_user=w.mentor, cycle=w.cycle, plan=w.plan, classroom="教室", starts_at=now, ends_at=now
        )
    assert w.cycle.lessons.count() == 1


def test_a_cohort_runs_a_cycle_for_its_members_only(world, client):
    w = world
    from studios.models import ObservationTemplate

    platform = ObservationTemplate.objects.create(name="通用课堂观察量表")
    ObservationItem.objects.create(template=platform, dimension="教学目标", text="目标清晰")
    client.force_login(w.coordinator)
    client.post(
        f"/studios/cohorts/{w.cohort.pk}/cycles/", {"topic": "跨省同课异构：分数的意义", "template": platform.pk}
    )
    cycle = Cycle.objects.get(cohort=w.cohort)
    client.force_login(w.trainee)
    assert client.get(f"/studios/cycles/{cycle.pk}/").status_code == 200
    client.force_login(w.other_trainee)
    assert client.get(f"/studios/cycles/{cycle.pk}/").status_code == 404
    # A trainee does not start cycles for the cohort.
    client.force_login(w.trainee)
    assert (
        client.post(f"/studios/cohorts/{w.cohort.pk}/cycles/", {"topic": "x", "template": platform.pk}).status_code
        == 403
    )


def test_studio_hours_are_described_for_the_credit_bank(lw):
    w = lw
    participation, _new = services.credit.participation_credit(
        cycle=w.cycle, lesson=w.lesson, person=w.trainee, kind="on_site", hours=Decimal("2.0")
    )
    description = describe_participations([participation.pk])[participation.pk]
    assert description.title == "教研：圆的认识" and description.issuing_region_id == w.studio.region_id
