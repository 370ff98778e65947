"""Reminder finders, run by beat every minute through `notifications.reminders`.

Each finder looks only at what has not been handed over yet (a `ReminderMark`
per item and occasion, written in the same transaction as the notifications),
so a minute's run costs a few queries however many reminders went out before.
The occasion key in notifications makes each reminder send once even if a
finder ran twice.
"""

import datetime
from collections import defaultdict

from django.utils import timezone, translation

from notifications.reminders import DueReminder

from .models import (
    Assignment,
    Cohort,
    CohortMembership,
    CohortStatus,
    MembershipRole,
    MembershipStatus,
    ReminderMark,
    ScheduleItem,
    ScheduleItemStatus,
    Submission,
    SubmissionStatus,
)

DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 8


def reminder_marks_take(key: str, candidates: dict[int, str]) -> dict[int, str]:
    """Of {target id: occasion}, those not handed over yet; marks them as handed over (mentorship's finders too)."""
    if not candidates:
        return {}
    done = set(
        ReminderMark.objects.filter(key=key, target_id__in=list(candidates)).values_list("target_id", "occasion")
    )
    fresh = {pk: occasion for pk, occasion in candidates.items() if (pk, occasion) not in done}
    ReminderMark.objects.bulk_create(
        [ReminderMark(key=key, target_id=pk, occasion=occasion) for pk, occasion in fresh.items()],
        ignore_conflicts=True,
    )
    return fresh


def _localized(person, build):
    with translation.override(person.preferred_language or "zh-hans"):
        return build()


def _schedule_reminders(now, *, key: str, kind: str, start_after, start_before):
    from .services.schedule import schedule_item_message_context, schedule_item_recipients

    items = {
        item.pk: item
        for item in ScheduleItem.objects.filter(
            status=ScheduleItemStatus.SCHEDULED, starts_at__gt=start_after, starts_at__lte=start_before
        ).select_related("cohort")
    }
    fresh = reminder_marks_take(key, {pk: item.starts_at.isoformat() for pk, item in items.items()})
    for pk, occasion in fresh.items():
        item = items[pk]
        for person in schedule_item_recipients(item):
            yield DueReminder(
                recipient=person,
                kind=kind,
                target=item,
                occasion=occasion,
                context=_localized(person, schedule_item_message_context(item)),
                url=_localized(person, lambda item=item: _url("training:schedule-item-detail", item_id=item.pk)),
            )


def _url(name: str, **kwargs) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


def schedule_tomorrow(now: datetime.datetime):
    """People concerned by an item starting within a day (and more than an hour away)."""
    yield from _schedule_reminders(
        now,
        key="schedule-day",
        kind="training.schedule_reminder_day",
        start_after=now + datetime.timedelta(hours=1),
        start_before=now + datetime.timedelta(days=1),
    )


def schedule_within_the_hour(now: datetime.datetime):
    """People concerned by an item starting within the hour."""
    yield from _schedule_reminders(
        now,
        key="schedule-hour",
        kind="training.schedule_reminder_hour",
        start_after=now,
        start_before=now + datetime.timedelta(hours=1),
    )


def _trainees_without_submission(assignment: Assignment) -> list:
    done = Submission.objects.filter(
        assignment=assignment, status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED]
    ).values("trainee_id")
    return [
        membership.user
        for membership in CohortMembership.objects.filter(
            cohort_id=assignment.cohort_id,
            role=MembershipRole.TRAINEE,
            status__in=[MembershipStatus.ACCEPTED, MembershipStatus.ACTIVE],
        )
        .exclude(user_id__in=done)
        .select_related("user")
    ]


def _assignment_reminders(now, *, key: str, kind: str, due_after, due_before):
    assignments = {
        assignment.pk: assignment
        for assignment in Assignment.objects.filter(due_at__gt=due_after, due_at__lte=due_before).select_related(
            "cohort"
        )
    }
    fresh = reminder_marks_take(key, {pk: assignment.due_at.isoformat() for pk, assignment in assignments.items()})
    for pk, occasion in fresh.items():
        assignment = assignments[pk]
        for person in _trainees_without_submission(assignment):
            yield DueReminder(
                recipient=person,
                kind=kind,
                target=assignment,
                occasion=occasion,
                context=_localized(
                    person,
                    lambda assignment=assignment: {
                        "title": assignment.localized_title,
                        "cohort": assignment.cohort.localized_name,
                        "when": f"{timezone.localtime(assignment.due_at):%Y-%m-%d %H:%M}",
                    },
                ),
                url=_localized(
                    person,
                    lambda assignment=assignment: _url("training:assignment-detail", assignment_id=assignment.pk),
                ),
            )


def assignment_due_in_two_days(now: datetime.datetime):
    """Trainees who have not submitted an assignment due within two days."""
    yield from _assignment_reminders(
        now,
        key="assignment-due",
        kind="training.assignment_due_soon",
        due_after=now,
        due_before=now + datetime.timedelta(days=2),
    )


def assignment_overdue(now: datetime.datetime):
    """Trainees who have not submitted an assignment whose due time has just passed."""
    # Only recently passed due dates: a new deployment must not remind about last year's work.
    yield from _assignment_reminders(
        now,
        key="assignment-overdue",
        kind="training.assignment_overdue",
        due_after=now - datetime.timedelta(days=3),
        due_before=now,
    )


def at_risk_weekly_digest(now: datetime.datetime):
    """Every Monday morning, each coordinator hears which of their trainees are at risk and why."""
    from .selectors import cohort_overview

    local = timezone.localtime(now)
    if local.weekday() != DIGEST_WEEKDAY or local.hour < DIGEST_HOUR:
        return
    year, week, _day = local.isocalendar()
    occasion = f"{year}-W{week:02d}"
    cohorts = {
        cohort.pk: cohort for cohort in Cohort.objects.filter(status=CohortStatus.ACTIVE).select_related("programme")
    }
    fresh = reminder_marks_take("at-risk-digest", dict.fromkeys(cohorts, occasion))
    for pk in fresh:
        cohort = cohorts[pk]
        coordinators = [
            membership.user
            for membership in CohortMembership.objects.filter(
                cohort=cohort, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
            ).select_related("user")
        ]
        by_language = defaultdict(list)
        for person in coordinators:
            by_language[person.preferred_language or "zh-hans"].append(person)
        for language, people in by_language.items():
            with translation.override(language):
                for person in people:
                    rows = list(cohort_overview(acting_user=person, cohort=cohort, flagged=True, sort="flags"))
                    if not rows:
                        continue
                    lines = [
                        f"· {row.membership.user.get_full_name()}: "
                        + "；".join(flag.message for flag in row.progress.flags)
                        for row in rows[:40]
                    ]
                    if len(rows) > 40:
                        lines.append("…")
                    yield DueReminder(
                        recipient=person,
                        kind="training.at_risk_digest",
                        target=cohort,
                        occasion=occasion,
                        context={"cohort": cohort.localized_name, "count": len(rows), "message": "\n".join(lines)},
                        url=_url("dashboard:cohort-overview", cohort_id=cohort.pk) + "?flagged=1",
                    )


FINDERS = {
    "training-schedule-tomorrow": schedule_tomorrow,
    "training-schedule-hour": schedule_within_the_hour,
    "training-assignment-due": assignment_due_in_two_days,
    "training-assignment-overdue": assignment_overdue,
    "training-at-risk-digest": at_risk_weekly_digest,
}
