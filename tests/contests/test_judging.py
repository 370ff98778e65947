"""Recusal, balanced assignment, locked scores and corrections."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from contests.models import Assignment, Score
from contests.recusal import Person
from contests.services import balanced_assignment, recused, round_assign, score_correct, score_submit
from tests.contests.builders import assigned_contest, build_contest, nominate_all, seat_judges

people = st.builds(Person, pk=st.integers(), region_id=st.integers(1, 4), school_id=st.integers(1, 12))


@settings(max_examples=200, deadline=None)
@given(
    judges=st.lists(st.tuples(st.integers(1, 4), st.one_of(st.none(), st.integers(1, 12))), min_size=1, max_size=30),
    entrants=st.lists(st.tuples(st.integers(1, 4), st.integers(1, 12)), max_size=40),
    per_entrant=st.integers(1, 6),
)
def test_assignment_never_recused_and_same_number_of_judges_for_everyone(judges, entrants, per_entrant):
    judges = [Person(1000 + n, region, school) for n, (region, school) in enumerate(judges)]
    entrants = [Person(n, region, school) for n, (region, school) in enumerate(entrants)]
    try:
        plan = balanced_assignment(judges, entrants, per_entrant)
    except ValueError as short:
        # Only when some entrant truly has too few judges outside their region and school.
        entrant = next(e for e in entrants if e.pk == short.args[0])
        assert sum(not recused(judge, entrant) for judge in judges) < per_entrant
        return
    by_pk = {judge.pk: judge for judge in judges}
    assert set(plan) == {entrant.pk for entrant in entrants}
    for entrant in entrants:
        chosen = plan[entrant.pk]
        assert len(chosen) == per_entrant == len(set(chosen))
        assert not any(recused(by_pk[pk], entrant) for pk in chosen)


def test_load_is_balanced_when_nobody_is_recused_from_anyone():
    judges = [Person(100 + n, None, None) for n in range(7)]
    entrants = [Person(n, 1, 1) for n in range(20)]
    plan = balanced_assignment(judges, entrants, 3)
    loads = [sum(pk in chosen for chosen in plan.values()) for pk in (judge.pk for judge in judges)]
    assert max(loads) - min(loads) <= 1


@pytest.mark.django_db
def test_round_assignment_in_the_database_respects_region_and_school():
    world = build_contest(judges_per_region=2, per_entrant=3)
    nominate_all(world)
    seat_judges(world)
    created = round_assign(round_=world.preliminary, acting_user=world.coordinator)
    assert created == 8 * 3 * 2
    for assignment in Assignment.objects.select_related("entrant", "judge__profile"):
        assert assignment.judge.profile.region_id != assignment.entrant.region_id
        assert assignment.judge.profile.school_id != assignment.entrant.school_id


@pytest.mark.django_db
def test_assigning_again_replaces_the_assignments_and_every_entrant_keeps_the_same_number_of_judges():
    world, _entrants = assigned_contest()
    world.judges[0].profile.region = world.regions[1]
    world.judges[0].profile.save()
    assert round_assign(round_=world.preliminary, acting_user=world.coordinator) == 8 * 3 * 2
    per_entrant_item = Assignment.objects.values("item_id", "entrant_id").annotate(n=Count("pk"))
    assert {row["n"] for row in per_entrant_item} == {3}
    assert len(per_entrant_item) == 8 * 2
    assert not Assignment.objects.filter(judge=world.judges[0], entrant__region=world.regions[1]).exists(), (
        "the second assignment follows the judge's new region"
    )


@pytest.fixture
def judged(db):
    return assigned_contest()


def test_score_is_locked_and_a_correction_keeps_the_old_one_audited(judged):
    world, entrants = judged
    assignment = Assignment.objects.filter(item=world.items[0]).select_related("judge").first()
    score = score_submit(
        item=world.items[0],
        entrant_id=assignment.entrant_id,
        judge=assignment.judge,
        value="",
        criteria={"0": 30, "1": 50},
        comment="设计完整",
    )
    assert score.value == Decimal("80.0")
    with pytest.raises(ValidationError):
        score_submit(item=world.items[0], entrant_id=assignment.entrant_id, judge=assignment.judge, value=90)
    with pytest.raises(ValidationError):
        score_correct(score=score, acting_user=assignment.judge, value=85, reason="")
    correction = score_correct(score=score, acting_user=assignment.judge, value=85, reason="漏看了第二部分")
    score.refresh_from_db()
    assert not score.is_current and score.value == Decimal("80.0")
    assert correction.is_current and correction.corrects == score and correction.value == Decimal("85.0")
    entry = ModelLogEntry.objects.get(action="contests.score.correct")
    assert entry.data["reason"] == "漏看了第二部分" and entry.data["from"] == "80.0"


def test_score_outside_the_scale_is_refused_in_english_and_nothing_saved(judged):
    world, _entrants = judged
    assignment = Assignment.objects.filter(item=world.items[1]).select_related("judge").first()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        score_submit(item=world.items[1], entrant_id=assignment.entrant_id, judge=assignment.judge, value="101")
    assert "between 0 and 100" in error.value.messages[0]
    with pytest.raises(ValidationError):
        score_submit(
            item=world.items[0], entrant_id=assignment.entrant_id, judge=assignment.judge, value="", criteria={"0": 41}
        )
    assert not Score.objects.exists()


def test_recused_judge_is_told_and_nothing_saved(judged):
    world, entrants = judged
    entrant = entrants[0]  # Shanghai
    judge = next(j for j in world.judges if j.profile.region_id == entrant.region_id)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        score_submit(item=world.items[0], entrant_id=entrant.pk, judge=judge, value=80)
    assert "recused" in error.value.messages[0]
    assert not Score.objects.exists()
