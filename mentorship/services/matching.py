"""Matching batches: run the solver in the background, let coordinators edit and pin, publish proposals."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from training.kinds import cohort_notification_send
from training.models import Cohort
from training.permissions import can_manage_cohort

from .. import matching
from ..models import (
    BatchStatus,
    MatchingBatch,
    Pairing,
    PairingPin,
    PairingProposal,
)
from ..permissions import refuse_unless
from ..reasons import points
from .pair_rules import matching_input_build, pair_rule_check, pair_rule_refuse, pairing_period
from .pairings import pairing_names

logger = logging.getLogger(__name__)


STALE_RUN_AFTER = datetime.timedelta(minutes=10)


@transaction.atomic
def matching_batch_start(*, acting_user, cohort: Cohort) -> MatchingBatch:
    """Queue a matching run for the cohort; a Celery worker runs it and reports progress."""
    refuse_unless(can_manage_cohort(acting_user, cohort))
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    # A run whose worker died long ago must not block the cohort for ever.
    MatchingBatch.objects.filter(
        cohort=cohort,
        status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING],
        created_at__lt=timezone.now() - STALE_RUN_AFTER,
    ).update(status=BatchStatus.FAILED, error="stale")
    if MatchingBatch.objects.filter(cohort=cohort, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]).exists():
        raise ValidationError(_("A matching run for this cohort is already in progress."))
    MatchingBatch.objects.filter(cohort=cohort, status=BatchStatus.PENDING).update(status=BatchStatus.DISCARDED)
    batch = MatchingBatch.objects.create(cohort=cohort, created_by=acting_user)
    audit_log(instance=batch, action="mentorship.batch.start", acting_user=acting_user, data={"cohort": cohort.pk})

    def enqueue():
        from ..tasks import run_matching_batch_task

        try:
            run_matching_batch_task.delay(batch.pk)
        except Exception:
            # The broker is down: the batch stays queued and the page offers to run it again.
            logger.warning("Could not queue matching batch %s", batch.pk, exc_info=True)

    transaction.on_commit(enqueue)
    return batch


def matching_batch_run(*, batch_id: int) -> MatchingBatch | None:
    """Run a queued batch once: solve the cohort's matching and store the proposals for review."""
    claimed = MatchingBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING, progress=1, stage="input"
    )
    if not claimed:
        return None
    batch = MatchingBatch.objects.select_related("cohort__programme").get(pk=batch_id)

    def progress(percent: int, stage: str) -> None:
        MatchingBatch.objects.filter(pk=batch_id).update(progress=percent, stage=stage)

    try:
        data, windows = matching_input_build(cohort=batch.cohort)
        result = matching.solve(data, progress=progress)
        with transaction.atomic():
            PairingProposal.objects.bulk_create(
                [
                    PairingProposal(
                        batch=batch,
                        trainee_id=proposal.trainee_id,
                        mentor_id=proposal.mentor_id,
                        window_id=proposal.window_id,
                        score=points(proposal.score),
                        reasons=proposal.reasons,
                        pinned=proposal.pinned,
                    )
                    for proposal in result.proposals
                ],
                batch_size=1000,
            )
            MatchingBatch.objects.filter(pk=batch_id).update(
                status=BatchStatus.PENDING,
                progress=100,
                stage="done",
                unplaced={str(u.trainee_id): u.rule for u in result.unplaced},
                total_score=points(result.total_score),
                seconds=result.seconds,
            )
    except Exception as exc:
        logger.exception("Matching batch %s failed", batch_id)
        MatchingBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=f"{type(exc).__name__}: {exc}"
        )
    batch.refresh_from_db()
    return batch


def _editable_batch(batch: MatchingBatch, acting_user) -> MatchingBatch:
    refuse_unless(can_manage_cohort(acting_user, batch.cohort))
    batch = MatchingBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.PENDING:
        raise ValidationError(_("This batch can no longer be changed."))
    return batch


@transaction.atomic
def batch_proposal_remove(*, acting_user, proposal: PairingProposal) -> None:
    """Take one proposal out of a pending batch; the trainee stays unplaced."""
    batch = _editable_batch(proposal.batch, acting_user)
    unplaced = dict(batch.unplaced)
    unplaced[str(proposal.trainee_id)] = "removed"
    batch.unplaced = unplaced
    batch.total_score -= proposal.score
    batch.save(update_fields=["unplaced", "total_score"])
    audit_log(
        instance=batch,
        action="mentorship.batch.remove",
        acting_user=acting_user,
        data={"trainee": proposal.trainee_id, "mentor": proposal.mentor_id},
    )
    proposal.delete()


