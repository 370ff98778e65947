"""Per-item ways of answering an observation sheet: ratings on their own scale, choices among the studio's options,
written notes; each saved piece by piece, refused when it does not fit, and summarised by its kind."""

from statistics import mean

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import versioned
from studios import services
from studios.freshness import lesson_token
from studios.models import ItemKind, ObservationAnswer, ObservationItem, ObservationSheet
from studios.selectors import lesson_summary
from tests.factories.accounts import make_user
from tests.factories.studios import add_studio_member, lesson_study_world

pytestmark = pytest.mark.django_db

LEVELS = ["优", "良", "中", "差"]


@pytest.fixture
def kw(world):
    """The lesson-study world's sheet, plus a 0–3 rating, a choice (优/良/中/差) and a note item."""
    w = lesson_study_world(world)
    add = services.template_item_add
    w.rating = add(
        acting_user=w.studio_leader,
        template=w.template,
        dimension="课堂文化",
        text="师生互动",
        scale_min=0,
        scale_max=3,
    )
    w.choice = add(
        acting_user=w.studio_leader,
        template=w.template,
        dimension="学生学习",
        text="目标达成",
        kind="choice",
        options=LEVELS,
    )
    w.note = add(
        acting_user=w.studio_leader, template=w.template, dimension="课堂文化", text="值得借鉴之处", kind="note"
    )
    return w


def _answer(client, lesson, item, value):
    return client.post(f"/studios/lessons/{lesson.pk}/sheet/answer/", {"item": item.pk, "value": value})


def _fill(person, w, n):
    """A whole sheet: scores and a choice that vary with `n`, and a note from every other observer."""
    for index, item in enumerate(w.items):
        services.sheet_answer_save(acting_user=person, lesson=w.lesson, item_id=item.pk, value=1 + (n + index) % 5)
    services.sheet_answer_save(acting_user=person, lesson=w.lesson, item_id=w.rating.pk, value=n % 4)
    services.sheet_answer_save(acting_user=person, lesson=w.lesson, item_id=w.choice.pk, value=1 + (n * 7) % 3)
    if n % 2:
        services.sheet_answer_save(acting_user=person, lesson=w.lesson, item_id=w.note.pk, value=f"小组合作 {n}")


def _observers(w, count, *, offset=0):
    people = []
    for n in range(offset, offset + count):
        person = make_user(email=f"kind-observer-{n}@example.com", display_name=f"观课教师{n}")
        add_studio_member(w.studio, person)
        _fill(person, w, n)
        services.sheet_submit(acting_user=person, lesson=w.lesson)
        people.append(person)
    return people


def test_each_item_is_answered_its_own_way_piece_by_piece_and_the_sheet_shows_it(kw, client):
    w = kw
    client.force_login(w.trainee)
    page = client.get(f"/studios/lessons/{w.lesson.pk}/sheet/").content.decode()
    # Buttons for a rating on its own scale and for the options; a text box for the note.
    assert f'name="item-{w.rating.pk}" value="0"' in page and f'name="item-{w.rating.pk}" value="4"' not in page
    assert f'value="2" data-item="{w.choice.pk}"> 良' in page
    assert f'<textarea id="item-{w.note.pk}" name="item-{w.note.pk}"' in page
    assert _answer(client, w.lesson, w.rating, "0").json() == {"saved": True}
    assert _answer(client, w.lesson, w.choice, "3").json() == {"saved": True}
    assert _answer(client, w.lesson, w.note, "  板书清楚\n提问有层次 ").json() == {"saved": True}
    sheet = ObservationSheet.objects.get(lesson=w.lesson, observer=w.trainee)
    saved = {item_id: (value, text) for item_id, value, text in sheet.answers.values_list("item_id", "value", "text")}
    assert saved == {w.rating.pk: (0, ""), w.choice.pk: (3, ""), w.note.pk: (None, "板书清楚\n提问有层次")}
    page = client.get(f"/studios/lessons/{w.lesson.pk}/sheet/").content.decode()
    assert f'value="3" data-item="{w.choice.pk}" checked> 中' in page and "板书清楚\n提问有层次</textarea>" in page
    # A note emptied is no note; a sheet is complete without notes.
    assert _answer(client, w.lesson, w.note, "").json() == {"saved": True}
    assert not sheet.answers.filter(item=w.note).exists()
    for item in w.items:
        _answer(client, w.lesson, item, "4")
    response = client.post(f"/studios/lessons/{w.lesson.pk}/sheet/", {"action": "submit"})
    assert response["Location"] == f"/studios/lessons/{w.lesson.pk}/summary/"
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None


