"""Assignments, submissions, their review and submitted files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors, services
from ..forms import (
    AssignmentForm,
    ReviewForm,
    SubmissionForm,
    apply_errors,
)
from ..models import (
    MembershipRole,
)
from ..permissions import can_manage_cohort, can_review_submission, cohort_roles


@login_required
@require_GET
def assignment_list(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    assignments = selectors.assignment_list_for_cohort(acting_user=request.user, cohort=cohort)
    return render(
        request,
        "training/assignment_list.html",
        {
            "cohort": cohort,
            "assignments": assignments,
            "manages": can_manage_cohort(request.user, cohort),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(cohort=cohort, acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The assignment has been set."))
            return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return render(request, "training/assignment_form.html", {"cohort": cohort, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request, assignment_id):
    assignment = selectors.assignment_get_for_user(acting_user=request.user, assignment_id=assignment_id)
    if not can_manage_cohort(request.user, assignment.cohort):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(assignment=assignment, acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The assignment has been saved."))
            return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return render(
        request, "training/assignment_form.html", {"cohort": assignment.cohort, "form": form, "assignment": assignment}
    )


def _assignment_context(request, assignment, submission_form=None):
    cohort = assignment.cohort
    roles = cohort_roles(request.user, cohort)
    context = {
        "assignment": assignment,
        "cohort": cohort,
        "manages": can_manage_cohort(request.user, cohort),
        "is_trainee": MembershipRole.TRAINEE in roles,
        "now": timezone.now(),
    }
    if context["is_trainee"]:
        own = selectors.submission_list_own(acting_user=request.user, assignment=assignment)
        latest = own[-1] if own else None
        context.update(
            {
                "own": own,
                "latest": latest,
                "can_submit": latest is None or latest.status == "returned",
                "submission_form": submission_form or SubmissionForm(),
            }
        )
    reviewable = selectors.submission_list_for_reviewer(acting_user=request.user, assignment=assignment)
    if reviewable:
        for submission in reviewable:
            submission.reviewable = submission.status == "submitted" and can_review_submission(request.user, submission)
        context["submissions"] = reviewable
        context["review_form"] = ReviewForm()
    return context


@login_required
@require_GET
def assignment_detail(request, assignment_id):
    assignment = selectors.assignment_get_for_user(acting_user=request.user, assignment_id=assignment_id)
    return render(request, "training/assignment_detail.html", _assignment_context(request, assignment))


@login_required
@require_POST
def submission_create(request, assignment_id):
    assignment = selectors.assignment_get_for_user(acting_user=request.user, assignment_id=assignment_id)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            submission = services.submission_create(
                assignment=assignment,
                acting_user=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if submission.is_late:
                messages.warning(request, _("Submitted after the due date; it is marked late."))
            else:
                messages.success(request, _("Submitted. You will hear when it has been reviewed."))
            return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return render(
        request, "training/assignment_detail.html", _assignment_context(request, assignment, form), status=400
    )


@login_required
@require_POST
def submission_review(request, submission_id):
    submission = selectors.submission_get_for_reviewer(acting_user=request.user, submission_id=submission_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or return."))
    else:
        try:
            services.submission_review(
                submission=submission,
                acting_user=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your review has been sent to the trainee."))
    return redirect(
        f"{reverse('training:assignment-detail', kwargs={'assignment_id': submission.assignment_id})}#submission-{submission.pk}"
    )


@login_required
@require_GET
def submission_file(request, file_id):
    upload = selectors.submission_file_get_for_user(acting_user=request.user, file_id=file_id)
    response = FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name)
    response["Content-Type"] = upload.content_type
    response["Cache-Control"] = "private, no-store"
    return response
