"""Reminders: beat asks every registered finder what is due and notifies once.

Domain apps register a finder in `AppConfig.ready()`. A finder takes the
current time and yields `DueReminder`s; the `occasion` makes each one unique
(e.g. "day-before" or "due-2026-12-01"), so running beat twice, or two beat
processes by mistake, sends each reminder once. Nothing waits in the broker
with a long ETA: due things are found in the database every run.

Finders run every minute unless registered `hourly=True`: reminders counted
in days (a log unconfirmed for three days, a check-in within a week) need no
finer clock, and beat runs those once an hour
(`send_due_reminders_task(hourly=True)`).
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from .services import notification_send

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueReminder:
    recipient: object
    kind: str
    target: object
    occasion: str
    context: dict = field(default_factory=dict)
    url: str = ""
    group_key: str = ""
    group_label: str = ""


Finder = Callable[[datetime.datetime], Iterable[DueReminder]]
_FINDERS: dict[str, Finder] = {}
_HOURLY: set[str] = set()


def register_reminder(key: str, finder: Finder, *, hourly: bool = False) -> None:
    _FINDERS[key] = finder
    if hourly:
        _HOURLY.add(key)
    else:
        _HOURLY.discard(key)


def reminder_keys() -> dict[str, bool]:
    """Each registered reminder's key, and whether it runs hourly."""
    return {key: key in _HOURLY for key in _FINDERS}


def reminders_send_due(*, now: datetime.datetime, hourly: bool | None = None) -> int:
    """Run the finders (all, or only the hourly or the every-minute ones); each reminder is sent exactly once."""
    sent = 0
    for key, finder in sorted(_FINDERS.items()):
        if hourly is not None and (key in _HOURLY) != hourly:
            continue
        try:
            with transaction.atomic():
                for due in finder(now):
                    notification_send(
                        recipient=due.recipient,
                        kind=due.kind,
                        target=due.target,
                        occasion=f"reminder:{key}:{due.occasion}",
                        context=due.context,
                        url=due.url,
                        group_key=due.group_key,
                        group_label=due.group_label,
                    )
                    sent += 1
        except Exception:
            # One broken finder must not stop the others; beat runs again next minute.
            logger.exception("Reminder finder %s failed", key)
    return sent
