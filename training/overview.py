"""The cohort overview's numbers, computed once per change of the cohort and kept in the cache.

Computing every trainee's progress costs about half a second per thousand
trainees, and a coordinator re-sorts and filters the overview many times
between two changes. So the whole cohort's progress is computed once into
plain entries (no model instances) and cached under the cohort's version token (`versioned`), which every write
touching the cohort renews (declared in `training.renewals` and the other
apps' `renewals`; bulk writes call `overview_invalidate`). Flags
that depend only on the clock (an item ending, an assignment falling due)
may lag by at most `CACHE_SECONDS`; the page shows when its figures were
computed.

Filtering, sorting and counting run on the entries; only the page of rows
on screen is turned back into model instances.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

import versioned

from .models import Cohort, CohortMembership, MembershipRole, MembershipStatus
from .pairings import pairs_for
from .progress import TraineeProgress, cohort_facts, trainee_progress

CACHE_SECONDS = 300


@dataclass(frozen=True)
class _Member:
    """What progress reads of a membership, without building the model instance."""

    pk: int
    user_id: int
    status: str
    role: str


@dataclass
class OverviewEntry:
    membership_id: int
    user_id: int
    name: str
    email: str
    region_id: int | None
    region_order: int
    school_name: str
    status: str
    progress: TraineeProgress
    mentor_ids: tuple


@dataclass
class Overview:
    entries: list[OverviewEntry]
    mentor_regions: dict  # mentor id -> the region their membership of this cohort names
    computed_at: datetime.datetime
    key: str = ""  # the cache key it lives under: names the cohort, its version, the language and the day


def cohort_token(cohort_id: int | None) -> str | None:
    """The name of the version token of everything the cohort's overview and its members' dashboards show."""
    return None if cohort_id is None else f"cohort:{cohort_id}"


def overview_invalidate(*cohort_ids: int | None) -> None:
    """Forget these cohorts' cached overviews (and their members' dashboards), for bulk writes that send no signal."""
    versioned.renew(*(cohort_token(cohort_id) for cohort_id in cohort_ids))


def cohort_overview_entries(*, cohort: Cohort) -> Overview:
    """Every trainee membership of the cohort with progress and mentors, from the cache when it is fresh."""
    key = versioned.key("training:overview", [cohort_token(cohort.pk)], cohort.pk, get_language(), timezone.localdate())
    overview = cache.get(key)
    if overview is None:
        overview = _compute(cohort)
        overview.key = key
        # The stamp lets a page that has the rest cached name this version without reading every entry.
        cache.set_many({key: overview, f"{key}:stamp": overview.computed_at}, CACHE_SECONDS)
    return overview


def cohort_overview_stamp(*, cohort: Cohort) -> tuple[str, datetime.datetime]:
    """(cache key, computed at) of the cohort's current overview: one small read when it is cached."""
    key = versioned.key("training:overview", [cohort_token(cohort.pk)], cohort.pk, get_language(), timezone.localdate())
    computed_at = cache.get(f"{key}:stamp")
    if computed_at is None:
        overview = cohort_overview_entries(cohort=cohort)
        return overview.key, overview.computed_at
    return key, computed_at


def _compute(cohort: Cohort) -> Overview:
    now = timezone.now()
    rows = list(
        CohortMembership.objects.filter(cohort=cohort, role=MembershipRole.TRAINEE).values_list(
            "pk",
            "user_id",
            "status",
            "user__display_name",
            "user__last_name",
            "user__first_name",
            "user__email",
            "region_id",
            "region__sort_order",
            "user__profile__school__name",
        )
    )
    facts = cohort_facts(cohort=cohort)
    mentors = defaultdict(list)
    for pair in pairs_for(cohort_ids=[cohort.pk]):
        if pair.cohort_id == cohort.pk and pair.mentor_id not in mentors[pair.trainee_id]:
            mentors[pair.trainee_id].append(pair.mentor_id)
    entries = []
    for pk, user_id, status, display_name, last_name, first_name, email, region_id, region_order, school in rows:
        member = _Member(pk=pk, user_id=user_id, status=status, role=MembershipRole.TRAINEE)
        progress = trainee_progress(cohort=cohort, membership=member, facts=facts, now=now)
        progress.membership = None  # the cached entry carries no model; the page attaches the real one
        entries.append(
            OverviewEntry(
                membership_id=pk,
                user_id=user_id,
                # As User.get_full_name() puts it.
                name=display_name or f"{last_name}{first_name}".strip() or email,
                email=email,
                region_id=region_id,
                region_order=region_order if region_order is not None else 99,
                school_name=school or "",
                status=status,
                progress=progress,
                mentor_ids=tuple(mentors.get(user_id, ())),
            )
        )
    mentor_regions = dict(
        CohortMembership.objects.filter(cohort=cohort, role=MembershipRole.MENTOR).values_list("user_id", "region_id")
    )
    return Overview(entries=entries, mentor_regions=mentor_regions, computed_at=now)


