"""Progress against a programme's completion rules, and who is at risk and why.

Hours come from the ledger only. Sessions attended and assignments accepted
are counted from attendance and submissions, the facts the ledger credits.
Everything for a whole cohort is read in a fixed number of queries and then
computed here, so the overview of a thousand trainees costs what twenty do.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Assignment,
    Attendance,
    Audience,
    Cohort,
    CohortMembership,
    HoursEntry,
    HoursSource,
    MembershipRole,
    MembershipStatus,
    ScheduleItem,
    ScheduleItemStatus,
    Submission,
    SubmissionStatus,
)

FLAGGED_STATUSES = (MembershipStatus.ACCEPTED, MembershipStatus.ACTIVE)


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    done: Decimal
    required: Decimal
    unit: str = ""

    @property
    def fraction(self) -> float:
        if not self.required:
            return 1.0
        return min(1.0, float(self.done) / float(self.required))

    @property
    def percent(self) -> int:
        return int(round(self.fraction * 100))

    @property
    def met(self) -> bool:
        return self.done >= self.required


@dataclass(frozen=True)
class RiskFlag:
    code: str
    message: str


@dataclass
class TraineeProgress:
    membership: CohortMembership
    sessions_attended: int = 0
    assignments_accepted: int = 0
    mentoring_hours: Decimal = Decimal("0")
    total_hours: Decimal = Decimal("0")
    hours_by_source: dict = field(default_factory=dict)
    last_mentoring_on: datetime.date | None = None
    rules: list[Rule] = field(default_factory=list)
    flags: list[RiskFlag] = field(default_factory=list)
    # The flags as codes and figures (what is stored), and when a clock-driven flag may next change.
    flag_facts: list[dict] = field(default_factory=list)
    valid_until: datetime.datetime | None = None

    @property
    def meets_all_rules(self) -> bool:
        return all(rule.met for rule in self.rules)

    @cached_property
    def percent(self) -> int:
        """Overall progress: the mean of the rules, each capped at done.

        Kept once computed: the overview sorts, buckets and shows a thousand trainees' figures per
        request from the cached entries, and the rules do not change after they are set.
        """
        counted = [rule for rule in self.rules if rule.required]
        if not counted:
            return 100
        return int(round(100 * sum(rule.fraction for rule in counted) / len(counted)))

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)


@dataclass
class CohortFacts:
    """What the progress of a cohort's trainees is computed from, read once."""

    hours: dict = field(default_factory=lambda: defaultdict(dict))  # trainee -> source -> hours
    last_mentoring: dict = field(default_factory=dict)  # trainee -> date
    required_items: list = field(default_factory=list)
    named: dict = field(default_factory=lambda: defaultdict(set))  # item -> membership ids
    attended_days: dict = field(default_factory=dict)  # (item, trainee) -> days present
    assignments: list = field(default_factory=list)
    submissions: dict = field(default_factory=lambda: defaultdict(set))  # (assignment, trainee) -> statuses
    labels: dict = field(default_factory=dict)  # rule key -> label, translated once per read, not per trainee


