"""What a regional office's home shows, with access control: a regional admin sees their region, the joint office every region."""

from django.db.models import Count, Q
from django.http import Http404

import versioned
from accounts.models import Region, School
from accounts.permissions import administered_region_ids, is_joint_office
from credits.models import Recognition, RecognitionStatus
from mentorship.models import Pairing
from training.models import Cohort, MembershipRole, MembershipStatus

from .indicators import HOSTED
from .renewals import office_token


def office_scope(user) -> tuple[bool, frozenset[int]]:
    """(joint office?, regions administered), kept in the cache; role changes renew its token (`regional.renewals`).

    Every signed-in page's header asks (`context_processors.office`): the scope and its token are read in
    one round trip.
    """
    scope, stamp = versioned.kept(f"regional:office:{user.pk}", [office_token(user.pk)])
    if not isinstance(scope, tuple):
        scope = (is_joint_office(user), administered_region_ids(user))
        versioned.keep(f"regional:office:{user.pk}", stamp, scope, 3600)
    return scope


def office_regions(*, acting_user) -> list[Region]:
    """The regions whose home this person may open: their own offices', or all for the joint office; else 404."""
    joint, region_ids = office_scope(acting_user)
    if not joint and not region_ids:
        raise Http404
    regions = Region.objects.order_by("sort_order", "code")
    if not joint:
        regions = regions.filter(pk__in=region_ids)
    return list(regions)


def region_get_for_office(*, acting_user, code: str | None, regions: list[Region] | None = None) -> Region | None:
    """The region whose home to show: the one named, if this person may see it (404 otherwise), or their only one."""
    if regions is None:
        regions = office_regions(acting_user=acting_user)
    if code:
        for region in regions:
            if region.code == code:
                return region
        raise Http404
    if len(regions) == 1 and not office_scope(acting_user)[0]:
        return regions[0]
    return None


def cohort_list_for_region(*, region: Region, limit: int = 20) -> tuple[list[Cohort], int]:
    """The cohorts a region takes part in, newest first, with how many of its trainees each has."""
    cohorts = Cohort.objects.filter(cohort_regions__region=region)
    rows = list(
        cohorts.select_related("programme")
        .annotate(
            region_trainees=Count(
                "memberships",
                filter=Q(
                    memberships__role=MembershipRole.TRAINEE,
                    memberships__region=region,
                    memberships__status__in=MembershipStatus.counted_values(),
                ),
            )
        )
        .order_by("-starts_on", "name")[:limit]
    )
    return rows, cohorts.count()


def school_list_for_region(*, region: Region) -> list[School]:
    return list(School.objects.filter(region=region).annotate(people=Count("staff")).order_by("name"))


def sent_elsewhere(*, region: Region, limit: int = 20) -> tuple[list[Pairing], int]:
    """The region's own people hosted by a school in another region, newest first."""
    pairings = Pairing.objects.filter(status__in=HOSTED, trainee__profile__region=region).exclude(
        host_school__region=region
    )
    rows = list(
        pairings.select_related("trainee", "host_school", "host_school__region", "cohort").order_by(
            "-starts_on", "-pk"
        )[:limit]
    )
    return rows, pairings.count()


def queue_summary(*, region_ids) -> dict[int, int]:
    """Records waiting in each region's queue."""
    rows = (
        Recognition.objects.filter(status=RecognitionStatus.PENDING, record__corrects__isnull=True)
        .filter(region_id__in=region_ids)
        .values("region_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["region_id"]: row["count"] for row in rows}
