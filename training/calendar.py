"""Calendar events from every app, for the personal and cohort iCalendar feeds.

Training owns the feeds, but mentorship sessions and event registrations
live in apps training must not import. Those apps register a provider in
their `AppConfig.ready()`; a provider returns `CalendarEvent`s for a person.

Updates keep the same UID and raise SEQUENCE so that calendar clients
update an entry instead of duplicating it; cancellations stay in the feed
with STATUS:CANCELLED.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable forever, e.g. "schedule-item-42@yingzi"
    sequence: int  # raised on every change the attendee should see
    summary: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    last_modified: datetime.datetime | None = None


Provider = Callable[..., Iterable[CalendarEvent]]
_PROVIDERS: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    """`provider(user=..., cohort=None)` yields the events that concern this person."""
    _PROVIDERS[name] = provider


def provider_names() -> list[str]:
    """The names of the registered calendar providers, in registration order."""
    return list(_PROVIDERS)


def events_for_person(*, user, cohort=None) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    for provider in _PROVIDERS.values():
        events.extend(provider(user=user, cohort=cohort))
    return sorted(events, key=lambda event: (str(event.start), event.uid))


def _utc(value):
    # UTC needs no VTIMEZONE block and every calendar client reads it right.
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC)
    return value


def render_ics(*, events: Iterable[CalendarEvent], name: str, method: str = "PUBLISH") -> bytes:
    """One VCALENDAR with one VEVENT per event."""
    calendar = Calendar()
    calendar.add("prodid", "-//Yingzi//Shadow training//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("summary", item.summary)
        event.add("dtstart", _utc(item.start))
        event.add("dtend", _utc(item.end))
        event.add("dtstamp", item.last_modified or datetime.datetime.now(tz=datetime.UTC))
        if item.last_modified:
            event.add("last-modified", item.last_modified)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