def cohort_facts(*, cohort: Cohort, trainee_ids=None) -> CohortFacts:
    """Read everything progress needs for a cohort (or some of its trainees) in six queries."""
    facts = CohortFacts()
    facts.labels = rule_labels()
    entries = HoursEntry.objects.filter(cohort=cohort)
    submissions = Submission.objects.filter(assignment__cohort=cohort)
    attendance = Attendance.objects.filter(schedule_item__cohort=cohort, present=True)
    if trainee_ids is not None:
        entries = entries.filter(trainee_id__in=trainee_ids)
        submissions = submissions.filter(trainee_id__in=trainee_ids)
        attendance = attendance.filter(trainee_id__in=trainee_ids)
    for row in (
        entries.annotate(bucket=Coalesce("corrects__source", "source"))
        .values("trainee_id", "bucket")
        .annotate(total=Sum("hours"), last=Max("occurred_on"))
        .order_by()
    ):
        facts.hours[row["trainee_id"]][row["bucket"]] = row["total"] or Decimal("0")
        if row["bucket"] == HoursSource.MENTORING and row["total"] and row["total"] > 0:
            facts.last_mentoring[row["trainee_id"]] = row["last"]
    facts.required_items = list(
        ScheduleItem.objects.filter(cohort=cohort, required=True)
        .exclude(status=ScheduleItemStatus.CANCELLED)
        .exclude(audience=Audience.MENTORS)
        .only("pk", "title", "title_en", "starts_at", "ends_at", "audience", "cohort_id")
    )
    for item_id, membership_id in ScheduleItem.participants.through.objects.filter(
        scheduleitem__cohort=cohort, scheduleitem__audience=Audience.NAMED
    ).values_list("scheduleitem_id", "cohortmembership_id"):
        facts.named[item_id].add(membership_id)
    for row in attendance.values("schedule_item_id", "trainee_id").annotate(days=Count("day")).order_by():
        facts.attended_days[(row["schedule_item_id"], row["trainee_id"])] = row["days"]
    facts.assignments = list(Assignment.objects.filter(cohort=cohort, required=True))
    for assignment_id, trainee_id, status in submissions.values_list("assignment_id", "trainee_id", "status"):
        facts.submissions[(assignment_id, trainee_id)].add(status)
    return facts


def rule_labels() -> dict:
    """The rules' labels in the active language, translated once per read, not per trainee."""
    return {
        "sessions": _("Required sessions attended"),
        "assignments": _("Assignments accepted"),
        "mentoring": _("Confirmed mentoring hours"),
        "hours": _("Credited hours"),
        "unit": _("h"),
    }


def progress_rules(*, programme, progress: TraineeProgress, labels: dict) -> list[Rule]:
    """The programme's completion rules against a trainee's counts and hours."""
    return [
        Rule(
            "sessions",
            labels["sessions"],
            Decimal(progress.sessions_attended),
            Decimal(programme.required_sessions),
        ),
        Rule(
            "assignments",
            labels["assignments"],
            Decimal(progress.assignments_accepted),
            Decimal(programme.required_assignments),
        ),
        Rule(
            "mentoring",
            labels["mentoring"],
            progress.mentoring_hours,
            programme.min_mentoring_hours,
            labels["unit"],
        ),
        Rule("hours", labels["hours"], progress.total_hours, programme.credit_hours, labels["unit"]),
    ]


def _concerns(item: ScheduleItem, membership: CohortMembership, facts: CohortFacts) -> bool:
    if item.audience == Audience.NAMED:
        return membership.pk in facts.named.get(item.pk, ())
    return True


def trainee_progress(
    *, cohort: Cohort, membership: CohortMembership, facts: CohortFacts, now: datetime.datetime
) -> TraineeProgress:
    """One trainee's numbers, rules and risk flags, from facts already read."""
    programme = cohort.programme
    today = timezone.localdate(now)
    trainee_id = membership.user_id
    hours = facts.hours.get(trainee_id, {})
    progress = TraineeProgress(membership=membership, hours_by_source=dict(hours))
    progress.mentoring_hours = hours.get(HoursSource.MENTORING, Decimal("0"))
    progress.total_hours = sum(hours.values(), Decimal("0"))
    progress.last_mentoring_on = facts.last_mentoring.get(trainee_id)
    missed = []
    # When a flag may next change by the clock alone: tomorrow (pace, mentoring gap) at the latest.
    changes = [_next_midnight(now)]
    for item in facts.required_items:
        if not _concerns(item, membership, facts):
            continue
        attended = facts.attended_days.get((item.pk, trainee_id), 0)
        if attended >= len(item.days):
            progress.sessions_attended += 1
        elif item.ends_at < now:
            missed.append(item)
        else:
            changes.append(item.ends_at)
    overdue = []
    for assignment in facts.assignments:
        statuses = facts.submissions.get((assignment.pk, trainee_id), set())
        if SubmissionStatus.ACCEPTED in statuses:
            progress.assignments_accepted += 1
        elif SubmissionStatus.SUBMITTED not in statuses:
            late_by = (now - assignment.due_at).days
            if late_by > cohort.risk_overdue_days:
                overdue.append((assignment, late_by))
                changes.append(assignment.due_at + datetime.timedelta(days=late_by + 1))  # one more day late
            else:
                changes.append(assignment.due_at + datetime.timedelta(days=cohort.risk_overdue_days + 1))
    progress.valid_until = min(changes)
    progress.rules = progress_rules(programme=programme, progress=progress, labels=facts.labels)
    if membership.status in FLAGGED_STATUSES and membership.role == MembershipRole.TRAINEE:
        progress.flag_facts = _flag_facts(cohort=cohort, progress=progress, missed=missed, overdue=overdue, today=today)
        titles = {("item", item.pk): item.localized_title for item in missed[:3]}
        titles.update({("assignment", assignment.pk): assignment.localized_title for assignment, _late in overdue})
        progress.flags = [risk_flag(fact, titles) for fact in progress.flag_facts]
    return progress


