"""Tests: SQLite and eager Celery by default, PostgreSQL and Redis when given."""

import tempfile
from pathlib import Path

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
YINGZI_TEST_REDIS_URL = env_str("REDIS_URL")
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
