"""A synthetic contest for the bench: 2,000 entrants, 200 judges, 20,000 scores, built in bulk.

`measure()` times the judges' assignment and the ranking the database computes, and
counts the queries of the judge's sheet and the coordinator's ranking at this size
(they must not grow with it). `manage.py bench_contests` prints the figures; all of
it runs in a transaction that is rolled back.
"""

import datetime
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

BENCH_DOMAIN = "contest-bench.yingzi.example"


class Rollback(Exception):
    pass


def build(*, entrants: int = 2000, judges: int = 200, per_entrant: int = 5, items: int = 2):
    from accounts.models import Profile, Region, School, User
    from contests.models import Category, Contest, ContestCoordinator, Entrant, Item, JudgeSeat, Round, RoundEntry

    regions = list(Region.objects.order_by("sort_order", "pk")[:4])
    if len(regions) < 4:
        regions = [
            Region.objects.get_or_create(code=f"b{n}", defaults={"name": f"测试省{n}", "sort_order": n})[0]
            for n in range(4)
        ]
    schools = [
        School.objects.create(name=f"大赛测试学校{n}", region=regions[n % 4], stage="primary") for n in range(40)
    ]
    people = User.objects.bulk_create(
        [User(email=f"entrant{n}@{BENCH_DOMAIN}", display_name=f"选手{n}") for n in range(entrants)]
        + [User(email=f"judge{n}@{BENCH_DOMAIN}", display_name=f"评委{n}") for n in range(judges)]
        + [User(email=f"coordinator@{BENCH_DOMAIN}", display_name="大赛协调员")],
        batch_size=2000,
    )
    Profile.objects.bulk_create(
        [
            Profile(user=person, region=schools[n % 40].region, school=schools[n % 40])
            for n, person in enumerate(people[:-1])
        ],
        batch_size=2000,
    )
    coordinator = people[-1]
    contest = Contest.objects.create(name="规模测试大赛", trim_from_judges=5)
    ContestCoordinator.objects.create(contest=contest, user=coordinator)
    category = Category.objects.create(contest=contest, name="小学组", quota_per_region=entrants)
    round_ = Round.objects.create(
        contest=contest,
        name="初赛",
        submission_deadline=timezone.now() + datetime.timedelta(days=7),
        judges_per_entrant=per_entrant,
    )
    item_rows = [
        Item.objects.create(round=round_, name=f"项目{n}", weight=Decimal("1"), sort_order=n) for n in range(items)
    ]
    entrant_rows = Entrant.objects.bulk_create(
        [
            Entrant(category=category, person=person, region_id=schools[n % 40].region_id, school=schools[n % 40])
            for n, person in enumerate(people[:entrants])
        ],
        batch_size=2000,
    )
    RoundEntry.objects.bulk_create(
        [RoundEntry(round=round_, entrant=entrant) for entrant in entrant_rows], batch_size=2000
    )
    JudgeSeat.objects.bulk_create(
        [JudgeSeat(item=item, judge=judge) for item in item_rows for judge in people[entrants:-1]], batch_size=2000
    )
    return round_, coordinator, people[entrants]


def _queries(client, path: str) -> tuple[int, int]:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        status = client.get(path).status_code
    return status, len(context.captured_queries)


def measure(*, entrants: int = 2000, judges: int = 200) -> dict:
    from contests.models import Assignment, Score
    from contests.selectors import ranked_entries
    from contests.services import round_assign

    figures = {}
    try:
        with transaction.atomic():
            round_, coordinator, judge = build(entrants=entrants, judges=judges)
            started = time.perf_counter()
            figures["assignments"] = round_assign(round_=round_, acting_user=coordinator)
            figures["assign_seconds"] = round(time.perf_counter() - started, 2)
            # Assigning again replaces the assignments (a judge added to the panel before scoring starts).
            started = time.perf_counter()
            round_assign(round_=round_, acting_user=coordinator)
            figures["reassign_seconds"] = round(time.perf_counter() - started, 2)
            Score.objects.bulk_create(
                (
                    Score(
                        assignment_id=pk,
                        item_id=item_id,
                        entrant_id=entrant_id,
                        value=Decimal(60 + (pk * 7) % 40),
                        submitted_by_id=judge_id,
                    )
                    for pk, item_id, entrant_id, judge_id in Assignment.objects.filter(item__round=round_).values_list(
                        "pk", "item_id", "entrant_id", "judge_id"
                    )
                ),
                batch_size=5000,
            )
            figures["scores"] = Score.objects.filter(item__round=round_).count()
            started = time.perf_counter()
            figures["ranked"] = len(list(ranked_entries(round_)))
            figures["ranking_seconds"] = round(time.perf_counter() - started, 2)
            client = Client(SERVER_NAME="localhost")
            client.force_login(judge)
            figures["judge_page"] = _queries(client, f"/contests/rounds/{round_.pk}/judge/")
            client.force_login(coordinator)
            figures["ranking_page"] = _queries(client, f"/contests/rounds/{round_.pk}/ranking/")
            raise Rollback
    except Rollback:
        pass
    return figures
