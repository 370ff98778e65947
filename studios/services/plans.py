"""The yearly plan: themes, and activities planned on dates."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from .. import permissions
from ..models import PlannedActivity, Studio, StudioPlan


def _plan(studio: Studio, year: int) -> StudioPlan:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    return StudioPlan.objects.get_or_create(studio=studio, year=year)[0]


@transaction.atomic
def plan_themes_set(*, acting_user, studio: Studio, year: int, themes: str) -> StudioPlan:
    if not permissions.can_lead_studio(acting_user, studio):
        raise PermissionDenied
    plan = _plan(studio, year)
    plan.themes = themes.strip()
    plan.save(update_fields=["themes"])
    audit_log(instance=plan, action="studios.plan_themes_set", acting_user=acting_user)
    return plan


@transaction.atomic
def plan_activity_add(
    *,
    acting_user,
    studio: Studio,
    title: str,
    date: datetime.date,
    description: str = "",
    is_public: bool = False,
) -> PlannedActivity:
    """Plan an activity in the year of its date."""
    if not permissions.can_lead_studio(acting_user, studio):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Give the activity a title.")})
    plan = _plan(studio, date.year)
    activity = PlannedActivity.objects.create(
        plan=plan, title=title.strip(), date=date, description=description.strip(), is_public=is_public
    )
    audit_log(instance=activity, action="studios.plan_activity_add", acting_user=acting_user)
    return activity
