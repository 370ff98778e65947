"""Calendar events from every app, for the personal and cohort iCalendar feeds.

Training owns the feeds, but mentorship sessions and event registrations
live in apps training must not import. Those apps register a provider in
their `AppConfig.ready()`; a provider returns `CalendarEvent`s for a person.

Updates keep the same UID and raise SEQUENCE so that calendar clients
update an entry instead of duplicating it; cancellations stay in the feed
with STATUS:CANCELLED.

Calendar clients read a personal feed every few minutes, and it rarely changes: a rendered feed is
kept in the cache under the version tokens (`versioned`) that the providers name for the person
(`register_provider(..., tokens=...)`), and answered 304 when the client's copy is current. A
provider that names no tokens (lesson study), and what no token follows (a school renamed, a
check-in planned), shows within `FEED_SECONDS`, the feed's own max-age.
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from icalendar import Calendar, Event

import versioned

# How long a rendered feed is kept at most, and how long a calendar client may keep its copy.
FEED_SECONDS = 300


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
TokenNames = Callable[..., Iterable[str | None]]
_PROVIDERS: dict[str, Provider] = {}
_TOKENS: dict[str, TokenNames] = {}


def register_provider(name: str, provider: Provider, *, tokens: TokenNames | None = None) -> None:
    """`provider(user=..., cohort=None)` yields the events that concern this person;
    `tokens(user=..., cohort=None)` names the version tokens renewed whenever those events change."""
    _PROVIDERS[name] = provider
    if tokens is not None:
        _TOKENS[name] = tokens
    else:
        _TOKENS.pop(name, None)


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


@dataclass(frozen=True)
class RenderedFeed:
    """A feed as rendered once, with what conditional requests compare."""

    content: bytes
    etag: str
    rendered_at: datetime.datetime


def feed_token_names(*, user, cohort=None) -> list[str]:
    """The version tokens of everything the providers put in this person's feed (one query per provider at most)."""
    names = set()
    for tokens in _TOKENS.values():
        names.update(name for name in tokens(user=user, cohort=cohort) if name)
    return sorted(names)


def feed_rendered(*, user, name: str, cohort=None) -> RenderedFeed:
    """This person's feed (or their cohort's) in the active language: rendered once per change of what it shows,
    and at least every `FEED_SECONDS`."""
    key = versioned.key(
        f"training:calendar:{user.pk}:{cohort.pk if cohort else 'me'}",
        feed_token_names(user=user, cohort=cohort),
        get_language(),
    )
    found = cache.get(key)
    if found is None:
        content = render_ics(events=events_for_person(user=user, cohort=cohort), name=name)
        found = RenderedFeed(
            content=content,
            etag=hashlib.sha256(content).hexdigest()[:32],
            rendered_at=timezone.now().replace(microsecond=0),
        )
        cache.set(key, found, FEED_SECONDS)
    return found
