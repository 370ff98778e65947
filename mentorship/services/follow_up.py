"""After a pairing: the trainee's action plan and the check-ins at one, three and six months."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from ..models import (
    ActionPlan,
    CheckIn,
    Pairing,
    PairingStatus,
)
from ..permissions import is_pair_member, refuse_unless
from .inputs import plain_text

CHECK_IN_MONTHS = (1, 3, 6)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def check_ins_schedule(*, pairing: Pairing, after: datetime.date) -> list[CheckIn]:
    """Follow-up check-ins one, three and six months after shadowing; scheduling twice adds none."""
    CheckIn.objects.bulk_create(
        [
            CheckIn(pairing=pairing, months_after=months, due_on=_add_months(after, months))
            for months in CHECK_IN_MONTHS
        ],
        ignore_conflicts=True,
    )
    return list(pairing.check_ins.all())


@transaction.atomic
def action_plan_save(
    *, acting_user, pairing: Pairing, goals: str, actions: str, support_needed: str = ""
) -> ActionPlan:
    """After shadowing the trainee writes what they will do at their own school."""
    refuse_unless(acting_user.pk == pairing.trainee_id)
    if pairing.status not in {PairingStatus.ACTIVE, PairingStatus.COMPLETED}:
        raise ValidationError(_("The action plan is written once shadowing has started."))
    goals, actions = plain_text(goals), plain_text(actions)
    if not goals or not actions:
        raise ValidationError(_("Write your goals and the actions that lead to them."))
    plan, _created = ActionPlan.objects.update_or_create(
        pairing=pairing, defaults={"goals": goals, "actions": actions, "support_needed": plain_text(support_needed)}
    )
    audit_log(instance=plan, action="mentorship.action_plan.save", acting_user=acting_user)
    return plan


@transaction.atomic
def check_in_record(*, acting_user, check_in: CheckIn, held_on: datetime.date, progress: str) -> CheckIn:
    """The mentor or trainee records a follow-up check-in."""
    check_in = CheckIn.objects.select_for_update().select_related("pairing").get(pk=check_in.pk)
    refuse_unless(is_pair_member(acting_user, check_in.pairing))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A check-in cannot be recorded for a date in the future.")})
    progress = plain_text(progress)
    if not progress:
        raise ValidationError({"progress": _("Note how the action plan is going.")})
    check_in.held_on, check_in.progress, check_in.recorded_by = held_on, progress, acting_user
    check_in.save(update_fields=["held_on", "progress", "recorded_by"])
    audit_log(instance=check_in, action="mentorship.check_in.record", acting_user=acting_user)
    return check_in
