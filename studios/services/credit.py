"""Hours for lesson study: attending a lesson (on site or online) and leading a cycle, once each."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from training.models import HoursSource
from training.services import hours_credit
from training.services.hours import hours_credited_on, hours_daily_cap

from ..models import Cycle, Lesson, Participation


def _hours_that_fit(*, person, day, hours: Decimal) -> Decimal:
    """As many of these hours as the person's day still holds under the daily cap (every source together).

    The person's row is locked first, as the ledger does, so two credits for the same day count one after the
    other and the ledger's own cap check then always passes.
    """
    if hours <= 0:
        return hours
    get_user_model().objects.select_for_update().filter(pk=person.pk).exists()
    room = hours_daily_cap() - hours_credited_on(trainee_id=person.pk, day=day)
    return max(Decimal(0), min(hours, room))


def participation_credit(
    *, cycle: Cycle, person, kind: str, hours: Decimal, lesson: Lesson | None = None, recorded_by=None
) -> tuple[Participation, bool]:
    """Record a participation and credit its hours; a second one for the same lesson (or leading) changes nothing.

    The participation always stands (the attendance happened); a day already full credits only what fits under
    the daily cap, possibly nothing, and the participation keeps the hours actually credited. Returns the
    participation and whether it is new.
    """
    if kind == Participation.Kind.LEADER:
        existing = Participation.objects.filter(cycle=cycle, person=person, kind=kind).first()
    else:
        existing = Participation.objects.filter(lesson=lesson, person=person).first()
    if existing is not None:
        return existing, False
    day = timezone.localdate(lesson.starts_at) if lesson is not None else timezone.localdate()
    credited = _hours_that_fit(person=person, day=day, hours=Decimal(hours))
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                cycle=cycle, lesson=lesson, person=person, kind=kind, hours=credited, recorded_by=recorded_by
            )
    except IntegrityError:
        # A concurrent check-in or submission recorded it first; that one stands.
        lookup = {"cycle": cycle, "kind": kind} if kind == Participation.Kind.LEADER else {"lesson": lesson}
        return Participation.objects.get(person=person, **lookup), False
    if credited > 0:
        hours_credit(
            trainee=person,
            hours=credited,
            source=HoursSource.STUDIO,
            occurred_on=day,
            source_object=participation,
            cohort=cycle.cohort,
        )
    return participation, True
