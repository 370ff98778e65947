"""The bench's contest is scored as a real one spreads: ranks and the tie rule work as they would in a contest."""

from collections import Counter
from decimal import Decimal
from itertools import pairwise

import pytest

from contests.selectors import ranked_entries
from contests.services import round_assign
from demo.seeding.contests import build_large_contest, realistic_scores, score_everyone


def _rows(entrants: int, judges: int, low=Decimal(0), high=Decimal(100)):
    pk = 0
    for entrant in range(entrants):
        for item in (1, 2):
            for n in range(5):
                pk += 1
                yield pk, item, entrant, (entrant * 7 + item * 3 + n * 11) % judges, low, high


def test_scores_are_the_same_every_time_within_the_scale_and_to_the_half_point():
    rows = list(_rows(300, 40, Decimal("0"), Decimal("10")))
    scores = realistic_scores(rows)
    assert scores == realistic_scores(rows)
    assert all(Decimal(0) <= score <= Decimal(10) and (score * 2) % 1 == 0 for score in scores)
    hundred = realistic_scores(list(_rows(300, 40)))
    assert 70 < sum(hundred) / len(hundred) < 86  # most entrants between "good" and "very good"
    assert len(set(hundred)) > 40


@pytest.mark.usefixtures(
    "postgres"
)  # the bench's contest: SQLite sums whole scores as floats, so equal totals may not tie there
@pytest.mark.django_db
def test_the_bench_contests_ranking_spreads_its_entrants_and_breaks_ties_by_the_declared_item():
    round_, coordinator, _judge = build_large_contest(entrants=240, judges=30, tag="spread")
    round_assign(round_=round_, acting_user=coordinator)
    score_everyone(round_)
    entries = list(ranked_entries(round_))
    tie_item = round_.tie_break_item
    assert tie_item is not None

    totals = Counter(entry.result_total for entry in entries)
    places = Counter(entry.place for entry in entries)
    assert len(totals) > 120 and max(totals.values()) <= 6  # no swathe of the category shares one total
    assert max(totals.values()) > 1  # but equal totals happen
    # Equal totals with different results in the tie-break item get different ranks, in its order.
    broken = 0
    for first, second in pairwise(entries):
        if first.result_total == second.result_total:
            mine, theirs = getattr(first, f"item_{tie_item.pk}"), getattr(second, f"item_{tie_item.pk}")
            assert mine >= theirs
            assert (first.place == second.place) == (mine == theirs)
            broken += mine > theirs
    assert broken > 0
    assert max(places.values()) <= max(totals.values())
