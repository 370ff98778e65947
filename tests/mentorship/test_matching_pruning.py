"""The matcher's sparse network with its pricing gives exactly the full graph's optimum.

`solve(data, candidates=k)` starts from the k cheapest admissible arcs of
each trainee and of each mentor and adds back whatever the reduced costs
say could improve the answer; `candidates=None` builds every admissible arc, as the matcher did
before. Both must place as many trainees and reach the same total score.
"""

import dataclasses
from unittest import mock

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from demo.bench.synthetic import synthetic_input
from mentorship import matching, matching_network
from mentorship.matching import MatchingInput, MentorIn, TraineeIn, WindowIn, solve

from .test_matching import hard_rule_violations

FOCUS = ["planning_development", "shaping_culture", "leading_teaching", "guiding_teacher_growth"]
STAGES = ["primary", "junior_secondary", "senior_secondary", "nine_year"]
SUBJECTS = ["mathematics", "chinese", "english"]
REGIONS = [1, 2, 3]


def outcome(result) -> tuple[int, int]:
    return len(result.proposals), result.total_score


@st.composite
def medium_inputs(draw):
    """Random cohorts of up to 30 trainees and 12 hosts: ties, tight capacities, quotas, pins and bans."""
    kind = draw(st.sampled_from([matching.SHADOW_PRINCIPAL, matching.SHADOW_TEACHER]))
    schools = [
        (100 + s, draw(st.sampled_from(REGIONS)), draw(st.sampled_from(STAGES)), draw(st.sampled_from(["a", "b"])))
        for s in range(draw(st.integers(2, 6)))
    ]
    mentors = []
    for m in range(draw(st.integers(1, 12))):
        school, region, stage, school_type = draw(st.sampled_from(schools))
        subjects = set(draw(st.sets(st.sampled_from(SUBJECTS), min_size=1, max_size=2)))
        if draw(st.integers(0, 4)):
            subjects.add("leadership")
        mentors.append(
            MentorIn(
                id=500 + m,
                region_id=region,
                school_id=school,
                capacity=draw(st.integers(0, 3)),
                stages=frozenset(draw(st.sets(st.sampled_from(STAGES), max_size=2))),
                subjects=frozenset(subjects),
                focus_areas=frozenset(draw(st.sets(st.sampled_from(FOCUS), max_size=3))),
                school_type=school_type,
                school_stage=stage,
            )
        )
    mentor_ids = [m.id for m in mentors]
    trainees = []
    for t in range(draw(st.integers(1, 30))):
        school, region, stage, school_type = draw(st.sampled_from(schools))
        trainees.append(
            TraineeIn(
                id=1 + t,
                region_id=region,
                school_id=school,
                stages=frozenset(draw(st.sets(st.sampled_from(STAGES), max_size=2))),
                subjects=frozenset(draw(st.sets(st.sampled_from(SUBJECTS), min_size=1, max_size=1))),
                focus_areas=frozenset(draw(st.sets(st.sampled_from(FOCUS), max_size=2))),
                school_type=school_type,
                school_stage=stage,
                wishes=tuple(draw(st.lists(st.sampled_from(mentor_ids), max_size=3, unique=True))),
            )
        )
    windows = []
    for school, *_rest in schools:
        for _ in range(draw(st.integers(0, 2))):
            windows.append(WindowIn(id=900 + len(windows), school_id=school, capacity=draw(st.integers(0, 4))))
    all_pairs = [(t.id, m.id) for t in trainees for m in mentors]
    return MatchingInput(
        kind=kind,
        cross_region=draw(st.booleans()),
        trainees=trainees,
        mentors=mentors,
        windows=windows,
        quotas={region: draw(st.integers(0, 12)) for region in REGIONS},
        do_not_match=set(draw(st.lists(st.sampled_from(all_pairs), max_size=4))),
        pinned=dict(draw(st.lists(st.sampled_from(all_pairs), max_size=2))),
    )


@st.composite
def crowded_inputs(draw):
    """Cohorts where the cheapest arcs of every trainee and of every mentor leave room unused.

    Group A all want the same few sought-after hosts (P), who have room for
    fewer of them. The other hosts (O) have room to spare, but each is the
    best match of group B, who fill their cheapest arcs. With as many
    candidates as there are sought-after hosts, the arcs A -> O are neither
    among A's cheapest (P scores higher) nor among O's (B scores higher).
    Returns the cohort, the number of candidates, and those arcs.
    """
    sought_after = [
        MentorIn(
            id=500 + m,
            region_id=1,
            school_id=200 + m,
            capacity=draw(st.integers(0, 2)),
            subjects=frozenset({"leadership"}),
            focus_areas=frozenset(FOCUS[:2]),
            school_type="public",
            school_stage="primary",
        )
        for m in range(draw(st.integers(1, 3)))
    ]
    candidates = len(sought_after)
    group_b = draw(st.integers(candidates, candidates + 4))
    others_count = draw(st.integers(1, 3))
    room = group_b + others_count + draw(st.integers(0, 4))  # at least one place each, and some to spare
    others = [
        MentorIn(
            id=600 + m,
            region_id=1,
            school_id=300 + m,
            capacity=room // others_count + (m < room % others_count),
            subjects=frozenset({"leadership"}),
            focus_areas=frozenset(FOCUS[2:]),
            school_type="rural",
            school_stage="senior_secondary",
        )
        for m in range(others_count)
    ]
    group_a = [
        TraineeIn(
            id=1 + t,
            region_id=draw(st.sampled_from(REGIONS)),
            school_id=100,
            focus_areas=frozenset(draw(st.sets(st.sampled_from(FOCUS[:2]), min_size=1))),
            school_type="public",
            school_stage="primary",
            wishes=tuple(draw(st.permutations([m.id for m in sought_after]))),
        )
        for t in range(sum(m.capacity for m in sought_after) + draw(st.integers(1, 6)))
    ]
    b_trainees = [
        TraineeIn(
            id=100 + t,
            region_id=draw(st.sampled_from(REGIONS)),
            school_id=100,
            focus_areas=frozenset(draw(st.sets(st.sampled_from(FOCUS[2:]), min_size=1))),
            school_type="rural",
            school_stage="senior_secondary",
        )
        for t in range(group_b)
    ]
    mentors = sought_after + others
    data = MatchingInput(
        kind=matching.SHADOW_PRINCIPAL,
        cross_region=False,
        trainees=draw(st.permutations(group_a + b_trainees)),
        mentors=draw(st.permutations(mentors)),
        windows=[WindowIn(id=m.school_id, school_id=m.school_id, capacity=20) for m in mentors],
        quotas=dict.fromkeys(REGIONS, 40),
    )
    return data, candidates, {(t.id, m.id) for t in group_a for m in others}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(medium_inputs(), st.integers(1, 4), st.sampled_from([1, 5, 64, matching.BLOCK_PAIRS]))
