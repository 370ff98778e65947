"""The coordinator's ranking: a frozen round read from what freezing stored, paged by category, constant queries."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import versioned
from contests.models import Assignment, Entrant, Round, RoundStatus, Score
from contests.selectors import ranked_entries, ranking_page, round_progress, stored_ranking
from contests.services import (
    entrant_nominate,
    round_assign,
    round_freeze,
    round_publish,
    round_reopen,
    score_correct,
    score_submit,
)
from tests.contests.builders import build_contest, contests_cache_calls, score_everything, seat_judges

pytestmark = pytest.mark.django_db


def _nominate(world, count: int, start: int = 0) -> None:
    """`count` more teachers of the four regions in turn, from the `start`-th already nominated."""
    for n in range(start, start + count):
        region = world.regions[n % 4]
        entrant_nominate(
            category=world.category,
            person=world.teachers[region.code][n // 4],
            acting_user=world.regional_admins[region.code],
        )


def _judged_and_frozen(world, value_of=lambda a: Decimal(60 + a.entrant_id % 40)) -> None:
    Score.objects.filter(item__round=world.preliminary).delete()
    round_assign(round_=world.preliminary, acting_user=world.coordinator)
    score_everything(world.preliminary, value_of)
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)


@pytest.fixture
def world():
    world = build_contest(quota=8)
    seat_judges(world)
    return world


def _queries(client, url) -> int:
    client.get(url)  # the first visit fills per-person caches that any page fills
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


TABLE = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')


def _names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def test_a_frozen_rounds_ranking_reads_the_same_number_of_queries_for_3_and_30_entrants(client, world):
    url = f"/contests/rounds/{world.preliminary.pk}/ranking/"
    client.force_login(world.coordinator)
    _nominate(world, 3)
    _judged_and_frozen(world)
    small = _queries(client, url)
    assert len(_names(client.get(url).content.decode())) == 3

    round_reopen(round_=world.preliminary, acting_user=world.coordinator)
    _nominate(world, 27, start=3)
    _judged_and_frozen(world)
    html = client.get(url).content.decode()
    assert len(_names(html)) == 30
    assert "30 名选手" in html
    assert _queries(client, url) == small


def test_the_stored_ranking_equals_the_one_the_database_computes(world):
    _nominate(world, 12)
    round_ = world.preliminary
    items = list(round_.items.all())
    round_assign(round_=round_, acting_user=world.coordinator)
    # Few distinct values: equal totals, broken by the tie-break item or shared.
    score_everything(round_, lambda a: Decimal(70 + (a.entrant_id + a.item_id) % 3))

    def rows(entries):
        return [
            (row.entrant_id, row.place, row.result_total, [getattr(row, f"item_{item.pk}") for item in items])
            for row in entries
        ]

    computed = rows(ranked_entries(round_))
    open_page = ranking_page(round_, items, category_id=world.category.pk)
    round_freeze(round_=round_, acting_user=world.coordinator)
    round_.refresh_from_db()

    stored = [(row.entrant_id, row.place, row.result_total) for row in stored_ranking(round_)]
    assert stored == [(entrant_id, place, total) for entrant_id, place, total, _items in computed]
    assert len({place for _e, place, _t, _i in computed}) < len(computed)  # some ranks are shared
    frozen_page = ranking_page(round_, items, category_id=world.category.pk)
    assert frozen_page.stored and not open_page.stored
    for page in (open_page, frozen_page):
        assert [(r.entrant_id, r.place, r.result_total, r.item_results) for r in page.rows] == computed


@pytest.mark.parametrize("frozen", [False, True])
def test_paging_the_ranking_shows_each_entrant_once_in_rank_order(client, world, monkeypatch, frozen):
    monkeypatch.setattr("contests.selectors.ranking.RANKING_PAGE_SIZE", 7)
    _nominate(world, 30)
    round_assign(round_=world.preliminary, acting_user=world.coordinator)
    score_everything(world.preliminary, lambda a: Decimal(70 + a.entrant_id % 4))  # many equal totals
    if frozen:
        round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    expected = [row.entrant.person.get_full_name() for row in ranked_entries(world.preliminary)]
    client.force_login(world.coordinator)

    base = f"/contests/rounds/{world.preliminary.pk}/ranking/"
    url, seen, pages = f"{base}?category={world.category.pk}", [], 0
    while url:
        html = client.get(url).content.decode()
        seen += _names(html)
        pages += 1
        following = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = base + following.group(1).replace("&amp;", "&") if following else None
    assert pages == 5
    assert seen == expected and len(set(seen)) == 30


def test_each_category_has_its_own_ranking_and_bad_paging_shows_a_page(client, world):
    _nominate(world, 4)
    _judged_and_frozen(world)
    client.force_login(world.coordinator)
    base = f"/contests/rounds/{world.preliminary.pk}/ranking/"
    teachers = _names(client.get(base).content.decode())
    assert len(teachers) == 4
    students = client.get(f"{base}?category={world.student_category.pk}").content.decode()
    assert _names(students) == [] and "本赛段暂无选手。" in students
    for bad in ("?page=abc", "?page=99", "?category=nonsense"):
        response = client.get(base + bad)
        assert response.status_code == 200
        assert _names(response.content.decode()) == teachers


def test_an_open_rounds_ranking_reads_the_same_number_of_queries_for_3_and_30_entrants(client, world):
    url = f"/contests/rounds/{world.preliminary.pk}/ranking/"
    client.force_login(world.coordinator)
    _nominate(world, 3)
    round_assign(round_=world.preliminary, acting_user=world.coordinator)
    score_everything(world.preliminary)
    small = _queries(client, url)
    assert len(_names(client.get(url).content.decode())) == 3

    Score.objects.filter(item__round=world.preliminary).delete()
    _nominate(world, 27, start=3)
    round_assign(round_=world.preliminary, acting_user=world.coordinator)
    score_everything(world.preliminary)
    html = client.get(url).content.decode()
    assert len(_names(html)) == 30
    assert _queries(client, url) == small


def _places(html: str) -> list[tuple[int, str]]:
    rows = re.findall(r'<td data-label="[^"]+">(\d+)</td>\s*<th scope="row"><a href="[^"]+">([^<]+)</a>', html)
    return [(int(place), name) for place, name in rows]


def test_an_open_rounds_ranking_follows_each_score_and_correction_at_once(client, world):
    """The ranking is kept between views, but a judge's score or a correction shows on the next one."""
    _nominate(world, 4)
    round_ = world.preliminary
    round_assign(round_=round_, acting_user=world.coordinator)
    assignments = list(Assignment.objects.filter(item__round=round_).select_related("item", "judge", "entrant__person"))
    *scored_now, last = assignments
    for assignment in scored_now:
        score_submit(item=assignment.item, entrant_id=assignment.entrant_id, judge=assignment.judge, value=70)
    url = f"/contests/rounds/{round_.pk}/ranking/"
    client.force_login(world.coordinator)
    assert {place for place, _name in _places(client.get(url).content.decode())} == {1}  # all equal so far
    total = len(assignments)
    assert f"{total - 1} of {total} scores given" in client.get("/en" + url).content.decode()

    # The last score puts its entrant ahead of everyone: 100 against 70 on one of their items.
    score = score_submit(item=last.item, entrant_id=last.entrant_id, judge=last.judge, value=100)
    leader = last.entrant.person.get_full_name()
    places = _places(client.get(url).content.decode())
    assert places[0] == (1, leader) and [place for place, _name in places[1:]] == [2, 2, 2]
    assert f"{total} of {total} scores given" in client.get("/en" + url).content.decode()

    # Corrected down to the lowest score, the entrant drops to the bottom.
    score_correct(score=score, acting_user=world.coordinator, value=0, reason="误填")
    places = _places(client.get(url).content.decode())
    assert places[-1] == (4, leader) and [place for place, _name in places[:-1]] == [1, 1, 1]


