"""Settings of the Celery workers the fault tests start: the test database, a spare Redis, real SMTP."""

import json
import os

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["REDIS_URL"]
EMAIL_BACKEND = "tests.faults.mail.GatedSMTPBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["FAULTS_SMTP_PORT"])
EMAIL_TIMEOUT = 5
# A whole worker that dies leaves its message unacknowledged in Redis; a
# short visibility timeout lets the restarted worker take it back in seconds.
# kombu 5.7 sweeps for such messages every unacked_restore_interval x
# unacked_restore_throttle seconds (10 x 10 by default): make it every second.
CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
# A test may shorten the waits between retries of failed e-mails ("first,longest" in seconds).
if os.environ.get("FAULTS_RETRY_BACKOFF"):
    import datetime

    _first, _longest = (float(part) for part in os.environ["FAULTS_RETRY_BACKOFF"].split(","))
    NOTIFICATIONS_RETRY_BACKOFF = (datetime.timedelta(seconds=_first), datetime.timedelta(seconds=_longest))
# Production's cache backend and options, in the test's Redis (the tests' `production_cache`).
if os.environ.get("FAULTS_CACHE"):
    CACHES = {"default": json.loads(os.environ["FAULTS_CACHE"])}