def test_the_pruned_solve_places_as_many_and_scores_as_much_as_the_full_solve(data, candidates, block_pairs):
    with mock.patch.object(matching, "BLOCK_PAIRS", block_pairs):
        full = solve(data, candidates=None)
        pruned = solve(data, candidates=candidates)
    assert outcome(pruned) == outcome(full)
    assert hard_rule_violations(data, pruned) == []
    assert {p.trainee_id for p in pruned.proposals} | {u.trainee_id for u in pruned.unplaced} == {
        t.id for t in data.trainees
    }
    assert all(u.rule in matching.RULES for u in pruned.unplaced)
    assert full.rounds <= 1 and full.added_arcs == 0
    assert pruned.admissible_arcs == full.admissible_arcs
    event(f"solves: {pruned.rounds}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crowded_inputs())
def test_when_the_cheapest_arcs_cannot_place_everyone_the_pricing_adds_back_the_arcs_that_place_more(case):
    data, candidates, a_to_o = case
    full = solve(data, candidates=None)
    # The first network lacks every arc A -> O: without them, fewer are placed.
    without = solve(dataclasses.replace(data, do_not_match=a_to_o), candidates=None)
    assert len(without.proposals) < len(full.proposals)

    pruned = solve(data, candidates=candidates)
    assert pruned.rounds >= 2 and pruned.added_arcs > 0
    assert outcome(pruned) == outcome(full)
    assert hard_rule_violations(data, pruned) == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crowded_inputs())
def test_after_its_last_round_of_pricing_the_matcher_solves_the_full_graph(case):
    data, candidates, _a_to_o = case
    full = solve(data, candidates=None)
    with mock.patch.object(matching_network, "MAX_ROUNDS", 1):
        pruned = solve(data, candidates=candidates)
    assert pruned.rounds == 2
    assert pruned.arcs == full.arcs
    assert outcome(pruned) == outcome(full)


def test_a_synthetic_cohort_of_a_thousand_shadow_principals_gets_the_full_graphs_optimum_from_a_fraction_of_it():
    data = synthetic_input(trainees=1000, kind=matching.SHADOW_PRINCIPAL)
    full = solve(data, candidates=None)
    pruned = solve(data)
    assert outcome(pruned) == outcome(full)
    assert hard_rule_violations(data, pruned) == []
    assert pruned.arcs < full.arcs / 4


def test_a_synthetic_cohort_of_a_thousand_shadow_teachers_gets_the_full_graphs_optimum():
    data = synthetic_input(trainees=1000, kind=matching.SHADOW_TEACHER, seed=7)
    assert outcome(solve(data)) == outcome(solve(data, candidates=None))


def test_the_pricing_also_finds_a_better_set_of_the_same_size_through_an_arc_the_pruning_left_out():
    # One window of 3 places at the school of X (1 place) and Y (2 places). With one arc per
    # trainee and per mentor, the first network holds A->X, B->X, C->Y and D->Y: 3 placed,
    # X with A or B (4500 points), Y with D (4500) and C (2500). The optimum sends A to
    # their second wish through the arc A->Y, left out at first: 4500 + 3500 + 4500 points.
    host_x = MentorIn(id=501, region_id=1, school_id=20, capacity=1, subjects=frozenset({"leadership"}))
    host_y = MentorIn(id=502, region_id=1, school_id=20, capacity=2, subjects=frozenset({"leadership"}))
    withdrawn = (998, 999)  # hosts who left the cohort: C's wish for Y stays third
    data = MatchingInput(
        kind=matching.SHADOW_PRINCIPAL,
        cross_region=False,
        trainees=[
            TraineeIn(id=1, region_id=1, school_id=10, wishes=(501, 502)),
            TraineeIn(id=2, region_id=1, school_id=10, wishes=(501,)),
            TraineeIn(id=3, region_id=1, school_id=10, wishes=(*withdrawn, 502)),
            TraineeIn(id=4, region_id=1, school_id=10, wishes=(502,)),
        ],
        mentors=[host_x, host_y],
        windows=[WindowIn(id=7, school_id=20, capacity=3)],
        quotas={1: 4},
    )
    pruned = solve(data, candidates=1)
    assert {(p.trainee_id, p.mentor_id) for p in pruned.proposals} == {(1, 502), (2, 501), (4, 502)}
    assert pruned.total_score == 4500 + 3500 + 4500
    assert pruned.rounds == 2 and pruned.added_arcs >= 1
    assert outcome(solve(data, candidates=None)) == outcome(pruned)
