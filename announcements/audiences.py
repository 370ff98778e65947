"""Who may address whom: coordinators their cohorts, regional admins their regions, staff everyone."""

from django.db.models import Q

from accounts.models import Region, User
from accounts.permissions import administered_region_ids
from training.models import Cohort, CohortMembership, MembershipStatus
from training.permissions import can_manage_cohort

from .models import Announcement, AudienceScope


def addressable_cohorts(user):
    if user.is_staff or user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.coordinated_by(user)


def addressable_regions(user):
    if user.is_staff or user.is_superuser:
        return Region.objects.all()
    return Region.objects.filter(pk__in=administered_region_ids(user))


def can_announce(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser or administered_region_ids(user):
        return True
    return addressable_cohorts(user).exists()


def may_address(user, *, scope: str, cohort=None, region=None) -> bool:
    if scope == AudienceScope.PLATFORM:
        return user.is_staff or user.is_superuser
    if scope == AudienceScope.COHORT:
        return cohort is not None and can_manage_cohort(user, cohort)
    if scope == AudienceScope.REGION:
        return region is not None and addressable_regions(user).filter(pk=region.pk).exists()
    return False


def announcement_recipients(announcement: Announcement):
    """The active people an announcement reaches, each once."""
    people = User.objects.filter(is_active=True)
    if announcement.scope == AudienceScope.COHORT:
        memberships = CohortMembership.objects.filter(
            cohort_id=announcement.cohort_id, status__in=MembershipStatus.counted_values()
        )
        if announcement.roles:
            memberships = memberships.filter(role__in=announcement.roles)
        region_ids = list(announcement.member_regions.values_list("pk", flat=True))
        if region_ids:
            memberships = memberships.filter(region_id__in=region_ids)
        return people.filter(pk__in=memberships.values("user_id"))
    if announcement.scope == AudienceScope.REGION:
        # A region's people: those whose home region it is, and those taking part in a cohort for it.
        in_cohorts = CohortMembership.objects.filter(
            region_id=announcement.region_id, status__in=MembershipStatus.counted_values()
        ).values("user_id")
        return people.filter(Q(profile__region_id=announcement.region_id) | Q(pk__in=in_cohorts))
    return people
