"""Reminder finders, swept by beat; the occasion key makes each one send once."""

import datetime

from django.urls import reverse
from django.utils import timezone

from notifications.reminders import DueReminder

from .models import CheckIn, Pairing, PairingStatus, SessionLog, SessionLogStatus

LOG_CONFIRMATION_DAYS = 3
APPROVAL_DAYS = 3
CHECK_IN_NOTICE_DAYS = 7


def logs_awaiting_confirmation(now: datetime.datetime):
    """Logs the other party has left unconfirmed for three days."""
    logs = SessionLog.objects.filter(
        status=SessionLogStatus.AWAITING, created_at__lte=now - datetime.timedelta(days=LOG_CONFIRMATION_DAYS)
    ).select_related("pairing__trainee", "pairing__mentor", "author")
    for log in logs.iterator(chunk_size=500):
        pairing = log.pairing
        yield DueReminder(
            recipient=pairing.trainee if log.author_id == pairing.mentor_id else pairing.mentor,
            kind="mentorship.session_log_reminder",
            target=log,
            occasion=f"log-{log.pk}-{LOG_CONFIRMATION_DAYS}d",
            context={"author": log.author.get_full_name(), "date": log.occurred_on.isoformat()},
            url=reverse("mentorship:pairing-detail", args=[pairing.pk]),
        )


def pairings_awaiting_approval(now: datetime.datetime):
    """Proposed pairings whose trainee or mentor has not approved within three days."""
    pairings = (
        Pairing.objects.filter(
            status=PairingStatus.PROPOSED, created_at__lte=now - datetime.timedelta(days=APPROVAL_DAYS)
        )
        .select_related("trainee", "mentor", "cohort")
        .prefetch_related("approvals")
    )
    for pairing in pairings.iterator(chunk_size=500):
        approved = {approval.party for approval in pairing.approvals.all()}
        context = {"trainee": pairing.trainee.get_full_name(), "mentor": pairing.mentor.get_full_name()}
        for party, person in (("trainee", pairing.trainee), ("mentor", pairing.mentor)):
            if party not in approved:
                yield DueReminder(
                    recipient=person,
                    kind="mentorship.pairing_approval_reminder",
                    target=pairing,
                    occasion=f"pairing-{pairing.pk}-{party}",
                    context=context,
                    url=reverse("mentorship:pairing-detail", args=[pairing.pk]),
                )


def check_ins_due(now: datetime.datetime):
    """Follow-up check-ins due within a week and not yet held: remind the trainee and the mentor."""
    today = timezone.localdate(now)
    check_ins = CheckIn.objects.filter(
        held_on__isnull=True, due_on__lte=today + datetime.timedelta(days=CHECK_IN_NOTICE_DAYS)
    ).select_related("pairing__trainee", "pairing__mentor")
    for check_in in check_ins.iterator(chunk_size=500):
        for person in (check_in.pairing.trainee, check_in.pairing.mentor):
            yield DueReminder(
                recipient=person,
                kind="mentorship.check_in_due",
                target=check_in,
                occasion=f"check-in-{check_in.pk}",
                context={"months": str(check_in.months_after), "date": check_in.due_on.isoformat()},
                url=reverse("mentorship:pairing-detail", args=[check_in.pairing_id]),
            )
