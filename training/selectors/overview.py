"""Progress: the coordinator's cohort overview (cached entries, see `training.overview`) and a trainee's own."""

from dataclasses import dataclass, field

from accounts.models import Region

from .. import overview
from ..models import (
    Cohort,
    CohortMembership,
    MembershipRole,
    MembershipStatus,
)
from ..permissions import (
    can_manage_cohort,
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
    entries = cohort_overview_entries(
        acting_user=acting_user,
        cohort=cohort,
        region_id=region_id,
        flagged=flagged,
        status=status,
        query=query,
        sort=sort,
        descending=descending,
    )
    return overview.overview_rows(entries, OverviewRow)


def cohort_overview_entries(*, acting_user, cohort: Cohort, **filters) -> list[overview.OverviewEntry]:
    """The overview's entries (plain data, cached per cohort) this person may see, filtered and sorted."""
    computed = overview.cohort_overview_entries(cohort=cohort)
    return overview.overview_filter(computed.entries, regions=visible_region_ids(acting_user, cohort), **filters)


def cohort_overview_state(*, acting_user, cohort: Cohort) -> tuple:
    """When the figures were computed, and a key naming them as this person sees them (for the page's cache)."""
    key, computed_at = overview.cohort_overview_stamp(cohort=cohort)
    regions = visible_region_ids(acting_user, cohort)
    seen_as = "all" if regions is None else ",".join(str(pk) for pk in sorted(regions))
    return computed_at, f"{key}:{seen_as}:{int(can_manage_cohort(acting_user, cohort))}"


@dataclass
class OverviewPage:
    """One page of the overview as a person sees it, with the counts the page shows."""

    entries: list
    number: int
    count: int
    flagged: int


def cohort_overview_page(*, acting_user, cohort: Cohort, state_key: str, page: str, page_size: int, **filters):
    """A page of filtered, sorted entries and the counts, cached under the overview's version (`state_key`).

    A coordinator pages, sorts and filters back and forth over the same figures: reading and filtering
    every entry of a 10,000-trainee cohort for each of those requests cost more than the rest of the page.
    """
    from django.core.cache import cache
    from django.core.paginator import Paginator

    key = f"training:overview-page:{state_key}:{sorted(filters.items())}:{page}:{page_size}"
    found = cache.get(key)
    if found is None:
        entries = cohort_overview_entries(acting_user=acting_user, cohort=cohort, **filters)
        shown = Paginator(entries, page_size).get_page(page)
        found = OverviewPage(
            entries=list(shown.object_list),
            number=shown.number,
            count=len(entries),
            flagged=sum(1 for entry in entries if entry.progress.flags),
        )
        cache.set(key, found, overview.CACHE_SECONDS)
    return found


def cohort_overview_rows(entries) -> overview.LazyRows:
    """Model-backed rows for some entries (the page on screen), loaded when first read."""
    entries = list(entries)
    return overview.LazyRows(lambda: overview.overview_rows(entries, OverviewRow))


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
    counts = overview.overview_flows(
        overview.cohort_overview_entries(cohort=cohort), regions=visible_region_ids(acting_user, cohort)
    )
    if not counts:
        return []
    names = {region.pk: region for region in Region.objects.all()}
    return [
        {"from": names.get(source), "to": names.get(target), "count": count}
        for (source, target), count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    ]
