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

1. the network starts with each trainee's `candidates` cheapest admissible
   arcs and is solved (as many placed as possible, then the least cost);
2. node potentials d are read off the residual network of that answer:
   shortest distances from a virtual root (Bellman-Ford), with a bypass
   arc source -> sink of cost C = max_cost * (trainees + 1) in it;
3. every left-out arc t -> m (it carries no flow, so it is residual) is
   priced: if cost + d(t) - d(m) < 0 it is added back, and the network is
   solved again from 1. When none is left, the answer is final.

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
        for region in regions:
            tails.append(self.source), heads.append(region_node[region])
            caps.append(max(network.quotas.get(region, 0), 0))
        for i, region in enumerate(network.trainee_regions):
            tails.append(region_node[region]), heads.append(self.first_trainee + i), caps.append(1)
        self.first_inner = len(tails)
        for j, capacity in enumerate(network.mentor_capacity):
            tails.append(self.first_mentor_in + j), heads.append(first_mentor_out + j), caps.append(capacity)
        self.mentor_window_arcs: list[list[tuple[int, int]]] = []
        for j, (capacity, ids) in enumerate(zip(network.mentor_capacity, network.mentor_windows, strict=True)):
            arcs = []
            for window in ids:
                arcs.append((window, len(tails)))
                tails.append(first_mentor_out + j), heads.append(window_node[window]), caps.append(capacity)
            self.mentor_window_arcs.append(arcs)
        for window in windows:
            tails.append(window_node[window]), heads.append(self.sink)
            caps.append(max(network.window_capacity.get(window, 0), 0))
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
    """Max flow at min cost over all admissible pairs; `candidates` cheapest per trainee first (None: all)."""
    report = progress or (lambda stage: None)
    layout = _Layout(network)
    # Admissible pairs not (yet) in the network: the only arcs the pricing looks at.
    left_out = np.zeros((layout.trainees, layout.mentors), dtype=bool)
    rows, cols, costs = _initial_arcs(layout, pair_allowed, pair_costs, block_rows, candidates, left_out)
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
        else:
            potential = None  # a safety net: the next solve is on the full graph
        new_rows, new_cols, new_costs = _arcs_to_add(layout, pair_costs, block_rows, potential, left_out)
        if not len(new_rows):
            break
        left_out[new_rows, new_cols] = False
        rows, cols, costs = (np.concatenate(pair) for pair in ((rows, new_rows), (cols, new_cols), (costs, new_costs)))
        added += len(new_rows)
    return _flow_of(layout, rows, cols, flows, admissible=admissible, rounds=rounds, added=added)


def _initial_arcs(layout: _Layout, pair_allowed, pair_costs, block_rows: int, candidates: int | None, left_out):
    """Each trainee's `candidates` cheapest admissible arcs (all with None); marks the others left out."""
    parts = [(np.zeros(0, dtype=np.int64),) * 3]
    for start in range(0, layout.trainees, block_rows):
        stop = min(start + block_rows, layout.trainees)
        allowed, cost = pair_allowed(start, stop), pair_costs(start, stop)
        if candidates is None or candidates >= layout.mentors:
            block, cols = np.nonzero(allowed)
        else:
            cheapest = np.argpartition(np.where(allowed, cost, np.iinfo(cost.dtype).max), candidates - 1, axis=1)
            cheapest = cheapest[:, :candidates]
            keep = np.take_along_axis(allowed, cheapest, axis=1)
            block = np.broadcast_to(np.arange(stop - start)[:, None], cheapest.shape)[keep]
            cols = cheapest[keep]
            left_out[start:stop] = allowed
            left_out[start + block, cols] = False
        parts.append((start + block, cols, cost[block, cols]))
    return tuple(np.concatenate([part[k] for part in parts]).astype(np.int64) for k in range(3))


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
    bypass_tails, bypass_heads, bypass_costs = [], [], []
    if sent < layout.trainees:  # the bypass carries the rest, so its reverse arc is residual
        bypass_tails.append(layout.sink), bypass_heads.append(layout.source), bypass_costs.append(-bypass_cost)
    if sent > 0:
        bypass_tails.append(layout.source), bypass_heads.append(layout.sink), bypass_costs.append(bypass_cost)
    r_tails = np.concatenate([tails[forward], heads[backward], np.array(bypass_tails, dtype=np.int32)])
    r_heads = np.concatenate([heads[forward], tails[backward], np.array(bypass_heads, dtype=np.int32)])
    r_costs = np.concatenate([unit_costs[forward], -unit_costs[backward], np.array(bypass_costs, dtype=np.int64)])
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


def _arcs_to_add(layout: _Layout, pair_costs, block_rows: int, potential, left_out):
    """The left-out arcs whose reduced cost is negative (all of them without a potential)."""
    if potential is not None:
        at_trainee = potential[layout.first_trainee : layout.first_trainee + layout.trainees]
        at_mentor = potential[layout.first_mentor_in : layout.first_mentor_in + layout.mentors]
    parts = [(np.zeros(0, dtype=np.int64),) * 3]
    for start in range(0, layout.trainees, block_rows):
        stop = min(start + block_rows, layout.trainees)
        if not left_out[start:stop].any():
            continue
        cost = pair_costs(start, stop)
        if potential is None:
            block, cols = np.nonzero(left_out[start:stop])
        else:
            reduced = cost + at_trainee[start:stop, None] - at_mentor[None, :]
            block, cols = np.nonzero(left_out[start:stop] & (reduced < 0))
        parts.append((start + block, cols, cost[block, cols]))
    return tuple(np.concatenate([part[k] for part in parts]).astype(np.int64) for k in range(3))


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
