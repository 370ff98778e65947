"""`GET /healthz`: are the database, the broker and the cache answering? Within two seconds, never a 500.

Staff also see how many e-mails are failing (retrying) and dead, which no
other probe shows.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "unavailable"
# Each Redis is asked for at most this long, the broker and the cache at the same time when they are two:
# a paused or unreachable Redis still lets the answer leave within two seconds.
REDIS_TIMEOUT = 0.8


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return DOWN
    return OK


# One client per address for the life of the process: a probe every few seconds reuses its connection
# instead of opening one (and starting threads) on each request. redis-py's clients are thread-safe.
_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def _client(url: str) -> redis.Redis:
    with _clients_lock:
        client = _clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
            _clients[url] = client
        return client


def redis_status(url: str) -> str:
    try:
        _client(url).ping()
    except Exception:
        return DOWN
    return OK


def broker_url() -> str | None:
    """The broker's address, or None when tasks run in the request (the embedded default)."""
    return None if settings.CELERY_TASK_ALWAYS_EAGER else settings.CELERY_BROKER_URL


def cache_url() -> str | None:
    """The cache's Redis, or None when the cache lives in the process's memory (development and tests)."""
    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower():
        return None
    location = cache["LOCATION"]
    return location if isinstance(location, str) else location[0]


def broker_status() -> str:
    url = broker_url()
    return "eager" if url is None else redis_status(url)


def cache_status() -> str:
    url = cache_url()
    return "local" if url is None else redis_status(url)


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _at_once(*checks):
    """Run the checks at the same time on two threads kept for the process, and give their answers in order."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")
    return [future.result() for future in [_pool.submit(check) for check in checks]]


def redis_statuses() -> tuple[str, str]:
    """(broker, cache). Both in one Redis (the default): one ping answers for both. Two: asked at the same time."""
    broker, cache = broker_url(), cache_url()
    if broker is not None and cache is not None and broker != cache:
        statuses = _at_once(broker_status, cache_status)
        return statuses[0], statuses[1]
    if broker is not None and broker == cache:
        status = redis_status(broker)
        return status, status
    return broker_status(), cache_status()


def delivery_counts() -> dict[str, int]:
    """E-mails failing and retrying, and those that gave up: for staff, who can retry them in the admin."""
    from notifications.selectors import delivery_problem_counts

    return delivery_problem_counts()


@never_cache
@require_GET
def healthz(request):
    broker, cache = redis_statuses()
    checks = {"database": database_status(), "broker": broker, "cache": cache}
    healthy = all(value != DOWN for value in checks.values())
    if checks["database"] == OK:
        try:
            user = request.user
            if user.is_authenticated and (user.is_staff or user.is_superuser):
                checks["deliveries"] = delivery_counts()
        except Exception:
            # The detail is for people; the probe's answer must not depend on it.
            logger.exception("Could not add the delivery counts to /healthz.")
    return JsonResponse(checks, status=200 if healthy else 503)


def robots_txt(request):
    """Crawlers may read the public pages, not the admins or personal pages."""
    from django.http import HttpResponse

    lines = [
        "User-agent: *",
        "Disallow: /cms-admin/",
        "Disallow: /django-admin/",
        "Disallow: /dashboard/",
        "Disallow: /accounts/",
        "Disallow: /site/registrations/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
