"""The matcher: an optimal set of pairings for one cohort, as a min-cost flow.

Pure computation on plain values, no database: `services.matching_batch_run`
builds a `MatchingInput` from the cohort and stores the `MatchingResult`;
the bench command feeds it synthetic inputs of any size.

The network (OR-Tools `SimpleMinCostFlow`, arrays in through numpy):

    source -> sending region (its remaining quota)
           -> trainee (1)
           -> mentor in -> mentor out (the mentor's remaining capacity)
           -> host-school window (its remaining capacity) -> sink

A trainee -> mentor arc exists only where every hard rule allows the pair,
and costs 10000 - score (score in hundredths of a point, 0..10000). Solving
for the maximum flow at minimum cost places as many trainees as the rules
and capacities allow and, among those placements, maximises the total score.
Pinned pairs are placed before the flow and use up their capacity.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# Score weights in hundredths of a point; they add up to 100 points.
FOCUS_POINTS = 4000
WISH_POINTS = {1: 3000, 2: 2000, 3: 1000}
SAME_TYPE_POINTS = 800
SAME_STAGE_POINTS = 700
SPREAD_POINTS = 1500
MAX_SCORE = FOCUS_POINTS + WISH_POINTS[1] + SAME_TYPE_POINTS + SAME_STAGE_POINTS + SPREAD_POINTS
MAX_WISHES = 3

SHADOW_PRINCIPAL = "shadow_principal"
SHADOW_TEACHER = "shadow_teacher"
LEADERSHIP = "leadership"

# A nine-year school spans primary and junior secondary: it fits either.
STAGE_SPAN = {"nine_year": ("primary", "junior_secondary", "nine_year")}

# Why a trainee could not be placed, in the order the rules are tried.
RULE_NO_HOSTS = "no_hosts"
RULE_SAME_SCHOOL = "same_school"
RULE_CROSS_REGION = "cross_region"
RULE_PRINCIPAL = "principal_with_principal"
RULE_STAGE = "stage"
RULE_SUBJECT = "subject"
RULE_DO_NOT_MATCH = "do_not_match"
RULE_NO_WINDOW = "no_window"
RULE_REGIONAL_QUOTA = "regional_quota"
RULE_MENTOR_CAPACITY = "mentor_capacity"
RULE_SCHOOL_CAPACITY = "host_school_capacity"
RULES = [
    RULE_NO_HOSTS,
    RULE_SAME_SCHOOL,
    RULE_CROSS_REGION,
    RULE_PRINCIPAL,
    RULE_STAGE,
    RULE_SUBJECT,
    RULE_DO_NOT_MATCH,
    RULE_NO_WINDOW,
    RULE_REGIONAL_QUOTA,
    RULE_MENTOR_CAPACITY,
    RULE_SCHOOL_CAPACITY,
]


@dataclass(frozen=True)
class TraineeIn:
    id: int
    region_id: int
    school_id: int | None
    stages: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    focus_areas: frozenset[str] = frozenset()
    school_type: str = ""
    school_stage: str = ""
    wishes: tuple[int, ...] = ()  # mentor ids, first choice first


@dataclass(frozen=True)
class MentorIn:
    id: int
    region_id: int
    school_id: int
    capacity: int  # places still free
    stages: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    focus_areas: frozenset[str] = frozenset()
    school_type: str = ""
    school_stage: str = ""

    @property
    def is_leader(self) -> bool:
        return LEADERSHIP in self.subjects


@dataclass(frozen=True)
class WindowIn:
    id: int
    school_id: int
    capacity: int  # shadows the school can still take in this window


@dataclass
class MatchingInput:
    kind: str
    cross_region: bool
    trainees: list[TraineeIn]
    mentors: list[MentorIn]
    windows: list[WindowIn]
    quotas: dict[int, int]  # region id -> seats still free
    do_not_match: set[tuple[int, int]] = field(default_factory=set)  # (trainee id, mentor id)
    pinned: dict[int, int] = field(default_factory=dict)  # trainee id -> mentor id


@dataclass(frozen=True)
class Proposal:
    trainee_id: int
    mentor_id: int
    window_id: int
    score: int  # hundredths of a point
    reasons: list[dict]
    pinned: bool = False


@dataclass(frozen=True)
class Unplaced:
    trainee_id: int
    rule: str


@dataclass
class MatchingResult:
    proposals: list[Proposal]
    unplaced: list[Unplaced]
    seconds: float = 0.0
    arcs: int = 0

    @property
    def total_score(self) -> int:
        return sum(proposal.score for proposal in self.proposals)


Progress = Callable[[int, str], None]


def _expand_stages(stages) -> frozenset[str]:
    expanded = set()
    for stage in stages:
        expanded.update(STAGE_SPAN.get(stage, (stage,)))
    return frozenset(expanded)


def trainee_stages(trainee: TraineeIn) -> frozenset[str]:
    return _expand_stages(set(trainee.stages) | ({trainee.school_stage} if trainee.school_stage else set()))


def mentor_stages(mentor: MentorIn) -> frozenset[str]:
    return _expand_stages(set(mentor.stages) | ({mentor.school_stage} if mentor.school_stage else set()))


def teaching_subjects(subjects) -> frozenset[str]:
    return frozenset(subjects) - {LEADERSHIP}


def pair_rule_broken(*, data: MatchingInput, trainee: TraineeIn, mentor: MentorIn) -> str | None:
    """The first hard rule about the pair itself that forbids it, or None."""
    if trainee.school_id is not None and trainee.school_id == mentor.school_id:
        return RULE_SAME_SCHOOL
    if data.cross_region and trainee.region_id == mentor.region_id:
        return RULE_CROSS_REGION
    if data.kind == SHADOW_PRINCIPAL:
        if not mentor.is_leader:
            return RULE_PRINCIPAL
    else:
        if not trainee_stages(trainee) & mentor_stages(mentor):
            return RULE_STAGE
        if not teaching_subjects(trainee.subjects) & teaching_subjects(mentor.subjects):
            return RULE_SUBJECT
    if (trainee.id, mentor.id) in data.do_not_match:
        return RULE_DO_NOT_MATCH
    return None


def mentor_demand(data: MatchingInput) -> dict[int, int]:
    """How many trainees named each mentor among their wishes."""
    demand: dict[int, int] = {}
    for trainee in data.trainees:
        for mentor_id in trainee.wishes[:MAX_WISHES]:
            demand[mentor_id] = demand.get(mentor_id, 0) + 1
    return demand


def pair_score(
    *, trainee: TraineeIn, mentor: MentorIn, demand: dict[int, int], max_demand: int
) -> tuple[int, list[dict]]:
    """The pair's score in hundredths of a point, and the reasons it is made of."""
    reasons = []
    common = sorted(trainee.focus_areas & mentor.focus_areas)
    focus = FOCUS_POINTS * len(common) // max(len(trainee.focus_areas), 1)
    if focus:
        reasons.append({"code": "focus_areas", "points": focus, "items": common})
    wishes = list(trainee.wishes[:MAX_WISHES])
    rank = wishes.index(mentor.id) + 1 if mentor.id in wishes else 0
    if rank:
        reasons.append({"code": "wish", "points": WISH_POINTS[rank], "rank": rank})
    if trainee.school_type and trainee.school_type == mentor.school_type:
        reasons.append({"code": "same_school_type", "points": SAME_TYPE_POINTS})
    if _expand_stages([trainee.school_stage]) & _expand_stages([mentor.school_stage]) - {""}:
        reasons.append({"code": "same_stage", "points": SAME_STAGE_POINTS})
    if rank:
        spread = SPREAD_POINTS
    elif max_demand:
        spread = SPREAD_POINTS * (max_demand - demand.get(mentor.id, 0)) // max_demand
    else:
        spread = SPREAD_POINTS
    if spread:
        reasons.append({"code": "spread", "points": spread, "demand": demand.get(mentor.id, 0)})
    return sum(reason["points"] for reason in reasons), reasons


