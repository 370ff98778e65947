"""When an e-mail may leave: quiet hours and the daily digest.

Times are wall-clock times in the site's time zone (Asia/Shanghai): the
programme's people all live in it, and "22:00 to 07:00" means what it says
for them.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from .models import DEFAULT_QUIET_END, DEFAULT_QUIET_START

# The daily digest leaves at this local time (later if quiet hours say so).
DIGEST_TIME = datetime.time(8, 0)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=_zone())


def quiet_hours_end(
    now: datetime.datetime, *, enabled: bool = True, start=DEFAULT_QUIET_START, end=DEFAULT_QUIET_END
) -> datetime.datetime | None:
    """The moment quiet hours end if `now` falls inside them, else None."""
    if not enabled or start == end:
        return None
    local = now.astimezone(_zone())
    moment = local.time()
    today = local.date()
    if start < end:  # e.g. 12:00-14:00, within one day
        return _at(today, end) if start <= moment < end else None
    if moment >= start:  # e.g. 23:30 with 22:00-07:00: quiet until tomorrow morning
        return _at(today + datetime.timedelta(days=1), end)
    if moment < end:  # e.g. 05:00 with 22:00-07:00
        return _at(today, end)
    return None


def next_digest_at(now: datetime.datetime) -> datetime.datetime:
    """The next daily digest moment strictly after `now`."""
    local = now.astimezone(_zone())
    candidate = _at(local.date(), DIGEST_TIME)
    if candidate <= local:
        candidate = _at(local.date() + datetime.timedelta(days=1), DIGEST_TIME)
    return candidate


def local_day(now: datetime.datetime) -> datetime.date:
    return now.astimezone(_zone()).date()
