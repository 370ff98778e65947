"""A person's dashboard, rendered once per change of what it shows and kept in the cache.

The dashboard is personal, so the public page cache cannot serve it, and
composing it costs up to twelve queries and most of the request's time. What it shows belongs either
to one of the person's cohorts (progress, schedule, assignments, pairings,
session logs, invitations, certificates), which the cohort overview's version
tokens already follow (`training.overview.cohort_token`, renewed as
`training.renewals`, `mentorship.renewals` and `dashboard.renewals` declare
and by bulk writes), or to the person alone (name, profile, groups, calendar
address), which the person token below follows.

The rendered body is kept with the stamp of all those tokens, so after a
write that changes it the kept body is no longer taken (`versioned.kept`).
What changes with the clock alone (an item starting or ending, an
assignment falling due, an invitation expiring) ends the entry's life at
that moment; no entry lives longer than `BODY_SECONDS`, which also bounds
what no signal follows (a host school renamed).

Staff and superusers see every cohort (`Cohort.objects.coordinated_by`), so
their dashboard is composed afresh each time.
"""

import datetime
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

import versioned
from mentorship.models import Pairing
from training.models import CohortMembership
from training.overview import cohort_token

BODY_SECONDS = 300


def person_token(user_id: int) -> str:
    """The name of the version token of what a dashboard shows of the person alone."""
    return f"dashboard-person:{user_id}"


def person_invalidate(user_id: int | None) -> None:
    """Forget this person's cached dashboard now and again when the transaction commits (`versioned.renew`)."""
    if user_id is not None:
        versioned.renew(person_token(user_id))


def dashboard_body_slot(user) -> tuple[str, list[str]] | None:
    """Where this person's dashboard body is kept and the tokens it is kept under, or None when it is not cached.

    One slot per person, language, time zone and day: `versioned.kept` reads it with the tokens in
    one round trip, and a body kept under older tokens is simply not taken.
    """
    if user.is_staff or user.is_superuser:
        return None
    names = [person_token(user.pk), *(cohort_token(pk) for pk in _cohort_ids(user.pk))]
    zone = timezone.get_current_timezone_name()
    return f"dashboard:body:{user.pk}:{get_language()}:{zone}:{timezone.localdate()}", names


def _cohort_ids(user_id: int) -> list[int]:
    """The cohorts of every membership (any role or status) and every pairing (mentor or trainee) of the person.

    Written as SQL: read on every visit, cached or not, and the ORM spent longer composing this union than
    the database running it.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT cohort_id FROM "{CohortMembership._meta.db_table}" WHERE user_id = %s
            UNION SELECT cohort_id FROM "{Pairing._meta.db_table}" WHERE trainee_id = %s OR mentor_id = %s
            ORDER BY 1""",  # noqa: S608 -- table names from the models, values as parameters
            [user_id, user_id, user_id],
        )
        return [row[0] for row in cursor.fetchall()]


def body_seconds(moments: Iterable[datetime.datetime | None], now: datetime.datetime) -> int:
    """How long a body may be kept: until the next of these moments passes, and never beyond BODY_SECONDS."""
    seconds = BODY_SECONDS
    for moment in moments:
        if moment is not None and moment > now:
            seconds = min(seconds, int((moment - now).total_seconds()) + 1)
    return max(seconds, 1)
