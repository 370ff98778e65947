"""A pairing's life: approvals by both sides and both regions, agreement, start, completion, end, reassignment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from training.kinds import cohort_notification_send
from training.models import CohortMembership, MembershipRole
from training.overview import overview_invalidate
from training.permissions import can_manage_cohort

from .. import matching
from ..models import (
    ApprovalParty,
    DoNotMatch,
    Pairing,
    PairingApproval,
    PairingStatus,
)
from ..permissions import approval_parties_for, can_view_pairing, refuse_unless
from .follow_up import check_ins_schedule
from .inputs import focus_areas_checked, plain_text
from .pair_rules import matching_input_build, pair_rule_check, pair_rule_refuse, pairing_period


def pairing_names(pairing: Pairing) -> dict:
    return {
        "trainee": pairing.trainee.get_full_name(),
        "mentor": pairing.mentor.get_full_name(),
        "cohort": pairing.cohort.name,
    }


def pairing_locked(pairing: Pairing) -> Pairing:
    return (
        Pairing.objects.select_for_update()
        .select_related("cohort__programme", "trainee", "mentor", "host_school")
        .get(pk=pairing.pk)
    )


def pairing_regions(pairing: Pairing) -> tuple[int | None, int | None]:
    """(the trainee's sending region, the host's region)."""
    membership = CohortMembership.objects.filter(
        cohort_id=pairing.cohort_id, user_id=pairing.trainee_id, role=MembershipRole.TRAINEE
    ).first()
    trainee_region = membership.region_id if membership and membership.region_id else None
    if trainee_region is None:
        trainee_region = getattr(getattr(pairing.trainee, "profile", None), "region_id", None)
    return trainee_region, pairing.host_school.region_id


def pairing_missing_parties(pairing: Pairing) -> list[str]:
    done = set(pairing.approvals.values_list("party", flat=True))
    return [party for party in ApprovalParty.values if party not in done]


@transaction.atomic
def pairing_approve(*, acting_user, pairing: Pairing) -> Pairing:
    """One party approves a proposed pairing; with every approval in, it is agreed."""
    pairing = pairing_locked(pairing)
    if pairing.status != PairingStatus.PROPOSED:
        raise ValidationError(_("Only a proposed pairing can be approved."))
    trainee_region, host_region = pairing_regions(pairing)
    parties = approval_parties_for(acting_user, pairing, trainee_region_id=trainee_region, host_region_id=host_region)
    if not parties:
        raise PermissionDenied
    missing = [party for party in pairing_missing_parties(pairing) if party in parties]
    if not missing:
        raise ValidationError(_("You have already approved this pairing."))
    pair_rule_refuse(
        pair_rule_check(
            cohort=pairing.cohort,
            trainee_id=pairing.trainee_id,
            mentor_id=pairing.mentor_id,
            window_id=pairing.window_id,
            ignore_pairing=pairing,
        )
    )
    PairingApproval.objects.bulk_create(
        [PairingApproval(pairing=pairing, party=party, user=acting_user) for party in missing]
    )
    # The dashboards show whose approval is missing; bulk writes send no signal. Progress does not count pairings.
    overview_invalidate(pairing.cohort_id, progress=False)
    audit_log(instance=pairing, action="mentorship.pairing.approve", acting_user=acting_user, data={"parties": missing})
    if not pairing_missing_parties(pairing):
        pairing.status = PairingStatus.AGREED
        pairing.save(update_fields=["status", "updated_at"])
        audit_log(instance=pairing, action="mentorship.pairing.agree", acting_user=acting_user)
        cohort_notification_send(
            recipients=[pairing.trainee, pairing.mentor],
            kind="mentorship.pairing_agreed",
            target=pairing,
            context=pairing_names(pairing),
            cohort=pairing.cohort,
            url_name="mentorship:pairing-detail",
            url_args=[pairing.pk],
        )
    return pairing


@transaction.atomic
def pairing_agreement_update(
    *, acting_user, pairing: Pairing, focus_areas, visit_days: str, expectations: str
) -> Pairing:
    """The pair or a coordinator writes the agreement; changing it asks everyone to approve again."""
    pairing = pairing_locked(pairing)
    refuse_unless(can_view_pairing(acting_user, pairing))
    if pairing.status != PairingStatus.PROPOSED:
        raise ValidationError(_("The agreement can be changed only while the pairing is proposed."))
    pairing.agreement_focus_areas = focus_areas_checked(focus_areas)
    pairing.agreement_visit_days = visit_days.strip()[:200]
    pairing.agreement_expectations = plain_text(expectations)
    pairing.save(
        update_fields=["agreement_focus_areas", "agreement_visit_days", "agreement_expectations", "updated_at"]
    )
    pairing.approvals.all().delete()
    audit_log(instance=pairing, action="mentorship.pairing.agreement", acting_user=acting_user)
    return pairing


@transaction.atomic
def pairing_start(*, acting_user, pairing: Pairing) -> Pairing:
    """The mentor or a coordinator starts an agreed pairing: from now on sessions are logged."""
    pairing = pairing_locked(pairing)
    refuse_unless(acting_user.pk == pairing.mentor_id or can_manage_cohort(acting_user, pairing.cohort))
    if pairing.status != PairingStatus.AGREED:
        raise ValidationError(_("Only an agreed pairing can start."))
    pairing.status = PairingStatus.ACTIVE
    pairing.save(update_fields=["status", "updated_at"])
    audit_log(instance=pairing, action="mentorship.pairing.start", acting_user=acting_user)
    return pairing


@transaction.atomic
def pairing_complete(*, acting_user, pairing: Pairing) -> Pairing:
    """Shadowing is over: the pairing is completed and follow-up check-ins are scheduled."""
    pairing = pairing_locked(pairing)
    refuse_unless(acting_user.pk == pairing.mentor_id or can_manage_cohort(acting_user, pairing.cohort))
    if pairing.status != PairingStatus.ACTIVE:
        raise ValidationError(_("Only an active pairing can be completed."))
    pairing.status = PairingStatus.COMPLETED
    pairing.save(update_fields=["status", "updated_at"])
    check_ins_schedule(pairing=pairing, after=timezone.localdate())
    audit_log(instance=pairing, action="mentorship.pairing.complete", acting_user=acting_user)
    cohort_notification_send(
        recipients=[pairing.trainee, pairing.mentor],
        kind="mentorship.pairing_ended",
        target=pairing,
        occasion="completed",
        context=pairing_names(pairing),
        cohort=pairing.cohort,
        url_name="mentorship:pairing-detail",
        url_args=[pairing.pk],
    )
    return pairing


@transaction.atomic
def pairing_end(*, acting_user, pairing: Pairing, reason: str, do_not_match: bool = False) -> Pairing:
    """A coordinator ends a pairing early, with a reason; the history stays."""
    pairing = pairing_locked(pairing)
    refuse_unless(can_manage_cohort(acting_user, pairing.cohort))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the pairing ends.")})
    if not pairing.is_current:
        raise ValidationError(_("This pairing has already finished."))
    pairing.status = PairingStatus.ENDED
    pairing.ended_reason = reason[:300]
    pairing.ended_at = timezone.now()
    pairing.save(update_fields=["status", "ended_reason", "ended_at", "updated_at"])
    if do_not_match:
        DoNotMatch.objects.get_or_create(
            trainee_id=pairing.trainee_id,
            mentor_id=pairing.mentor_id,
            defaults={"reason": reason[:200], "created_by": acting_user},
        )
    audit_log(
        instance=pairing,
        action="mentorship.pairing.end",
        acting_user=acting_user,
        data={"reason": reason, "do_not_match": do_not_match},
    )
    cohort_notification_send(
        recipients=[pairing.trainee, pairing.mentor],
        kind="mentorship.pairing_ended",
        target=pairing,
        occasion="ended",
        context=pairing_names(pairing),
        cohort=pairing.cohort,
        url_name="mentorship:pairing-detail",
        url_args=[pairing.pk],
    )
    return pairing


def pairings_end_for_withdrawn(sender, membership, acting_user, **kwargs) -> None:
    """Someone withdrawn from a cohort leaves their current pairings there, as trainee or as mentor.

    Connected to training's `membership_withdrawn`; runs in the withdrawal's transaction. Each pairing ends
    as a coordinator would end it (reason, audit, message to both), so history and hours stay.
    """
    if membership.role == MembershipRole.TRAINEE:
        current = Pairing.objects.filter(cohort_id=membership.cohort_id, trainee_id=membership.user_id)
    elif membership.role == MembershipRole.MENTOR:
        current = Pairing.objects.filter(cohort_id=membership.cohort_id, mentor_id=membership.user_id)
    else:
        return
    for pairing in current.filter(status__in=PairingStatus.current_values()).order_by("pk"):
        pairing_end(acting_user=acting_user, pairing=pairing, reason=str(_("Withdrawn from the cohort")))


@transaction.atomic
def pairing_reassign(*, acting_user, pairing: Pairing, mentor_id: int, reason: str) -> Pairing:
    """End a pairing and propose another host; the old pairing stays in the history."""
    old = pairing_end(acting_user=acting_user, pairing=pairing, reason=reason)
    cohort = old.cohort
    pair_rule_refuse(pair_rule_check(cohort=cohort, trainee_id=old.trainee_id, mentor_id=mentor_id))
    data, windows = matching_input_build(cohort=cohort)
    mentor = next(m for m in data.mentors if m.id == mentor_id)
    window = max(
        (w for w in data.windows if w.school_id == mentor.school_id and w.capacity > 0),
        key=lambda w: w.capacity,
        default=None,
    )
    if window is None:
        has_window = any(w.school_id == mentor.school_id for w in data.windows)
        pair_rule_refuse(matching.RULE_SCHOOL_CAPACITY if has_window else matching.RULE_NO_WINDOW)
    window = windows[window.id]
    starts_on, ends_on = pairing_period(cohort, window)
    starts_on = max(starts_on, min(timezone.localdate(), ends_on))
    new = Pairing.objects.create(
        cohort=cohort,
        trainee_id=old.trainee_id,
        mentor_id=mentor_id,
        kind=cohort.programme.kind,
        host_school_id=window.school_id,
        window=window,
        starts_on=starts_on,
        ends_on=ends_on,
        previous=old,
    )
    new = Pairing.objects.select_related("trainee", "mentor", "cohort").get(pk=new.pk)
    audit_log(instance=new, action="mentorship.pairing.reassign", acting_user=acting_user, data={"previous": old.pk})
    cohort_notification_send(
        recipients=[new.trainee, new.mentor],
        kind="mentorship.pairing_proposed",
        target=new,
        context=pairing_names(new),
        cohort=new.cohort,
        url_name="mentorship:pairing-detail",
        url_args=[new.pk],
    )
    return new
