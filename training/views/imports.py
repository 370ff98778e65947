"""Bulk enrolment: uploading a spreadsheet and following its progress."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..forms import (
    ImportForm,
    apply_errors,
)
from ..imports import error_message, field_label


@login_required
@require_http_methods(["GET", "POST"])
def import_create(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.enrolment_import_create(
                cohort=cohort, acting_user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("training:import-detail", import_id=record.pk)
    recent = cohort.imports.defer("content").order_by("-created_at")[:5]
    return render(request, "training/import_form.html", {"cohort": cohort, "form": form, "recent": recent})


def _import_errors(record):
    return [
        {"row": error.get("row"), "field": field_label(error.get("field", "")), "message": error_message(error)}
        for error in record.errors
    ]


@login_required
@require_GET
def import_detail(request, import_id):
    record = selectors.import_get_for_user(acting_user=request.user, import_id=import_id)
    errors = _import_errors(record)
    page = Paginator(errors, 200).get_page(request.GET.get("page"))
    return render(request, "training/import_detail.html", {"record": record, "cohort": record.cohort, "page": page})


@login_required
@require_GET
def import_status(request, import_id):
    record = selectors.import_get_for_user(acting_user=request.user, import_id=import_id)
    return JsonResponse(
        {
            "status": record.status,
            "status_label": record.get_status_display(),
            "percent": record.percent,
            "processed": record.processed_rows,
            "total": record.total_rows,
            "finished": record.is_finished,
            "error_count": len(record.errors),
        }
    )
