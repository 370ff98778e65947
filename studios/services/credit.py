"""Hours for lesson study: attending a lesson (on site or online) and leading a cycle, once each."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from training.models import HoursSource
from training.services import hours_credit

from ..models import Cycle, Lesson, Participation


def participation_credit(
    *, cycle: Cycle, person, kind: str, hours: Decimal, lesson: Lesson | None = None, recorded_by=None
) -> tuple[Participation, bool]:
    """Record a participation and credit its hours; a second one for the same lesson (or leading) changes nothing.

    Returns the participation and whether it is new.
    """
    if kind == Participation.Kind.LEADER:
        existing = Participation.objects.filter(cycle=cycle, person=person, kind=kind).first()
    else:
        existing = Participation.objects.filter(lesson=lesson, person=person).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                cycle=cycle, lesson=lesson, person=person, kind=kind, hours=hours, recorded_by=recorded_by
            )
    except IntegrityError:
        # A concurrent check-in or submission recorded it first; that one stands.
        lookup = {"cycle": cycle, "kind": kind} if kind == Participation.Kind.LEADER else {"lesson": lesson}
        return Participation.objects.get(person=person, **lookup), False
    day = timezone.localdate(lesson.starts_at) if lesson is not None else timezone.localdate()
    if hours > 0:
        hours_credit(
            trainee=person,
            hours=hours,
            source=HoursSource.STUDIO,
            occurred_on=day,
            source_object=participation,
            cohort=cycle.cohort,
        )
    return participation, True
