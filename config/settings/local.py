"""The embedded default: SQLite, Celery tasks inline, e-mail to the console."""

from config.env import env_str

from .base import *  # noqa: F403
from .base import REDIS_URL

DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-only-key-do-not-deploy")  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
YINGZI_STAFF_REQUIRE_2FA = False
# With no Redis, tasks run in the request once it commits.
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