class _Encoder:
    """Maps codes (stages, subjects, focus areas) to bits of a 64-bit mask."""

    def __init__(self):
        self.bits: dict[str, int] = {}

    def mask(self, values) -> int:
        mask = 0
        for value in values:
            if value not in self.bits:
                if len(self.bits) >= 63:
                    raise ValueError("Too many distinct codes for one matching run.")
                self.bits[value] = len(self.bits)
            mask |= 1 << self.bits[value]
        return mask

    def array(self, rows) -> np.ndarray:
        return np.array([self.mask(row) for row in rows], dtype=np.int64)


def _rule_masks(data: MatchingInput, trainees: list[TraineeIn], mentors: list[MentorIn]):
    """(rule, T x M booleans) in the order of RULES: the pair rules of `pair_rule_broken`, vectorised."""
    t_school = np.array([t.school_id if t.school_id is not None else -1 for t in trainees], dtype=np.int64)
    m_school = np.array([m.school_id for m in mentors], dtype=np.int64)
    yield RULE_SAME_SCHOOL, t_school[:, None] != m_school[None, :]
    if data.cross_region:
        t_region = np.array([t.region_id for t in trainees], dtype=np.int64)
        m_region = np.array([m.region_id for m in mentors], dtype=np.int64)
        yield RULE_CROSS_REGION, t_region[:, None] != m_region[None, :]
    if data.kind == SHADOW_PRINCIPAL:
        yield (
            RULE_PRINCIPAL,
            np.broadcast_to(
                np.array([m.is_leader for m in mentors], dtype=bool)[None, :], (len(trainees), len(mentors))
            ),
        )
    else:
        stages, subjects = _Encoder(), _Encoder()
        t_stage = stages.array(trainee_stages(t) for t in trainees)
        m_stage = stages.array(mentor_stages(m) for m in mentors)
        yield RULE_STAGE, (t_stage[:, None] & m_stage[None, :]) != 0
        t_subject = subjects.array(teaching_subjects(t.subjects) for t in trainees)
        m_subject = subjects.array(teaching_subjects(m.subjects) for m in mentors)
        yield RULE_SUBJECT, (t_subject[:, None] & m_subject[None, :]) != 0
    if data.do_not_match:
        t_index = {t.id: i for i, t in enumerate(trainees)}
        m_index = {m.id: j for j, m in enumerate(mentors)}
        banned = np.ones((len(trainees), len(mentors)), dtype=bool)
        for trainee_id, mentor_id in data.do_not_match:
            if trainee_id in t_index and mentor_id in m_index:
                banned[t_index[trainee_id], m_index[mentor_id]] = False
        yield RULE_DO_NOT_MATCH, banned


