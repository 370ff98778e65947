"""Who may do what, for roles that live in this app.

Cohort roles (trainee, mentor, coordinator) are answered by
`training.permissions`; this module knows editors and regional admins.
Results are memoised on the user object for the length of a request.
"""

from django.contrib.auth.models import AnonymousUser

EDITOR_GROUP = "Editors"
MODERATOR_GROUP = "Moderators"
# The joint office of all regions (长三角联训办公室): every region's figures side by side.
JOINT_OFFICE_GROUP = "Joint office"


def _group_names(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_yingzi_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._yingzi_group_names = cached
    return cached


def roles_remember(user, *, group_names, region_ids) -> None:
    """Keep a person's groups and regions, read with other things in one query, for the checks below."""
    user._yingzi_group_names = frozenset(group_names)
    user._yingzi_region_ids = frozenset(region_ids)


def is_editor(user) -> bool:
    """Editors and moderators publish through Wagtail; superusers may too."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or bool(_group_names(user) & {EDITOR_GROUP, MODERATOR_GROUP})


def is_moderator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or MODERATOR_GROUP in _group_names(user)


def is_joint_office(user) -> bool:
    """The joint office sees every region's credit bank and figures; staff do too."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or JOINT_OFFICE_GROUP in _group_names(user)


def administered_region_ids(user) -> frozenset[int]:
    """The regions whose education office this person acts for."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_yingzi_region_ids", None)
    if cached is None:
        cached = frozenset(user.region_roles.values_list("region_id", flat=True))
        user._yingzi_region_ids = cached
    return cached


def is_regional_admin(user, region=None) -> bool:
    region_ids = administered_region_ids(user)
    if region is None:
        return bool(region_ids)
    return getattr(region, "pk", region) in region_ids
