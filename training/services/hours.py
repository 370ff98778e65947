"""The hours ledger (学时): credits, once per source object, and corrections.

Every app credits hours only through `hours_credit`; an entry is never edited,
a correction is a new line that offsets it.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from .. import events
from ..models import (
    Cohort,
    HoursEntry,
    HoursSource,
)


def hours_daily_cap() -> Decimal:
    """The most hours one person can be credited for one day, whatever the sources (a setting, 24 by default)."""
    return Decimal(getattr(settings, "TRAINING_HOURS_DAILY_CAP", "24"))


def hours_text(value) -> str:
    """Hours as people write them in a message: 20, 1.5 (never 20.0)."""
    value = Decimal(value).quantize(Decimal("0.1"))
    return formats.number_format(value if value != value.to_integral_value() else int(value))


def hours_credited_on(*, trainee_id: int, day: datetime.date) -> Decimal:
    """Net hours the ledger holds for a person on a day: credits of every source less corrections."""
    total = HoursEntry.objects.filter(trainee_id=trainee_id, occurred_on=day).aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


def hours_credited_elsewhere(*, trainee_id: int, day: datetime.date, source: str = HoursSource.MENTORING) -> Decimal:
    """Net hours a person holds on a day from every source but one (and that source's corrections).

    A source that keeps its own pending records (session logs) adds these to its own count, so the daily cap
    holds before anything reaches the ledger.
    """
    total = (
        HoursEntry.objects.filter(trainee_id=trainee_id, occurred_on=day)
        .exclude(source=source)
        .exclude(corrects__source=source)
        .aggregate(total=Sum("hours"))["total"]
    )
    return Decimal(total or 0)


def _within_daily_cap(*, trainee, day: datetime.date, hours: Decimal) -> None:
    """Refuse a credit that would give one person more hours on one day than a day can hold.

    The person's row is locked first, so two credits racing for the same day are counted one after the other.
    """
    if hours <= 0:
        return
    get_user_model().objects.select_for_update().filter(pk=trainee.pk).exists()
    cap = hours_daily_cap()
    credited = hours_credited_on(trainee_id=trainee.pk, day=day)
    if credited + hours > cap:
        raise ValidationError(
            _(
                "%(person)s cannot be credited %(hours)s more hours on %(day)s: "
                "%(credited)s are already credited and a day counts at most %(cap)s."
            )
            % {
                "person": trainee.get_full_name() or trainee.get_username(),
                "hours": hours_text(hours),
                "day": formats.date_format(day, "SHORT_DATE_FORMAT"),
                "credited": hours_text(credited),
                "cap": hours_text(cap),
            },
            code="daily_cap",
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
    a double click that repeats the call never counts hours twice. A credit
    that would take the person's day past the daily cap (every source
    together) is refused with a ValidationError and nothing is written.
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
            _within_daily_cap(trainee=trainee, day=occurred_on, hours=hours)
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
    """A correction is a new line that offsets the old one; entries are never edited.

    A correction that adds hours is held to the daily cap like any credit.
    """
    _within_daily_cap(trainee=entry.trainee, day=entry.occurred_on, hours=Decimal(hours))
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
