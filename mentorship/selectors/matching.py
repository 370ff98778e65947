"""Matching batches of a cohort: their proposals with reasons in words, who was left out, the pins."""

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from training.models import Cohort
from training.permissions import can_manage_cohort

from ..models import MatchingBatch, PairingPin
from ..reasons import UNPLACED_MESSAGES, reasons_display


def batch_get_for_user(*, acting_user, batch_id: int) -> MatchingBatch:
    """A matching batch of a cohort this person coordinates, or 404."""
    batch = MatchingBatch.objects.select_related("cohort__programme").filter(pk=batch_id).first()
    if batch is None or not can_manage_cohort(acting_user, batch.cohort):
        raise Http404
    return batch


def batch_review(*, batch: MatchingBatch) -> dict:
    """A batch's proposals with their reasons in words, and who was left out and why."""
    proposals = list(
        batch.proposals.select_related(
            "trainee__profile__school", "mentor__host_profile__school", "mentor__profile__school", "window__school"
        )
    )
    for proposal in proposals:
        proposal.reason_lines = reasons_display(proposal.reasons)
    people = User.objects.in_bulk([int(trainee_id) for trainee_id in batch.unplaced])
    unplaced = []
    for trainee_id, rule in batch.unplaced.items():
        person = people.get(int(trainee_id))
        if person is not None:
            message = UNPLACED_MESSAGES.get(rule) or _removed_message()
            unplaced.append((person, rule, message))
    unplaced.sort(key=lambda row: row[0].get_full_name())
    return {
        "proposals": proposals,
        "unplaced": unplaced,
        "pins": list(PairingPin.objects.filter(cohort=batch.cohort).select_related("trainee", "mentor")),
    }


def _removed_message():
    return _("Removed from the proposals by the coordinator.")


def batch_pins(*, cohort: Cohort):
    return PairingPin.objects.filter(cohort=cohort).select_related("trainee", "mentor")


def batch_list_for_cohort(*, cohort: Cohort):
    return (
        MatchingBatch.objects.filter(cohort=cohort)
        .select_related("created_by")
        .annotate(proposal_count=Count("proposals"))[:10]
    )
