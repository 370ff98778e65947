"""The contest's own Wagtail page shows its published ranking, and nothing of a round before its publication."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from accounts.models import User
from contests.models import Entrant, RoundEntry, RoundStatus
from contests.services import round_assign, round_freeze, round_publish
from tests.contests.builders import assigned_contest, build_contest, score_everything
from tests.factories import cms as pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest_page(home_page):
    events = pages.event_index(home_page)
    return pages.event_page(events, kind="contest", slug="homeroom-contest", capacity=0, title="班主任基本功大赛")


@pytest.fixture
def scored(contest_page):
    world, entrants = assigned_contest()
    world.contest.page = contest_page
    world.contest.save()
    score_everything(world.preliminary)
    return world, entrants


def publish(round_, coordinator, page) -> None:
    """The coordinator publishes; the site's default workflow sends the page to the moderators, who publish it."""
    round_publish(round_=round_, acting_user=coordinator)
    round_.refresh_from_db()
    if round_.status == RoundStatus.MODERATION:
        page.get_latest_revision().publish()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED


def _names(entrants) -> set[str]:
    return {entrant.person.get_full_name() for entrant in entrants}


def test_the_contest_page_shows_the_ranking_once_published_and_nothing_before(client, contest_page, scored):
    world, entrants = scored
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    before = client.get(contest_page.url).content.decode()
    assert not any(name in before for name in _names(entrants))
    assert "初赛" not in before

    publish(world.preliminary, world.coordinator, contest_page)
    # Anonymous readers get the page cache's copy: the publication must have renewed it.
    page = client.get(contest_page.url).content.decode()
    ranked = list(RoundEntry.objects.filter(round=world.preliminary).select_related("entrant__person").order_by("rank"))
    advanced, others = ranked[:2], ranked[2:]  # advance_value 2
    assert "初赛" in page and "小学组" in page and "共 8 名选手参与排名" in page
    for entry in advanced:
        assert entry.entrant.person.get_full_name() in page
        assert f"{entry.total:.3f}" in page
    assert "晋级" in page
    # The honours list only: the others find their own rank on their entry page.
    assert not any(entry.entrant.person.get_full_name() in page for entry in others)

    # The English translation of the page shows the same results (the contest links to the Chinese page).
    translated = contest_page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    translated.title = "Homeroom teachers' contest"
    translated.save_revision().publish()
    translated.refresh_from_db()
    english = client.get(translated.url).content.decode()
    assert "Preliminary" in english and "8 entrants ranked" in english and "Advanced" in english


def test_a_final_shows_its_prizes(client, contest_page, scored):
    from contests.services import judges_seat

    world, entrants = scored
    RoundEntry.objects.bulk_create(RoundEntry(round=world.final, entrant=entrant) for entrant in entrants)
    judges_seat(item=world.final.items.get(), judges=world.judges, acting_user=world.coordinator)
    round_assign(round_=world.final, acting_user=world.coordinator)
    score_everything(world.final, value_of=lambda a: Decimal(100 - a.entrant_id % 50))
    round_freeze(round_=world.final, acting_user=world.coordinator)
    publish(world.final, world.coordinator, contest_page)
    page = client.get(contest_page.url).content.decode()
    winner = RoundEntry.objects.get(round=world.final, rank=1).entrant.person.get_full_name()
    assert "决赛" in page and winner in page
    assert page.count("一等奖") == 1 and page.count("三等奖") == 3


