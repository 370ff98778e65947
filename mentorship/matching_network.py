"""The matching's flow network, solved on a sparse graph and proven optimal on the full one.

Pure computation on numpy arrays; `matching.solve` supplies the network's
capacities and a callback that prices the trainee -> mentor pairs of a
block of trainees. The network (OR-Tools `SimpleMinCostFlow`):

    source -> sending region (its remaining quota)
           -> trainee (1)
           -> mentor in -> mentor out (the mentor's remaining capacity)
           -> host-school window (its remaining capacity) -> sink

The full graph has an arc for every admissible pair: 5.6 million for 5,000
shadow principals and 1,500 leaders. Most cannot matter, since a trainee
ends up with one of the few hosts that suit them best, or with none. So:

1. the network starts with the `candidates` cheapest admissible arcs of
   each trainee and of each mentor (so that a host whom no trainee ranks
   high stays within reach), ties broken in a different order for each,
   and is solved (as many placed as possible, then the least cost);
2. node potentials d are read off the residual network of that answer:
   shortest distances from a virtual root (Bellman-Ford), with a bypass
   arc source -> sink of cost C = max_cost * (trainees + 1) in it;
3. every left-out arc t -> m (it carries no flow, so it is residual) is
   priced by its reduced cost cost + d(t) - d(m). If some are negative, the
   `candidates` most negative of each trainee and of each mentor are added
   back and the network is solved again from 2. When none is negative,
   the answer is final. After MAX_ROUNDS solves, a safety net: whatever
   is still left out goes in, and one last solve is on the full graph.

Why that answer is the full graph's optimum. A simple source -> sink path
in a residual network crosses each trainee once, so it costs at most
max_cost * trainees < C. Hence, on the full graph with the bypass, a
min-cost flow is a maximum flow of the network (an augmenting path and the
bypass's reverse arc would make a negative cycle), and among maximum flows
the cheapest. The sparse answer is such a flow on the sparse graph, so its
residual network has no negative cycle and d exists; every residual arc of
the sparse graph has a non-negative reduced cost by construction of d, and
every left-out arc by the last pricing. A potential with no negative
reduced cost on the full residual network proves the flow of least cost
there: the result is the full graph's optimum.

Pair costs are generated a block of trainees at a time, so the full graph
never exists as arcs, only as one block of numbers at a time.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# (first trainee, end) -> block x mentors: admissible (booleans), or cost (integers 0..max_cost)
PairRule = Callable[[int, int], np.ndarray]
Progress = Callable[[str], None]
# Rounds of pricing before the safety net: the rest of the full graph goes in, and one solve ends it.
MAX_ROUNDS = 10


@dataclass
class Network:
    """The fixed part of the network: who sends, who hosts, and how many each can take."""

    trainee_regions: list[int]  # the sending region of each trainee
    quotas: dict[int, int]  # region -> places still free
    mentor_capacity: list[int]  # places still free with each mentor
    mentor_windows: list[list[int]]  # the windows of each mentor's school
    window_capacity: dict[int, int]  # window -> places still free


@dataclass
class Flow:
    """An optimal flow of the full graph, in the terms of the network."""

    pairs: list[tuple[int, int]]  # (trainee index, mentor index) of each placement
    region_used: dict[int, int]
    mentor_used: list[int]
    mentor_windows: list[list[int]]  # for each mentor, the window of each trainee placed with them
    arcs: int  # arcs of the last network solved
    admissible_arcs: int  # trainee -> mentor arcs of the full graph
    rounds: int  # solves until no left-out arc had a negative reduced cost
    added_arcs: int  # left-out arcs added back by the pricing


class _Layout:
    """Node numbers and the fixed arcs, as arrays."""

    def __init__(self, network: Network):
        regions = sorted(set(network.trainee_regions))
        windows = sorted({w for ids in network.mentor_windows for w in ids})
        trainees, mentors = len(network.trainee_regions), len(network.mentor_capacity)
        self.source, self.sink = 0, 1
        self.trainees, self.mentors = trainees, mentors
        self.regions = regions
        region_node = {region: 2 + k for k, region in enumerate(regions)}
        self.first_trainee = 2 + len(regions)
        self.first_mentor_in = self.first_trainee + trainees
        first_mentor_out = self.first_mentor_in + mentors
        first_window = first_mentor_out + mentors
        window_node = {window: first_window + k for k, window in enumerate(windows)}
        self.nodes = first_window + len(windows)

        tails, heads, caps = [], [], []

        def add(tail: int, head: int, capacity: int) -> int:
            tails.append(tail)
            heads.append(head)
            caps.append(max(capacity, 0))
            return len(tails) - 1

        for region in regions:
            add(self.source, region_node[region], network.quotas.get(region, 0))
        for i, region in enumerate(network.trainee_regions):
            add(region_node[region], self.first_trainee + i, 1)
        self.first_inner = len(tails)
        for j, capacity in enumerate(network.mentor_capacity):
            add(self.first_mentor_in + j, first_mentor_out + j, capacity)
        self.mentor_window_arcs = [
            [(window, add(first_mentor_out + j, window_node[window], capacity)) for window in ids]
            for j, (capacity, ids) in enumerate(zip(network.mentor_capacity, network.mentor_windows, strict=True))
        ]
        for window in windows:
            add(window_node[window], self.sink, network.window_capacity.get(window, 0))
        self.tails = np.array(tails, dtype=np.int32)
        self.heads = np.array(heads, dtype=np.int32)
        self.caps = np.array(caps, dtype=np.int64)


def solve_network(
    network: Network,
    *,
    pair_allowed: PairRule,
    pair_costs: PairRule,
    max_cost: int,
    block_rows: int,
    candidates: int | None,
    progress: Progress | None = None,
) -> Flow:
    """Max flow at min cost over all admissible pairs, from `candidates` arcs per trainee and mentor (None: all)."""
    report = progress or (lambda stage: None)
    layout = _Layout(network)
    full = candidates is None or candidates >= layout.mentors
    # Admissible pairs not (yet) in the network: the only arcs the pricing looks at.
    left_out = np.zeros((layout.trainees, layout.mentors), dtype=bool)
    rows, cols, costs = _arcs_to_add(
        layout,
        _admissible_blocks(layout, pair_allowed, pair_costs, block_rows, left_out),
        left_out,
        None if full else candidates,
    )
    admissible = len(rows) + int(np.count_nonzero(left_out))
    rounds = added = 0
    while True:
        rounds += 1
        report("solve")
        flows = _solve_once(layout, rows, cols, costs)
        if not left_out.any():
            break
        report("verify")
        if rounds < MAX_ROUNDS:
            potential = _potentials(layout, rows, cols, costs, flows, bypass_cost=max_cost * (layout.trainees + 1))
            blocks, count = _negative_blocks(layout, pair_costs, block_rows, potential, left_out), candidates
        else:  # a safety net: the rest of the full graph goes in
            blocks, count = _left_out_blocks(layout, pair_costs, block_rows, left_out), None
        new_rows, new_cols, new_costs = _arcs_to_add(layout, blocks, left_out, count)
        if not len(new_rows):
            break
        rows, cols, costs = (np.concatenate(pair) for pair in ((rows, new_rows), (cols, new_cols), (costs, new_costs)))
        added += len(new_rows)
    return _flow_of(layout, rows, cols, flows, admissible=admissible, rounds=rounds, added=added)


def _admissible_blocks(layout: _Layout, pair_allowed, pair_costs, block_rows: int, left_out):
    """Every admissible arc, cheapest first; all are left out until chosen."""
    for start in range(0, layout.trainees, block_rows):
        stop = min(start + block_rows, layout.trainees)
        allowed, cost = pair_allowed(start, stop), pair_costs(start, stop)
        left_out[start:stop] = allowed
        yield start, stop, cost, allowed, cost


def _negative_blocks(layout: _Layout, pair_costs, block_rows: int, potential, left_out):
    """The left-out arcs whose reduced cost is negative, most negative first."""
    at_trainee = potential[layout.first_trainee : layout.first_trainee + layout.trainees]
    at_mentor = potential[layout.first_mentor_in : layout.first_mentor_in + layout.mentors]
    for start in range(0, layout.trainees, block_rows):
        stop = min(start + block_rows, layout.trainees)
        if left_out[start:stop].any():
            cost = pair_costs(start, stop)
            reduced = cost + at_trainee[start:stop, None] - at_mentor[None, :]
            yield start, stop, reduced, left_out[start:stop] & (reduced < 0), cost


def _left_out_blocks(layout: _Layout, pair_costs, block_rows: int, left_out):
    """Every arc still left out (the safety net)."""
    for start in range(0, layout.trainees, block_rows):
        stop = min(start + block_rows, layout.trainees)
        if left_out[start:stop].any():
            cost = pair_costs(start, stop)
            yield start, stop, cost, left_out[start:stop], cost


def _arcs_to_add(layout: _Layout, blocks, left_out, count: int | None):
    """The first `count` eligible arcs of each trainee and of each mentor (None: every eligible arc).

    Ties are broken in a different order for each trainee (and each mentor),
    so that trainees who rate many hosts alike do not all pick the same few.
    The mentors' own first arcs keep within reach a host whom no trainee
    ranks high. The arcs chosen are no longer left out.
    """
    parts = [(np.zeros(0, dtype=np.int64),) * 3]
    by_mentor = _FirstByMentor(layout, count)
    for start, stop, order, eligible, cost in blocks:
        if count is None:
            block, cols = np.nonzero(eligible)
            rows = np.arange(start, stop)
        else:
            live = np.flatnonzero(eligible.any(axis=1))
            if not len(live):
                continue
            if len(live) < stop - start:  # the pricing finds few: only their rows are ranked
                order, eligible, cost = order[live], eligible[live], cost[live]
            rows = start + live
            order = order.astype(np.int64)
            key = np.where(eligible, order * layout.mentors + _trainee_turn(rows, layout.mentors), _LAST)
            picked = _first(key, count, axis=1)
            keep = np.take_along_axis(eligible, picked, axis=1)
            block, cols = np.broadcast_to(np.arange(len(rows))[:, None], picked.shape)[keep], picked[keep]
            by_mentor.add(rows, order, eligible, cost)
        left_out[rows[block], cols] = False
        parts.append((rows[block], cols, cost[block, cols]))
    parts.append(by_mentor.arcs(left_out))
    return tuple(np.concatenate([part[k] for part in parts]).astype(np.int64) for k in range(3))


class _FirstByMentor:
    """Each mentor's first `count` eligible trainees, kept across blocks of trainees."""

    def __init__(self, layout: _Layout, count: int | None):
        self.layout, self.count = layout, count
        self.rows = self.keys = self.costs = None  # count x mentors

    def add(self, rows, order, eligible, cost):
        key = np.where(eligible, order * self.layout.trainees + _mentor_turn(rows, self.layout), _LAST)
        picked = _first(key, self.count, axis=0)
        found = (rows[picked], np.take_along_axis(key, picked, axis=0), np.take_along_axis(cost, picked, axis=0))
        if self.rows is not None:
            found = tuple(np.concatenate(pair) for pair in zip((self.rows, self.keys, self.costs), found, strict=True))
            best = _first(found[1], self.count, axis=0)
            found = tuple(np.take_along_axis(a, best, axis=0) for a in found)
        self.rows, self.keys, self.costs = found

    def arcs(self, left_out):
        """The arcs found, but those already chosen for their trainee; marks them chosen."""
        if self.rows is None:
            return (np.zeros(0, dtype=np.int64),) * 3
        found = self.keys < _LAST
        rows, costs = self.rows[found], self.costs[found]
        cols = np.broadcast_to(np.arange(self.layout.mentors)[None, :], self.rows.shape)[found]
        new = left_out[rows, cols]
        left_out[rows[new], cols[new]] = False
        return rows[new], cols[new], costs[new]