def test_the_plain_form_saves_choices_and_notes_too(kw, client):
    w = kw
    client.force_login(w.mentor)
    data = {f"item-{item.pk}": "3" for item in w.items}
    data.update(
        {f"item-{w.rating.pk}": "2", f"item-{w.choice.pk}": "1", f"item-{w.note.pk}": "节奏好", "action": "save"}
    )
    client.post(f"/studios/lessons/{w.lesson.pk}/sheet/", data)
    sheet = ObservationSheet.objects.get(lesson=w.lesson, observer=w.mentor)
    assert sheet.answers.get(item=w.choice).value == 1 and sheet.answers.get(item=w.note).text == "节奏好"


def test_an_answer_that_is_not_one_of_the_items_options_or_on_its_scale_is_refused_and_saves_nothing(kw, client):
    w = kw
    client.force_login(w.trainee)
    response = _answer(client, w.lesson, w.choice, "5")
    assert response.status_code == 400
    assert response.json()["error"] == "“目标达成”请从选项中选择：优 / 良 / 中 / 差。"
    for value in ("0", "优", "", "1.0"):
        assert _answer(client, w.lesson, w.choice, value).status_code == 400
    refused = _answer(client, w.lesson, w.rating, "4")
    assert refused.status_code == 400 and refused.json()["error"] == "评分须为 0 到 3 之间的整数。"
    assert _answer(client, w.lesson, w.note, "长" * 5001).status_code == 400
    # What the form itself refuses comes back the same way, in the reader's language.
    junk = client.post(f"/studios/lessons/{w.lesson.pk}/sheet/answer/", {"item": "x", "value": "1"})
    assert junk.status_code == 400 and junk.json() == {"saved": False, "error": "该条目不在本节课的观察量表上。"}
    assert not ObservationAnswer.objects.filter(sheet__observer=w.trainee).exists()
    # The plain form checks every answer before saving any.
    client.post(
        f"/studios/lessons/{w.lesson.pk}/sheet/",
        {f"item-{w.rating.pk}": "1", f"item-{w.choice.pk}": "9", "action": "save"},
    )
    assert not ObservationAnswer.objects.filter(sheet__observer=w.trainee).exists()
    client.force_login(w.studio_leader)
    response = client.post(
        f"/studios/observation-sheets/{w.template.pk}/", {"action": "rename"}, follow=True
    ).content.decode()
    assert "页面发送了未知的修改" in response


def test_the_summarys_figures_equal_those_computed_from_the_raw_answers_for_each_kind(kw, client):
    w = kw
    people = _observers(w, 9)
    # A sheet being filled does not count.
    _fill(w.trainee, w, 1)
    summary = lesson_summary(lesson=w.lesson)
    assert summary.sheets_count == 9
    submitted = ObservationAnswer.objects.filter(sheet__lesson=w.lesson, sheet__submitted_at__isnull=False)
    rows = {row.item.pk: row for row in summary.items}
    for item in [*w.items, w.rating]:
        raw = list(submitted.filter(item=item).values_list("value", flat=True))
        row = rows[item.pk]
        assert row.count == len(raw) == 9 and row.mean == pytest.approx(mean(raw))
        assert [(score, count) for score, count, _share in row.distribution] == [(s, raw.count(s)) for s in item.scale]
    raw = list(submitted.filter(item=w.choice).values_list("value", flat=True))
    choice = rows[w.choice.pk]
    assert choice.count == len(raw) and choice.mean is None
    assert choice.distribution == [
        (label, raw.count(number), round(100 * raw.count(number) / len(raw))) for number, label in enumerate(LEVELS, 1)
    ]
    notes = rows[w.note.pk]
    texts = list(submitted.filter(item=w.note).order_by("sheet__submitted_at").values_list("text", flat=True))
    assert [text for _sheet, text in notes.notes] == texts and notes.count == 4
    assert [sheet.observer for sheet, _text in notes.notes] == [people[n] for n in (1, 3, 5, 7)]

    client.force_login(w.trainee)
    page = client.get(f"/studios/lessons/{w.lesson.pk}/summary/").content.decode()
    assert "已提交 9 份量表" in page and "小组合作 7" in page and "观课教师7" in page
    share = choice.distribution[0]
    assert f"优 {share[1]} ({share[2]}%)" in page
    assert f"{rows[w.rating.pk].mean:.2f}" in page


