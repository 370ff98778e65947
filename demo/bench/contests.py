"""A synthetic contest for the bench: 2,000 entrants, 200 judges, 20,000 scores, built in bulk.

`measure()` times the judges' assignment and the ranking the database computes, and
counts the queries of the judge's sheet and the coordinator's ranking at this size
(they must not grow with it). `manage.py bench_contests` prints the figures; all of
it runs in a transaction that is rolled back.
"""

import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.seeding.contests import build_large_contest, score_everyone


class Rollback(Exception):
    pass


def _queries(client, path: str) -> tuple[int, int]:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        status = client.get(path).status_code
    return status, len(context.captured_queries)


def measure(*, entrants: int = 2000, judges: int = 200) -> dict:
    from contests.models import Score
    from contests.selectors import ranked_entries
    from contests.services import round_assign

    figures = {}
    try:
        with transaction.atomic():
            round_, coordinator, judge = build_large_contest(entrants=entrants, judges=judges, tag="bench")
            started = time.perf_counter()
            figures["assignments"] = round_assign(round_=round_, acting_user=coordinator)
            figures["assign_seconds"] = round(time.perf_counter() - started, 2)
            # Assigning again replaces the assignments (a judge added to the panel before scoring starts).
            started = time.perf_counter()
            round_assign(round_=round_, acting_user=coordinator)
            figures["reassign_seconds"] = round(time.perf_counter() - started, 2)
            score_everyone(round_)
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
