"""Session logs: written by either side, confirmed by the other, disputes resolved by a coordinator.

Only confirmed hours count: confirming (or resolving in the author's favour)
credits training's ledger, once per log.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from training.kinds import cohort_notification_send
from training.models import Cohort, CohortMembership, HoursSource, MembershipRole, MembershipStatus
from training.permissions import can_manage_cohort
from training.services.hours import hours_credit, hours_credited_elsewhere, hours_daily_cap, hours_text

from ..models import (
    Pairing,
    SessionKind,
    SessionLog,
    SessionLogStatus,
)
from ..permissions import is_pair_member, refuse_unless
from .inputs import focus_areas_checked, plain_text
from .pairings import pairing_locked


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("Enter the hours as a number, e.g. 1.5.")}) from None
    if hours <= 0:
        raise ValidationError({"hours": _("A session lasts more than zero hours.")})
    if hours > hours_daily_cap():
        raise ValidationError(
            {"hours": _("A day counts at most %(cap)s hours.") % {"cap": hours_text(hours_daily_cap())}}
        )
    return hours


@transaction.atomic
def session_log_create(
    *,
    acting_user,
    pairing: Pairing,
    occurred_on: datetime.date,
    hours,
    kind: str,
    went_well: str = "",
    challenges: str = "",
    trainee_next_steps: str = "",
    mentor_next_steps: str = "",
    next_meeting: datetime.datetime | None = None,
    tags=(),
) -> SessionLog:
    """Either party logs a session; the other party is asked to confirm it."""
    pairing = pairing_locked(pairing)
    refuse_unless(is_pair_member(acting_user, pairing))
    if _withdrawn(acting_user, pairing):
        raise ValidationError(_("You have been withdrawn from this cohort, so you can no longer log sessions in it."))
    if not pairing.accepts_logs:
        raise ValidationError(_("Sessions can be logged once the pairing has started."))
    hours = _log_checked(pairing=pairing, acting_user=acting_user, occurred_on=occurred_on, hours=hours, kind=kind)
    if next_meeting is not None and next_meeting <= timezone.now():
        raise ValidationError({"next_meeting": _("The next meeting must be in the future.")})
    log = SessionLog.objects.create(
        pairing=pairing,
        author=acting_user,
        occurred_on=occurred_on,
        hours=hours,
        kind=kind,
        went_well=plain_text(went_well),
        challenges=plain_text(challenges),
        trainee_next_steps=plain_text(trainee_next_steps),
        mentor_next_steps=plain_text(mentor_next_steps),
        next_meeting=next_meeting,
        tags=focus_areas_checked(tags, field="tags"),
    )
    audit_log(instance=log, action="mentorship.session_log.create", acting_user=acting_user, data={"hours": str(hours)})
    cohort_notification_send(
        recipients=[pairing.other_party(acting_user)],
        kind="mentorship.session_log_awaiting",
        target=log,
        context={"author": acting_user.get_full_name(), "date": occurred_on.isoformat(), "hours": str(hours)},
        cohort=pairing.cohort,
        url_name="mentorship:pairing-detail",
        url_args=[pairing.pk],
    )
    return log


def _withdrawn(person, pairing: Pairing) -> bool:
    """Whether this person was withdrawn from the pairing's cohort (and holds no role there that counts)."""
    statuses = set(
        CohortMembership.objects.filter(cohort_id=pairing.cohort_id, user=person).values_list("status", flat=True)
    )
    return MembershipStatus.WITHDRAWN in statuses and not statuses & set(MembershipStatus.counted_values())


