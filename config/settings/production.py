"""Production: refuses to start without its secrets, HTTPS everywhere."""

import copy

import dj_database_url

from config.env import env_bool, env_float, env_int, env_required, env_str

from .base import *  # noqa: F403

SECRET_KEY = env_required("DJANGO_SECRET_KEY", "signs sessions, links and tokens")
ALLOWED_HOSTS = [
    host.strip()
    for host in env_required("DJANGO_ALLOWED_HOSTS", "the comma-separated host names this site answers to").split(",")
    if host.strip()
]
DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL", "PostgreSQL, for example postgres://user:pass@db:5432/yingzi"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
REDIS_URL = env_required("REDIS_URL", "the Celery broker, for example redis://redis:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
# The cache may live in a Redis of its own (no persistence, evicting); by default it shares the broker's.
CACHE_URL = env_str("CACHE_URL") or REDIS_URL
# A cache that fails or hangs slows pages down but never breaks them (config.cache, docs/architecture.md
# "When Redis fails"): reads miss, writes wait for Redis to return, rate limits count in the process.
CACHES = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {
            "socket_timeout": env_float("CACHE_SOCKET_TIMEOUT", 1.0),
            "socket_connect_timeout": env_float("CACHE_SOCKET_TIMEOUT", 1.0),
            "FAIL_FAST_SECONDS": env_float("CACHE_FAIL_FAST_SECONDS", 10.0),
            # allauth's rate limits and used TOTP codes, the API's rate limits.
            "LOCAL_FALLBACK_PREFIXES": ["allauth", "api-rate:"],
        },
    }
}

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
YINGZI_STAFF_REQUIRE_2FA = True
YINGZI_REQUIRE_2FA = env_bool("YINGZI_REQUIRE_2FA", True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per log line, each naming its request (config.observability), and one line per request.
LOGGING = copy.deepcopy(LOGGING)  # noqa: F405 (base's dict stays as it was)
LOGGING["handlers"]["console"]["formatter"] = "json"
LOGGING["loggers"]["yingzi.request"] = {"level": "INFO"}

# Error reports only when a DSN is given; personal data never leaves (config.observability.scrub_event).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from config.observability import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE"),
    )
