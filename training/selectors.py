"""Reads for training screens, with access control built in."""

from django.db.models import QuerySet, Sum
from django.http import Http404

from .models import Cohort, CohortMembership, HoursEntry, MembershipStatus


def cohort_get_for_user(*, acting_user, cohort_id: int) -> Cohort:
    """A cohort this person may see, or 404 so that existence does not leak."""
    try:
        return Cohort.objects.visible_to(acting_user).select_related("programme").get(pk=cohort_id)
    except (Cohort.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def membership_list_for_user(*, user) -> QuerySet[CohortMembership]:
    """A person's own memberships, newest cohort first, for their dashboard."""
    return (
        CohortMembership.objects.filter(user=user)
        .exclude(status=MembershipStatus.WITHDRAWN)
        .select_related("cohort", "cohort__programme", "region")
        .order_by("-cohort__starts_on", "role")
    )


def hours_total_for_trainee(*, trainee, cohort: Cohort | None = None):
    """Credited hours from the ledger, the single source of progress."""
    entries = HoursEntry.objects.filter(trainee=trainee)
    if cohort is not None:
        entries = entries.filter(cohort=cohort)
    return entries.aggregate(total=Sum("hours"))["total"] or 0