@transaction.atomic
def batch_proposals_swap(*, acting_user, first: PairingProposal, second: PairingProposal) -> None:
    """Exchange the hosts of two proposals, if both new pairs keep every rule."""
    batch = _editable_batch(first.batch, acting_user)
    if second.batch_id != batch.pk or first.pk == second.pk:
        raise ValidationError(_("Choose two different proposals of this batch."))
    cohort = batch.cohort
    data, _windows = matching_input_build(cohort=cohort)
    trainees = {t.id: t for t in data.trainees}
    mentors = {m.id: m for m in data.mentors}
    for trainee_id, mentor_id in ((first.trainee_id, second.mentor_id), (second.trainee_id, first.mentor_id)):
        trainee, mentor = trainees.get(trainee_id), mentors.get(mentor_id)
        if trainee is None or mentor is None:
            raise ValidationError(_("One of these people has left the cohort."))
        pair_rule_refuse(matching.pair_rule_broken(data=data, trainee=trainee, mentor=mentor))
    demand = matching.mentor_demand(data)
    max_demand = max(demand.values(), default=0)
    old_total = first.score + second.score
    first.mentor_id, second.mentor_id = second.mentor_id, first.mentor_id
    first.window_id, second.window_id = second.window_id, first.window_id
    for proposal in (first, second):
        score, reasons = matching.pair_score(
            trainee=trainees[proposal.trainee_id],
            mentor=mentors[proposal.mentor_id],
            demand=demand,
            max_demand=max_demand,
        )
        proposal.score, proposal.reasons, proposal.pinned = points(score), reasons, False
        proposal.save(update_fields=["mentor", "window", "score", "reasons", "pinned"])
    batch.total_score += first.score + second.score - old_total
    batch.save(update_fields=["total_score"])
    audit_log(
        instance=batch,
        action="mentorship.batch.swap",
        acting_user=acting_user,
        data={"proposals": [first.pk, second.pk]},
    )


@transaction.atomic
def pairing_pin(*, acting_user, cohort: Cohort, trainee_id: int, mentor_id: int) -> PairingPin:
    """Fix a pair for the next matching run; it must keep every hard rule."""
    refuse_unless(can_manage_cohort(acting_user, cohort))
    pair_rule_refuse(pair_rule_check(cohort=cohort, trainee_id=trainee_id, mentor_id=mentor_id))
    pin, _created = PairingPin.objects.update_or_create(
        cohort=cohort, trainee_id=trainee_id, defaults={"mentor_id": mentor_id}
    )
    audit_log(
        instance=pin,
        action="mentorship.pin.create",
        acting_user=acting_user,
        data={"trainee": trainee_id, "mentor": mentor_id},
    )
    return pin


@transaction.atomic
def pairing_unpin(*, acting_user, cohort: Cohort, trainee_id: int) -> None:
    """Release a pinned pair."""
    refuse_unless(can_manage_cohort(acting_user, cohort))
    for pin in PairingPin.objects.filter(cohort=cohort, trainee_id=trainee_id):
        audit_log(instance=pin, action="mentorship.pin.delete", acting_user=acting_user)
        pin.delete()


@transaction.atomic
def matching_batch_publish(*, acting_user, batch: MatchingBatch) -> list[Pairing]:
    """Turn a reviewed batch into proposed pairings and tell both sides of each."""
    batch = _editable_batch(batch, acting_user)
    cohort = Cohort.objects.select_related("programme").get(pk=batch.cohort_id)
    proposals = list(batch.proposals.select_related("trainee", "mentor", "window__school"))
    pairings = []
    for proposal in proposals:
        starts_on, ends_on = pairing_period(cohort, proposal.window)
        try:
            with transaction.atomic():
                pairing = Pairing.objects.create(
                    cohort=cohort,
                    trainee=proposal.trainee,
                    mentor=proposal.mentor,
                    kind=cohort.programme.kind,
                    host_school=proposal.window.school,
                    window=proposal.window,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    batch=batch,
                    score=proposal.score,
                    reasons=proposal.reasons,
                )
        except IntegrityError:
            raise ValidationError(
                _("%(name)s already has a current pairing in this cohort; run the matching again.")
                % {"name": proposal.trainee.get_full_name()}
            ) from None
        pairings.append(pairing)
    if pairings:
        audit_log(
            instance=batch,
            action="mentorship.batch.publish",
            acting_user=acting_user,
            data={"pairings": [pairing.pk for pairing in pairings]},
        )
    for pairing in pairings:
        audit_log(instance=pairing, action="mentorship.pairing.propose", acting_user=acting_user)
        cohort_notification_send(
            recipients=[pairing.trainee, pairing.mentor],
            kind="mentorship.pairing_proposed",
            target=pairing,
            context=pairing_names(pairing),
            cohort=pairing.cohort,
            url_name="mentorship:pairing-detail",
            url_args=[pairing.pk],
        )
    batch.status = BatchStatus.PUBLISHED
    batch.published_at = timezone.now()
    batch.save(update_fields=["status", "published_at"])
    PairingPin.objects.filter(cohort=cohort, trainee_id__in=[p.trainee_id for p in pairings]).delete()
    return pairings
