"""A cohort's evaluation results: average rating per item, stage and kind, and each mentor's feedback."""

from decimal import Decimal

from training.models import Cohort

from ..models import Evaluation, EvaluationKind, EvaluationStage, Pairing


def cohort_evaluation_results(*, cohort: Cohort) -> dict:
    """Average rating per item, stage and kind across the cohort, and per mentor the trainees' feedback."""
    evaluations = list(
        Evaluation.objects.filter(pairing__cohort=cohort).select_related("pairing__mentor").order_by("pk")
    )
    from ..services.evaluations import rubric_items

    table = {}
    for evaluation in evaluations:
        for code, value in evaluation.ratings.items():
            key = (evaluation.stage, evaluation.kind, code)
            total, count = table.get(key, (0, 0))
            table[key] = (total + int(value), count + 1)

    def average(stage, kind, code):
        total, count = table.get((stage, kind, code), (0, 0))
        return (Decimal(total) / count).quantize(Decimal("0.1")) if count else None

    probe = Pairing(kind=cohort.programme.kind)
    standards = []
    for code, label in rubric_items(pairing=probe, kind=EvaluationKind.MENTOR_RATES_TRAINEE):
        standards.append(
            (
                label,
                [
                    average(stage, kind, code)
                    for stage in EvaluationStage.values
                    for kind in (EvaluationKind.MENTOR_RATES_TRAINEE, EvaluationKind.SELF)
                ],
            )
        )
    mentors = {}
    for evaluation in evaluations:
        if evaluation.kind == EvaluationKind.TRAINEE_RATES_MENTOR and evaluation.average is not None:
            entry = mentors.setdefault(evaluation.pairing.mentor_id, [evaluation.pairing.mentor, []])
            entry[1].append(evaluation.average)
    mentor_rows = [
        (person, (sum(values) / len(values)).quantize(Decimal("0.1")), len(values))
        for person, values in mentors.values()
    ]
    mentor_rows.sort(key=lambda row: row[0].get_full_name())
    return {"standards": standards, "mentor_feedback": mentor_rows, "count": len(evaluations)}