def _allowed_matrix(data: MatchingInput, trainees: list[TraineeIn], mentors: list[MentorIn]) -> np.ndarray:
    allowed = np.ones((len(trainees), len(mentors)), dtype=bool)
    for _rule, mask in _rule_masks(data, trainees, mentors):
        allowed &= mask
    return allowed


def _scores(data, trainees, mentors, rows, cols, demand, max_demand) -> np.ndarray:
    """Scores of the allowed pairs (same as `pair_score`), vectorised."""
    focus_codes, stage_codes = _Encoder(), _Encoder()
    t_focus = focus_codes.array(t.focus_areas for t in trainees)
    m_focus = focus_codes.array(m.focus_areas for m in mentors)
    wanted = np.maximum(np.bitwise_count(t_focus), 1).astype(np.int64)
    common = np.bitwise_count(t_focus[rows] & m_focus[cols]).astype(np.int64)
    score = FOCUS_POINTS * common // wanted[rows]

    m_index = {m.id: j for j, m in enumerate(mentors)}
    width = len(mentors)
    keys = rows.astype(np.int64) * width + cols
    wished = np.zeros(len(rows), dtype=bool)
    for i, trainee in enumerate(trainees):
        for rank, mentor_id in enumerate(trainee.wishes[:MAX_WISHES], start=1):
            j = m_index.get(mentor_id)
            if j is None:
                continue
            position = np.searchsorted(keys, i * width + j)
            if position < len(keys) and keys[position] == i * width + j:
                score[position] += WISH_POINTS[rank]
                wished[position] = True

    type_codes: dict[str, int] = {"": -1}
    t_type = np.array([type_codes.setdefault(t.school_type, len(type_codes)) for t in trainees], dtype=np.int64)
    m_type = np.array([type_codes.setdefault(m.school_type, len(type_codes)) for m in mentors], dtype=np.int64)
    same_type = (t_type[rows] == m_type[cols]) & (t_type[rows] >= 0)
    score += SAME_TYPE_POINTS * same_type.astype(np.int64)
    t_sstage = stage_codes.array(_expand_stages([t.school_stage]) - {""} for t in trainees)
    m_sstage = stage_codes.array(_expand_stages([m.school_stage]) - {""} for m in mentors)
    score += SAME_STAGE_POINTS * ((t_sstage[rows] & m_sstage[cols]) != 0).astype(np.int64)

    if max_demand:
        m_demand = np.array([demand.get(m.id, 0) for m in mentors], dtype=np.int64)
        spread = SPREAD_POINTS * (max_demand - m_demand[cols]) // max_demand
    else:
        spread = np.full(len(rows), SPREAD_POINTS, dtype=np.int64)
    score += np.where(wished, SPREAD_POINTS, spread)
    return score