def test_results_waiting_for_the_moderators_stay_off_the_public_page_but_are_announced_in_their_preview(
    client, contest_page, scored
):
    from django.conf import settings
    from django.test import Client, RequestFactory
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    world, entrants = scored
    workflow = Workflow.objects.create(name="大赛审核")
    WorkflowTask.objects.create(workflow=workflow, task=GroupApprovalTask.objects.create(name="审核"), sort_order=0)
    WorkflowPage.objects.create(page=contest_page, workflow=workflow)
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    round_publish(round_=world.preliminary, acting_user=world.coordinator)
    world.preliminary.refresh_from_db()
    assert world.preliminary.status == RoundStatus.MODERATION

    page = client.get(contest_page.url).content.decode()
    assert not any(name in page for name in _names(entrants))

    # The moderator previews in the admin, signed in: the preview request carries their session cookie.
    moderator = Client()
    moderator.force_login(world.coordinator)
    cookie = f"{settings.SESSION_COOKIE_NAME}={moderator.cookies[settings.SESSION_COOKIE_NAME].value}"
    original = RequestFactory().get(contest_page.url, HTTP_COOKIE=cookie)
    original.user = world.coordinator
    preview = contest_page.specific.make_preview_request(original_request=original)
    preview.render()
    shown = preview.content.decode()
    assert "预览：本页发布后，这些结果才会公开。" in shown and "共 8 名选手参与排名" in shown
    # Who advances is settled by the publication itself.
    assert not any(name in shown for name in _names(entrants))

    contest_page.get_latest_revision().publish()
    page = client.get(contest_page.url).content.decode()
    assert sum(name in page for name in _names(entrants)) == 2
    assert "预览" not in page


def _published_round(world, count: int) -> None:
    """`count` entrants of a published preliminary, all advanced, a fifth of them from no school (student teachers)."""
    people = User.objects.bulk_create(
        User(email=f"ranked{n}-{count}@example.com", display_name=f"选手{n}") for n in range(count)
    )
    schools = [school for region in world.regions for school in world.schools[region.pk]]
    entrants = Entrant.objects.bulk_create(
        Entrant(
            category=world.category if n % 5 else world.student_category,
            person=person,
            region=world.regions[n % 4],
            school=schools[n % len(schools)] if n % 5 else None,
            university="" if n % 5 else "华东师范大学",
        )
        for n, person in enumerate(people)
    )
    RoundEntry.objects.bulk_create(
        RoundEntry(round=world.preliminary, entrant=entrant, total=Decimal(90) - n, rank=n + 1, advanced=True)
        for n, entrant in enumerate(entrants)
    )
    world.preliminary.status = RoundStatus.PUBLISHED
    world.preliminary.published_at = timezone.now()
    world.preliminary.save()


@pytest.mark.parametrize("role", ["anonymous", "entrant"])
def test_the_contest_page_reads_the_same_number_of_queries_for_3_and_30_ranked_entrants(client, contest_page, role):
    world = build_contest()
    world.contest.page = contest_page
    world.contest.save()
    counts = []
    for count in (3, 30):
        Entrant.objects.all().delete()
        _published_round(world, count)
        if role == "entrant":
            client.force_login(Entrant.objects.first().person)
        # What every reader shares is cached: count what composing the page afresh reads.
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(contest_page.url)
        assert response.status_code == 200
        assert response.content.decode().count('<th scope="row">') == count
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_long_honours_list_shows_its_first_by_rank_and_counts_the_others(client, contest_page, monkeypatch):
    """Thousands may advance in a large contest: the page lists the first of each category, then says how many more."""
    monkeypatch.setattr("contests.selectors.published.HONOURS_SHOWN", 5)
    world = build_contest()
    world.contest.page = contest_page
    world.contest.save()
    _published_round(world, 30)  # 24 teachers and 6 student teachers, all advanced
    html = client.get(contest_page.url).content.decode()
    teachers = list(
        RoundEntry.objects.filter(round=world.preliminary, entrant__category=world.category)
        .select_related("entrant__person")
        .order_by("rank")
    )
    shown = [entry.entrant.person.get_full_name() for entry in teachers[:5]]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert rows[:5] == shown and len(rows) == 10  # five of each category
    assert "排名在后的另有 19 名选手晋级或获奖。" in html and "排名在后的另有 1 名选手晋级或获奖。" in html