def _log_checked(*, pairing: Pairing, acting_user, occurred_on, hours, kind: str, editing_pk=None) -> Decimal:
    """The rules a new or edited log must meet; the hours as a Decimal. An edited log does not count against itself."""
    if kind not in SessionKind.values:
        raise ValidationError({"kind": _("Choose the kind of session.")})
    hours = _hours(hours)
    today = timezone.localdate()
    if occurred_on > today:
        raise ValidationError({"occurred_on": _("A session cannot be logged for a date in the future.")})
    if occurred_on < pairing.starts_on:
        raise ValidationError({"occurred_on": _("The session is dated before the pairing began.")})
    if kind == SessionKind.SHADOW_DAY and acting_user.pk != pairing.trainee_id:
        raise ValidationError({"kind": _("The trainee keeps the daily shadow log; the host countersigns it.")})
    if (
        kind == SessionKind.SHADOW_DAY
        and pairing.session_logs.filter(kind=kind, occurred_on=occurred_on).exclude(pk=editing_pk).exists()
    ):
        raise ValidationError({"occurred_on": _("There is already a shadow-day log for this date.")})
    logged = (
        SessionLog.objects.filter(pairing__trainee_id=pairing.trainee_id, occurred_on=occurred_on)
        .exclude(status=SessionLogStatus.REJECTED)
        .exclude(pk=editing_pk)
        .aggregate(total=Sum("hours"))["total"]
        or 0
    )
    # The day's cap counts every source: what other sources (attendance, events...) already credited counts too.
    logged += hours_credited_elsewhere(trainee_id=pairing.trainee_id, day=occurred_on)
    cap = hours_daily_cap()
    if logged + hours > cap:
        raise ValidationError(
            {
                "hours": _(
                    "With this session the day would count more than %(cap)s hours "
                    "(%(logged)s already logged or credited)."
                )
                % {"cap": hours_text(cap), "logged": hours_text(logged)}
            }
        )
    return hours


@transaction.atomic
def session_log_update(*, acting_user, session_log: SessionLog, changes: dict) -> SessionLog:
    """The author corrects a log while it awaits confirmation, under the rules of a new log; audited."""
    log = _locked_log(session_log)
    if acting_user.pk != log.author_id:
        raise PermissionDenied(_("Only the person who logged the session can change it."))
    if log.status != SessionLogStatus.AWAITING:
        raise ValidationError(_("This log is no longer awaiting confirmation, so it cannot be changed."))
    editable = ("occurred_on", "hours", "kind", "went_well", "challenges")
    before = {field: str(getattr(log, field)) for field in editable}
    values = {field: changes.get(field, getattr(log, field)) for field in editable}
    log.hours = _log_checked(
        pairing=log.pairing,
        acting_user=acting_user,
        occurred_on=values["occurred_on"],
        hours=values["hours"],
        kind=values["kind"],
        editing_pk=log.pk,
    )
    log.occurred_on, log.kind = values["occurred_on"], values["kind"]
    log.went_well, log.challenges = plain_text(values["went_well"]), plain_text(values["challenges"])
    changed = {
        field: {"from": before[field], "to": str(getattr(log, field))}
        for field in editable
        if before[field] != str(getattr(log, field))
    }
    if changed:
        # Calendar feeds carry the revision as SEQUENCE, so a moved session replaces the old entry.
        log.revision += 1
        log.save(update_fields=[*changed, "revision"])
        audit_log(instance=log, action="mentorship.session_log.update", acting_user=acting_user, data=changed)
        # The other party is asked again, with the corrected figures, so nobody confirms what they did not see.
        cohort_notification_send(
            recipients=[log.pairing.other_party(acting_user)],
            kind="mentorship.session_log_awaiting",
            target=log,
            occasion=f"revision-{log.revision}",
            context=_log_context(log),
            cohort=log.pairing.cohort,
            url_name="mentorship:pairing-detail",
            url_args=[log.pairing.pk],
        )
    return log


def _locked_log(session_log: SessionLog) -> SessionLog:
    return (
        SessionLog.objects.select_for_update()
        .select_related("pairing__cohort", "pairing__trainee", "pairing__mentor", "author")
        .get(pk=session_log.pk)
    )


def _credit(log: SessionLog, acting_user) -> None:
    hours_credit(
        trainee=log.pairing.trainee,
        hours=log.hours,
        source=HoursSource.MENTORING,
        occurred_on=log.occurred_on,
        source_object=log,
        cohort=log.pairing.cohort,
        credited_by=acting_user,
    )


def _log_context(log: SessionLog) -> dict:
    return {"author": log.author.get_full_name(), "date": log.occurred_on.isoformat(), "hours": str(log.hours)}


