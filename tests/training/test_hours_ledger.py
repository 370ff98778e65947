import datetime
from decimal import Decimal

import pytest

from training.models import HoursEntry, HoursSource
from training.selectors import hours_total_for_trainee
from training.services import hours_correct, hours_credit

pytestmark = pytest.mark.django_db


def test_crediting_the_same_source_twice_counts_once(world):
    source = world.cohort  # any row can be the source; mentorship passes a session log
    for _ in range(2):
        hours_credit(
            trainee=world.trainee,
            hours=Decimal("3.5"),
            source=HoursSource.MENTORING,
            occurred_on=datetime.date(2026, 11, 2),
            source_object=source,
            cohort=world.cohort,
        )
    assert HoursEntry.objects.count() == 1
    assert hours_total_for_trainee(trainee=world.trainee, cohort=world.cohort) == Decimal("3.5")


def test_a_correction_is_a_new_entry_and_the_original_is_untouched(world):
    entry = hours_credit(
        trainee=world.trainee,
        hours=Decimal("4"),
        source=HoursSource.ATTENDANCE,
        occurred_on=datetime.date(2026, 11, 2),
        source_object=world.cohort,
        cohort=world.cohort,
    )
    hours_correct(entry=entry, hours=Decimal("-1.5"), acting_user=world.coordinator, note="实际到场 2.5 小时")
    entry.refresh_from_db()
    assert entry.hours == Decimal("4")
    from accounts.audit import audit_entries_for

    (logged,) = audit_entries_for(instances=[entry])
    assert (logged.action, logged.user) == ("training.hours.correct", world.coordinator)
    assert HoursEntry.objects.count() == 2
    assert hours_total_for_trainee(trainee=world.trainee) == Decimal("2.5")


def test_an_unknown_source_is_refused(world):
    with pytest.raises(ValueError):
        hours_credit(trainee=world.trainee, hours=1, source="gift", occurred_on=datetime.date(2026, 1, 1))
    assert not HoursEntry.objects.exists()
