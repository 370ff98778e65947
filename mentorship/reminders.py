"""Reminder finders, run by beat once an hour; the occasion key makes each one send once.

Each finder reads only its due window (logs and pairings that crossed the
three-day mark within the last week, check-ins due from a week ago to a week
ahead), through an index, and skips what it already handed over (a
`training.ReminderMark` per item, written in the same transaction as the
notifications). So an hour's run costs the same few queries however much
history the platform holds; the idempotency keys still make beat running
twice send each reminder once. A beat that stopped for more than the
look-back (a week) does not send the reminders that fell due meanwhile.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from notifications.reminders import DueReminder
from training.kinds import cohort_group_key
from training.reminders import reminder_marks_take

from .models import CheckIn, Pairing, PairingStatus, SessionLog, SessionLogStatus

LOG_CONFIRMATION_DAYS = 3
APPROVAL_DAYS = 3
CHECK_IN_NOTICE_DAYS = 7
# How far back a run looks for what fell due, should beat have stopped for a while.
LOOK_BACK = datetime.timedelta(days=7)


def _reminder(person, pairing: Pairing, **values) -> DueReminder:
    """A reminder with its link and cohort heading in the reader's language."""
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        return DueReminder(
            recipient=person,
            url=reverse("mentorship:pairing-detail", args=[pairing.pk]),
            group_key=cohort_group_key(pairing.cohort_id),
            group_label=pairing.cohort.localized_name,
            **values,
        )


def logs_awaiting_confirmation(now: datetime.datetime):
    """Logs the other party has left unconfirmed for three days."""
    due_by = now - datetime.timedelta(days=LOG_CONFIRMATION_DAYS)
    logs = {
        log.pk: log
        for log in SessionLog.objects.filter(
            status=SessionLogStatus.AWAITING, created_at__gt=due_by - LOOK_BACK, created_at__lte=due_by
        ).select_related("pairing__trainee", "pairing__mentor", "pairing__cohort", "author")
    }
    fresh = reminder_marks_take("mentorship.log-awaiting", dict.fromkeys(logs, f"{LOG_CONFIRMATION_DAYS}d"))
    for pk in fresh:
        log = logs[pk]
        pairing = log.pairing
        yield _reminder(
            pairing.trainee if log.author_id == pairing.mentor_id else pairing.mentor,
            pairing,
            kind="mentorship.session_log_reminder",
            target=log,
            occasion=f"log-{log.pk}-{LOG_CONFIRMATION_DAYS}d",
            context={"author": log.author.get_full_name(), "date": log.occurred_on.isoformat()},
        )


def pairings_awaiting_approval(now: datetime.datetime):
    """Proposed pairings whose trainee or mentor has not approved within three days."""
    due_by = now - datetime.timedelta(days=APPROVAL_DAYS)
    pairings = {
        pairing.pk: pairing
        for pairing in Pairing.objects.filter(
            status=PairingStatus.PROPOSED, created_at__gt=due_by - LOOK_BACK, created_at__lte=due_by
        )
        .select_related("trainee", "mentor", "cohort")
        .prefetch_related("approvals")
    }
    fresh = reminder_marks_take("mentorship.pairing-approval", dict.fromkeys(pairings, f"{APPROVAL_DAYS}d"))
    for pk in fresh:
        pairing = pairings[pk]
        approved = {approval.party for approval in pairing.approvals.all()}
        context = {"trainee": pairing.trainee.get_full_name(), "mentor": pairing.mentor.get_full_name()}
        for party, person in (("trainee", pairing.trainee), ("mentor", pairing.mentor)):
            if party not in approved:
                yield _reminder(
                    person,
                    pairing,
                    kind="mentorship.pairing_approval_reminder",
                    target=pairing,
                    occasion=f"pairing-{pairing.pk}-{party}",
                    context=context,
                )


def check_ins_due(now: datetime.datetime):
    """Follow-up check-ins due within a week and not yet held: remind the trainee and the mentor."""
    today = timezone.localdate(now)
    check_ins = {
        check_in.pk: check_in
        for check_in in CheckIn.objects.filter(
            held_on__isnull=True,
            due_on__gte=today - LOOK_BACK,
            due_on__lte=today + datetime.timedelta(days=CHECK_IN_NOTICE_DAYS),
        ).select_related("pairing__trainee", "pairing__mentor", "pairing__cohort")
    }
    fresh = reminder_marks_take("mentorship.check-in", dict.fromkeys(check_ins, "due"))
    for pk in fresh:
        check_in = check_ins[pk]
        for person in (check_in.pairing.trainee, check_in.pairing.mentor):
            yield _reminder(
                person,
                check_in.pairing,
                kind="mentorship.check_in_due",
                target=check_in,
                occasion=f"check-in-{check_in.pk}",
                context={"months": str(check_in.months_after), "date": check_in.due_on.isoformat()},
            )