@transaction.atomic
def session_log_confirm(*, acting_user, session_log: SessionLog) -> SessionLog:
    """The other party confirms a log; only now are its hours credited, once."""
    log = _locked_log(session_log)
    if acting_user.pk != log.confirmer_id:
        raise PermissionDenied(_("Only the other party of the session can confirm it."))
    if log.status != SessionLogStatus.AWAITING:
        raise ValidationError(_("This log is no longer awaiting confirmation."))
    log.status = SessionLogStatus.CONFIRMED
    log.reviewed_by, log.reviewed_at = acting_user, timezone.now()
    log.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _credit(log, acting_user)
    audit_log(instance=log, action="mentorship.session_log.confirm", acting_user=acting_user)
    cohort_notification_send(
        recipients=[log.author],
        kind="mentorship.session_log_confirmed",
        target=log,
        context=_log_context(log) | {"confirmer": acting_user.get_full_name()},
        cohort=log.pairing.cohort,
        url_name="mentorship:pairing-detail",
        url_args=[log.pairing.pk],
    )
    return log


def _coordinators(cohort: Cohort):
    from accounts.models import User

    return list(
        User.objects.filter(
            memberships__cohort=cohort,
            memberships__role=MembershipRole.COORDINATOR,
            memberships__status__in=MembershipStatus.counted_values(),
        ).distinct()
    )


@transaction.atomic
def session_log_dispute(*, acting_user, session_log: SessionLog, comment: str) -> SessionLog:
    """The other party disputes a log with a comment; the coordinators decide."""
    log = _locked_log(session_log)
    if acting_user.pk != log.confirmer_id:
        raise PermissionDenied(_("Only the other party of the session can dispute it."))
    comment = plain_text(comment)
    if not comment:
        raise ValidationError({"comment": _("Say what is wrong with this log.")})
    if log.status != SessionLogStatus.AWAITING:
        raise ValidationError(_("This log is no longer awaiting confirmation."))
    log.status = SessionLogStatus.DISPUTED
    log.dispute_comment = comment
    log.reviewed_by, log.reviewed_at = acting_user, timezone.now()
    log.save(update_fields=["status", "dispute_comment", "reviewed_by", "reviewed_at"])
    audit_log(instance=log, action="mentorship.session_log.dispute", acting_user=acting_user, data={"comment": comment})
    cohort_notification_send(
        recipients=[log.author, *_coordinators(log.pairing.cohort)],
        kind="mentorship.session_log_disputed",
        target=log,
        context=_log_context(log) | {"disputer": acting_user.get_full_name()},
        cohort=log.pairing.cohort,
        url_name="mentorship:pairing-detail",
        url_args=[log.pairing.pk],
    )
    return log


@transaction.atomic
def session_log_resolve(*, acting_user, session_log: SessionLog, accept: bool, comment: str = "") -> SessionLog:
    """A coordinator settles a disputed log: counted (hours credited) or not counted."""
    log = _locked_log(session_log)
    refuse_unless(can_manage_cohort(acting_user, log.pairing.cohort))
    if log.status != SessionLogStatus.DISPUTED:
        raise ValidationError(_("Only a disputed log needs a decision."))
    log.status = SessionLogStatus.CONFIRMED if accept else SessionLogStatus.REJECTED
    log.resolution_comment = plain_text(comment)
    log.revision += 1
    log.save(update_fields=["status", "resolution_comment", "revision"])
    if accept:
        _credit(log, acting_user)
    audit_log(
        instance=log,
        action="mentorship.session_log.resolve",
        acting_user=acting_user,
        data={"accepted": accept, "comment": log.resolution_comment},
    )
    cohort_notification_send(
        recipients=[log.pairing.trainee, log.pairing.mentor],
        kind="mentorship.session_log_resolved",
        target=log,
        context=_log_context(log) | {"coordinator": acting_user.get_full_name()},
        cohort=log.pairing.cohort,
        url_name="mentorship:pairing-detail",
        url_args=[log.pairing.pk],
    )
    return log