def _next_midnight(now: datetime.datetime) -> datetime.datetime:
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def _flag_facts(*, cohort: Cohort, progress: TraineeProgress, missed, overdue, today) -> list[dict]:
    """The risk flags as codes and figures, in the order they are shown; `risk_flag` words them."""
    facts = []
    if len(missed) >= cohort.risk_missed_sessions:
        facts.append({"code": "missed_session", "count": len(missed), "items": [item.pk for item in missed[:3]]})
    for assignment, late_by in overdue:
        facts.append({"code": "overdue_assignment", "assignment": assignment.pk, "days": late_by})
    gap = cohort.risk_mentoring_gap_days
    if cohort.programme.min_mentoring_hours and (today - cohort.starts_on).days > gap:
        last = progress.last_mentoring_on
        if last is None or (today - last).days > gap:
            facts.append({"code": "mentoring_gap", "days": gap})
    expected = round(100 * cohort.expected_fraction(today))
    if today > cohort.starts_on and expected - progress.percent > cohort.risk_pace_margin:
        facts.append({"code": "behind_pace", "done": progress.percent, "expected": expected})
    return facts


def flag_titles_needed(facts) -> tuple[set, set]:
    """(schedule item ids, assignment ids) whose titles these flag facts name."""
    items, assignments = set(), set()
    for fact in facts:
        items.update(fact.get("items", ()))
        if "assignment" in fact:
            assignments.add(fact["assignment"])
    return items, assignments


def risk_flag(fact: dict, titles: dict) -> RiskFlag:
    """A flag's message in the active language; `titles` maps ("item" | "assignment", id) to a title."""
    code = fact["code"]
    if code == "missed_session":
        names = "、".join(titles.get(("item", pk), "") for pk in fact["items"])
        message = _("Missed %(count)s required session(s): %(titles)s") % {"count": fact["count"], "titles": names}
    elif code == "overdue_assignment":
        message = _("“%(title)s” is overdue by %(days)s days") % {
            "title": titles.get(("assignment", fact["assignment"]), ""),
            "days": fact["days"],
        }
    elif code == "mentoring_gap":
        message = _("No credited mentoring hours in the last %(days)s days") % {"days": fact["days"]}
    else:
        message = _("Behind the expected pace: %(done)s%% done, %(expected)s%% expected by now") % {
            "done": fact["done"],
            "expected": fact["expected"],
        }
    return RiskFlag(code, message)


def cohort_progress(*, cohort: Cohort, memberships, now: datetime.datetime | None = None) -> dict[int, TraineeProgress]:
    """Progress of these trainee memberships of one cohort, keyed by membership id."""
    now = now or timezone.now()
    memberships = list(memberships)
    facts = cohort_facts(
        cohort=cohort, trainee_ids=[membership.user_id for membership in memberships] if len(memberships) < 50 else None
    )
    return {
        membership.pk: trainee_progress(cohort=cohort, membership=membership, facts=facts, now=now)
        for membership in memberships
    }
