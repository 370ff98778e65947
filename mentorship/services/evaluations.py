"""Evaluations of a pairing against its rubric, by each side."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from ..models import (
    Evaluation,
    EvaluationKind,
    EvaluationStage,
    FocusArea,
    MentorQuality,
    Pairing,
    PairingStatus,
)
from ..permissions import refuse_unless
from .inputs import plain_text


def rubric_items(*, pairing: Pairing, kind: str) -> list[tuple[str, str]]:
    """What an evaluation rates: the standard's duties, or the mentor's qualities."""
    if kind == EvaluationKind.TRAINEE_RATES_MENTOR:
        return list(MentorQuality.choices)
    return [(area.value, area.label) for area in FocusArea.for_kind(pairing.kind)]


def evaluation_author_may(user, pairing: Pairing, kind: str) -> bool:
    if kind == EvaluationKind.MENTOR_RATES_TRAINEE:
        return user.pk == pairing.mentor_id
    return user.pk == pairing.trainee_id


@transaction.atomic
def evaluation_submit(
    *, acting_user, pairing: Pairing, stage: str, kind: str, ratings: dict, comment: str = ""
) -> Evaluation:
    """Rate on the rubric (1 to 4 for every item); submitting again replaces the ratings."""
    if stage not in EvaluationStage.values or kind not in EvaluationKind.values:
        raise ValidationError(_("Unknown evaluation."))
    refuse_unless(evaluation_author_may(acting_user, pairing, kind))
    if pairing.status not in {PairingStatus.ACTIVE, PairingStatus.COMPLETED}:
        raise ValidationError(_("Evaluations open once the pairing has started."))
    items = [code for code, _label in rubric_items(pairing=pairing, kind=kind)]
    clean = {}
    for code in items:
        try:
            value = int(ratings.get(code))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 4:
            raise ValidationError({code: _("Rate every item from 1 to 4.")})
        clean[code] = value
    evaluation, _created = Evaluation.objects.update_or_create(
        pairing=pairing,
        stage=stage,
        kind=kind,
        defaults={"author": acting_user, "ratings": clean, "comment": plain_text(comment)},
    )
    audit_log(
        instance=evaluation,
        action="mentorship.evaluation.submit",
        acting_user=acting_user,
        data={"stage": stage, "kind": kind},
    )
    return evaluation
