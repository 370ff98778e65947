"""Credit records made the way the platform makes them: a ledger line with a described source, or a certificate."""

import datetime
from decimal import Decimal

from credits.models import CreditRecord
from credits.sources import SourceDescription

# source_id -> description, read by the "studio" describer that `studio_source` registers for a test.
DESCRIPTIONS: dict[int, SourceDescription] = {}


def describe_test_studio(source_ids):
    return {pk: DESCRIPTIONS[pk] for pk in source_ids if pk in DESCRIPTIONS}


def activity(
    person,
    *,
    hours,
    issuer,
    on: datetime.date,
    category: str = "",
    title: str = "名师工作室教研活动",
    title_en: str = "",
):
    """A studio activity of `hours` issued by `issuer`: credited to the ledger, and so one credit record."""
    from tests.factories.training import ProgrammeFactory
    from training.models import HoursEntry, HoursSource
    from training.services import hours_credit

    # Any fresh row serves as the activity the hours came from.
    source = ProgrammeFactory()
    DESCRIPTIONS[source.pk] = SourceDescription(
        title=title, title_en=title_en, issuing_region_id=issuer.pk, category=category
    )
    entry = hours_credit(
        trainee=person, hours=Decimal(hours), source=HoursSource.STUDIO, occurred_on=on, source_object=source
    )
    assert isinstance(entry, HoursEntry)
    return CreditRecord.objects.get(source_id=entry.pk, corrects=None, kind="studio")


def rule_data(**overrides) -> dict:
    data = {
        "effective_from": datetime.date(2020, 1, 1),
        "hours_per_credit": {"programme": "10", "studio": "5", "event": "8"},
        "yearly_caps": {},
        "accepts": {},
    }
    data.update(overrides)
    return data
