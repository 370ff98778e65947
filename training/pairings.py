"""Who mentors whom, as told by the app that owns pairings.

Training must not import mentorship, yet its progress screens show each
trainee's mentor and its reviewers include the trainee's mentor. Mentorship
registers a source in its `AppConfig.ready()`:

    register_pairing_source("mentorship", pairs)

where `pairs(cohort_ids=None, trainee_ids=None, mentor_ids=None)` yields
`Pair`s (or `(cohort_id, trainee_id, mentor_id)` tuples) for the pairings in
force, in one query whatever the number of cohorts or people asked for.
When its pairings change, a source calls `training.overview.overview_invalidate(cohort_id)`
so that the cohort overview does not show yesterday's mentors.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Pair:
    cohort_id: int
    trainee_id: int
    mentor_id: int


PairSource = Callable[..., Iterable]
_SOURCES: dict[str, PairSource] = {}


def register_pairing_source(name: str, source: PairSource) -> None:
    _SOURCES[name] = source


def unregister_pairing_source(name: str) -> None:
    _SOURCES.pop(name, None)


def pairing_source_names() -> list[str]:
    """The names of the registered pairing sources, in registration order."""
    return list(_SOURCES)


def pairs_for(*, cohort_ids=None, trainee_ids=None, mentor_ids=None) -> list[Pair]:
    """Every pairing in force that matches, from every registered source."""
    pairs: list[Pair] = []
    for source in _SOURCES.values():
        for item in source(cohort_ids=cohort_ids, trainee_ids=trainee_ids, mentor_ids=mentor_ids):
            pairs.append(item if isinstance(item, Pair) else Pair(*item))
    return pairs


def mentor_ids_by_trainee(*, cohort_id: int) -> dict[int, list[int]]:
    """trainee id -> mentor ids in one cohort."""
    mentors: dict[int, list[int]] = defaultdict(list)
    for pair in pairs_for(cohort_ids=[cohort_id]):
        if pair.cohort_id == cohort_id and pair.mentor_id not in mentors[pair.trainee_id]:
            mentors[pair.trainee_id].append(pair.mentor_id)
    return dict(mentors)


def is_paired(*, cohort_id: int, trainee_id: int, mentor_id: int) -> bool:
    return any(
        pair.cohort_id == cohort_id
        for pair in pairs_for(cohort_ids=[cohort_id], trainee_ids=[trainee_id], mentor_ids=[mentor_id])
        if pair.trainee_id == trainee_id and pair.mentor_id == mentor_id
    )
