"""The resource library: who sees which resource, the filterable list, and the submissions leaders may promote."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from training.models import Submission
from training.permissions import is_staff

from ..models import Resource, StudioMembership

PAGE_SIZE = 20


def resources_visible_to(user) -> QuerySet[Resource]:
    """Consented resources: public ones to everyone, platform ones to people signed in, studio ones to its members."""
    shown = Resource.objects.filter(consented_at__isnull=False)
    if not user.is_authenticated:
        return shown.filter(visibility=Resource.Visibility.PUBLIC)
    if is_staff(user):
        return shown
    member = StudioMembership.objects.filter(
        studio=OuterRef("studio"), person=user, status=StudioMembership.Status.ACTIVE
    )
    return shown.alias(studio_member=Exists(member)).filter(
        Q(visibility__in=[Resource.Visibility.PUBLIC, Resource.Visibility.PLATFORM])
        | Q(visibility=Resource.Visibility.STUDIO, studio_member=True)
    )


def library_tier(*, acting_user) -> str:
    """Who sees the same library as this reader: visitors, staff, or the people of the same studios."""
    if not acting_user.is_authenticated:
        return "public"
    if is_staff(acting_user):
        return "staff"
    studio_ids = StudioMembership.objects.filter(person=acting_user, status=StudioMembership.Status.ACTIVE).values_list(
        "studio_id", flat=True
    )
    return "member-of:" + ",".join(str(pk) for pk in sorted(studio_ids))


@dataclass
class LibraryFilters:
    q: str = ""
    kind: str = ""
    stage: str = ""
    subject: str = ""
    standard: str = ""
    region: str = ""
    studio: int | None = None


def library_page(*, acting_user, filters: LibraryFilters, page: int = 1):
    """One page of the library, newest first, in a constant number of queries whatever the library's size."""
    resources = resources_visible_to(acting_user)
    # Every word must appear in the title, the tags or the description: partial Chinese titles match.
    for word in filters.q.split()[:5]:
        resources = resources.filter(
            Q(title__icontains=word) | Q(tags__icontains=word) | Q(description__icontains=word)
        )
    for field in ("kind", "stage", "subject", "standard"):
        if value := getattr(filters, field):
            resources = resources.filter(**{field: value})
    if filters.region:
        resources = resources.filter(region__code=filters.region)
    if filters.studio:
        resources = resources.filter(studio_id=filters.studio)
    resources = resources.select_related("studio", "author", "region").order_by("-created_at", "-pk")
    return Paginator(resources, PAGE_SIZE).get_page(page)


def resources_awaiting_consent(*, acting_user) -> list[Resource]:
    if not acting_user.is_authenticated:
        return []
    return list(Resource.objects.filter(author=acting_user, consented_at__isnull=True).select_related("studio"))


def resource_get_for_viewer(*, acting_user, resource_id: int) -> Resource:
    """The resource if one may see it (its author and promoter also while consent is pending); else 404."""
    resource = (
        resources_visible_to(acting_user).select_related("studio", "author", "region").filter(pk=resource_id).first()
    )
    if resource is None and acting_user.is_authenticated:
        resource = (
            Resource.objects.filter(pk=resource_id, consented_at__isnull=True)
            .filter(Q(author=acting_user) | Q(promoted_by=acting_user))
            .select_related("studio", "author", "region")
            .first()
        )
    if resource is None:
        raise Http404
    return resource


def submissions_to_promote(*, studio, limit: int = 20) -> list[Submission]:
    """Accepted submissions of the studio's active members that are not in the library yet."""
    members = StudioMembership.objects.filter(studio=studio, status=StudioMembership.Status.ACTIVE).values("person")
    return list(
        Submission.objects.filter(status=Submission.Status.ACCEPTED, trainee__in=members, studio_resource__isnull=True)
        .select_related("assignment__cohort", "trainee")
        .order_by("-pk")[:limit]
    )
