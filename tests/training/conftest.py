import datetime

import pytest
from django.utils import timezone

from training.overview import overview_invalidate
from training.pairings import register_pairing_source, unregister_pairing_source


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, whatever an earlier request switched to."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def pairings():
    """A stand-in for mentorship's pairing source: add (cohort, trainee, mentor) triples."""
    pairs = []

    def source(cohort_ids=None, trainee_ids=None, mentor_ids=None):
        for cohort_id, trainee_id, mentor_id in pairs:
            if cohort_ids is not None and cohort_id not in cohort_ids:
                continue
            if trainee_ids is not None and trainee_id not in trainee_ids:
                continue
            if mentor_ids is not None and mentor_id not in mentor_ids:
                continue
            yield (cohort_id, trainee_id, mentor_id)

    register_pairing_source("test", source)

    def pair(cohort, trainee, mentor):
        pairs.append((cohort.pk, trainee.pk, mentor.pk))
        overview_invalidate(cohort.pk)  # what every pairing source does when its pairings change

    yield pair
    unregister_pairing_source("test")


@pytest.fixture
def now():
    return timezone.now()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