def test_the_kept_ranking_and_progress_read_only_what_renews_the_rounds_tokens(world):
    """Every table the kept computation reads belongs to a model whose writes renew a contests token."""
    _nominate(world, 6)
    round_ = Round.objects.select_related("contest").get(pk=world.preliminary.pk)
    round_assign(round_=round_, acting_user=world.coordinator)
    score_everything(round_)
    items = list(round_.items.all())
    for status in (RoundStatus.OPEN, RoundStatus.FROZEN):
        round_.status = status
        round_.save(update_fields=["status"])
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            assert ranking_page(round_, items, category_id=world.category.pk).rows  # with the names they show
            round_progress(round_, [item.pk for item in items])
        tables = {table for query in context.captured_queries for table in TABLE.findall(query["sql"])}
        read = {model for model in apps.get_models() if model._meta.db_table in tables}
        wired = versioned.wired_models()
        unwired = {model._meta.label for model in read if "contests" not in wired.get(model, [])}
        assert Score in read and {"accounts.User", "accounts.Region"} <= {model._meta.label for model in read}
        assert unwired == set()


def test_a_ranking_page_seen_again_reads_only_the_round_and_who_may_see_it(client, world):
    """Items, categories, figures and the rows as printed are kept: the page reads the round, in one query,
    with who may see it and the pks its kept tokens are named after; no entrant, score or name."""
    url = f"/contests/rounds/{world.preliminary.pk}/ranking/"
    client.force_login(world.coordinator)
    _nominate(world, 12)
    _judged_and_frozen(world)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    contests_queries = [query["sql"] for query in context.captured_queries if '"contests_' in query["sql"]]
    assert len(contests_queries) == 1
    assert set(TABLE.findall(contests_queries[0])) == {
        "contests_round",
        "contests_contest",
        "contests_item",  # the round's tie-break item and its items' pks
        "contests_category",  # the pks of its contest's categories
        "contests_contestcoordinator",  # whether this person runs the contest
    }


