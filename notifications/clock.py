"""The one place this app reads the time, so that tests can stop the clock.

Services call `clock.now()` (never `timezone.now()` directly); the tests'
`frozen_clock` fixture replaces it to check quiet hours and digests at
chosen moments.
"""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()
