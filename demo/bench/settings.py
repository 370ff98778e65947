"""Production settings for the bench: real PostgreSQL and Redis, DEBUG off, no TLS on this machine.

The bench talks to gunicorn over plain HTTP on the loopback, so the
HTTPS-only parts (redirect, Secure cookies) are off; everything else is
production's. E-mail stays in the worker's memory.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "demo.bench.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
YINGZI_STAFF_REQUIRE_2FA = False
# The load test signs in as coordinators without authenticator apps, as the demo does.
YINGZI_REQUIRE_2FA = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# wrk sends thousands of requests a second from one address: the API's limits would measure 429s.
YINGZI_API_RATE_IP = (10**9, 60)
YINGZI_API_RATE_TOKEN = (10**9, 60)
# locust signs fifty people in from one address within seconds: allauth's per-address login limit
# would answer 429 to some of them and the load test would measure the limit, not the site.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "100000/m/ip", "login_failed": "100000/m/ip,100/300s/key"}  # noqa: F405
