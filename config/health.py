"""`GET /healthz`: are the database, the broker and the cache answering? Within two seconds, never a 500.

Staff also see how many e-mails are failing (retrying) and dead, which no
other probe shows.
"""

import logging
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
# The broker and the cache are asked at the same time, each for at most this long: a paused or
# unreachable Redis still lets the answer leave within two seconds.
REDIS_TIMEOUT = 0.8


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return DOWN
    return OK


def redis_status(url: str) -> str:
    try:
        client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:
        return DOWN
    return OK


def broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"  # the embedded default runs tasks in the request
    return redis_status(settings.CELERY_BROKER_URL)


def cache_status() -> str:
    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower():
        return "local"  # development and tests: in the process's memory
    location = cache["LOCATION"]
    return redis_status(location if isinstance(location, str) else location[0])


def delivery_counts() -> dict[str, int]:
    """E-mails failing and retrying, and those that gave up: for staff, who can retry them in the admin."""
    from notifications.selectors import delivery_problem_counts

    return delivery_problem_counts()


@never_cache
@require_GET
def healthz(request):
    with ThreadPoolExecutor(max_workers=2) as pool:
        broker = pool.submit(broker_status)
        cache = pool.submit(cache_status)
        checks = {"database": database_status(), "broker": broker.result(), "cache": cache.result()}
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