def test_the_kept_ranking_follows_a_renamed_entrant_region_and_a_new_category(client, world):
    """The rows are kept as printed, names included: a rename or a new category shows on the next view."""
    _nominate(world, 4)
    _judged_and_frozen(world)
    url = f"/contests/rounds/{world.preliminary.pk}/ranking/"
    client.force_login(world.coordinator)
    html = client.get(url).content.decode()
    entrant = world.preliminary.entries.select_related("entrant__person", "entrant__region").first().entrant
    assert entrant.person.get_full_name() in _names(html)

    entrant.person.display_name = "改名后的老师"
    entrant.person.save()
    assert "改名后的老师" in _names(client.get(url).content.decode())

    entrant.region.name = "改名后的地区"
    entrant.region.save()
    assert "改名后的地区" in client.get(url).content.decode()

    world.category.contest.categories.create(name="新增组别", name_en="New category", quota_per_region=1)
    assert "新增组别" in client.get(url).content.decode()
    assert "New category" in client.get("/en" + url).content.decode()


def test_a_ranking_page_seen_again_asks_the_cache_once(client, world):
    """The page as shown and the tokens it was kept under are read in one round trip, whatever the round's size."""
    url = f"/contests/rounds/{world.preliminary.pk}/ranking/"
    client.force_login(world.coordinator)
    _nominate(world, 12)
    round_assign(round_=world.preliminary, acting_user=world.coordinator)
    score_everything(world.preliminary)
    client.get(url)
    calls = contests_cache_calls(client, url)
    assert [name for name, _keys in calls] == ["get_many"], calls
    assert "ranking-view" in calls[0][1]


def test_freezing_reopening_and_publishing_show_on_the_next_view(client, world):
    """The page is kept, yet the round's status, the stored ranking and its progress follow each step at once."""
    _nominate(world, 4)
    round_ = world.preliminary
    round_assign(round_=round_, acting_user=world.coordinator)
    assignments = list(Assignment.objects.filter(item__round=round_).select_related("item", "judge"))
    *scored_now, last = assignments
    for assignment in scored_now:
        score_submit(item=assignment.item, entrant_id=assignment.entrant_id, judge=assignment.judge, value=70)
    url = f"/en/contests/rounds/{round_.pk}/ranking/"
    client.force_login(world.coordinator)
    total = len(assignments)
    html = client.get(url).content.decode()
    assert "Open for submissions and judging" in html and "Totals and ranks as stored" not in html
    assert f"{total - 1} of {total} scores given" in html

    round_freeze(round_=round_, acting_user=world.coordinator)
    html = client.get(url).content.decode()
    assert "Frozen for review" in html and "Totals and ranks as stored" in html

    round_reopen(round_=round_, acting_user=world.coordinator)
    score_submit(item=last.item, entrant_id=last.entrant_id, judge=last.judge, value=100)
    html = client.get(url).content.decode()
    assert "Totals and ranks as stored" not in html and f"{total} of {total} scores given" in html
    leader = Entrant.objects.select_related("person").get(pk=last.entrant_id).person.get_full_name()
    assert _places(html)[0] == (1, leader)

    round_freeze(round_=round_, acting_user=world.coordinator)
    client.get(url)
    round_publish(round_=round_, acting_user=world.coordinator)
    html = client.get(url).content.decode()
    assert "Results published" in html and "Totals and ranks as stored" in html
    assert _places(html)[0] == (1, leader)


def test_a_correction_to_a_frozen_rounds_score_shows_once_it_is_frozen_again(client, world):
    """A frozen page shows what freezing stored; reopened, corrected and frozen again, the next view shows the new rank."""
    _nominate(world, 4)
    round_ = world.preliminary
    round_assign(round_=round_, acting_user=world.coordinator)
    score_everything(round_, lambda a: Decimal(70))
    high = Score.objects.filter(item__round=round_).select_related("item", "assignment__judge").first()
    round_freeze(round_=round_, acting_user=world.coordinator)
    url = f"/contests/rounds/{round_.pk}/ranking/"
    client.force_login(world.coordinator)
    assert {place for place, _name in _places(client.get(url).content.decode())} == {1}

    round_reopen(round_=round_, acting_user=world.coordinator)
    score_correct(score=high, acting_user=world.coordinator, value=100, reason="漏记加分")
    round_freeze(round_=round_, acting_user=world.coordinator)
    leader = Entrant.objects.select_related("person").get(pk=high.entrant_id).person.get_full_name()
    places = _places(client.get(url).content.decode())
    assert places[0] == (1, leader) and [place for place, _name in places[1:]] == [2, 2, 2]
