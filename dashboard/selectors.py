"""What a dashboard reads about the person themself: one query for their profile, calendar address and roles."""

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from accounts.models import Profile, RegionalAdministrator, User
from accounts.permissions import roles_remember
from accounts.services import profile_get_or_create
from training.models import CalendarFeed


def person_for_dashboard(*, user) -> tuple[Profile, CalendarFeed | None]:
    """My profile (with region and school) and calendar address; my groups and regions are kept on `user`."""
    person = (
        User.objects.select_related("profile__region", "profile__school", "calendar_feed")
        .annotate(
            group_names=ArraySubquery(Group.objects.filter(user=OuterRef("pk")).values("name")),
            region_ids=ArraySubquery(RegionalAdministrator.objects.filter(user=OuterRef("pk")).values("region_id")),
        )
        .get(pk=user.pk)
    )
    roles_remember(user, group_names=person.group_names, region_ids=person.region_ids)
    try:
        profile = person.profile
    except Profile.DoesNotExist:
        profile = profile_get_or_create(user=user)  # an account made by allauth's sign-up, on its first visit
    try:
        feed = person.calendar_feed
    except CalendarFeed.DoesNotExist:
        feed = None
    return profile, feed