def solve(data: MatchingInput, *, progress: Progress | None = None) -> MatchingResult:
    """Propose the best complete set of pairings that the hard rules allow."""
    started = time.perf_counter()
    report = progress or (lambda percent, stage: None)
    report(5, "rules")
    mentors_by_id = {m.id: m for m in data.mentors}
    windows_by_school: dict[int, list[WindowIn]] = {}
    for window in data.windows:
        windows_by_school.setdefault(window.school_id, []).append(window)
    demand = mentor_demand(data)
    max_demand = max(demand.values(), default=0)
    quota = {region: max(seats, 0) for region, seats in data.quotas.items()}
    mentor_left = {m.id: max(m.capacity, 0) for m in data.mentors}
    window_left = {w.id: max(w.capacity, 0) for w in data.windows}

    proposals: list[Proposal] = []
    unplaced: list[Unplaced] = []
    free_trainees: list[TraineeIn] = []
    for trainee in data.trainees:
        mentor = mentors_by_id.get(data.pinned.get(trainee.id))
        if mentor is None:
            free_trainees.append(trainee)
            continue
        rule = pair_rule_broken(data=data, trainee=trainee, mentor=mentor)
        windows = [w for w in windows_by_school.get(mentor.school_id, []) if window_left[w.id] > 0]
        if rule is None and not windows_by_school.get(mentor.school_id):
            rule = RULE_NO_WINDOW
        elif rule is None and quota.get(trainee.region_id, 0) <= 0:
            rule = RULE_REGIONAL_QUOTA
        elif rule is None and mentor_left[mentor.id] <= 0:
            rule = RULE_MENTOR_CAPACITY
        elif rule is None and not windows:
            rule = RULE_SCHOOL_CAPACITY
        if rule is not None:
            unplaced.append(Unplaced(trainee_id=trainee.id, rule=rule))
            continue
        window = max(windows, key=lambda w: (window_left[w.id], -w.id))
        quota[trainee.region_id] -= 1
        mentor_left[mentor.id] -= 1
        window_left[window.id] -= 1
        score, reasons = pair_score(trainee=trainee, mentor=mentor, demand=demand, max_demand=max_demand)
        proposals.append(Proposal(trainee.id, mentor.id, window.id, score, reasons, pinned=True))

    trainees = free_trainees
    mentors = [m for m in data.mentors if windows_by_school.get(m.school_id)]
    arcs = 0
    if trainees and mentors:
        allowed = _allowed_matrix(data, trainees, mentors)
        report(25, "scores")
        rows, cols = np.nonzero(allowed)
        scores = _scores(data, trainees, mentors, rows, cols, demand, max_demand)
        report(45, "network")
        flow, pair_arcs, mentor_arcs, region_nodes = _build_network(
            data, trainees, mentors, rows, cols, scores, quota, mentor_left, windows_by_school, window_left
        )
        arcs = flow.num_arcs()
        report(60, "solve")
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"The min-cost flow solver stopped with status {status}.")
        report(85, "results")
        used = flow.flows(pair_arcs) > 0
        window_flow = _window_assignment(flow, mentors, mentor_arcs)
        placed = set()
        for position in np.flatnonzero(used):
            i, j = int(rows[position]), int(cols[position])
            trainee, mentor = trainees[i], mentors[j]
            window_id = window_flow[j].pop()
            score, reasons = pair_score(trainee=trainee, mentor=mentor, demand=demand, max_demand=max_demand)
            proposals.append(Proposal(trainee.id, mentor.id, window_id, score, reasons))
            placed.add(i)
        region_used = {region: int(flow.flow(arc)) for region, arc in region_nodes.items()}
        mentor_used = {mentors[j].id: int(flow.flow(arc)) for j, (arc, _) in enumerate(mentor_arcs)}
        left_out = [trainee for i, trainee in enumerate(trainees) if i not in placed]
    else:
        left_out, region_used, mentor_used = trainees, {}, {}
    rules = _blocking_rules(
        data, left_out, data.mentors, windows_by_school, quota, region_used, mentor_left, mentor_used
    )
    unplaced.extend(Unplaced(trainee_id=t.id, rule=rule) for t, rule in zip(left_out, rules, strict=True))
    report(100, "done")
    proposals.sort(key=lambda p: p.trainee_id)
    unplaced.sort(key=lambda u: u.trainee_id)
    return MatchingResult(proposals, unplaced, seconds=time.perf_counter() - started, arcs=arcs)


