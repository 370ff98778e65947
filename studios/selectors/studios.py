"""What the studio pages list: the directory, one studio for its members, and its public summary."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from .. import permissions
from ..models import PlannedActivity, Studio, StudioMembership, StudioPlan, StudioRole

Status = StudioMembership.Status
ACTIVE_MEMBERS = Count("memberships", filter=Q(memberships__status=Status.ACTIVE))


def studios_of_person(*, person) -> list[StudioMembership]:
    """A person's active studio places, with the studio, its leader and its members' count."""
    return list(
        StudioMembership.objects.filter(person=person, status=Status.ACTIVE)
        .select_related("studio__leader", "studio__region")
        .annotate(members_count=Count("studio__memberships", filter=Q(studio__memberships__status=Status.ACTIVE)))
        .order_by("studio__name", "studio__pk")
    )


@dataclass
class Directory:
    mine: list[StudioMembership]
    # Studios one may apply to, each with `my_status` ("" when one has no place in it).
    others: list[Studio]
    invitations: list[StudioMembership] = field(default_factory=list)


def studio_directory(*, acting_user) -> Directory:
    """Every studio, in three queries: one's own, one's open invitations, and the others one may apply to."""
    places = list(
        StudioMembership.objects.filter(person=acting_user)
        .select_related("studio__leader", "studio__region")
        .order_by("studio__name", "studio__pk")
    )
    status_of = {place.studio_id: place.status for place in places}
    studios = list(Studio.objects.select_related("leader", "region").annotate(members_count=ACTIVE_MEMBERS))
    counts = {studio.pk: studio.members_count for studio in studios}
    mine = [place for place in places if place.status == Status.ACTIVE]
    for place in mine:
        place.members_count = counts.get(place.studio_id, 0)
    others = []
    for studio in studios:
        if status_of.get(studio.pk) != Status.ACTIVE:
            studio.my_status = status_of.get(studio.pk, "")
            others.append(studio)
    return Directory(
        mine=mine, others=others, invitations=[place for place in places if place.status == Status.INVITED]
    )


def studio_get_visible(*, acting_user, studio_id: int) -> Studio:
    """Any signed-in person may find a studio to apply to; 404 for ids that do not exist."""
    studio = Studio.objects.select_related("leader", "region").filter(pk=studio_id).first()
    if studio is None:
        raise Http404
    return studio


def studio_get_for_member(*, acting_user, studio_id: int) -> Studio:
    """The studio, for its active members and staff; 404 for everyone else, so that existence does not leak."""
    studio = studio_get_visible(acting_user=acting_user, studio_id=studio_id)
    if not permissions.can_view_studio(acting_user, studio):
        raise Http404
    return studio


def studio_viewer_tier(*, acting_user, studio: Studio) -> str:
    """What of the studio's page a viewer sees: the leader (and staff) all, co-leaders the applications, members the rest."""
    if permissions.is_studio_leader(acting_user, studio):
        return "leader"
    if permissions.can_lead_studio(acting_user, studio):
        return "co-leader"
    return "member"


@dataclass
class Overview:
    studio: Studio
    leaders: list[StudioMembership]
    members: list[StudioMembership]
    applications: list[StudioMembership]
    invited: list[StudioMembership]
    plans: list[StudioPlan]
    regions: list
    can_lead: bool
    is_leader: bool

    @property
    def members_count(self) -> int:
        return len(self.leaders) + len(self.members)


def studio_overview(*, acting_user, studio: Studio) -> Overview:
    """The studio's page for its members: people by role, open applications for the leaders, the yearly plans."""
    can_lead = permissions.can_lead_studio(acting_user, studio)
    # Open applications and invitations are the leaders' business: members' pages do not read them.
    statuses = [Status.ACTIVE, Status.APPLIED, Status.INVITED] if can_lead else [Status.ACTIVE]
    places = list(
        studio.memberships.filter(status__in=statuses)
        .select_related("person__profile__region", "person__profile__school")
        .order_by("role", "person__display_name", "pk")
    )
    active = [place for place in places if place.status == Status.ACTIVE]
    plans = list(
        studio.plans.prefetch_related(Prefetch("activities", queryset=PlannedActivity.objects.order_by("date", "pk")))
    )
    return Overview(
        studio=studio,
        leaders=[place for place in active if place.role in (StudioRole.LEADER, StudioRole.CO_LEADER)],
        members=[place for place in active if place.role == StudioRole.MEMBER],
        applications=[place for place in places if place.status == Status.APPLIED] if can_lead else [],
        invited=[place for place in places if place.status == Status.INVITED] if can_lead else [],
        plans=plans,
        regions=_regions_of(active),
        can_lead=can_lead,
        is_leader=permissions.is_studio_leader(acting_user, studio),
    )


def _regions_of(places: list[StudioMembership]) -> list:
    regions = {}
    for place in places:
        profile = getattr(place.person, "profile", None)
        if profile is not None and profile.region is not None:
            regions[profile.region.pk] = profile.region
    return sorted(regions.values(), key=lambda region: (region.sort_order, region.pk))


@dataclass
class PublicSummary:
    studio: Studio
    members_count: int
    regions: list
    themes: list[str]
    activities: list[PlannedActivity]
    resources: list = field(default_factory=list)


def studio_public_summary(*, studio: Studio, activities: int = 5) -> PublicSummary:
    """What the public page shows: leader, regions, this year's themes, members' count, recent public activities."""
    from accounts.models import Region

    active = studio.memberships.filter(status=Status.ACTIVE)
    regions = list(
        Region.objects.filter(profiles__user__studio_memberships__in=active).distinct().order_by("sort_order", "pk")
    )
    this_year = timezone.localdate().year
    plan = studio.plans.filter(year__lte=this_year).order_by("-year").first()
    public = list(
        PlannedActivity.objects.filter(plan__studio=studio, is_public=True).order_by("-date", "-pk")[:activities]
    )
    resources = list(
        studio.resources.filter(visibility="public", consented_at__isnull=False).order_by("-created_at", "-pk")[
            :activities
        ]
    )
    return PublicSummary(
        resources=resources,
        studio=studio,
        members_count=active.count(),
        regions=regions,
        themes=plan.theme_list if plan else [],
        activities=public,
    )