def overview_flows(overview: Overview, *, regions=None) -> dict:
    """(trainee region, host region) -> pairings, over the trainees this person may see."""
    counts = defaultdict(int)
    for entry in overview.entries:
        if regions is not None and entry.region_id not in regions:
            continue
        for mentor_id in entry.mentor_ids:
            counts[(entry.region_id, overview.mentor_regions.get(mentor_id))] += 1
    return counts


OVERVIEW_SORTS = {
    "name": lambda entry: (entry.name,),
    "region": lambda entry: (entry.region_order, entry.name),
    "school": lambda entry: (entry.school_name or "~", entry.name),
    "progress": lambda entry: (entry.progress.percent, entry.name),
    "hours": lambda entry: (entry.progress.total_hours, entry.name),
    "flags": lambda entry: (-len(entry.progress.flags), entry.name),
}


def overview_filter(
    entries,
    *,
    regions=None,
    region_id=None,
    flagged: bool = False,
    status: str = "",
    query: str = "",
    sort: str = "name",
    descending: bool = False,
) -> list[OverviewEntry]:
    """The entries one person may see and asked for, in the order they asked for."""
    needle = query.casefold()
    chosen = []
    for entry in entries:
        if regions is not None and entry.region_id not in regions:
            continue
        if status:
            if entry.status != status:
                continue
        elif entry.status in (MembershipStatus.WITHDRAWN, MembershipStatus.APPLIED):
            # Applicants are not trainees yet; they wait in the applications list.
            continue
        if region_id and entry.region_id != region_id:
            continue
        if needle and needle not in entry.name.casefold() and needle not in entry.email.casefold():
            continue
        if flagged and not entry.progress.flags:
            continue
        chosen.append(entry)
    chosen.sort(key=OVERVIEW_SORTS.get(sort, OVERVIEW_SORTS["name"]), reverse=descending)
    return chosen


def overview_rows(entries, row_class):
    """Model-backed rows for these entries (a page, or all of them for an export), in two queries."""
    from accounts.models import User

    entries = list(entries)
    memberships = CohortMembership.objects.select_related(
        "user", "region", "user__profile", "user__profile__school"
    ).in_bulk([entry.membership_id for entry in entries])
    mentor_ids = {pk for entry in entries for pk in entry.mentor_ids}
    mentors = User.objects.select_related("profile__region").in_bulk(mentor_ids) if mentor_ids else {}
    rows = []
    for entry in entries:
        membership = memberships.get(entry.membership_id)
        if membership is None:  # removed since the entries were computed
            continue
        rows.append(
            row_class(
                membership=membership,
                progress=replace(entry.progress, membership=membership),
                mentors=[mentors[pk] for pk in entry.mentor_ids if pk in mentors],
            )
        )
    return rows


class LazyRows(Sequence):
    """Model-backed rows built only when a template reads them, i.e. when the cached table is stale."""

    def __init__(self, build):
        self._build = build
        self._rows = None

    def _materialize(self) -> list:
        if self._rows is None:
            self._rows = self._build()
        return self._rows

    def __getitem__(self, index):
        return self._materialize()[index]

    def __len__(self) -> int:
        return len(self._materialize())
