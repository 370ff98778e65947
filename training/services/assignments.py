"""Assignments, trainees' submissions and their review, credited to the ledger when accepted."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from ..kinds import cohort_notification_send
from ..models import (
    Assignment,
    Cohort,
    HoursSource,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from ..permissions import can_review_submission, is_trainee, require_cohort_manager
from ..uploads import check_upload
from .hours import hours_credit

ASSIGNMENT_FIELDS = [
    "kind",
    "title",
    "title_en",
    "instructions",
    "instructions_en",
    "due_at",
    "reviewer",
    "required",
    "credit_hours",
]


@transaction.atomic
def assignment_create(*, cohort: Cohort, acting_user, data: dict) -> Assignment:
    """Set an assignment for the cohort's trainees."""
    require_cohort_manager(acting_user, cohort)
    assignment = Assignment(
        cohort=cohort, created_by=acting_user, **{key: data[key] for key in ASSIGNMENT_FIELDS if key in data}
    )
    assignment.full_clean()
    assignment.save()
    audit_log(
        instance=assignment,
        action="training.assignment.create",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "title": assignment.title, "due_at": assignment.due_at.isoformat()},
    )
    return assignment


@transaction.atomic
def assignment_update(*, assignment: Assignment, acting_user, data: dict) -> Assignment:
    """Change an assignment's text, due date or reviewer."""
    require_cohort_manager(acting_user, assignment.cohort)
    for key in ASSIGNMENT_FIELDS:
        if key in data:
            setattr(assignment, key, data[key])
    assignment.full_clean()
    assignment.save()
    audit_log(
        instance=assignment,
        action="training.assignment.update",
        acting_user=acting_user,
        data={"cohort_id": assignment.cohort_id, "due_at": assignment.due_at.isoformat()},
    )
    return assignment


@transaction.atomic
def submission_create(*, assignment: Assignment, acting_user, text: str, files=()) -> Submission:
    """A trainee submits, or resubmits after a return; after the due date it is accepted and marked late."""
    from ..uploads import max_upload_files

    if not is_trainee(acting_user, assignment.cohort):
        raise PermissionDenied
    files = list(files)
    if not text.strip() and not files:
        raise ValidationError({"text": _("Write your answer or attach a file.")})
    if len(files) > max_upload_files():
        raise ValidationError({"files": _("Attach at most %(count)s files.") % {"count": max_upload_files()}})
    checked = []
    problems = []
    for upload in files:
        try:
            checked.append((upload, *check_upload(upload)))
        except ValidationError as problem:
            problems.extend(problem.messages)
    if problems:
        raise ValidationError({"files": problems})
    previous = (
        Submission.objects.select_for_update()
        .filter(assignment=assignment, trainee=acting_user)
        .order_by("-attempt")
        .first()
    )
    if previous is not None and previous.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Your submission is waiting for review; you can resubmit if it is returned."))
    if previous is not None and previous.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("This assignment has already been accepted."))
    now = timezone.now()
    submission = Submission.objects.create(
        assignment=assignment,
        trainee=acting_user,
        attempt=(previous.attempt + 1) if previous else 1,
        text=text,
        submitted_at=now,
        is_late=now > assignment.due_at,
    )
    for upload, name, content_type in checked:
        SubmissionFile.objects.create(
            submission=submission, file=upload, original_name=name, size=upload.size, content_type=content_type
        )
    return submission


@transaction.atomic
def submission_review(*, submission: Submission, acting_user, accept: bool, comment: str = "") -> Submission:
    """Accept a submission (crediting its hours) or return it with comments for another attempt."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment__cohort", "trainee")
        .get(pk=submission.pk)
    )
    if not can_review_submission(acting_user, submission):
        raise PermissionDenied
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("This submission has already been reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what to change when you return a submission.")})
    assignment = submission.assignment
    submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    submission.reviewed_by = acting_user
    submission.reviewed_at = timezone.now()
    submission.review_comment = comment
    submission.save()
    if accept and assignment.credit_hours > 0:
        hours_credit(
            trainee=submission.trainee,
            hours=assignment.credit_hours,
            source=HoursSource.ASSIGNMENT,
            occurred_on=timezone.localdate(submission.reviewed_at),
            source_object=submission,
            cohort=assignment.cohort,
            credited_by=acting_user,
            note=assignment.title[:200],
        )
    audit_log(
        instance=submission,
        action="training.submission.review",
        acting_user=acting_user,
        data={"cohort_id": assignment.cohort_id, "accepted": accept, "attempt": submission.attempt},
    )
    cohort_notification_send(
        cohort=assignment.cohort,
        recipients=[submission.trainee],
        kind="training.submission_accepted" if accept else "training.submission_returned",
        target=submission,
        occasion="reviewed",
        context=lambda: {"title": assignment.localized_title, "message": comment},
        url_name="training:assignment-detail",
        url_kwargs={"assignment_id": assignment.pk},
    )
    return submission
