"""Mentoring sessions, next meetings and check-ins in people's calendar feeds."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from training.calendar import CalendarEvent
from training.overview import cohort_token

from .models import CheckIn, SessionLog, SessionLogStatus
from .selectors import cohort_ids_paired_with

NEXT_MEETING_LENGTH = datetime.timedelta(hours=1)


def mentorship_events(*, user, cohort=None):
    """The sessions, next meetings and check-ins of the pairings this person is in."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = Q(pairing__trainee=user) | Q(pairing__mentor=user)
    logs = SessionLog.objects.filter(mine).select_related("pairing__trainee", "pairing__mentor", "pairing__host_school")
    check_ins = CheckIn.objects.filter(mine).select_related("pairing__trainee", "pairing__mentor")
    if cohort is not None:
        logs = logs.filter(pairing__cohort=cohort)
        check_ins = check_ins.filter(pairing__cohort=cohort)
    events = []
    for log in logs:
        pairing = log.pairing
        names = {"trainee": pairing.trainee.get_full_name(), "mentor": pairing.mentor.get_full_name()}
        events.append(
            CalendarEvent(
                uid=f"mentorship-session-{log.pk}@yingzi",
                sequence=log.revision,
                summary=_("Mentoring: %(trainee)s with %(mentor)s (%(kind)s)")
                % {**names, "kind": log.get_kind_display()},
                start=log.occurred_on,
                end=log.occurred_on + datetime.timedelta(days=1),
                location=pairing.host_school.localized_name,
                cancelled=log.status == SessionLogStatus.REJECTED,
            )
        )
        if log.next_meeting:
            events.append(
                CalendarEvent(
                    uid=f"mentorship-next-meeting-{log.pk}@yingzi",
                    sequence=log.revision,
                    summary=_("Next mentoring meeting: %(trainee)s with %(mentor)s") % names,
                    start=log.next_meeting,
                    end=log.next_meeting + NEXT_MEETING_LENGTH,
                    location=pairing.host_school.localized_name,
                )
            )
    for check_in in check_ins:
        pairing = check_in.pairing
        events.append(
            CalendarEvent(
                uid=f"mentorship-check-in-{check_in.pk}@yingzi",
                sequence=0,
                summary=_("Follow-up check-in (%(months)d months): %(trainee)s with %(mentor)s")
                % {
                    "months": check_in.months_after,
                    "trainee": pairing.trainee.get_full_name(),
                    "mentor": pairing.mentor.get_full_name(),
                },
                start=check_in.due_on,
                end=check_in.due_on + datetime.timedelta(days=1),
            )
        )
    return events


def mentorship_calendar_tokens(*, user, cohort=None):
    """The version tokens of `mentorship_events`: those of the pairings' cohorts, which pairings and session
    logs renew (`mentorship.renewals`)."""
    if cohort is not None:
        return [cohort_token(cohort.pk)]
    if not getattr(user, "is_authenticated", False):
        return []
    return [cohort_token(pk) for pk in cohort_ids_paired_with(user=user).distinct()]
