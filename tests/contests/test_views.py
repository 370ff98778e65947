"""The pages: scores invisible before publication, the judge's phone form, bad input, constant query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contests.models import Assignment, Entrant, JudgeSeat, RoundStatus, Score, Submission
from contests.services import round_assign, round_freeze, round_publish, score_submit, submission_save
from tests.contests.builders import assigned_contest, build_contest, contests_cache_calls
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged():
    return assigned_contest()


def _score_all(round_):
    for n, assignment in enumerate(Assignment.objects.filter(item__round=round_).select_related("item", "judge")):
        score_submit(
            item=assignment.item,
            entrant_id=assignment.entrant_id,
            judge=assignment.judge,
            value=Decimal(70 + n % 25),
            comment=f"评语{assignment.pk}号",
        )


def test_entrants_see_their_own_scores_after_publication_and_never_others(client, judged):
    world, entrants = judged
    _score_all(world.preliminary)
    mine, other = entrants[0], entrants[1]
    my_comments = [s.comment for s in Score.objects.filter(entrant=mine)]
    other_comments = [s.comment for s in Score.objects.filter(entrant=other)]
    page = f"/en/contests/{world.contest.pk}/"
    client.force_login(mine.person)
    before = client.get(page).content.decode()
    assert not any(comment in before for comment in my_comments + other_comments)
    assert "Scores are shown here once the round's results are published." in before
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    round_publish(round_=world.preliminary, acting_user=world.coordinator)
    after = client.get(page).content.decode()
    assert all(comment in after for comment in my_comments)
    assert not any(comment in after for comment in other_comments)
    # Nobody else sees them: a judge, an office, another entrant.
    for viewer in (world.judges[0], world.regional_admins["sh"], other.person):
        client.force_login(viewer)
        content = client.get(page).content.decode()
        assert not any(comment in content for comment in my_comments), viewer


def test_judge_scores_item_by_item_against_the_rubric(client, judged):
    world, _entrants = judged
    assignment = Assignment.objects.filter(item=world.items[0]).select_related("judge").first()
    client.force_login(assignment.judge)
    url = f"/contests/rounds/{world.preliminary.pk}/items/{world.items[0].pk}/entrants/{assignment.entrant_id}/score/"
    form = client.get(url).content.decode()
    assert "主题明确" in form and 'inputmode="decimal"' in form
    response = client.post(url, {"criterion_0": "35", "criterion_1": "50.5", "comment": "结构清晰"})
    assert response.status_code == 302
    score = Score.objects.get(assignment=assignment)
    assert score.value == Decimal("85.5") and score.criteria == {"0": "35", "1": "50.5"} and score.comment == "结构清晰"
    # Locked: a second submission is refused.
    again = client.post(url, {"value": "60"})
    assert again.status_code == 200 and "已锁定" in again.content.decode()
    assert Score.objects.get(assignment=assignment).value == Decimal("85.5")


def test_the_judges_sheet_shows_each_entrants_category_hand_in_and_score(client, judged):
    world, _entrants = judged
    judge = Assignment.objects.filter(item=world.items[1]).select_related("judge").first().judge
    mine = list(Assignment.objects.filter(judge=judge, item=world.items[1]).select_related("entrant__person"))
    first = mine[0]
    submission_save(item=world.items[1], acting_user=first.entrant.person, link="https://example.com/story")
    score_submit(item=world.items[1], entrant_id=first.entrant_id, judge=judge, value=Decimal("0"))
    client.force_login(judge)
    html = client.get(f"/en/contests/rounds/{world.preliminary.pk}/judge/").content.decode()
    total = Assignment.objects.filter(judge=judge, item__round=world.preliminary).count()
    assert f"1 of {total} scored." in html  # a score of 0 is a score
    html = html[html.index(f'id="item-{world.items[1].pk}"') :]  # the item scored (each entrant is on both)
    row = re.search(rf"Entrant No. {first.entrant_id}</a>\s*<span[^>]*>([^<]*)</span>", html).group(1)
    assert row.split(" · ") == ["Primary", "0", "handed in"]
    other = re.search(rf"Entrant No. {mine[1].entrant_id}</a>\s*<span[^>]*>([^<]*)</span>", html).group(1)
    assert other.split(" · ") == ["Primary", "not scored yet"]


def test_the_kept_judges_sheet_follows_a_score_a_hand_in_and_a_renamed_category_at_once(client, judged):
    """The sheet is kept between views; what changes what it shows is on the next view."""
    world, _entrants = judged
    judge = Assignment.objects.filter(item=world.items[1]).select_related("judge").first().judge
    first = Assignment.objects.filter(judge=judge, item=world.items[1]).select_related("entrant__person").first()
    url = f"/en/contests/rounds/{world.preliminary.pk}/judge/"
    client.force_login(judge)

    def row() -> list[str]:
        html = client.get(url).content.decode()
        html = html[html.index(f'id="item-{world.items[1].pk}"') :]
        return re.search(rf"Entrant No. {first.entrant_id}</a>\s*<span[^>]*>([^<]*)</span>", html).group(1).split(" · ")

    assert row() == ["Primary", "not scored yet"]
    with CaptureQueriesContext(connection) as context:
        assert row() == ["Primary", "not scored yet"]
    assert not any('"contests_assignment"' in query["sql"] for query in context.captured_queries)  # kept
    submission_save(item=world.items[1], acting_user=first.entrant.person, link="https://example.com/story")
    assert row() == ["Primary", "not scored yet", "handed in"]
    score_submit(item=world.items[1], entrant_id=first.entrant_id, judge=judge, value=Decimal("85"))
    assert row() == ["Primary", "85", "handed in"]
    world.category.name_en = "Primary school"
    world.category.save()
    assert row() == ["Primary school", "85", "handed in"]


def test_a_judges_sheet_seen_again_reads_the_round_once_and_asks_the_cache_once(client, judged):
    """The round and the items this judge judges in one query, the sheet as shown in one cache round trip; a seat
    taken away or given shows on the next view."""
    world, _entrants = judged
    judge = Assignment.objects.filter(item=world.items[1]).select_related("judge").first().judge
    url = f"/en/contests/rounds/{world.preliminary.pk}/judge/"
    client.force_login(judge)
    assert f'id="item-{world.items[1].pk}"' in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    assert len([query for query in context.captured_queries if '"contests_' in query["sql"]]) == 1
    calls = contests_cache_calls(client, url)
    assert [name for name, _keys in calls] == ["get_many"], calls

    JudgeSeat.objects.filter(judge=judge, item=world.items[1]).delete()
    html = client.get(url).content.decode()
    assert f'id="item-{world.items[1].pk}"' not in html
    JudgeSeat.objects.filter(judge=judge).delete()
    assert client.get(url).status_code == 404


def test_score_outside_the_scale_on_the_page_is_refused_in_chinese(client, judged):
    world, _entrants = judged
    assignment = Assignment.objects.filter(item=world.items[1]).select_related("judge").first()
    client.force_login(assignment.judge)
    url = f"/contests/rounds/{world.preliminary.pk}/items/{world.items[1].pk}/entrants/{assignment.entrant_id}/score/"
    response = client.post(url, {"value": "120"})
    assert response.status_code == 200
    assert "本项目的分数须在 0 至 100 分之间。" in response.content.decode()
    assert not Score.objects.exists()


def test_recused_judge_is_told_why(client, judged):
    world, entrants = judged
    entrant = entrants[0]
    judge = next(j for j in world.judges if j.profile.region_id == entrant.region_id)
    client.force_login(judge)
    url = f"/en/contests/rounds/{world.preliminary.pk}/items/{world.items[0].pk}/entrants/{entrant.pk}/score/"
    response = client.get(url)
    assert response.status_code == 403 and "recused" in response.content.decode()
    assert client.post(url, {"value": "80"}).status_code == 403
    assert not Score.objects.exists()


def test_nomination_over_quota_on_the_page(client):
    world = build_contest(quota=1)
    admin = world.regional_admins["ah"]
    client.force_login(admin)
    url = f"/contests/{world.contest.pk}/nominations/"
    ok = client.post(url, {"category": world.category.pk, "email": world.teachers["ah"][0].email})
    assert ok.status_code == 302
    over = client.post(url, {"category": world.category.pk, "email": world.teachers["ah"][1].email})
    assert over.status_code == 200 and "名额已用完" in over.content.decode()
    assert Entrant.objects.filter(region__code="ah").count() == 1


def test_late_hand_in_on_the_page_changes_nothing(client):
    world = build_contest()
    teacher = world.teachers["sh"][0]
    client.force_login(world.regional_admins["sh"])
    client.post(f"/contests/{world.contest.pk}/nominations/", {"category": world.category.pk, "email": teacher.email})
    world.preliminary.submission_deadline = timezone.now() - datetime.timedelta(hours=1)
    world.preliminary.save()
    client.force_login(teacher)
    response = client.post(
        f"/contests/items/{world.items[1].pk}/hand-in/", {"link": "https://example.com/x"}, follow=True
    )
    assert "提交截止时间" in response.content.decode()
    assert not Submission.objects.exists()


def test_publishing_with_missing_scores_on_the_page(client, judged):
    world, _entrants = judged
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    client.force_login(world.coordinator)
    response = client.post(f"/en/contests/rounds/{world.preliminary.pk}/publish/", follow=True)
    assert "scores are still missing" in response.content.decode()
    world.preliminary.refresh_from_db()
    assert world.preliminary.status == RoundStatus.FROZEN


def _queries(client, url) -> int:
    client.get(url)  # the first visit fills per-person caches (unread count, menus) that any page fills
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_judge_and_coordinator_pages_at_constant_query_counts(client):
    world, _entrants = assigned_contest(quota=6, per_entrant=2, per_region=1)
    _score_all(world.preliminary)
    judge = world.judges[0]
    sheet = f"/contests/rounds/{world.preliminary.pk}/judge/"
    ranking = f"/contests/rounds/{world.preliminary.pk}/ranking/"
    client.force_login(judge)
    judge_small = _queries(client, sheet)
    client.force_login(world.coordinator)
    ranking_small = _queries(client, ranking)
    from contests.models import Assignment as A
    from contests.models import RoundEntry

    # More entrants per region, assigned again (scores cleared first).
    Score.objects.all().delete()
    for region in world.regions:
        for teacher in world.teachers[region.code][1:-1]:
            from contests.services import entrant_nominate

            entrant_nominate(category=world.category, person=teacher, acting_user=world.regional_admins[region.code])
    for n in range(5):
        extra = make_user(email=f"extra-judge-{n}@example.com", region=None)
        for item in world.items:
            from contests.models import JudgeSeat

            JudgeSeat.objects.create(item=item, judge=extra)
    round_assign(round_=world.preliminary, acting_user=world.coordinator)
    _score_all(world.preliminary)
    assert RoundEntry.objects.filter(round=world.preliminary).count() > 4 * 2
    assert A.objects.filter(judge=judge).count() > 0
    client.force_login(judge)
    assert _queries(client, sheet) == judge_small
    client.force_login(world.coordinator)
    assert _queries(client, ranking) == ranking_small
