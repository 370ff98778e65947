"""Tests: SQLite and eager Celery by default, PostgreSQL and Redis when given."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from config.env import env_str

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "optional"
YINGZI_STAFF_REQUIRE_2FA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
# Ordinary tests run tasks inline; the tests about delivery start a real worker
# on the Redis broker and switch eager mode off for themselves.
CELERY_TASK_ALWAYS_EAGER = True


def _redis_database_of_this_worker(url: str | None) -> str | None:
    """Parallel test workers (pytest-xdist's gw0, gw1, ...) each use a Redis database of their own.

    A test about delivery starts a real Celery worker on the broker; on a shared database it would take
    the other test worker's tasks and run them against the wrong test database. gw0 keeps REDIS_URL's
    database, gwN moves eight further on (modulo Redis's sixteen), so two workers never meet.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    # Processes the tests start inherit both variables and are handed their own REDIS_URL: move it once.
    if not url or not worker.startswith("gw") or os.environ.get("YINGZI_TEST_REDIS_MOVED"):
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    moved = urlunsplit(parts._replace(path=f"/{(database + 8 * int(worker[2:])) % 16}"))
    # The tests hand os.environ["REDIS_URL"] to the workers and fault processes they start.
    os.environ["REDIS_URL"] = moved
    os.environ["YINGZI_TEST_REDIS_MOVED"] = worker
    return moved


REDIS_URL = _redis_database_of_this_worker(env_str("REDIS_URL"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
YINGZI_TEST_REDIS_URL = REDIS_URL
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests must not depend on the hour they run at: nobody has quiet hours unless
# a test gives them (tests/notifications does, on a frozen clock).
NOTIFICATIONS_DEFAULT_QUIET_HOURS = None
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Submitted files go to a throwaway folder, never into the working tree.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "yingzi-test-media"
