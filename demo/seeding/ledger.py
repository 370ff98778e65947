"""Summary hours of the demo's past years, credited as the ledger allows them: a few hours a day.

The ledger refuses more than a day can hold (TRAINING_HOURS_DAILY_CAP, all sources
together), so a term's summary of 36 hours is spread over the days before its last,
at most DEMO_HOURS_PER_DAY per source and day. The first line carries the source
object, which keeps seeding idempotent: seeding again finds it and adds nothing.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from training.models import HoursEntry
from training.services import hours_credit

DEMO_HOURS_PER_DAY = Decimal("4")


def summary_credit(*, trainee, hours, source: str, last_day: datetime.date, source_object, **fields) -> None:
    hours = Decimal(hours)
    already = HoursEntry.objects.filter(
        trainee=trainee,
        source=source,
        source_type=ContentType.objects.get_for_model(source_object),
        source_id=source_object.pk,
    ).exists()
    if already or hours <= 0:
        return
    day, first = last_day, True
    while hours > 0:
        share = min(hours, DEMO_HOURS_PER_DAY)
        hours_credit(
            trainee=trainee,
            hours=share,
            source=source,
            occurred_on=day,
            source_object=source_object if first else None,
            **fields,
        )
        hours -= share
        day -= datetime.timedelta(days=1)
        first = False
