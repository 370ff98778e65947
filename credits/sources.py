"""How other apps describe the activities behind ledger lines, so that each becomes a credit record.

Training credits hours for an event check-in, a studio activity or a contest to a
person's ledger without a cohort; the credit bank turns each such line into one
record. Only the app that owns the source object knows its title, the region that
issues its credit and its category, so each such app registers a describer in its
own `AppConfig.ready()`:

    from credits.sources import SourceDescription, register_source

    def describe_registrations(source_ids):
        # ledger source_id -> description; ids it does not know are left out
        return {registration.pk: SourceDescription(title=..., title_en=..., issuing_region_id=...,
                                                   category="exchange") for registration in ...}

    register_source("event", describe_registrations)

The key is the ledger's source (`training.models.HoursSource`: "event", "studio",
"contest"), which is also the record's kind. A describer takes a list of ledger
`source_id`s and answers in a fixed number of queries. A line whose source has no
describer, or whose describer leaves it out, makes no record: it stays in the ledger.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceDescription:
    title: str
    issuing_region_id: int
    title_en: str = ""
    # A `credits.models.CreditCategory` value; empty: the kind's default category.
    category: str = ""


Describer = Callable[[list[int]], dict[int, SourceDescription]]

_DESCRIBERS: dict[str, Describer] = {}


def register_source(source: str, describe: Describer) -> None:
    """Describe the ledger lines of this source (a `HoursSource` value) as credit records."""
    from .models import CreditKind

    if source not in CreditKind.values:
        raise ValueError(f"{source!r} is not a kind of credit record")
    _DESCRIBERS[source] = describe


def describer_for(source: str) -> Describer | None:
    return _DESCRIBERS.get(source)


def registered_sources() -> list[str]:
    return sorted(_DESCRIBERS)


def unregister_source(source: str) -> None:
    _DESCRIBERS.pop(source, None)
