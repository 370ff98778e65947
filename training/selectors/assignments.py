"""Assignments and submissions as trainees, reviewers and overseers may see them."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from ..models import (
    Assignment,
    Cohort,
    CohortMembership,
    MembershipRole,
    MembershipStatus,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from ..pairings import pairs_for
from ..permissions import (
    can_manage_cohort,
    can_view_cohort,
    cohort_roles,
    visible_region_ids,
)
from .cohorts import id_or_404


def assignment_list_for_cohort(*, acting_user, cohort: Cohort) -> list[Assignment]:
    """A cohort's assignments; a trainee also sees where each of theirs stands."""
    assignments = list(Assignment.objects.filter(cohort=cohort).order_by("due_at", "pk"))
    latest = {}
    for submission in Submission.objects.filter(assignment__cohort=cohort, trainee=acting_user).order_by("attempt"):
        latest[submission.assignment_id] = submission
    for assignment in assignments:
        assignment.my_submission = latest.get(assignment.pk)
    return assignments


def assignment_get_for_user(*, acting_user, assignment_id) -> Assignment:
    """An assignment of a cohort this person may see, or 404."""
    try:
        assignment = Assignment.objects.select_related("cohort", "cohort__programme").get(pk=id_or_404(assignment_id))
    except Assignment.DoesNotExist:
        raise Http404 from None
    if not can_view_cohort(acting_user, assignment.cohort):
        raise Http404
    return assignment


def submission_list_for_reviewer(*, acting_user, assignment: Assignment) -> list[Submission]:
    """Submissions this person may read: all for coordinators, their mentees' for mentors, own region's for regional admins."""
    submissions = Submission.objects.filter(assignment=assignment).select_related("trainee", "reviewed_by")
    submissions = submissions.prefetch_related("files")
    if can_manage_cohort(acting_user, assignment.cohort):
        return list(submissions.order_by("trainee__display_name", "attempt"))
    roles = cohort_roles(acting_user, assignment.cohort)
    allowed = Q(pk__in=[])
    if MembershipRole.MENTOR in roles:
        mentees = [
            pair.trainee_id
            for pair in pairs_for(cohort_ids=[assignment.cohort_id], mentor_ids=[acting_user.pk])
            if pair.mentor_id == acting_user.pk
        ]
        allowed |= Q(trainee_id__in=mentees)
    regions = visible_region_ids(acting_user, assignment.cohort) or frozenset()
    if regions:
        allowed |= Q(
            trainee__memberships__cohort=assignment.cohort,
            trainee__memberships__role=MembershipRole.TRAINEE,
            trainee__memberships__region_id__in=regions,
        )
    return list(submissions.filter(allowed).distinct().order_by("trainee__display_name", "attempt"))


def submission_list_own(*, acting_user, assignment: Assignment) -> list[Submission]:
    """My attempts at an assignment, first to last."""
    return list(
        Submission.objects.filter(assignment=assignment, trainee=acting_user)
        .prefetch_related("files")
        .select_related("reviewed_by")
        .order_by("attempt")
    )


def submission_get_for_reviewer(*, acting_user, submission_id) -> Submission:
    """A submission this person may review, or 404."""
    from ..permissions import can_review_submission

    try:
        submission = Submission.objects.select_related("assignment", "assignment__cohort", "trainee").get(
            pk=id_or_404(submission_id)
        )
    except Submission.DoesNotExist:
        raise Http404 from None
    if not can_review_submission(acting_user, submission):
        raise Http404
    return submission


def submission_file_get_for_user(*, acting_user, file_id) -> SubmissionFile:
    """A submitted file for its author and the people who may read the submission, or 404."""
    try:
        upload = SubmissionFile.objects.select_related(
            "submission", "submission__assignment", "submission__assignment__cohort"
        ).get(pk=id_or_404(file_id))
    except SubmissionFile.DoesNotExist:
        raise Http404 from None
    submission = upload.submission
    if submission.trainee_id == acting_user.pk:
        return upload
    readable = submission_list_for_reviewer(acting_user=acting_user, assignment=submission.assignment)
    if submission.pk not in {item.pk for item in readable}:
        raise Http404
    return upload


def assignment_list_due_for_trainee(*, user, limit: int = 5) -> list[Assignment]:
    """What is due for me: assignments not yet accepted or waiting for review, soonest first."""
    cohort_ids = CohortMembership.objects.filter(
        user=user, role=MembershipRole.TRAINEE, status__in=MembershipStatus.counted_values()
    ).values("cohort_id")
    done = Submission.objects.filter(
        trainee=user, status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED]
    ).values("assignment_id")
    assignments = list(
        Assignment.objects.filter(cohort_id__in=cohort_ids)
        .exclude(pk__in=done)
        .select_related("cohort")
        .order_by("due_at", "pk")[:limit]
    )
    returned = set(
        Submission.objects.filter(
            trainee=user, assignment__in=assignments, status=SubmissionStatus.RETURNED
        ).values_list("assignment_id", flat=True)
    )
    now = timezone.now()
    for assignment in assignments:
        assignment.is_returned = assignment.pk in returned
        assignment.is_overdue = assignment.due_at < now
    return assignments
