"""Settings shared by every environment. Nothing secret and no DEBUG here."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours first, so that our templates win over allauth's and Wagtail's.
    "accounts",
    "training",
    "credits",
    "mentorship",
    "contests",
    "studios",
    "announcements",
    "notifications",
    "cms",
    "dashboard",
    "regional",
    "demo",
    "api",
    # Serves the API documentation from its own bundled static files (no CDN).
    "ninja",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Django's widget templates, found by the project's template engine (FORM_RENDERER below).
    "django.forms",
]

MIDDLEWARE = [
    # First: the request id is on every response (cached pages too) and the log line times everything.
    "config.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    # A body larger than any upload is refused before anything reads it (with the headers above).
    "config.middleware.RequestSizeLimitMiddleware",
    # Control characters (NUL...) in a path, query string, form field or JSON body: 400 before any view.
    "config.middleware.ControlCharacterMiddleware",
    # Before sessions and users: an anonymous reader's public page comes from the cache untouched.
    "cms.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "api.middleware.ApiMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
# Forms and fields render through templates/forms/ (config.forms).
FORM_RENDERER = "config.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.inbox",
                "regional.context_processors.office",
            ],
        },
    }
]

# The embedded default is SQLite; production and CI set DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first (Django's recommendation): a stored PBKDF2 hash is rehashed with Argon2 at its owner's next sign-in.
# Argon2id at OWASP's parameters (19 MiB, t=2, p=1), not Django's 100 MiB and eight lanes, which queued every
# request behind fifty people signing in on two cores (accounts.hashers); older Argon2 hashes are rehashed too.
PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:home"

# --- Internationalisation: Chinese first, English complete --------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Dates per language: no US dates on English pages, ISO dates in Chinese lists (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

# --- Static and media ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Bodies are read only up to these sizes. Form fields beyond 2.5 MB are refused by Django before it reads
# them; files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file. A request announcing more than
# YINGZI_MAX_REQUEST_BYTES (five submission files of 10 MB and the form around them) is refused with 413 by
# config.middleware.RequestSizeLimitMiddleware before anything is read; the reverse proxy should say the same.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
YINGZI_MAX_REQUEST_BYTES = env_int("YINGZI_MAX_REQUEST_BYTES", 52 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Accounts (django-allauth) ------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Whether anyone may create an account; closed, people join through invitations only.
YINGZI_SIGNUP_OPEN = env_bool("YINGZI_SIGNUP_OPEN", True)
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[影子 Yingzi] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# allauth's defaults, written out so that they are visible and reviewed:
# five failed logins per address in five minutes, ten a minute per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# How many proxies in front of gunicorn append to X-Forwarded-For (allauth's setting; the API's limiter reads it
# too): 1 behind one nginx or load balancer, 0 when gunicorn faces the clients. See accounts.adapter.client_address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Yingzi 影子"
# Staff must have two-factor authentication before they use an admin.
YINGZI_STAFF_REQUIRE_2FA = env_bool("YINGZI_STAFF_REQUIRE_2FA", True)
# Everyone with power over other people's data (staff, editors, moderators, coordinators, regional admins, the
# joint office) needs two-factor authentication after sign-in (accounts.two_factor): on in production, off in
# the demo and local settings unless set. They keep working for the grace period, counted from the first
# request at which we found them without it, then are sent to set it up.
YINGZI_REQUIRE_2FA = env_bool("YINGZI_REQUIRE_2FA", False)
YINGZI_2FA_GRACE_DAYS = env_int("YINGZI_2FA_GRACE_DAYS", 7)

# --- Wagtail -------------------------------------------------------------------
WAGTAIL_SITE_NAME = "影子 Yingzi"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

# Ed25519 keys (JWK) that sign credentials: a JSON list, the first signs; retired public keys still verify.
# Empty: one key derived from SECRET_KEY. Rotation: credits/credentials.py, docs/credentials.md.
CREDENTIALS_SIGNING_KEYS = json.loads(env_str("YINGZI_CREDENTIAL_KEYS", "[]"))
CREDENTIALS_RETIRED_KEYS = json.loads(env_str("YINGZI_CREDENTIAL_RETIRED_KEYS", "[]"))
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are managed through allauth
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # documents pass through Wagtail's privacy checks
# No avatars from gravatar.com: they would send a hash of each editor's e-mail
# to a third party, and the admin's CSP (img-src 'self') blocks them anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a release check from the admin's dashboard (connect-src 'self' blocks it).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Cache: a real one, because allauth's rate limits are counted in it --------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery (Redis broker) -----------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A hung Redis must not hold a request for long: the outbox row is already
# committed and the sweeper sends it later, so give up on publishing quickly.
# kombu's own reconnect loop would add about four seconds of retries to a
# publish with Redis down; one quick retry is enough (tests/faults measures it).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "visibility_timeout": 3600,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_PUBLISH_RETRY = False
# No task runs unbounded: past the soft limit a task gets SoftTimeLimitExceeded (its transaction rolls back,
# the sweepers queue the work again), past the hard limit its worker process is replaced. Tasks that need
# longer (an enrolment import, a matching run, the daily digests) set their own limits in their tasks.py.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
# Beat only finds due rows and queues them; nothing waits in the broker for long.
CELERY_BEAT_SCHEDULE = {
    "sweep-deliveries": {"task": "notifications.tasks.sweep_deliveries_task", "schedule": 60.0},
    "send-due-reminders": {"task": "notifications.tasks.send_due_reminders_task", "schedule": 60.0},
    # Reminders counted in days (mentorship's) need no finer clock than an hour.
    "send-hourly-reminders": {
        "task": "notifications.tasks.send_due_reminders_task",
        "schedule": 3600.0,
        "kwargs": {"hourly": True},
    },
    "send-daily-digests": {"task": "notifications.tasks.send_daily_digests_task", "schedule": 60.0},
    # Work whose publication the broker missed (it was down at commit) is queued again when it is back.
    "sweep-enrolment-imports": {"task": "training.tasks.sweep_enrolment_imports_task", "schedule": 60.0},
    "sweep-matching-batches": {"task": "mentorship.tasks.sweep_matching_batches_task", "schedule": 60.0},
    "prune-idempotent-requests": {"task": "api.tasks.prune_idempotent_requests_task", "schedule": 3600.0},
    # Pages an editor scheduled (go-live and expiry times) within a minute of their time.
    "publish-scheduled-pages": {"task": "cms.tasks.publish_scheduled_pages_task", "schedule": 60.0},
    # Personal-data archives: queued again if the broker missed them, deleted once their link expired.
    "sweep-data-exports": {"task": "accounts.tasks.data_exports_sweep_task", "schedule": 300.0},
    # Announcements a sender scheduled, within a minute of their time.
    "send-due-announcements": {"task": "announcements.tasks.send_due_announcements_task", "schedule": 60.0},
    # Stored progress the clock made stale (every row at midnight: pace and mentoring gap move with the date),
    # or whose refresh the broker missed, recomputed before coordinators look: 00:01, 00:16, 00:31 ...
    "sweep-progress": {"task": "training.tasks.sweep_progress_task", "schedule": crontab(minute="1-59/15")},
}

# --- Personal data rights (PIPL) -------------------------------------------------
# How long the download link of a person's archive of their data works (Account → My data).
YINGZI_DATA_EXPORT_DAYS = env_int("YINGZI_DATA_EXPORT_DAYS", 7)
# --- Training --------------------------------------------------------------------
# The most hours the ledger credits one person for one day, across every source
# (session logs, attendance, assignments, events, studios, contests).
TRAINING_HOURS_DAILY_CAP = Decimal(env_str("TRAINING_HOURS_DAILY_CAP", "24"))

# --- Notifications ---------------------------------------------------------------
# Quiet hours of people who never chose their own (local time, TIME_ZONE):
# immediate e-mails falling in them wait until they end.
NOTIFICATIONS_DEFAULT_QUIET_HOURS = (datetime.time(22, 0), datetime.time(7, 0))
# E-mail that fails for a reason that may pass (SMTP down, 4xx) is retried by beat's sweeper, waiting
# 30 s, 1, 2, 4 ... minutes and then every 30 minutes, until it has failed for a day; then it is dead,
# visible to staff (Django admin, Wagtail's dashboard, /healthz) and can be retried from the admin.
NOTIFICATIONS_RETRY_BACKOFF = (datetime.timedelta(seconds=30), datetime.timedelta(minutes=30))
NOTIFICATIONS_RETRY_FOR = datetime.timedelta(hours=24)
# A row claimed this long ago and still sending is freed for another worker (its own worker died or
# stalled: it renews the claim on each row as it sends it, so it never sends a row it lost).
NOTIFICATIONS_STUCK_AFTER = datetime.timedelta(minutes=5)

# --- E-mail --------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "影子 Yingzi <noreply@yingzi.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers (see config.middleware) ----------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Every signed-in page reads its session: from the cache (one Redis read, no query), written through to
# the database, which stays the record (a cache that fails or forgets falls back to it). Sign-out deletes
# both; production's cache replays a deletion it missed during an outage when Redis answers again.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Pages may load only our own scripts, styles, images and fonts.
YINGZI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)
# Wagtail's and Django's admins use inline styles and scripts of their own.
YINGZI_CSP_ADMIN = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'self'"
)
YINGZI_CSP_ADMIN_PREFIXES = ("/cms-admin/", "/django-admin/")

# Every line names the request it was written in (config.observability); production writes JSON lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per request; production turns it on (runserver prints its own).
        "yingzi.request": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        # Wagtail's own background tasks log every run; their failures still show.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- API ------------------------------------------------------------------------
# Largest request body the API reads; a bulk enrolment of 10,000 rows is about 2 MB. Kept at or below
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), beyond which Django refuses to read a body at all.
YINGZI_API_MAX_BODY = env_int("YINGZI_API_MAX_BODY", 2_500_000)
# (requests, seconds) per client address and per token.
YINGZI_API_RATE_IP = (env_int("YINGZI_API_RATE_IP", 600), 60)
YINGZI_API_RATE_TOKEN = (env_int("YINGZI_API_RATE_TOKEN", 300), 60)
