"""Reads about people."""

from django.utils.translation import gettext as _

from .models import Profile


def profile_gaps(*, user) -> list[str]:
    """What a person's profile still lacks that dashboards, certificates and regional figures show."""
    profile = Profile.objects.filter(user=user).only("region_id", "school_id").first()
    gaps = []
    if profile is None or profile.region_id is None:
        gaps.append(_("home region"))
    if profile is None or profile.school_id is None:
        gaps.append(_("school"))
    return gaps
