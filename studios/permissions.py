"""Who may do what in a studio: its active members see it; its leader and co-leaders run it; staff see all."""

from training.permissions import can_manage_cohort, can_view_cohort, coordinates_any_cohort, is_staff

from .models import StudioMembership, StudioRole


def _membership(user, studio) -> StudioMembership | None:
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_studio_memberships", {})
    if studio.pk not in cache:
        cache[studio.pk] = StudioMembership.objects.filter(studio=studio, person=user).first()
    return cache[studio.pk]


def remember_membership(user, studio_id: int, membership: StudioMembership | None) -> None:
    """What a selector already read of the user's place in a studio (None: none), so no query asks again."""
    if user.is_authenticated:
        user.__dict__.setdefault("_studio_memberships", {})[studio_id] = membership


def forget(user) -> None:
    user.__dict__.pop("_studio_memberships", None)
    user.__dict__.pop("_edits_platform_templates", None)


def is_studio_member(user, studio) -> bool:
    membership = _membership(user, studio)
    return membership is not None and membership.status == StudioMembership.Status.ACTIVE


def can_view_studio(user, studio) -> bool:
    return is_studio_member(user, studio) or is_staff(user)


def can_lead_studio(user, studio) -> bool:
    """The leader and co-leaders decide applications, invite people and keep the plan; staff may too."""
    membership = _membership(user, studio)
    return (membership is not None and membership.leads) or is_staff(user)


def is_studio_leader(user, studio) -> bool:
    membership = _membership(user, studio)
    active = membership is not None and membership.status == StudioMembership.Status.ACTIVE
    return (active and membership.role == StudioRole.LEADER) or is_staff(user)


def can_view_cycle(user, cycle) -> bool:
    """A studio's cycle is its members'; a cohort's is its members', coordinators' and regional admins'."""
    if cycle.studio_id:
        return can_view_studio(user, cycle.studio)
    return can_view_cohort(user, cycle.cohort)


def can_run_cycle(user, cycle) -> bool:
    """Its leader runs a cycle, with the studio's leaders or the cohort's coordinators."""
    if user.is_authenticated and cycle.leader_id == user.pk:
        return True
    if cycle.studio_id:
        return can_lead_studio(user, cycle.studio)
    return can_manage_cohort(user, cycle.cohort)


def can_edit_platform_templates(user) -> bool:
    """Platform observation sheets (for every cohort's cycles) are kept by staff and cohort coordinators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if "_edits_platform_templates" not in user.__dict__:
        user.__dict__["_edits_platform_templates"] = is_staff(user) or coordinates_any_cohort(user)
    return user.__dict__["_edits_platform_templates"]


def can_edit_template(user, template) -> bool:
    """A studio's sheets are its leaders' and co-leaders'; a platform sheet is its editors'."""
    if template.studio_id is None:
        return can_edit_platform_templates(user)
    return can_lead_studio(user, template.studio)
