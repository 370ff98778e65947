"""Observation sheet templates: platform sheets by staff and coordinators, studio sheets by their leaders, copies,
items edited and reordered without changing what answers meant; and the daily cap on a submitted sheet's hours."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from studios import services
from studios.models import Cycle, ObservationItem, ObservationSheet, ObservationTemplate, Participation
from tests.factories.studios import lesson_study_world, make_template, platform_template_world
from training.models import HoursEntry, HoursSource
from training.services import hours_credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def lw(world):
    return platform_template_world(lesson_study_world(world))


def _items_data(template, rows, *, extra=()):
    """The items formset as the page posts it: `rows` are (item, dimension, text, remove) for existing items."""
    data = {"action": "items", "items-INITIAL_FORMS": str(len(rows)), "items-MIN_NUM_FORMS": "0"}
    data["items-MAX_NUM_FORMS"] = "100"
    for index, (item, dimension, text, remove) in enumerate(rows):
        data[f"items-{index}-item"] = str(item.pk)
        data[f"items-{index}-dimension"] = dimension
        data[f"items-{index}-text"] = text
        if remove:
            data[f"items-{index}-remove"] = "on"
    for offset, (dimension, text) in enumerate(extra, start=len(rows)):
        data[f"items-{offset}-dimension"] = dimension
        data[f"items-{offset}-text"] = text
    data["items-TOTAL_FORMS"] = str(len(rows) + len(extra))
    return data


def _unchanged(template):
    return [(item.dimension, item.text) for item in template.items.order_by("position", "pk")]


def _texts(template):
    return [item.text for item in ObservationTemplate.objects.get(pk=template.pk).items.order_by("position", "pk")]


def test_a_coordinator_makes_a_platform_sheet_and_a_cohort_cycle_picks_it(lw, client):
    w = lw
    client.force_login(w.coordinator)
    cycles_page = client.get(f"/studios/cohorts/{w.cohort.pk}/cycles/").content.decode()
    assert 'href="/studios/observation-sheets/"' in cycles_page
    page = client.get("/studios/observation-sheets/").content.decode()
    assert "平台观察量表" in page and "通用课堂观察量表" in page

    response = client.post(
        "/studios/observation-sheets/",
        {"name": "跨省同课异构观察表", "scale_min": "1", "scale_max": "4", "notes_prompt": "您最想借鉴的做法"},
    )
    template = ObservationTemplate.objects.get(name="跨省同课异构观察表")
    assert template.studio is None and response["Location"] == f"/studios/observation-sheets/{template.pk}/"
    client.post(
        f"/studios/observation-sheets/{template.pk}/",
        _items_data(template, [], extra=[("教学目标", "目标清晰"), ("学生学习", "学生主动提问")]),
    )
    assert _texts(template) == ["目标清晰", "学生主动提问"]
    # The second item moves up; the form page then lists it first.
    second = template.items.get(text="学生主动提问")
    client.post(f"/studios/observation-items/{second.pk}/move/", {"direction": "up"})
    assert _texts(template) == ["学生主动提问", "目标清晰"]
    page = client.get(f"/studios/observation-sheets/{template.pk}/").content.decode()
    assert page.index('value="学生主动提问"') < page.index('value="目标清晰"')
    # Rewording an item nobody has scored is a plain edit.
    first, other = template.items.order_by("position")
    client.post(
        f"/studios/observation-sheets/{template.pk}/",
        _items_data(template, [(first, "学生学习", "学生主动提出问题", False), (other, "教学目标", "目标清晰", False)]),
    )
    assert _texts(template) == ["学生主动提出问题", "目标清晰"]

    client.post(f"/studios/cohorts/{w.cohort.pk}/cycles/", {"topic": "分数的意义", "template": template.pk})
    assert Cycle.objects.get(cohort=w.cohort).template == template


def test_a_studio_leader_copies_the_platform_sheet_into_the_studio_and_adapts_the_copy(lw, client):
    w = lw
    client.force_login(w.mentor)  # a co-leader of the studio
    page = client.get(f"/studios/{w.studio.pk}/observation-sheets/").content.decode()
    assert "复制到本工作室" in page
    response = client.post(
        f"/studios/observation-sheets/{w.platform_template.pk}/copy/", {"studio": str(w.studio.pk)}, follow=True
    )
    copy = ObservationTemplate.objects.get(studio=w.studio, name="通用课堂观察量表（副本）")
    assert response.redirect_chain[-1][0] == f"/studios/observation-sheets/{copy.pk}/"
    assert _unchanged(copy) == _unchanged(w.platform_template)
    assert (copy.scale_min, copy.scale_max, copy.notes_prompt) == (1, 5, "您的建议")
    first = copy.items.order_by("position").first()
    client.post(f"/studios/observation-items/{first.pk}/remove/")
    assert _texts(copy) == ["学生参与度高", "提问有层次"]
    assert len(_texts(w.platform_template)) == 3
    # A co-leader does not copy onto the platform.
    assert client.post(f"/studios/observation-sheets/{copy.pk}/copy/").status_code == 403


def test_removing_a_scored_item_is_refused_in_the_readers_language_and_nothing_changes(lw, client):
    w = lw
    client.force_login(w.studio_leader)
    before = _unchanged(w.template)
    rows = [
        (w.items[0], w.items[0].dimension, w.items[0].text, True),  # scored: refused
        (w.items[1], "学生学习", "学生参与面广", False),  # a change that would be fine alone
        (w.items[2], w.items[2].dimension, w.items[2].text, False),
    ]
    response = client.post(
        f"/studios/observation-sheets/{w.template.pk}/",
        _items_data(w.template, rows, extra=[("课堂文化", "氛围民主")]),
        follow=True,
    )
    assert "已有观课人对“目标清晰、可检测”评分，该条目须保留" in response.content.decode()
    assert _unchanged(w.template) == before
    # The same in English.
    response = client.post(
        f"/en/studios/observation-sheets/{w.template.pk}/", _items_data(w.template, rows), follow=True
    )
    assert "it stays so that their answers keep their meaning" in response.content.decode()
    assert _unchanged(w.template) == before


def test_a_scored_item_keeps_its_wording_but_the_sheet_may_be_renamed_reordered_and_grown(lw, client):
    w = lw
    client.force_login(w.studio_leader)
    scored = w.scored_item
    rows = [(scored, scored.dimension, "目标清晰", False), (w.items[1], w.items[1].dimension, w.items[1].text, False)]
    response = client.post(f"/studios/observation-sheets/{w.template.pk}/", _items_data(w.template, rows), follow=True)
    assert "其表述须保持不变" in response.content.decode()
    assert ObservationItem.objects.get(pk=scored.pk).text == "目标清晰、可检测"
    page = client.get(f"/studios/observation-sheets/{w.template.pk}/").content.decode()
    assert "已有观课人填写此量表" in page and "readonly" in page

    client.post(f"/studios/observation-items/{scored.pk}/move/", {"direction": "down"})
    client.post(
        f"/studios/observation-sheets/{w.template.pk}/",
        {"action": "settings", "name": "课堂观察量表（修订）", "scale_min": "1", "scale_max": "5", "notes_prompt": ""},
    )
    client.post(
        f"/studios/observation-sheets/{w.template.pk}/", _items_data(w.template, [], extra=[("课堂文化", "氛围民主")])
    )
    template = ObservationTemplate.objects.get(pk=w.template.pk)
    assert template.name == "课堂观察量表（修订）" and template.notes_prompt == ""
    assert _texts(template) == ["学生参与度高", "目标清晰、可检测", "提问有层次", "氛围民主"]
    # The scored answer still points at the same item, with the same wording.
    assert scored.answers.get().value == 4


def test_a_scale_whose_highest_score_is_not_above_the_lowest_is_refused(lw, client):
    w = lw
    client.force_login(w.staff)
    response = client.post(
        "/studios/observation-sheets/", {"name": "倒置的量表", "scale_min": "5", "scale_max": "5"}, follow=True
    )
    assert "最高分须高于最低分" in response.content.decode()
    assert not ObservationTemplate.objects.filter(name="倒置的量表").exists()
    platform = w.platform_template
    response = client.post(
        f"/studios/observation-sheets/{platform.pk}/",
        {"action": "settings", "name": platform.name, "scale_min": "4", "scale_max": "2"},
        follow=True,
    )
    assert "最高分须高于最低分" in response.content.decode()
    platform.refresh_from_db()
    assert (platform.scale_min, platform.scale_max) == (1, 5)
    # A new item needs both its dimension and what observers look for.
    response = client.post(
        f"/studios/observation-sheets/{platform.pk}/", _items_data(platform, [], extra=[("", "只有内容")]), follow=True
    )
    assert "请填写条目的维度和观察要点" in response.content.decode()
    assert platform.items.count() == 3


@pytest.mark.parametrize(
    ("role", "platform", "studio_sheet", "studio_list"),
    [
        ("coordinator", 200, 404, 404),
        ("other_coordinator", 200, 404, 404),
        ("staff", 200, 200, 200),
        ("mentor", 404, 200, 200),  # co-leads the studio, coordinates no cohort
        ("trainee", 404, 404, 403),  # a member of the studio, not a leader
        ("regional_admin", 404, 404, 404),
    ],
)
def test_who_edits_which_sheets(lw, client, role, platform, studio_sheet, studio_list):
    w = lw
    client.force_login(w.person(role))
    assert client.get(f"/studios/observation-sheets/{w.platform_template.pk}/").status_code == platform
    assert client.get(f"/studios/observation-sheets/{w.template.pk}/").status_code == studio_sheet
    assert client.get(f"/studios/{w.studio.pk}/observation-sheets/").status_code == studio_list
    before = _unchanged(w.template)
    response = client.post(
        f"/studios/observation-sheets/{w.template.pk}/", _items_data(w.template, [], extra=[("维度", "新条目")])
    )
    assert response.status_code == (302 if studio_sheet == 200 else 404)
    if studio_sheet != 200:
        assert _unchanged(w.template) == before


def test_the_studio_page_links_its_leaders_to_the_sheets(lw, client):
    w = lw
    link = f'href="/studios/{w.studio.pk}/observation-sheets/"'
    client.force_login(w.mentor)
    assert link in client.get(f"/studios/{w.studio.pk}/").content.decode()
    client.force_login(w.trainee)
    assert link not in client.get(f"/studios/{w.studio.pk}/").content.decode()


def test_the_sheet_pages_render_in_the_same_number_of_queries_for_3_and_30_items(lw, client):
    w = lw
    client.force_login(w.coordinator)
    few_sheet = make_template(None, name="三条", items=[("维度", f"条目{n}") for n in range(3)])
    client.get(f"/studios/observation-sheets/{few_sheet.pk}/")  # the session, cached once
    with CaptureQueriesContext(connection) as few:
        client.get(f"/studios/observation-sheets/{few_sheet.pk}/")
    with CaptureQueriesContext(connection) as few_list:
        client.get("/studios/observation-sheets/")
    many_sheet = make_template(None, name="三十条", items=[("维度", f"条目{n}") for n in range(30)])
    for n in range(20):
        make_template(None, name=f"量表{n}")
    with CaptureQueriesContext(connection) as many:
        assert "条目29" in client.get(f"/studios/observation-sheets/{many_sheet.pk}/").content.decode()
    with CaptureQueriesContext(connection) as many_list:
        assert "量表19" in client.get("/studios/observation-sheets/").content.decode()
    assert len(many) == len(few)
    assert len(many_list) == len(few_list)


# --- The daily cap on a submitted sheet's hours ---------------------------------------------------


def _fill(client, w):
    return {f"item-{item.pk}": "4" for item in w.items}


def _day_hours(person, day):
    return sum(HoursEntry.objects.filter(trainee=person, occurred_on=day).values_list("hours", flat=True), Decimal(0))


def test_a_sheet_submitted_on_a_nearly_full_day_is_kept_and_credits_what_fits(lw, client):
    w = lw
    day = timezone.localdate(w.lesson.starts_at)
    hours_credit(trainee=w.trainee, hours=Decimal("23"), source=HoursSource.ATTENDANCE, occurred_on=day)
    client.force_login(w.trainee)
    response = client.post(
        f"/studios/lessons/{w.lesson.pk}/sheet/", {**_fill(client, w), "action": "submit"}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/studios/lessons/{w.lesson.pk}/summary/"
    assert "您的观察量表已提交" in page and "本节课2学时中只记入了1学时" in page and "您的量表照常保留" in page
    assert ObservationSheet.objects.get(lesson=w.lesson, observer=w.trainee).submitted_at is not None
    attendance = Participation.objects.get(lesson=w.lesson, person=w.trainee)
    assert attendance.kind == Participation.Kind.ONLINE and attendance.hours == Decimal("1")
    assert HoursEntry.objects.get(trainee=w.trainee, source=HoursSource.STUDIO).hours == Decimal("1")
    assert _day_hours(w.trainee, day) == Decimal("24")
    # Once per lesson: a check-in afterwards credits nothing more.
    with pytest.raises(ValidationError, match="学时只计一次"):
        services.lesson_check_in(acting_user=w.studio_leader, lesson=w.lesson, person=w.trainee)
    assert _day_hours(w.trainee, day) == Decimal("24")


def test_a_sheet_submitted_on_a_full_day_is_kept_and_credits_nothing_with_a_reason(lw, client):
    w = lw
    day = timezone.localdate(w.lesson.starts_at)
    hours_credit(trainee=w.mentor, hours=Decimal("24"), source=HoursSource.EVENT, occurred_on=day)
    client.force_login(w.mentor)
    client.post(f"/studios/lessons/{w.lesson.pk}/sheet/", {**_fill(client, w), "action": "save"})
    response = client.post(f"/en/studios/lessons/{w.lesson.pk}/sheet/", {"action": "submit"}, follow=True)
    page = response.content.decode()
    assert "No hours are credited for this lesson" in page and "daily limit of 24" in page
    assert ObservationSheet.objects.get(lesson=w.lesson, observer=w.mentor).submitted_at is not None
    assert Participation.objects.get(lesson=w.lesson, person=w.mentor).hours == 0
    assert not HoursEntry.objects.filter(trainee=w.mentor, source=HoursSource.STUDIO).exists()
    # The sheet counts in the summary all the same.
    assert "1 sheet" in client.get(f"/en/studios/lessons/{w.lesson.pk}/summary/").content.decode()


def test_a_check_in_on_a_full_day_records_the_attendance_and_says_the_hours_were_capped(lw, client):
    w = lw
    day = timezone.localdate(w.lesson.starts_at)
    hours_credit(trainee=w.trainee, hours=Decimal("22.5"), source=HoursSource.ATTENDANCE, occurred_on=day)
    client.force_login(w.studio_leader)
    response = client.post(f"/studios/lessons/{w.lesson.pk}/check-in/", {"email": w.trainee.email}, follow=True)
    assert "只记入了1.5学时" in response.content.decode()
    assert Participation.objects.get(lesson=w.lesson, person=w.trainee).hours == Decimal("1.5")
    assert _day_hours(w.trainee, day) == Decimal("24")
