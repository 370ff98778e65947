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

from django.contrib.postgres.fields import ArrayField
from django.db.models import BooleanField, CharField, IntegerField, JSONField, QuerySet
from django.db.models.expressions import RawSQL

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
    """My memberships (not withdrawn), newest cohort first, with my pending invitation and my hours per source.

    The two per-membership reads are written as SQL (`RawSQL`): the dashboard composes this query on
    every first visit after a change, and building and compiling them as subqueries cost the ORM ten times
    what running them costs the database.
    """
    membership = CohortMembership._meta.db_table
    entries = HoursEntry._meta.db_table
    pending = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"""SELECT jsonb_build_object('pk', i.id, 'nonce', i.nonce, 'expires_at', i.expires_at)
        FROM {Invitation._meta.db_table} i
        WHERE i.membership_id = {membership}.id AND {membership}.status = %s AND i.status = %s AND i.expires_at > %s
        ORDER BY i.created_at DESC, i.id DESC LIMIT 1""",  # noqa: S608
        (MembershipStatus.INVITED, Invitation.Status.PENDING, now),
        output_field=JSONField(),
    )
    # A correction counts under the source of the entry it corrects; text keeps the sums exact (a JSON
    # number would come back as a float).
    hours = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"""ARRAY(SELECT jsonb_build_object(
                'bucket', COALESCE(c.source, e.source), 'total', SUM(e.hours)::text, 'last', MAX(e.occurred_on))
            FROM {entries} e LEFT JOIN {entries} c ON e.corrects_id = c.id
            WHERE e.cohort_id = {membership}.cohort_id AND e.trainee_id = {membership}.user_id
            GROUP BY COALESCE(c.source, e.source))""",  # noqa: S608
        (),
        output_field=ArrayField(JSONField()),
    )
    return (
        CohortMembership.objects.filter(user=user)
        .exclude(status=MembershipStatus.WITHDRAWN)
        .select_related("cohort", "cohort__programme")  # the membership's region is not shown
        .annotate(invitation_row=pending, hours_rows=hours)
        .order_by("-cohort__starts_on", "role")
    )


def schedule_item_list_upcoming_for_memberships(*, memberships, now: datetime.datetime, limit: int = 5):
    """What is next for me across my cohorts, from memberships read by `membership_list_for_dashboard`.

    The items `ScheduleItem.objects.for_person` gives, with my memberships' ids written in rather than read
    again in five subqueries.
    """
    counted = [m for m in memberships if m.status in MembershipStatus.counted_values()]
    if not counted:
        return []

    def cohorts(role=None):
        return [m.cohort_id for m in counted if role is None or m.role == role]

    # Written as SQL (`RawSQL`): the five conditions cost the ORM more to compose than the database to run.
    item = ScheduleItem._meta.db_table
    audience = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"""({item}.audience = %s AND {item}.cohort_id = ANY(%s::bigint[]))
        OR ({item}.audience = %s AND {item}.cohort_id = ANY(%s::bigint[]))
        OR ({item}.audience = %s AND {item}.cohort_id = ANY(%s::bigint[]))
        OR ({item}.audience = %s AND {item}.id IN (
            SELECT n.scheduleitem_id FROM {ScheduleItem.participants.through._meta.db_table} n
            WHERE n.cohortmembership_id = ANY(%s::bigint[])))
        OR {item}.cohort_id = ANY(%s::bigint[])""",  # noqa: S608
        (
            Audience.COHORT,
            cohorts(),
            Audience.TRAINEES,
            cohorts(MembershipRole.TRAINEE),
            Audience.MENTORS,
            cohorts(MembershipRole.MENTOR),
            Audience.NAMED,
            [m.pk for m in counted],
            cohorts(MembershipRole.COORDINATOR),
        ),
        output_field=BooleanField(),
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
    # My submissions' statuses, whether an item names me and the days I was present are written as SQL
    # (`RawSQL`) over the rows' own tables: as subqueries they cost the ORM more to compose than the
    # database to run.
    assignment_table, item_table = Assignment._meta.db_table, ScheduleItem._meta.db_table
    my_statuses = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"""ARRAY(SELECT s.status FROM {Submission._meta.db_table} s
        WHERE s.assignment_id = {assignment_table}.id AND s.trainee_id = %s)""",  # noqa: S608
        (user.pk,),
        output_field=ArrayField(CharField()),
    )
    assignments = list(
        Assignment.objects.filter(cohort_id__in=cohorts)
        # What progress and "What is due" read, without the instructions.
        .only("pk", "cohort_id", "kind", "title", "title_en", "due_at", "required")
        .annotate(my_statuses=my_statuses)
        .order_by("due_at", "pk")
    )
    names_me = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"""EXISTS(SELECT 1 FROM {ScheduleItem.participants.through._meta.db_table} n
        WHERE n.scheduleitem_id = {item_table}.id AND n.cohortmembership_id = ANY(%s))""",  # noqa: S608
        ([m.pk for m in trainee],),
        output_field=BooleanField(),
    )
    days_present = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"""(SELECT COUNT(a.day) FROM {Attendance._meta.db_table} a
        WHERE a.schedule_item_id = {item_table}.id AND a.trainee_id = %s AND a.present)""",  # noqa: S608
        (user.pk,),
        output_field=IntegerField(),
    )
    items = list(
        ScheduleItem.objects.filter(cohort_id__in=cohorts, required=True)
        .exclude(status=ScheduleItemStatus.CANCELLED)
        .exclude(audience=Audience.MENTORS)
        .only("pk", "title", "title_en", "starts_at", "ends_at", "audience", "cohort_id")
        .annotate(names_me=names_me, days_present=days_present)
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
