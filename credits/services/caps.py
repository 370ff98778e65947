"""Credits counted against a region's yearly caps, under a lock on each person.

Two decisions at once cannot both take the last credits of a year: whoever
counts locks the people first (`people_lock`), then reads each total once per
transaction (`YearTotals`).
"""

from decimal import Decimal

from django.db.models import Q, Sum

from accounts.models import User

from ..arithmetic import convert, grant
from ..models import DEFAULT_HOURS_PER_CREDIT, CreditRecord, Recognition, RecognitionStatus

ZERO = Decimal("0")


class YearTotals:
    """Credits already counted per (person, region, year, category), read once per key in a transaction."""

    def __init__(self):
        self.totals = {}

    def year(self, *, person_id, region_id, year, category) -> Decimal:
        key = (person_id, region_id, year, category)
        if key not in self.totals:
            self.totals[key] = (
                Recognition.objects.filter(
                    person_id=person_id,
                    region_id=region_id,
                    year=year,
                    category=category,
                    status__in=RecognitionStatus.counted(),
                ).aggregate(total=Sum("credits"))["total"]
                or ZERO
            )
        return self.totals[key]

    def add(self, recognition: Recognition) -> None:
        key = (recognition.person_id, recognition.region_id, recognition.year, recognition.category)
        self.totals[key] = (
            self.year(
                person_id=recognition.person_id,
                region_id=recognition.region_id,
                year=recognition.year,
                category=recognition.category,
            )
            + recognition.credits
        )


def people_lock(person_ids) -> None:
    list(User.objects.select_for_update().filter(pk__in=sorted(set(person_ids))).values_list("pk", flat=True))


def recognition_fields(
    record: CreditRecord, *, region_id: int, rule, counter: YearTotals, hours_per_credit=None
) -> dict:
    """The recognition fields of `record` in a region under `rule` (or the platform default)."""
    if hours_per_credit is None:
        hours_per_credit = rule.conversion(record.kind) if rule else DEFAULT_HOURS_PER_CREDIT
    converted = convert(record.hours, hours_per_credit)
    held = ZERO
    if record.corrects_id:
        held = (
            Recognition.objects.filter(
                Q(record_id=record.corrects_id) | Q(record__corrects_id=record.corrects_id),
                region_id=region_id,
                status__in=RecognitionStatus.counted(),
            ).aggregate(total=Sum("credits"))["total"]
            or ZERO
        )
    credits = grant(
        converted,
        cap=rule.cap(record.category) if rule else None,
        counted_this_year=counter.year(
            person_id=record.person_id, region_id=region_id, year=record.occurred_on.year, category=record.category
        ),
        counted_for_record=held,
    )
    return {"rule": rule, "hours_per_credit": hours_per_credit, "credits_converted": converted, "credits": credits}