_LAST = np.iinfo(np.int64).max
_GOLDEN = 0.6180339887498949


def _first(key: np.ndarray, count: int, *, axis: int) -> np.ndarray:
    """Indices of the `count` smallest keys along `axis` (all of them if there are no more)."""
    if key.shape[axis] <= count:
        return np.broadcast_to(np.expand_dims(np.arange(key.shape[axis]), 1 - axis), key.shape)
    return (
        np.argpartition(key, count - 1, axis=axis)[:, :count]
        if axis == 1
        else np.argpartition(key, count - 1, axis=0)[:count]
    )


def _offsets(ids: np.ndarray, size: int) -> np.ndarray:
    """Starting points spread evenly over 0..size-1, whatever the ids (a golden-ratio sequence)."""
    return (np.modf(ids * _GOLDEN)[0] * size).astype(np.int64)


def _trainee_turn(rows: np.ndarray, mentors: int) -> np.ndarray:
    """Tie-breaker: trainee i ranks mentor j as (j - offset_i) mod mentors."""
    turn = np.arange(mentors)[None, :] - _offsets(rows, mentors)[:, None]
    turn[turn < 0] += mentors
    return turn


def _mentor_turn(rows: np.ndarray, layout: _Layout) -> np.ndarray:
    """Tie-breaker: mentor j ranks trainee i as (i - offset_j) mod trainees."""
    turn = rows[:, None] - _offsets(np.arange(layout.mentors), layout.trainees)[None, :]
    turn[turn < 0] += layout.trainees
    return turn


