"""Evaluation forms of a pairing, and the coordinator's summary of a cohort's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from training.forms import apply_errors

from .. import selectors, services
from ..forms import (
    EvaluationForm,
)
from ..models import (
    EvaluationKind,
    EvaluationStage,
)
from .pairings import pairing_redirect


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_form(request, pairing_id: int, stage: str, kind: str):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    if stage not in EvaluationStage.values or kind not in EvaluationKind.values:
        raise Http404
    if not services.evaluation_author_may(request.user, pairing, kind):
        raise PermissionDenied
    items = services.rubric_items(pairing=pairing, kind=kind)
    existing = pairing.evaluations.filter(stage=stage, kind=kind).first()
    initial = {code: str(value) for code, value in (existing.ratings if existing else {}).items()}
    if existing:
        initial["comment"] = existing.comment
    form = EvaluationForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        comment = data.pop("comment", "")
        try:
            services.evaluation_submit(
                acting_user=request.user, pairing=pairing, stage=stage, kind=kind, ratings=data, comment=comment
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Evaluation saved."))
            return pairing_redirect(pairing_id, "evaluations")
    context = {
        "pairing": pairing,
        "form": form,
        "stage_label": EvaluationStage(stage).label,
        "kind_label": EvaluationKind(kind).label,
    }
    return render(request, "mentorship/evaluation_form.html", context)


@login_required
@require_http_methods(["GET"])
def cohort_evaluations(request, cohort_id: int):
    cohort = selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    results = selectors.cohort_evaluation_results(cohort=cohort)
    return render(request, "mentorship/cohort_evaluations.html", {"cohort": cohort, "results": results})
