"""Trimmed means and tie rules on hand-built tables, computed in the database and shown per entrant."""

from decimal import Decimal

import pytest

from contests.models import Assignment, Score, TieBreak
from contests.selectors.ranking import computation_for, missing_scores, ranked_entries, trimmed_mean
from tests.contests.builders import assigned_contest

D = Decimal


@pytest.mark.parametrize(
    ("values", "trim_from", "expected"),
    [
        ([80, 90, 70, 60, 100], 5, D("80.000")),  # drop 100 and 60
        ([80, 90, 70, 60], 5, D("75.000")),  # four judges: plain mean
        ([80, 90, 70, 60], 4, D("75.000")),  # drop 90 and 60: (80 + 70) / 2
        ([85, 85, 85, 85, 99], 5, D("85.000")),
        ([88.5, 91, 79], 0, D("86.167")),  # 0: never trim
        ([], 5, None),
    ],
)
def test_trimmed_mean(values, trim_from, expected):
    assert trimmed_mean([D(str(v)) for v in values], trim_from) == expected


def _score_table(world, table: dict[int, dict[int, list]]):
    """entrant pk -> item pk -> values, one per assigned judge in judge order."""
    for entrant_pk, items in table.items():
        for item_pk, values in items.items():
            assignments = list(Assignment.objects.filter(item_id=item_pk, entrant_id=entrant_pk).order_by("judge_id"))
            for assignment, value in zip(assignments, values, strict=False):
                Score.objects.create(
                    assignment=assignment,
                    item_id=item_pk,
                    entrant_id=entrant_pk,
                    value=D(str(value)),
                    submitted_by_id=assignment.judge_id,
                )


@pytest.fixture
def five_judges(db):
    return assigned_contest(judges_per_region=3, per_entrant=5, per_region=1)  # one per region: sh, js, zj, ah


def test_database_ranking_matches_the_rule_and_breaks_ties_by_the_declared_item(five_judges):
    world, (sh, js, zj, ah) = five_judges
    design, story = world.items  # weights 0.6 and 0.4; design is the tie-break item
    _score_table(
        world,
        {
            # design 80 (trimmed), story 90 -> 84
            sh.pk: {design.pk: [80, 90, 70, 60, 100], story.pk: [90, 90, 90, 90, 90]},
            # design 90, story 75 -> 84: same total, higher design -> ranked above sh
            js.pk: {design.pk: [90, 90, 90, 90, 90], story.pk: [75, 75, 75, 75, 75]},
            zj.pk: {design.pk: [60] * 5, story.pk: [60] * 5},
            # missing scores count as nothing, and leave one assignment unscored
            ah.pk: {design.pk: [95, 95, 95, 95], story.pk: [95] * 5},
        },
    )
    rows = list(ranked_entries(world.preliminary))
    by_entrant = {row.entrant_id: row for row in rows}
    assert by_entrant[sh.pk].result_total == D("84.000")
    assert by_entrant[js.pk].result_total == D("84.000")
    assert [row.entrant_id for row in rows] == [ah.pk, js.pk, sh.pk, zj.pk]
    assert [row.place for row in rows] == [1, 2, 3, 4]
    assert missing_scores(world.preliminary) == 1

    world.contest.tie_break = TieBreak.SHARED
    world.contest.save()
    world.preliminary.refresh_from_db()
    places = {row.entrant_id: row.place for row in ranked_entries(world.preliminary)}
    assert places[sh.pk] == places[js.pk] == 2 and places[zj.pk] == 4


def test_computation_shown_per_entrant_agrees_with_the_database(five_judges):
    world, (sh, *_rest) = five_judges
    design, story = world.items
    _score_table(world, {sh.pk: {design.pk: [80, 90, 70, 60, 100], story.pk: [88, 90, 91, 70, 95]}})
    computation = computation_for(world.preliminary, sh.pk)
    first = computation.items[0]
    assert first.dropped == [D("60.0"), D("100.0")] and first.result == D("80.000")
    assert computation.items[1].result == D("89.667")
    row = next(row for row in ranked_entries(world.preliminary) if row.entrant_id == sh.pk)
    assert computation.total == row.result_total.quantize(D("0.001"))
