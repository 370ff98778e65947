"""A synthetic contest for the bench: 2,000 entrants, 200 judges, 20,000 scores, built in bulk.

`measure()` times the judges' assignment and the ranking the database computes, and
counts the queries of the judge's sheet and the coordinator's ranking at this size
(they must not grow with it); it times the ranking page in-process (median wall and
CPU milliseconds) while the round is open and once it is frozen. `manage.py bench_contests` prints the figures; all of
it runs in a transaction that is rolled back.
"""

import statistics
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


def _timed(client, path: str, times: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `times` requests, after one to warm the caches."""
    client.get(path)
    walls, cpus = [], []
    for _ in range(times):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return round(statistics.median(walls), 1), round(statistics.median(cpus), 1)


def measure(*, entrants: int = 2000, judges: int = 200) -> dict:
    from contests.models import Score
    from contests.selectors import ranked_entries
    from contests.services import round_assign, round_freeze

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
            ranking = f"/contests/rounds/{round_.pk}/ranking/"
            figures["ranking_page"] = _queries(client, ranking)
            figures["ranking_page_open_ms_wall_cpu"] = _timed(client, ranking, 3)
            started = time.perf_counter()
            round_freeze(round_=round_, acting_user=coordinator)
            figures["freeze_seconds"] = round(time.perf_counter() - started, 2)
            figures["ranking_page_frozen"] = _queries(client, ranking)
            figures["ranking_page_frozen_ms_wall_cpu"] = _timed(client, ranking, 10)
            figures["ranking_page_frozen_last_page"] = _queries(client, ranking + "?page=40")
            figures["healthz_ms_wall_cpu"] = _timed(client, "/healthz", 10)  # a reference on the same machine
            raise Rollback
    except Rollback:
        pass
    return figures