def _arrays(layout: _Layout, rows, cols, costs):
    tails = np.concatenate([layout.tails, (layout.first_trainee + rows).astype(np.int32)])
    heads = np.concatenate([layout.heads, (layout.first_mentor_in + cols).astype(np.int32)])
    caps = np.concatenate([layout.caps, np.ones(len(rows), dtype=np.int64)])
    unit_costs = np.concatenate([np.zeros(len(layout.caps), dtype=np.int64), costs.astype(np.int64)])
    return tails, heads, caps, unit_costs


def _solve_once(layout: _Layout, rows, cols, costs) -> np.ndarray:
    """The flow on every arc (fixed arcs first, then the pair arcs) of a max flow at min cost."""
    from ortools.graph.python import min_cost_flow

    tails, heads, caps, unit_costs = _arrays(layout, rows, cols, costs)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, unit_costs)
    # With supplies set, solve_max_flow_with_min_cost sends as much as it can from source to sink.
    flow.set_node_supply(layout.source, layout.trainees)
    flow.set_node_supply(layout.sink, -layout.trainees)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"The min-cost flow solver stopped with status {status}.")
    return flow.flows(np.arange(len(tails), dtype=np.int32))


def _potentials(layout: _Layout, rows, cols, costs, flows, *, bypass_cost: int) -> np.ndarray:
    """Shortest distances from a virtual root in the residual network with the bypass: a feasible potential."""
    tails, heads, caps, unit_costs = _arrays(layout, rows, cols, costs)
    forward, backward = flows < caps, flows > 0
    sent = int(flows[: len(layout.regions)].sum())
    bypass = []  # (tail, head, cost) of the residual arcs of the bypass source -> sink
    if sent < layout.trainees:  # the bypass carries the rest, so its reverse arc is residual
        bypass.append((layout.sink, layout.source, -bypass_cost))
    if sent > 0:
        bypass.append((layout.source, layout.sink, bypass_cost))
    bypass_tails, bypass_heads, bypass_costs = np.array(bypass, dtype=np.int64).reshape(-1, 3).T
    r_tails = np.concatenate([tails[forward], heads[backward], bypass_tails])
    r_heads = np.concatenate([heads[forward], tails[backward], bypass_heads])
    r_costs = np.concatenate([unit_costs[forward], -unit_costs[backward], bypass_costs])
    # Bellman-Ford from a root joined to every node at cost 0, relaxing only the arcs leaving nodes
    # that improved: an optimal flow leaves no negative cycle, so this ends within `nodes` passes.
    distance = np.zeros(layout.nodes, dtype=np.int64)
    improved = np.ones(layout.nodes, dtype=bool)
    for _ in range(layout.nodes + 1):
        live = improved[r_tails]
        if not live.any():
            return distance
        relaxed = distance.copy()
        np.minimum.at(relaxed, r_heads[live], distance[r_tails[live]] + r_costs[live])
        improved = relaxed < distance
        distance = relaxed
    raise RuntimeError("The residual network has a negative cycle: the flow is not optimal.")


def _flow_of(layout: _Layout, rows, cols, flows, *, admissible: int, rounds: int, added: int) -> Flow:
    fixed = len(layout.tails)
    used = np.flatnonzero(flows[fixed:] > 0)
    used = used[np.argsort(rows[used], kind="stable")]
    mentor_used = flows[layout.first_inner : layout.first_inner + layout.mentors]
    return Flow(
        pairs=[(int(rows[k]), int(cols[k])) for k in used],
        region_used={region: int(flows[k]) for k, region in enumerate(layout.regions)},
        mentor_used=[int(f) for f in mentor_used],
        mentor_windows=[
            [window for window, arc in arcs for _ in range(int(flows[arc]))] for arcs in layout.mentor_window_arcs
        ],
        arcs=fixed + len(rows),
        admissible_arcs=admissible,
        rounds=rounds,
        added_arcs=added,
    )
