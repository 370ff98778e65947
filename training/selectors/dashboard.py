"""A person's own training panels on their dashboard, each read in one query whatever the cohorts' size.

The memberships are read once and carry what several panels show: "My cohorts",
the invitations waiting for the person, the cohorts they coordinate, and the
hours ledger their progress counts. Progress and "what is due" share one read
of the assignments of the person's cohorts; the required sessions are one
more. Nothing here reads per cohort or per trainee, so a person in eleven
cohorts costs the queries one in a single cohort does.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, JSONObject

from ..models import (
    Assignment,
    Attendance,
    Audience,
    CohortMembership,
    HoursEntry,
    HoursSource,
    Invitation,
    MembershipRole,
    MembershipStatus,
    ScheduleItem,
    ScheduleItemStatus,
    Submission,
    SubmissionStatus,
)
from ..progress import CohortFacts, TraineeProgress, rule_labels, trainee_progress
from .invitations import invitation_token


def membership_list_for_dashboard(*, user, now: datetime.datetime) -> QuerySet[CohortMembership]:
    """My memberships (not withdrawn), newest cohort first, with my pending invitation and my hours per source."""
    pending = Invitation.objects.filter(
        membership=OuterRef("pk"),
        status=Invitation.Status.PENDING,
        membership__status=MembershipStatus.INVITED,
        expires_at__gt=now,
    ).order_by("-created_at", "-pk")
    hours = (
        HoursEntry.objects.filter(cohort_id=OuterRef("cohort_id"), trainee_id=OuterRef("user_id"))
        .annotate(bucket=Coalesce("corrects__source", "source"))
        .values("bucket")
        .annotate(total=Sum("hours"), last=Max("occurred_on"))
        .order_by()
        # Text keeps the sums exact (a JSON number would come back as a float).
        .values(row=JSONObject(bucket=F("bucket"), total=Cast("total", CharField()), last=F("last")))
    )
    return (
        CohortMembership.objects.filter(user=user)
        .exclude(status=MembershipStatus.WITHDRAWN)
        .select_related("cohort", "cohort__programme")  # the membership's region is not shown
        .annotate(
            # One subquery for the three columns (building and compiling a subquery costs more than running it).
            invitation_row=Subquery(
                pending.values(row=JSONObject(pk=F("pk"), nonce=F("nonce"), expires_at=F("expires_at")))[:1]
            ),
            hours_rows=ArraySubquery(hours),
        )
        .order_by("-cohort__starts_on", "role")
    )


def schedule_item_list_upcoming_for_memberships(*, memberships, now: datetime.datetime, limit: int = 5):
    """What is next for me across my cohorts, from memberships read by `membership_list_for_dashboard`.

    The items `ScheduleItem.objects.for_person` gives, with my memberships' ids written in rather than read
    again in five subqueries (composing those took longer than running the query).
    """
    counted = [m for m in memberships if m.status in MembershipStatus.counted_values()]
    if not counted:
        return []

    def cohorts(role=None):
        return [m.cohort_id for m in counted if role is None or m.role == role]

    named = ScheduleItem.participants.through.objects.filter(cohortmembership_id__in=[m.pk for m in counted])
    audience = (
        Q(audience=Audience.COHORT, cohort_id__in=cohorts())
        | Q(audience=Audience.TRAINEES, cohort_id__in=cohorts(MembershipRole.TRAINEE))
        | Q(audience=Audience.MENTORS, cohort_id__in=cohorts(MembershipRole.MENTOR))
        | Q(audience=Audience.NAMED, pk__in=named.values("scheduleitem_id"))
        | Q(cohort_id__in=cohorts(MembershipRole.COORDINATOR))
    )
    return list(
        ScheduleItem.objects.filter(audience, ends_at__gte=now)
        # What the list shows (training/includes/item_list.html), nothing joined.
        .only(
            "pk",
            "cohort_id",
            "kind",
            "title",
            "title_en",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "required",
            "status",
        )
        .order_by("starts_at", "pk")[:limit]
    )


def pending_invitations(memberships) -> list[Invitation]:
    """The invitations waiting for me, from memberships read by `membership_list_for_dashboard`."""
    invitations = []
    for membership in memberships:
        row = membership.invitation_row
        if row is None:
            continue
        invitation = Invitation(
            pk=row["pk"],
            membership=membership,
            nonce=row["nonce"],
            status=Invitation.Status.PENDING,
            expires_at=datetime.datetime.fromisoformat(row["expires_at"]),
        )
        invitation.token = invitation_token(invitation=invitation)
        invitations.append(invitation)
    return invitations


@dataclass
class TraineePanels:
    """My progress in each cohort I am a trainee of, and what is due for me (soonest first)."""

    progress: list = field(default_factory=list)  # (membership, TraineeProgress)
    due: list = field(default_factory=list)


def trainee_panels(*, user, memberships, now: datetime.datetime, due_limit: int = 5) -> TraineePanels:
    """Progress and what is due, from memberships read by `membership_list_for_dashboard`, in two queries."""
    counted = MembershipStatus.counted_values()
    trainee = [m for m in memberships if m.role == MembershipRole.TRAINEE and m.status in counted]
    if not trainee:
        return TraineePanels()
    # In the cohorts' own order (newest first, then by name), as the overview lists them.
    trainee.sort(key=lambda membership: membership.cohort.name)
    trainee.sort(key=lambda membership: membership.cohort.starts_on, reverse=True)
    cohorts = {membership.cohort_id: membership.cohort for membership in trainee}
    statuses = Submission.objects.filter(assignment=OuterRef("pk"), trainee=user).order_by().values("status")
    assignments = list(
        Assignment.objects.filter(cohort_id__in=cohorts)
        # What progress and "What is due" read, without the instructions.
        .only("pk", "cohort_id", "kind", "title", "title_en", "due_at", "required")
        .annotate(my_statuses=ArraySubquery(statuses))
        .order_by("due_at", "pk")
    )
    days_present = (
        Attendance.objects.filter(schedule_item=OuterRef("pk"), trainee=user, present=True)
        .order_by()
        .values("schedule_item")
        .annotate(days=Count("day"))
        .values("days")
    )
    items = list(
        ScheduleItem.objects.filter(cohort_id__in=cohorts, required=True)
        .exclude(status=ScheduleItemStatus.CANCELLED)
        .exclude(audience=Audience.MENTORS)
        .only("pk", "title", "title_en", "starts_at", "ends_at", "audience", "cohort_id")
        .annotate(
            names_me=Exists(
                ScheduleItem.participants.through.objects.filter(
                    scheduleitem_id=OuterRef("pk"), cohortmembership_id__in=[m.pk for m in trainee]
                )
            ),
            days_present=Coalesce(Subquery(days_present, output_field=IntegerField()), 0),
        )
    )
    panels = TraineePanels()
    labels = rule_labels()
    for membership in trainee:
        facts = CohortFacts(labels=labels)
        for row in membership.hours_rows:
            total = Decimal(row["total"] or "0")
            facts.hours[user.pk][row["bucket"]] = total
            if row["bucket"] == HoursSource.MENTORING and total > 0:
                facts.last_mentoring[user.pk] = datetime.date.fromisoformat(row["last"])
        facts.required_items = [item for item in items if item.cohort_id == membership.cohort_id]
        for item in facts.required_items:
            if item.names_me:
                facts.named[item.pk].add(membership.pk)
            facts.attended_days[(item.pk, user.pk)] = item.days_present
        facts.assignments = [a for a in assignments if a.cohort_id == membership.cohort_id and a.required]
        for assignment in facts.assignments:
            facts.submissions[(assignment.pk, user.pk)] = set(assignment.my_statuses)
        progress: TraineeProgress = trainee_progress(
            cohort=membership.cohort, membership=membership, facts=facts, now=now
        )
        panels.progress.append((membership, progress))
    done = {SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED}
    for assignment in assignments:
        if done & set(assignment.my_statuses):
            continue
        assignment.cohort = cohorts[assignment.cohort_id]
        assignment.is_returned = SubmissionStatus.RETURNED in assignment.my_statuses
        assignment.is_overdue = assignment.due_at < now
        panels.due.append(assignment)
        if len(panels.due) == due_limit:
            break
    return panels
