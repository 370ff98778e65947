"""The hours ledger (学时): credits, once per source object, and corrections.

Every app credits hours only through `hours_credit`; an entry is never edited,
a correction is a new line that offsets it.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from accounts.audit import audit_log

from .. import events
from ..models import (
    Cohort,
    HoursEntry,
    HoursSource,
)


def hours_credit(
    *,
    trainee,
    hours: Decimal,
    source: str,
    occurred_on: datetime.date,
    source_object=None,
    cohort: Cohort | None = None,
    credited_by=None,
    note: str = "",
) -> HoursEntry:
    """Credit hours to a trainee's ledger, once per source object.

    Crediting the same source again returns the existing entry, so a task or
    a double click that repeats the call never counts hours twice.
    """
    if source not in HoursSource.values:
        raise ValueError(f"Unknown hours source {source!r}")
    hours = Decimal(hours)
    source_type = ContentType.objects.get_for_model(source_object) if source_object is not None else None
    source_id = source_object.pk if source_object is not None else None
    if source_object is not None:
        existing = HoursEntry.objects.filter(
            trainee=trainee, source=source, source_type=source_type, source_id=source_id
        ).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            entry = HoursEntry.objects.create(
                trainee=trainee,
                cohort=cohort,
                source=source,
                hours=hours,
                occurred_on=occurred_on,
                source_type=source_type,
                source_id=source_id,
                credited_by=credited_by,
                note=note,
            )
    except IntegrityError:
        # A concurrent call credited the same source first; that entry stands.
        return HoursEntry.objects.get(trainee=trainee, source=source, source_type=source_type, source_id=source_id)
    events.hours_credited.send(sender=HoursEntry, entry=entry)
    return entry


@transaction.atomic
def hours_correct(*, entry: HoursEntry, hours: Decimal, acting_user, note: str) -> HoursEntry:
    """A correction is a new line that offsets the old one; entries are never edited."""
    correction = HoursEntry.objects.create(
        trainee=entry.trainee,
        cohort=entry.cohort,
        source=HoursSource.CORRECTION,
        hours=Decimal(hours),
        occurred_on=entry.occurred_on,
        corrects=entry,
        credited_by=acting_user,
        note=note,
    )
    events.hours_credited.send(sender=HoursEntry, entry=correction)
    audit_log(
        instance=entry,
        action="training.hours.correct",
        acting_user=acting_user,
        data={
            "cohort_id": entry.cohort_id,
            "correction_id": correction.pk,
            "hours": str(correction.hours),
            "note": note,
        },
    )
    return correction
