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

`matching_network` solves it on each trainee's `CANDIDATES` cheapest arcs
and adds back any left-out arc that could improve the answer, until none
can: the result is the full graph's optimum, without building its arcs.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .matching_network import Network, solve_network

# Score weights in hundredths of a point; they add up to 100 points.
FOCUS_POINTS = 4000
WISH_POINTS = {1: 3000, 2: 2000, 3: 1000}
SAME_TYPE_POINTS = 800
SAME_STAGE_POINTS = 700
SPREAD_POINTS = 1500
MAX_SCORE = FOCUS_POINTS + WISH_POINTS[1] + SAME_TYPE_POINTS + SAME_STAGE_POINTS + SPREAD_POINTS
MAX_WISHES = 3
# Arcs per trainee in the first sparse network; the pricing adds back whatever else could matter.
CANDIDATES = 16

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
    arcs: int = 0  # of the last network solved
    admissible_arcs: int = 0  # trainee -> mentor pairs the hard rules allow
    rounds: int = 0  # solves until no left-out arc could improve the answer
    added_arcs: int = 0  # left-out arcs the pricing added back

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


# Trainee x mentor blocks hold about this many pairs, so that no T x M array of integers is ever built.
BLOCK_PAIRS = 1 << 19


def block_rows(mentors: int) -> int:
    return max(1, BLOCK_PAIRS // max(mentors, 1))


class _Pairs:
    """The pair rules of `pair_rule_broken` and the scores of `pair_score`, vectorised by blocks of trainees."""

    def __init__(self, data: MatchingInput, trainees: list[TraineeIn], mentors: list[MentorIn], demand, max_demand):
        self.data, self.mentors = data, len(mentors)
        self.t_school = np.array([t.school_id if t.school_id is not None else -1 for t in trainees], dtype=np.int64)
        self.m_school = np.array([m.school_id for m in mentors], dtype=np.int64)
        self.t_region = np.array([t.region_id for t in trainees], dtype=np.int64)
        self.m_region = np.array([m.region_id for m in mentors], dtype=np.int64)
        self.m_leader = np.array([m.is_leader for m in mentors], dtype=bool)
        stages, subjects = _Encoder(), _Encoder()
        self.t_stage = stages.array(trainee_stages(t) for t in trainees)
        self.m_stage = stages.array(mentor_stages(m) for m in mentors)
        self.t_subject = subjects.array(teaching_subjects(t.subjects) for t in trainees)
        self.m_subject = subjects.array(teaching_subjects(m.subjects) for m in mentors)
        t_index = {t.id: i for i, t in enumerate(trainees)}
        m_index = {m.id: j for j, m in enumerate(mentors)}
        banned = sorted((t_index[t], m_index[m]) for t, m in data.do_not_match if t in t_index and m in m_index)
        self.banned = np.array(banned, dtype=np.int64).reshape(-1, 2)

        # Focus areas, school type and school stage score a pair alike for every trainee of one profile,
        # so one row per profile is computed and each block of trainees reads its rows.
        focus_codes, stage_codes = _Encoder(), _Encoder()
        type_codes: dict[str, int] = {"": -1}
        profiles = np.stack(
            [
                focus_codes.array(t.focus_areas for t in trainees),
                np.array([type_codes.setdefault(t.school_type, len(type_codes)) for t in trainees], dtype=np.int64),
                stage_codes.array(_expand_stages([t.school_stage]) - {""} for t in trainees),
            ],
            axis=1,
        ).reshape(len(trainees), 3)
        self.profiles, self.profile = np.unique(profiles, axis=0, return_inverse=True)
        self.profile = self.profile.reshape(-1)
        self.m_focus = focus_codes.array(m.focus_areas for m in mentors)
        self.m_type = np.array([type_codes.setdefault(m.school_type, len(type_codes)) for m in mentors])
        self.m_sstage = stage_codes.array(_expand_stages([m.school_stage]) - {""} for m in mentors)
        self._table: np.ndarray | None = None
        # Column of each trainee's wish of each rank (-1: none, or not among these mentors).
        self.wishes = np.full((len(trainees), MAX_WISHES), -1, dtype=np.int64)
        for i, trainee in enumerate(trainees):
            wishes = list(trainee.wishes[:MAX_WISHES])
            for rank, mentor_id in enumerate(wishes):
                if mentor_id in m_index and wishes.index(mentor_id) == rank:
                    self.wishes[i, rank] = m_index[mentor_id]
        if max_demand:
            m_demand = np.array([demand.get(m.id, 0) for m in mentors], dtype=np.int64)
            self.spread = (SPREAD_POINTS * (max_demand - m_demand) // max_demand).astype(np.int32)
        else:
            self.spread = np.full(len(mentors), SPREAD_POINTS, dtype=np.int32)

    def rule_masks(self, start: int, stop: int):
        """(rule, block x mentors booleans: allowed by it), in the order of RULES."""
        shape = (stop - start, self.mentors)
        yield RULE_SAME_SCHOOL, self.t_school[start:stop, None] != self.m_school[None, :]
        if self.data.cross_region:
            yield RULE_CROSS_REGION, self.t_region[start:stop, None] != self.m_region[None, :]
        if self.data.kind == SHADOW_PRINCIPAL:
            yield RULE_PRINCIPAL, np.broadcast_to(self.m_leader[None, :], shape)
        else:
            yield RULE_STAGE, (self.t_stage[start:stop, None] & self.m_stage[None, :]) != 0
            yield RULE_SUBJECT, (self.t_subject[start:stop, None] & self.m_subject[None, :]) != 0
        if self.data.do_not_match:
            allowed = np.ones(shape, dtype=bool)
            low, high = np.searchsorted(self.banned[:, 0], [start, stop])
            allowed[self.banned[low:high, 0] - start, self.banned[low:high, 1]] = False
            yield RULE_DO_NOT_MATCH, allowed

    def allowed(self, start: int, stop: int) -> np.ndarray:
        allowed = np.ones((stop - start, self.mentors), dtype=bool)
        for _rule, mask in self.rule_masks(start, stop):
            allowed &= mask
        return allowed

    def _score_table(self) -> np.ndarray:
        """Profiles x mentors: the score of a pair without wishes."""
        if self._table is None:
            self._table = np.empty((len(self.profiles), self.mentors), dtype=np.int16)
            step = block_rows(self.mentors)
            for start in range(0, len(self.profiles), step):
                focus, kind, stage = (column[:, None] for column in self.profiles[start : start + step].T)
                wanted = np.maximum(np.bitwise_count(focus), 1)
                score = FOCUS_POINTS * np.bitwise_count(focus & self.m_focus[None, :]).astype(np.int32) // wanted
                score += SAME_TYPE_POINTS * ((kind == self.m_type[None, :]) & (kind >= 0))
                score += SAME_STAGE_POINTS * ((stage & self.m_sstage[None, :]) != 0)
                self._table[start : start + step] = score + self.spread[None, :]
        return self._table

    def scores(self, start: int, stop: int) -> np.ndarray:
        """Block x mentors scores, meaningful where the pair is allowed."""
        score = self._score_table()[self.profile[start:stop]]
        for rank in range(MAX_WISHES):
            block = np.flatnonzero(self.wishes[start:stop, rank] >= 0)
            cols = self.wishes[start + block, rank]
            # A wished host scores the wish and the whole spread, however sought-after.
            score[block, cols] += WISH_POINTS[rank + 1] + SPREAD_POINTS - self.spread[cols]
        return score

    def costs(self, start: int, stop: int) -> np.ndarray:
        """The network's price of each pair: 10000 - score."""
        return MAX_SCORE - self.scores(start, stop)


def solve(
    data: MatchingInput, *, progress: Progress | None = None, candidates: int | None = CANDIDATES
) -> MatchingResult:
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
    figures = {}
    if trainees and mentors:
        pairs = _Pairs(data, trainees, mentors, demand, max_demand)
        report(25, "network")
        network = Network(
            trainee_regions=[t.region_id for t in trainees],
            quotas=quota,
            mentor_capacity=[mentor_left[m.id] for m in mentors],
            mentor_windows=[[w.id for w in windows_by_school[m.school_id]] for m in mentors],
            window_capacity=window_left,
        )
        stages = {"solve": 45, "verify": 75}
        flow = solve_network(
            network,
            pair_allowed=pairs.allowed,
            pair_costs=pairs.costs,
            max_cost=MAX_SCORE,
            block_rows=block_rows(len(mentors)),
            candidates=candidates,
            progress=lambda stage: report(stages[stage], stage),
        )
        report(85, "results")
        placed = set()
        for i, j in flow.pairs:
            trainee, mentor = trainees[i], mentors[j]
            window_id = flow.mentor_windows[j].pop()
            score, reasons = pair_score(trainee=trainee, mentor=mentor, demand=demand, max_demand=max_demand)
            proposals.append(Proposal(trainee.id, mentor.id, window_id, score, reasons))
            placed.add(i)
        region_used = flow.region_used
        mentor_used = {mentors[j].id: used for j, used in enumerate(flow.mentor_used)}
        left_out = [trainee for i, trainee in enumerate(trainees) if i not in placed]
        figures = {
            "arcs": flow.arcs,
            "admissible_arcs": flow.admissible_arcs,
            "rounds": flow.rounds,
            "added_arcs": flow.added_arcs,
        }
    else:
        left_out, region_used, mentor_used = trainees, {}, {}
    rules = _blocking_rules(
        data, left_out, data.mentors, windows_by_school, quota, region_used, mentor_left, mentor_used
    )
    unplaced.extend(Unplaced(trainee_id=t.id, rule=rule) for t, rule in zip(left_out, rules, strict=True))
    report(100, "done")
    proposals.sort(key=lambda p: p.trainee_id)
    unplaced.sort(key=lambda u: u.trainee_id)
    return MatchingResult(proposals, unplaced, seconds=time.perf_counter() - started, **figures)


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
    pairs = _Pairs(data, trainees, mentors, {}, 0)
    has_window = np.array([bool(windows_by_school.get(m.school_id)) for m in mentors], dtype=bool)
    has_room = np.array([mentor_used.get(m.id, 0) < mentor_left[m.id] for m in mentors], dtype=bool)
    with_room = np.zeros(len(trainees), dtype=bool)
    step = block_rows(len(mentors))
    for start in range(0, len(trainees), step):
        stop = min(start + step, len(trainees))
        candidates = np.ones((stop - start, len(mentors)), dtype=bool)
        for rule, mask in [*pairs.rule_masks(start, stop), (RULE_NO_WINDOW, has_window[None, :])]:
            candidates &= mask
            for i in start + np.flatnonzero(~candidates.any(axis=1)):
                if rules[i] is None:
                    rules[i] = rule
        with_room[start:stop] = (candidates & has_room[None, :]).any(axis=1)
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
