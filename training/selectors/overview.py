"""Progress: the coordinator's cohort overview (stored rows, see `training.overview`) and a trainee's own."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, IntegerField, OuterRef
from django.http import Http404

from accounts.models import Region, RegionalAdministrator, User
from accounts.permissions import roles_remember
from accounts.sql import ListOf

from .. import overview
from ..models import (
    Cohort,
    CohortMembership,
    CohortRegion,
    MembershipRole,
    MembershipStatus,
)
from ..permissions import (
    can_manage_cohort,
    can_oversee_cohort,
    cohort_roles_remember,
    is_staff,
    visible_region_ids,
)
from ..progress import TraineeProgress, cohort_progress


@dataclass
class OverviewRow:
    membership: CohortMembership
    progress: TraineeProgress
    mentors: list = field(default_factory=list)

    @property
    def school(self):
        profile = getattr(self.membership.user, "profile", None)
        return profile.school if profile else None


OVERVIEW_SORTS = overview.OVERVIEW_SORTS


def cohort_get_for_overview(*, acting_user, cohort_id) -> Cohort:
    """`cohort_get_for_overseer` in one query, for the overview's warm look (whose body is one cache read):
    the cohort with the person's roles in it, their groups and administered regions (kept on the person for
    the checks that follow), and whether one of those regions takes part in it. 404 when they may not see
    it, 403 when they see but do not oversee it."""
    user = acting_user
    roles = CohortMembership.objects.filter(
        cohort=OuterRef("pk"), user=user, status__in=MembershipStatus.counted_values()
    ).order_by()
    regions = RegionalAdministrator.objects.filter(user=user).order_by()
    groups = User.groups.through.objects.filter(user=user).order_by()
    cohorts = Cohort.objects.select_related("programme").annotate(
        acting_roles=ListOf(roles, "role", CharField()),
        acting_regions=ListOf(regions, "region_id", IntegerField()),
        acting_groups=ListOf(groups, "group__name", CharField()),
        region_takes_part=Exists(
            CohortRegion.objects.filter(cohort=OuterRef("pk"), region_id__in=regions.values("region_id"))
        ),
    )
    try:
        cohort = cohorts.get(pk=cohort_id)
    except (Cohort.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    roles_remember(user, group_names=cohort.acting_groups, region_ids=cohort.acting_regions)
    cohort_roles_remember(user, cohort_id=cohort.pk, roles=cohort.acting_roles)
    # Who may see a cohort at all, as `Cohort.objects.visible_to` says.
    if not (is_staff(user) or cohort.acting_roles or cohort.region_takes_part):
        raise Http404
    if not can_oversee_cohort(user, cohort):
        raise PermissionDenied
    return cohort


def _rows(*, acting_user, cohort: Cohort, **filters):
    return overview.overview_queryset(cohort=cohort, regions=visible_region_ids(acting_user, cohort), **filters)


def cohort_overview(
    *,
    acting_user,
    cohort: Cohort,
    region_id=None,
    flagged: bool = False,
    status: str = "",
    query: str = "",
    sort: str = "name",
    descending: bool = False,
) -> list[OverviewRow]:
    """Every trainee of a cohort this person may see, with progress, mentor and flags, in a fixed number of queries."""
    overview.overview_refresh(cohort=cohort)  # recompute the rows a write or the clock made stale
    rows = _rows(
        acting_user=acting_user,
        cohort=cohort,
        region_id=region_id,
        flagged=flagged,
        status=status,
        query=query,
        sort=sort,
        descending=descending,
    )
    return overview.overview_rows(overview.overview_records(rows), OverviewRow, cohort=cohort)


def _seen_as(regions) -> str:
    return "all" if regions is None else ",".join(str(pk) for pk in sorted(regions))


def cohort_overview_body_slot(*, acting_user, cohort: Cohort, asked: list) -> tuple[str, list[str]]:
    """Where the overview's body as this person sees it (their regions, whether they manage the cohort) and
    asked for it (`asked`: filters, sort, page) is kept, and the tokens it is kept under (`versioned.kept`)."""
    return overview.overview_body_slot(
        cohort_id=cohort.pk,
        seen_as=_seen_as(visible_region_ids(acting_user, cohort)),
        manages=can_manage_cohort(acting_user, cohort),
        asked=asked,
    )


def cohort_overview_refresh(*, cohort: Cohort) -> bool:
    """Recompute the rows a write or the clock made stale before a body is rendered; whether any was (the
    cohort's token is then renewed: read the stamp again)."""
    return overview.overview_refresh(cohort=cohort)


def cohort_overview_body_seconds(*, cohort: Cohort) -> int:
    """How long a body rendered now may be kept: until the cohort's first row falls due."""
    return overview.overview_body_seconds(cohort=cohort)


@dataclass
class OverviewPage:
    """One page of the overview as a person sees it, with the counts the page shows."""

    rows: list
    number: int
    count: int
    flagged: int
    computed_at: datetime.datetime | None


def cohort_overview_page(*, acting_user, cohort: Cohort, page: str, page_size: int, **filters) -> OverviewPage:
    """A page of filtered, sorted stored rows and the counts: two queries (counts, the page) whatever the size.

    The page's rows are read, and become model-backed rows (with mentors and worded flags), only when a
    template reads them, i.e. when the cached table is stale.
    """
    regions = visible_region_ids(acting_user, cohort)
    rows = overview.overview_queryset(cohort=cohort, regions=regions, **filters)
    counted = {name: value for name, value in filters.items() if name not in ("sort", "descending")}
    counts = overview.overview_counts_kept(
        rows, cohort_id=cohort.pk, parts=[_seen_as(regions), sorted(counted.items())]
    )
    number, records = overview.overview_page(
        overview.overview_records(rows), page=page, page_size=page_size, count=counts.count
    )
    return OverviewPage(
        rows=LazyRows(lambda: overview.overview_rows(list(records), OverviewRow, cohort=cohort)),
        number=number,
        count=counts.count,
        flagged=counts.flagged,
        computed_at=counts.computed_at,
    )


def cohort_overview_buckets(*, acting_user, cohort: Cohort, **filters) -> tuple[list[int], list[int]]:
    """Trainees and trainees at risk per tenth of progress, over the rows this person asked for."""
    filters.pop("sort", None)
    filters.pop("descending", None)
    return overview.overview_buckets(_rows(acting_user=acting_user, cohort=cohort, **filters))


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


def progress_for_trainee(*, user) -> list[tuple[CohortMembership, TraineeProgress]]:
    """My progress in each cohort I am a trainee of."""
    memberships = list(
        CohortMembership.objects.filter(
            user=user, role=MembershipRole.TRAINEE, status__in=MembershipStatus.counted_values()
        ).select_related("cohort", "cohort__programme", "region")
    )
    result = []
    for membership in memberships:
        progress = cohort_progress(cohort=membership.cohort, memberships=[membership])[membership.pk]
        result.append((membership, progress))
    return result


def pairing_flows(*, acting_user, cohort: Cohort) -> list[dict]:
    """How many pairings go from each trainee region to each host region, for the overview's chart."""
    counts = overview.overview_flows(cohort=cohort, regions=visible_region_ids(acting_user, cohort))
    if not counts:
        return []
    names = {region.pk: region for region in Region.objects.all()}
    return [
        {"from": names.get(source), "to": names.get(target), "count": count}
        for (source, target), count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    ]