def test_the_summary_with_every_kind_renders_in_the_same_number_of_queries_for_3_and_30_sheets(kw, client):
    w = kw
    client.force_login(w.trainee)
    _observers(w, 3)
    url = f"/studios/lessons/{w.lesson.pk}/summary/"
    client.get(url)
    versioned.renew(lesson_token(w.lesson.pk))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _observers(w, 27, offset=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "已提交 30 份量表" in response.content.decode() and "小组合作 29" in response.content.decode()
    assert len(many) == len(few)


def test_leaders_set_each_items_kind_scale_and_options_until_it_is_answered(kw, client):
    w = kw
    client.force_login(w.studio_leader)
    items = list(w.template.items.order_by("position", "pk"))
    data = {"action": "items", "items-INITIAL_FORMS": str(len(items)), "items-MIN_NUM_FORMS": "0"}
    data["items-MAX_NUM_FORMS"] = "100"
    for index, item in enumerate(items):
        data.update(
            {
                f"items-{index}-item": str(item.pk),
                f"items-{index}-dimension": item.dimension,
                f"items-{index}-text": item.text,
                f"items-{index}-kind": item.kind,
                f"items-{index}-scale_min": str(item.scale_min) if item.is_rating else "",
                f"items-{index}-scale_max": str(item.scale_max) if item.is_rating else "",
                f"items-{index}-options": "\n".join(item.options),
            }
        )
    new = len(items)
    data.update(
        {
            f"items-{new}-dimension": "教学目标",
            f"items-{new}-text": "目标是否达成",
            f"items-{new}-kind": "choice",
            f"items-{new}-options": "是\n否\n",
            "items-TOTAL_FORMS": str(new + 1),
        }
    )
    # The unanswered choice gets a fifth option, the unanswered rating another scale.
    choice_index, rating_index = items.index(w.choice), items.index(w.rating)
    data[f"items-{choice_index}-options"] = "优\n良\n中\n差\n待改进"
    data[f"items-{rating_index}-scale_max"] = "4"
    client.post(f"/studios/observation-sheets/{w.template.pk}/", data)
    added = ObservationItem.objects.get(template=w.template, text="目标是否达成")
    assert added.kind == ItemKind.CHOICE and added.options == ["是", "否"]
    assert ObservationItem.objects.get(pk=w.choice.pk).options == [*LEVELS, "待改进"]
    assert ObservationItem.objects.get(pk=w.rating.pk).scale == range(0, 5)

    # Once answered, neither a scale nor options change: a clear message, and nothing is saved.
    services.sheet_answer_save(acting_user=w.trainee, lesson=w.lesson, item_id=w.choice.pk, value=1)
    before = list(ObservationItem.objects.filter(template=w.template).values().order_by("pk"))
    data[f"items-{choice_index}-options"] = "好\n不好"
    data[f"items-{rating_index}-scale_max"] = "3"
    data[f"items-{new}-item"] = str(added.pk)
    data["items-INITIAL_FORMS"] = str(new + 1)
    page = client.post(f"/studios/observation-sheets/{w.template.pk}/", data, follow=True).content.decode()
    assert "已有观课人回答“目标达成”" in page
    assert list(ObservationItem.objects.filter(template=w.template).values().order_by("pk")) == before
    scored = client.get(f"/studios/observation-sheets/{w.template.pk}/").content.decode()
    assert "优\n良\n中\n差\n待改进</textarea>" in scored

    # A choice needs two distinct options; a rating a proper scale.
    with pytest.raises(ValidationError, match="两到十个"):
        services.template_item_add(
            acting_user=w.studio_leader, template=w.template, dimension="甲", text="乙", kind="choice", options=["是"]
        )
    with pytest.raises(ValidationError):
        services.template_item_add(
            acting_user=w.studio_leader, template=w.template, dimension="甲", text="乙", scale_min=3, scale_max=3
        )


def test_a_copy_keeps_each_items_way_of_answering(kw):
    w = kw
    copy = services.template_copy(acting_user=w.studio_leader, template=w.template, studio=w.studio)
    kinds = [(item.kind, item.scale_min, item.scale_max, item.options) for item in copy.items.all()]
    originals = [(item.kind, item.scale_min, item.scale_max, item.options) for item in w.template.items.all()]
    assert kinds == originals and (ItemKind.CHOICE, 1, 5, LEVELS) in kinds


def test_bad_moves_and_copies_are_refused_with_a_message(kw, client):
    w = kw
    client.force_login(w.studio_leader)
    order = list(w.template.items.values_list("pk", flat=True))
    page = client.post(
        f"/studios/observation-items/{w.items[1].pk}/move/", {"direction": "sideways"}, follow=True
    ).content.decode()
    assert "上移或下移" in page and list(w.template.items.values_list("pk", flat=True)) == order
    count = type(w.template).objects.count()
    page = client.post(
        f"/studios/observation-sheets/{w.template.pk}/copy/", {"studio": "工作室"}, follow=True
    ).content.decode()
    assert "没有这个工作室" in page and type(w.template).objects.count() == count
