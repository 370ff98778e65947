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

from django.db.models import BooleanField, JSONField, QuerySet
from django.db.models.expressions import RawSQL

from accounts import sql

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
        f"""SELECT {sql.object_of("'pk', i.id, 'nonce', i.nonce, 'expires_at', i.expires_at")}
        FROM "{Invitation._meta.db_table}" i
        WHERE i.membership_id = {membership}.id AND {membership}.status = %s AND i.status = %s AND i.expires_at > %s
        ORDER BY i.created_at DESC, i.id DESC LIMIT 1""",  # noqa: S608
        (MembershipStatus.INVITED, Invitation.Status.PENDING, now),
        output_field=JSONField(),
    )
    # A correction counts under the source of the entry it corrects; text keeps the sums exact (a JSON
    # number would come back as a float).
    bucket = sql.object_of(
        "'bucket', COALESCE(c.source, e.source), 'total', CAST(SUM(e.hours) AS TEXT), 'last', MAX(e.occurred_on)"
    )
    hours = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        sql.rows_of(
            f"""SELECT {bucket} AS v
            FROM "{entries}" e LEFT JOIN "{entries}" c ON e.corrects_id = c.id
            WHERE e.cohort_id = {membership}.cohort_id AND e.trainee_id = {membership}.user_id
            GROUP BY COALESCE(c.source, e.source)"""  # noqa: S608
        ),
        (),
        output_field=sql.rows_field(),
    )
    # For a membership as trainee, what progress and "What is due" read: the cohort's assignments (without
    # their instructions) with my submissions' statuses, and its required items with whether they name me
    # and the days I was present. In this query, not two more: the rows are few, composing queries is not.
    as_trainee = f"{membership}.role = %s AND {sql.is_one_of(f'{membership}.status')}"
    trainee_params = (MembershipRole.TRAINEE, sql.values_param(MembershipStatus.counted_values()))
    my_statuses = sql.list_of(
        f"""SELECT s.status AS v FROM "{Submission._meta.db_table}" s
        WHERE s.assignment_id = a.id AND s.trainee_id = {membership}.user_id"""  # noqa: S608
    )
    assignment = sql.object_of(
        "'pk', a.id, 'kind', a.kind, 'title', a.title, 'title_en', a.title_en, 'due_at', a.due_at",
        f"'required', a.required, 'my_statuses', {my_statuses}",
    )
    my_assignments = sql.rows_of(
        f"""SELECT {assignment} AS v FROM "{Assignment._meta.db_table}" a
        WHERE a.cohort_id = {membership}.cohort_id ORDER BY a.due_at, a.id"""  # noqa: S608
    )
    assignments = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"CASE WHEN {as_trainee} THEN {my_assignments} END",
        trainee_params,
        output_field=sql.rows_field(),
    )
    item = sql.object_of(
        "'pk', i.id, 'title', i.title, 'title_en', i.title_en, 'starts_at', i.starts_at",
        "'ends_at', i.ends_at, 'audience', i.audience",
        f"""'names_me', EXISTS(SELECT 1 FROM "{ScheduleItem.participants.through._meta.db_table}" n
            WHERE n.scheduleitem_id = i.id AND n.cohortmembership_id = {membership}.id)""",  # noqa: S608
        f"""'days_present', (SELECT COUNT(p.day) FROM "{Attendance._meta.db_table}" p
            WHERE p.schedule_item_id = i.id AND p.trainee_id = {membership}.user_id AND p.present)""",  # noqa: S608
    )
    required_items = sql.rows_of(
        f"""SELECT {item} AS v FROM "{ScheduleItem._meta.db_table}" i
        WHERE i.cohort_id = {membership}.cohort_id AND i.required AND i.status <> %s AND i.audience <> %s
        ORDER BY i.starts_at, i.id"""  # noqa: S608
    )
    items = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"CASE WHEN {as_trainee} THEN {required_items} END",
        (*trainee_params, ScheduleItemStatus.CANCELLED, Audience.MENTORS),
        output_field=sql.rows_field(),
    )
    return (
        CohortMembership.objects.filter(user=user)
        .exclude(status=MembershipStatus.WITHDRAWN)
        .select_related("cohort", "cohort__programme")  # the membership's region is not shown
        .annotate(invitation_row=pending, hours_rows=hours, assignment_rows=assignments, required_item_rows=items)
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
    in_cohorts = sql.is_one_of(f"{item}.cohort_id", "bigint[]")
    audience = RawSQL(  # noqa: S611 -- table names from the models, values as parameters
        f"""({item}.audience = %s AND {in_cohorts})
        OR ({item}.audience = %s AND {in_cohorts})
        OR ({item}.audience = %s AND {in_cohorts})
        OR ({item}.audience = %s AND {item}.id IN (
            SELECT n.scheduleitem_id FROM "{ScheduleItem.participants.through._meta.db_table}" n
            WHERE {sql.is_one_of("n.cohortmembership_id", "bigint[]")}))
        OR {in_cohorts}""",  # noqa: S608
        (
            Audience.COHORT,
            sql.values_param(cohorts()),
            Audience.TRAINEES,
            sql.values_param(cohorts(MembershipRole.TRAINEE)),
            Audience.MENTORS,
            sql.values_param(cohorts(MembershipRole.MENTOR)),
            Audience.NAMED,
            sql.values_param(counted),
            sql.values_param(cohorts(MembershipRole.COORDINATOR)),
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
            expires_at=sql.moment(row["expires_at"]),
        )
        invitation.token = invitation_token(invitation=invitation)
        invitations.append(invitation)
    return invitations


def _assignment(row: dict, cohort) -> Assignment:
    assignment = Assignment(
        pk=row["pk"],
        cohort=cohort,
        kind=row["kind"],
        title=row["title"],
        title_en=row["title_en"],
        due_at=sql.moment(row["due_at"]),
        required=row["required"],
    )
    assignment.my_statuses = row["my_statuses"]
    return assignment


def _required_item(row: dict, cohort_id: int) -> ScheduleItem:
    item = ScheduleItem(
        pk=row["pk"],
        cohort_id=cohort_id,
        title=row["title"],
        title_en=row["title_en"],
        starts_at=sql.moment(row["starts_at"]),
        ends_at=sql.moment(row["ends_at"]),
        audience=row["audience"],
        required=True,
    )
    item.names_me, item.days_present = row["names_me"], row["days_present"]
    return item


@dataclass
class TraineePanels:
    """My progress in each cohort I am a trainee of, and what is due for me (soonest first)."""

    progress: list = field(default_factory=list)  # (membership, TraineeProgress)
    due: list = field(default_factory=list)


def trainee_panels(*, user, memberships, now: datetime.datetime, due_limit: int = 5) -> TraineePanels:
    """Progress and what is due, from memberships read by `membership_list_for_dashboard`, without a query."""
    counted = MembershipStatus.counted_values()
    trainee = [m for m in memberships if m.role == MembershipRole.TRAINEE and m.status in counted]
    if not trainee:
        return TraineePanels()
    # In the cohorts' own order (newest first, then by name), as the overview lists them.
    trainee.sort(key=lambda membership: membership.cohort.name)
    trainee.sort(key=lambda membership: membership.cohort.starts_on, reverse=True)
    assignments = []
    panels = TraineePanels()
    labels = rule_labels()
    for membership in trainee:
        mine = [_assignment(row, membership.cohort) for row in membership.assignment_rows or ()]
        assignments += mine
        facts = CohortFacts(labels=labels)
        for row in membership.hours_rows:
            total = Decimal(row["total"] or "0")
            facts.hours[user.pk][row["bucket"]] = total
            if row["bucket"] == HoursSource.MENTORING and total > 0:
                facts.last_mentoring[user.pk] = datetime.date.fromisoformat(row["last"])
        facts.required_items = [
            _required_item(row, membership.cohort_id) for row in membership.required_item_rows or ()
        ]
        for item in facts.required_items:
            if item.names_me:
                facts.named[item.pk].add(membership.pk)
            facts.attended_days[(item.pk, user.pk)] = item.days_present
        facts.assignments = [assignment for assignment in mine if assignment.required]
        for assignment in facts.assignments:
            facts.submissions[(assignment.pk, user.pk)] = set(assignment.my_statuses)
        progress: TraineeProgress = trainee_progress(
            cohort=membership.cohort, membership=membership, facts=facts, now=now
        )
        panels.progress.append((membership, progress))
    done = {SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED}
    for assignment in sorted(assignments, key=lambda assignment: (assignment.due_at, assignment.pk)):
        if done & set(assignment.my_statuses):
            continue
        assignment.is_returned = SubmissionStatus.RETURNED in assignment.my_statuses
        assignment.is_overdue = assignment.due_at < now
        panels.due.append(assignment)
        if len(panels.due) == due_limit:
            break
    return panels
