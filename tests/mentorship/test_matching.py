"""The matcher on hand-built cases (one per hard rule) and on generated inputs against brute force."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.bench.synthetic import synthetic_input
from mentorship import matching
from mentorship.matching import MatchingInput, MentorIn, TraineeIn, WindowIn, solve

SH, AH = 1, 2


def trainee(id, *, region=AH, school=10, **fields):
    return TraineeIn(id=id, region_id=region, school_id=school, **fields)


def mentor(id, *, region=SH, school=20, capacity=2, subjects=("leadership",), **fields):
    return MentorIn(
        id=id, region_id=region, school_id=school, capacity=capacity, subjects=frozenset(subjects), **fields
    )


def cohort(trainees, mentors, *, windows=None, quotas=None, kind=matching.SHADOW_PRINCIPAL, cross=True, **fields):
    schools = {m.school_id for m in mentors}
    return MatchingInput(
        kind=kind,
        cross_region=cross,
        trainees=trainees,
        mentors=mentors,
        windows=windows if windows is not None else [WindowIn(id=s, school_id=s, capacity=10) for s in schools],
        quotas=quotas if quotas is not None else {SH: 10, AH: 10},
        **fields,
    )


def pairs(result):
    return {(p.trainee_id, p.mentor_id) for p in result.proposals}


def rules(result):
    return {u.trainee_id: u.rule for u in result.unplaced}


def test_a_trainee_is_never_paired_with_a_host_from_their_own_school():
    result = solve(cohort([trainee(1, school=20)], [mentor(100, school=20, region=AH)], cross=False))
    assert pairs(result) == set()
    assert rules(result) == {1: matching.RULE_SAME_SCHOOL}


def test_cross_region_programmes_pair_only_across_regions():
    data = cohort([trainee(1, region=SH)], [mentor(100, region=SH), mentor(101, region=AH, school=21)])
    assert pairs(solve(data)) == {(1, 101)}
    data = cohort([trainee(1, region=SH)], [mentor(100, region=SH)])
    assert rules(solve(data)) == {1: matching.RULE_CROSS_REGION}


def test_programmes_that_allow_it_pair_within_a_region():
    data = cohort([trainee(1, region=SH)], [mentor(100, region=SH)], cross=False)
    assert pairs(solve(data)) == {(1, 100)}


def test_shadow_principals_are_hosted_only_by_school_leaders():
    data = cohort([trainee(1)], [mentor(100, subjects=("mathematics",)), mentor(101, school=21)])
    assert pairs(solve(data)) == {(1, 101)}
    data = cohort([trainee(1)], [mentor(100, subjects=("mathematics",))])
    assert rules(solve(data)) == {1: matching.RULE_PRINCIPAL}


def test_shadow_teachers_need_a_host_of_their_stage_and_subject():
    teacher = trainee(1, stages=frozenset({"primary"}), subjects=frozenset({"mathematics"}))
    wrong_stage = mentor(100, stages=frozenset({"senior_secondary"}), subjects=("mathematics",))
    wrong_subject = mentor(101, school=21, stages=frozenset({"primary"}), subjects=("english",))
    right = mentor(102, school=22, stages=frozenset({"nine_year"}), subjects=("mathematics",))
    kind = matching.SHADOW_TEACHER
    assert rules(solve(cohort([teacher], [wrong_stage], kind=kind))) == {1: matching.RULE_STAGE}
    assert rules(solve(cohort([teacher], [wrong_stage, wrong_subject], kind=kind))) == {1: matching.RULE_SUBJECT}
    # A nine-year school covers primary stages.
    assert pairs(solve(cohort([teacher], [wrong_stage, wrong_subject, right], kind=kind))) == {(1, 102)}


def test_school_leadership_alone_does_not_make_a_subject_teacher():
    teacher = trainee(1, stages=frozenset({"primary"}), subjects=frozenset({"leadership"}))
    host = mentor(100, stages=frozenset({"primary"}), subjects=("leadership",))
    assert rules(solve(cohort([teacher], [host], kind=matching.SHADOW_TEACHER))) == {1: matching.RULE_SUBJECT}


def test_pairs_marked_do_not_match_are_never_proposed():
    data = cohort([trainee(1)], [mentor(100)], do_not_match={(1, 100)})
    assert rules(solve(data)) == {1: matching.RULE_DO_NOT_MATCH}


def test_a_mentor_takes_no_more_trainees_than_their_capacity():
    data = cohort([trainee(1), trainee(2, school=11), trainee(3, school=12)], [mentor(100, capacity=2)])
    result = solve(data)
    assert len(result.proposals) == 2
    assert list(rules(result).values()) == [matching.RULE_MENTOR_CAPACITY]


def test_a_host_school_takes_no_more_shadows_than_its_window_allows():
    mentors = [mentor(100, capacity=3), mentor(101, capacity=3)]  # both at school 20
    data = cohort(
        [trainee(1), trainee(2, school=11), trainee(3, school=12)],
        mentors,
        windows=[WindowIn(id=7, school_id=20, capacity=2)],
    )
    result = solve(data)
    assert len(result.proposals) == 2
    assert {p.window_id for p in result.proposals} == {7}
    assert list(rules(result).values()) == [matching.RULE_SCHOOL_CAPACITY]


def test_a_host_school_without_a_window_hosts_nobody():
    data = cohort([trainee(1)], [mentor(100)], windows=[])
    assert rules(solve(data)) == {1: matching.RULE_NO_WINDOW}


def test_a_sending_region_places_no_more_trainees_than_its_quota():
    data = cohort([trainee(1), trainee(2, school=11)], [mentor(100, capacity=5)], quotas={AH: 1})
    result = solve(data)
    assert len(result.proposals) == 1
    assert list(rules(result).values()) == [matching.RULE_REGIONAL_QUOTA]


def test_a_cohort_without_hosts_says_so():
    assert rules(solve(cohort([trainee(1)], []))) == {1: matching.RULE_NO_HOSTS}


def test_a_pinned_pair_is_kept_even_when_another_host_scores_higher():
    wanted = mentor(100, focus_areas=frozenset({"planning_development"}))
    other = mentor(101, school=21)
    data = cohort([trainee(1, focus_areas=frozenset({"planning_development"}))], [wanted, other], pinned={1: 101})
    result = solve(data)
    assert pairs(result) == {(1, 101)}
    assert result.proposals[0].pinned


def test_a_pinned_pair_that_breaks_a_rule_is_not_proposed():
    data = cohort([trainee(1, school=20)], [mentor(100, school=20)], pinned={1: 100})
    assert rules(solve(data)) == {1: matching.RULE_SAME_SCHOOL}


def test_the_score_comes_with_its_reasons():
    host = mentor(
        100,
        focus_areas=frozenset({"planning_development", "shaping_culture"}),
        school_type="public",
        school_stage="primary",
    )
    learner = trainee(
        1,
        focus_areas=frozenset({"planning_development", "leading_teaching"}),
        wishes=(100,),
        school_type="public",
        school_stage="nine_year",
    )
    proposal = solve(cohort([learner], [host])).proposals[0]
    codes = {reason["code"]: reason for reason in proposal.reasons}
    assert codes["focus_areas"]["items"] == ["planning_development"]
    assert codes["focus_areas"]["points"] == 2000
    assert codes["wish"]["rank"] == 1
    assert set(codes) == {"focus_areas", "wish", "same_school_type", "same_stage", "spread"}
    assert proposal.score == sum(reason["points"] for reason in proposal.reasons) == 2000 + 3000 + 800 + 700 + 1500


def test_wishes_and_common_focus_decide_between_hosts():
    first = mentor(100, focus_areas=frozenset({"shaping_culture"}))
    second = mentor(101, school=21, focus_areas=frozenset({"planning_development"}))
    learner = trainee(1, focus_areas=frozenset({"planning_development"}))
    assert pairs(solve(cohort([learner], [first, second]))) == {(1, 101)}


def test_trainees_who_did_not_ask_for_a_sought_after_host_leave_room_for_those_who_did():
    famous = mentor(100, capacity=1)
    ordinary = mentor(101, school=21, capacity=1)
    keen = trainee(1, wishes=(100,))
    indifferent = trainee(2, school=11)
    assert pairs(solve(cohort([indifferent, keen], [famous, ordinary]))) == {(1, 100), (2, 101)}


# --- Generated inputs -----------------------------------------------------------------------------

FOCUS = ["planning_development", "shaping_culture", "leading_teaching"]


@st.composite
def small_inputs(draw):
    regions = [1, 2, 3]
    school_count = draw(st.integers(1, 4))
    schools = [
        (
            100 + s,
            draw(st.sampled_from(regions)),
            draw(st.sampled_from(["primary", "nine_year", "senior_secondary"])),
            draw(st.sampled_from(["public", "rural"])),
        )
        for s in range(school_count)
    ]
    mentors = []
    for m in range(draw(st.integers(0, 3))):
        school, region, stage, kind = draw(st.sampled_from(schools))
        mentors.append(
            MentorIn(
                id=500 + m,
                region_id=region,
                school_id=school,
                capacity=draw(st.integers(0, 2)),
                stages=frozenset(draw(st.sets(st.sampled_from(["primary", "junior_secondary"]), max_size=1))),
                subjects=frozenset(
                    draw(st.sets(st.sampled_from(["leadership", "mathematics", "chinese"]), max_size=2))
                ),
                focus_areas=frozenset(draw(st.sets(st.sampled_from(FOCUS), max_size=2))),
                school_type=kind,
                school_stage=stage,
            )
        )
    mentor_ids = [m.id for m in mentors]
    trainees = []
    for t in range(draw(st.integers(0, 5))):
        school, region, stage, kind = draw(st.sampled_from(schools))
        no_school = draw(st.booleans()) and t == 0
        trainees.append(
            TraineeIn(
                id=1 + t,
                region_id=region,
                school_id=None if no_school else school,
                stages=frozenset(draw(st.sets(st.sampled_from(["primary", "senior_secondary"]), max_size=1))),
                subjects=frozenset(draw(st.sets(st.sampled_from(["mathematics", "chinese"]), max_size=1))),
                focus_areas=frozenset(draw(st.sets(st.sampled_from(FOCUS), max_size=2))),
                school_type=kind,
                school_stage=stage,
                wishes=tuple(draw(st.lists(st.sampled_from(mentor_ids), max_size=3, unique=True)))
                if mentor_ids
                else (),
            )
        )
    windows = [
        WindowIn(id=900 + w, school_id=draw(st.sampled_from(schools))[0], capacity=draw(st.integers(0, 2)))
        for w in range(draw(st.integers(0, 3)))
    ]
    all_pairs = [(t.id, m.id) for t in trainees for m in mentors]
    return MatchingInput(
        kind=draw(st.sampled_from([matching.SHADOW_PRINCIPAL, matching.SHADOW_TEACHER])),
        cross_region=draw(st.booleans()),
        trainees=trainees,
        mentors=mentors,
        windows=windows,
        quotas={region: draw(st.integers(0, 3)) for region in regions},
        do_not_match=set(draw(st.lists(st.sampled_from(all_pairs), max_size=2))) if all_pairs else set(),
    )


def hard_rule_violations(data: MatchingInput, result) -> list[str]:
    """Every hard rule, checked from scratch against the proposals."""
    trainees = {t.id: t for t in data.trainees}
    mentors = {m.id: m for m in data.mentors}
    windows = {w.id: w for w in data.windows}
    problems = []
    seen = [p.trainee_id for p in result.proposals]
    if len(seen) != len(set(seen)):
        problems.append("a trainee proposed twice")
    for p in result.proposals:
        t, m, w = trainees[p.trainee_id], mentors[p.mentor_id], windows[p.window_id]
        if t.school_id is not None and t.school_id == m.school_id:
            problems.append("same school")
        if data.cross_region and t.region_id == m.region_id:
            problems.append("same region")
        if data.kind == matching.SHADOW_PRINCIPAL and "leadership" not in m.subjects:
            problems.append("principal with a non-leader")
        if data.kind == matching.SHADOW_TEACHER:
            if not matching.trainee_stages(t) & matching.mentor_stages(m):
                problems.append("stage")
            if not (t.subjects - {"leadership"}) & (m.subjects - {"leadership"}):
                problems.append("subject")
        if (t.id, m.id) in data.do_not_match:
            problems.append("do not match")
        if w.school_id != m.school_id:
            problems.append("window of another school")
        if p.pinned and data.pinned.get(t.id) != m.id:
            problems.append("pin ignored")
    for mentor_id, group in itertools.groupby(sorted(p.mentor_id for p in result.proposals)):
        if len(list(group)) > mentors[mentor_id].capacity:
            problems.append("mentor over capacity")
    for window_id, group in itertools.groupby(sorted(p.window_id for p in result.proposals)):
        if len(list(group)) > windows[window_id].capacity:
            problems.append("window over capacity")
    for region, group in itertools.groupby(sorted(trainees[p.trainee_id].region_id for p in result.proposals)):
        if len(list(group)) > data.quotas.get(region, 0):
            problems.append("quota exceeded")
    return problems


def brute_force(data: MatchingInput) -> tuple[int, int]:
    """(most trainees placed, best total score among those placements), by trying everything."""
    demand = matching.mentor_demand(data)
    max_demand = max(demand.values(), default=0)
    options = []
    for t in data.trainees:
        choices = [None]
        for m in data.mentors:
            if matching.pair_rule_broken(data=data, trainee=t, mentor=m) is None:
                score, _ = matching.pair_score(trainee=t, mentor=m, demand=demand, max_demand=max_demand)
                choices.extend((m, w, score) for w in data.windows if w.school_id == m.school_id)
        options.append(choices)
    best = (0, 0)
    for combo in itertools.product(*options):
        chosen = [(t, c) for t, c in zip(data.trainees, combo, strict=True) if c is not None]
        mentor_load, window_load, region_load = {}, {}, {}
        for t, (m, w, _) in chosen:
            mentor_load[m.id] = mentor_load.get(m.id, 0) + 1
            window_load[w.id] = window_load.get(w.id, 0) + 1
            region_load[t.region_id] = region_load.get(t.region_id, 0) + 1
        feasible = (
            all(load <= next(m.capacity for m in data.mentors if m.id == k) for k, load in mentor_load.items())
            and all(load <= next(w.capacity for w in data.windows if w.id == k) for k, load in window_load.items())
            and all(load <= data.quotas.get(k, 0) for k, load in region_load.items())
        )
        if feasible:
            best = max(best, (len(chosen), sum(c[2] for _, c in chosen)))
    return best


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_inputs())
def test_no_generated_input_yields_a_proposal_that_breaks_a_hard_rule(data):
    result = solve(data)
    assert hard_rule_violations(data, result) == []
    placed = {p.trainee_id for p in result.proposals}
    assert placed | {u.trainee_id for u in result.unplaced} == {t.id for t in data.trainees}
    assert all(u.rule in matching.RULES for u in result.unplaced)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_inputs())
def test_the_matching_is_as_good_as_brute_force_on_small_inputs(data):
    result = solve(data)
    assert (len(result.proposals), result.total_score) == brute_force(data)


@settings(max_examples=100, deadline=None)
@given(small_inputs(), st.data())
def test_pinned_pairs_that_keep_the_rules_are_always_proposed(data, draw):
    if not data.trainees or not data.mentors:
        return
    t = draw.draw(st.sampled_from(data.trainees))
    m = draw.draw(st.sampled_from(data.mentors))
    data.pinned = {t.id: m.id}
    result = solve(data)
    assert hard_rule_violations(data, result) == []
    if (t.id, m.id) in {(p.trainee_id, p.mentor_id) for p in result.proposals}:
        return
    assert {u.trainee_id: u.rule for u in result.unplaced}[t.id] in matching.RULES


@settings(max_examples=100, deadline=None)
@given(small_inputs())
def test_the_scores_the_solver_optimises_are_the_scores_shown_as_reasons(data):
    if not data.trainees or not data.mentors:
        return
    demand = matching.mentor_demand(data)
    max_demand = max(demand.values(), default=0)
    pairs = matching._Pairs(data, data.trainees, data.mentors, demand, max_demand)
    allowed = pairs.allowed(0, len(data.trainees))
    rows, cols = allowed.nonzero()
    vectorised = pairs.scores(0, len(data.trainees))[rows, cols]
    assert (pairs.costs(0, len(data.trainees))[rows, cols] == matching.MAX_SCORE - vectorised).all()
    for i, j, score in zip(rows, cols, vectorised, strict=True):
        t, m = data.trainees[i], data.mentors[j]
        assert matching.pair_rule_broken(data=data, trainee=t, mentor=m) is None
        shown, reasons = matching.pair_score(trainee=t, mentor=m, demand=demand, max_demand=max_demand)
        assert score == shown == sum(reason["points"] for reason in reasons)
        assert 0 <= score <= matching.MAX_SCORE
    assert allowed.sum() == sum(
        matching.pair_rule_broken(data=data, trainee=t, mentor=m) is None for t in data.trainees for m in data.mentors
    )


def test_a_synthetic_cohort_of_a_thousand_keeps_every_rule():
    data = synthetic_input(trainees=1000)
    result = solve(data)
    assert hard_rule_violations(data, result) == []
    assert len(result.proposals) > 700


def test_five_thousand_shadow_principals_and_fifteen_hundred_leaders_are_matched_on_a_small_part_of_the_graph():
    # Timings live in `manage.py bench_matching`; here, the size of what the solver is given.
    data = synthetic_input(trainees=5000, kind=matching.SHADOW_PRINCIPAL)
    assert (len(data.trainees), len(data.mentors)) == (5000, 1500)
    result = solve(data)
    assert result.admissible_arcs > 5_000_000
    assert result.arcs < result.admissible_arcs / 10
    assert hard_rule_violations(data, result) == []
    assert len(result.proposals) > 3500