def _build_network(data, trainees, mentors, rows, cols, scores, quota, mentor_left, windows_by_school, window_left):
    from ortools.graph.python import min_cost_flow

    regions = sorted({t.region_id for t in trainees})
    source, sink = 0, 1
    region_node = {region: 2 + k for k, region in enumerate(regions)}
    first_trainee = 2 + len(regions)
    first_mentor_in = first_trainee + len(trainees)
    first_mentor_out = first_mentor_in + len(mentors)
    window_ids = sorted({w.id for m in mentors for w in windows_by_school[m.school_id]})
    first_window = first_mentor_out + len(mentors)
    window_node = {window_id: first_window + k for k, window_id in enumerate(window_ids)}

    tails, heads, caps, costs = [], [], [], []

    def add(tail, head, cap, cost=0):
        tails.append(tail)
        heads.append(head)
        caps.append(cap)
        costs.append(cost)
        return len(tails) - 1

    region_arcs = {region: add(source, region_node[region], quota.get(region, 0)) for region in regions}
    for i, trainee in enumerate(trainees):
        add(region_node[trainee.region_id], first_trainee + i, 1)
    mentor_arcs = []
    for j, mentor in enumerate(mentors):
        inner = add(first_mentor_in + j, first_mentor_out + j, mentor_left[mentor.id])
        outs = [
            (w.id, add(first_mentor_out + j, window_node[w.id], mentor_left[mentor.id]))
            for w in windows_by_school[mentor.school_id]
        ]
        mentor_arcs.append((inner, outs))
    for window_id in window_ids:
        add(window_node[window_id], sink, window_left[window_id])

    flow = min_cost_flow.SimpleMinCostFlow()
    fixed = len(tails)
    pair_tails = first_trainee + rows.astype(np.int32)
    pair_heads = first_mentor_in + cols.astype(np.int32)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.array(tails, dtype=np.int32), pair_tails]),
        np.concatenate([np.array(heads, dtype=np.int32), pair_heads]),
        np.concatenate([np.array(caps, dtype=np.int64), np.ones(len(rows), dtype=np.int64)]),
        np.concatenate([np.array(costs, dtype=np.int64), (MAX_SCORE - scores).astype(np.int64)]),
    )
    # With supplies set, solve_max_flow_with_min_cost sends as much as it can from source to sink.
    flow.set_node_supply(source, len(trainees))
    flow.set_node_supply(sink, -len(trainees))
    pair_arcs = np.arange(fixed, fixed + len(rows), dtype=np.int32)
    return flow, pair_arcs, mentor_arcs, region_arcs


def _window_assignment(flow, mentors, mentor_arcs) -> list[list[int]]:
    """For each mentor, the window of each trainee the flow sent through them."""
    assignment = []
    for _inner, outs in mentor_arcs:
        slots = []
        for window_id, arc in outs:
            slots.extend([window_id] * int(flow.flow(arc)))
        assignment.append(slots)
    return assignment


def _blocking_rules(data, trainees, mentors, windows_by_school, quota, region_used, mentor_left, mentor_used):
    """The rule that left each of these trainees without a host.

    Pair rules are applied in order, each narrowing a trainee's candidates;
    the first that leaves none is the answer. Otherwise a capacity ran out:
    the quota of the trainee's region, or every remaining candidate's own
    places, or (the flow being maximal) their schools' places in the window.
    """
    if not trainees:
        return []
    if not mentors:
        return [RULE_NO_HOSTS] * len(trainees)
    rules = [None] * len(trainees)
    candidates = np.ones((len(trainees), len(mentors)), dtype=bool)
    has_window = np.array([bool(windows_by_school.get(m.school_id)) for m in mentors], dtype=bool)
    masks = list(_rule_masks(data, trainees, mentors)) + [(RULE_NO_WINDOW, has_window[None, :])]
    for rule, mask in masks:
        candidates &= mask
        for i in np.flatnonzero(~candidates.any(axis=1)):
            if rules[i] is None:
                rules[i] = rule
    has_room = np.array([mentor_used.get(m.id, 0) < mentor_left[m.id] for m in mentors], dtype=bool)
    with_room = (candidates & has_room[None, :]).any(axis=1)
    for i, trainee in enumerate(trainees):
        if rules[i] is not None:
            continue
        if region_used.get(trainee.region_id, 0) >= quota.get(trainee.region_id, 0):
            rules[i] = RULE_REGIONAL_QUOTA
        elif not with_room[i]:
            rules[i] = RULE_MENTOR_CAPACITY
        else:
            rules[i] = RULE_SCHOOL_CAPACITY
    return rules
