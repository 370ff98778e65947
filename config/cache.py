"""The production cache: Django's Redis cache, made to slow the site down instead of stopping it when Redis fails.

Every page reads the cache (the anonymous page cache, Wagtail's site lookup,
overviews, dashboards) and allauth and the API count their rate limits in
it, so a cache that raises turns every page into a 500. This backend is
`django.core.cache.backends.redis.RedisCache` with each operation guarded:

- Redis errors and timeouts never leave the cache. A read misses (the page
  is computed afresh), a write is dropped.
- Writes that never expire (the version tokens of overviews and dashboards,
  the public pages' generation) and deletions are remembered in the process
  and made when Redis answers again, so that what changed during the outage
  is not served stale afterwards. At most `LOST_WRITES_KEPT` are kept; the
  entries they protect expire within minutes anyway.
- Keys that begin with one of `LOCAL_FALLBACK_PREFIXES` (allauth's rate
  limits and used TOTP codes, the API's limits) are kept in this process's
  memory meanwhile: limits go on counting per process (so a little looser),
  sign-in and two-factor codes keep working, and nothing fails closed.
- After an error, calls skip Redis for `FAIL_FAST_SECONDS`, so that one
  request per process and window waits for a socket timeout, not every one.
  The first call after the window tries Redis again: recovery needs nothing.

Options (`CACHES["default"]["OPTIONS"]`): `FAIL_FAST_SECONDS` and
`LOCAL_FALLBACK_PREFIXES` are ours; everything else goes to redis-py's
connection pool as Django documents (`socket_timeout`, `socket_connect_timeout`).
"""

import logging
import threading
import time
from collections import OrderedDict
from urllib.parse import urlsplit

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Socket errors usually arrive wrapped as redis-py's ConnectionError, but not always.
REDIS_ERRORS = (redis.exceptions.RedisError, OSError)
LOST_WRITES_KEPT = 1000
DEFAULT_FAIL_FAST_SECONDS = 10.0
DEFAULT_SOCKET_TIMEOUT = 1.0


class _Outage:
    """What one process knows about one Redis: until when to leave it alone, and the writes it could not make."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.down = False
        self.lost: OrderedDict[tuple, tuple] = OrderedDict()


_OUTAGES: dict[str, _Outage] = {}
_OUTAGES_LOCK = threading.Lock()


def _outage_for(location: str) -> _Outage:
    # Django makes a cache instance per thread; what they learn of an outage is shared by the process.
    with _OUTAGES_LOCK:
        return _OUTAGES.setdefault(location, _Outage())


def _redacted(location: str) -> str:
    """The address for logs, without a password."""
    parts = urlsplit(location.split(",")[0])
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.fail_fast_seconds = float(options.pop("FAIL_FAST_SECONDS", DEFAULT_FAIL_FAST_SECONDS))
        self.local_prefixes = tuple(options.pop("LOCAL_FALLBACK_PREFIXES", ()))
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        super().__init__(server, {**params, "OPTIONS": options})
        location = server if isinstance(server, str) else ",".join(server)
        self.address = _redacted(location)
        self._outage = _outage_for(location)
        # LocMemCache instances with the same name share one store, so every thread sees the same counters.
        self._local = LocMemCache(
            f"resilient-fallback:{location}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10000}},
        )

    # --- the guard ------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while this process leaves Redis alone after an error (the fail-fast window)."""
        return time.monotonic() >= self._outage.retry_at

    def _guarded(self, call, fallback):
        if not self.available:
            return fallback()
        try:
            if self._outage.down:
                # Before anything is read: a version token read first would still name what the outage left stale.
                self._replay()
            return call()
        except REDIS_ERRORS as error:
            self._trip(error)
            return fallback()

    def _trip(self, error: Exception) -> None:
        outage = self._outage
        outage.retry_at = time.monotonic() + self.fail_fast_seconds
        if not outage.down:
            outage.down = True
            logger.warning(
                "The cache at %s does not answer (%s: %s); pages are served without it, retrying every %s s.",
                self.address,
                type(error).__name__,
                error,
                self.fail_fast_seconds,
            )

    def _replay(self) -> None:
        """Make the writes the outage swallowed; raises the Redis error if it is still not there."""
        outage = self._outage
        with outage.lock:
            lost = list(outage.lost.items())
            outage.lost.clear()
        for index, ((key, version), (operation, value)) in enumerate(lost):
            try:
                if operation == "set":
                    super().set(key, value, None, version=version)
                else:
                    super().delete(key, version=version)
            except REDIS_ERRORS:
                with outage.lock:
                    for pending_key, pending in lost[index:]:
                        outage.lost.setdefault(pending_key, pending)
                raise
        outage.down = False
        logger.warning(
            "The cache at %s answers again; %d writes missed during the outage were made.", self.address, len(lost)
        )

    def _remember(self, operation: str, key, version, value=None) -> None:
        outage = self._outage
        with outage.lock:
            outage.lost.pop((key, version), None)
            outage.lost[(key, version)] = (operation, value)
            while len(outage.lost) > LOST_WRITES_KEPT:
                outage.lost.popitem(last=False)

    def _is_local(self, key) -> bool:
        return bool(self.local_prefixes) and str(key).startswith(self.local_prefixes)

    # --- Django's cache API -----------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        def fallback():
            return self._local.add(key, value, timeout, version) if self._is_local(key) else False

        return self._guarded(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), fallback)

    def get(self, key, default=None, version=None):
        def fallback():
            return self._local.get(key, default, version) if self._is_local(key) else default

        return self._guarded(lambda: super(ResilientRedisCache, self).get(key, default, version), fallback)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        def fallback():
            if self._is_local(key):
                self._local.set(key, value, timeout, version)
            elif self.get_backend_timeout(timeout) is None:
                self._remember("set", key, version, value)

        return self._guarded(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), fallback)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        def fallback():
            return self._local.touch(key, timeout, version) if self._is_local(key) else False

        return self._guarded(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), fallback)

    def delete(self, key, version=None):
        def fallback():
            if self._is_local(key):
                return self._local.delete(key, version)
            self._remember("delete", key, version)
            return False

        return self._guarded(lambda: super(ResilientRedisCache, self).delete(key, version), fallback)

    def get_many(self, keys, version=None):
        keys = list(keys)

        def fallback():
            return self._local.get_many([key for key in keys if self._is_local(key)], version)

        return self._guarded(lambda: super(ResilientRedisCache, self).get_many(keys, version), fallback)

    def has_key(self, key, version=None):
        def fallback():
            return self._local.has_key(key, version) if self._is_local(key) else False

        return self._guarded(lambda: super(ResilientRedisCache, self).has_key(key, version), fallback)

    def incr(self, key, delta=1, version=None):
        def fallback():
            if self._is_local(key):
                return self._local.incr(key, delta, version)
            # What Django's caches say of a key they do not hold; callers already handle it.
            raise ValueError(f"Key '{key}' not found.")

        return self._guarded(lambda: super(ResilientRedisCache, self).incr(key, delta, version), fallback)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        data = dict(data)

        def fallback():
            failed = []
            for key, value in data.items():
                if self._is_local(key):
                    self._local.set(key, value, timeout, version)
                else:
                    if self.get_backend_timeout(timeout) is None:
                        self._remember("set", key, version, value)
                    failed.append(key)
            return failed

        return self._guarded(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), fallback)

    def delete_many(self, keys, version=None):
        keys = list(keys)

        def fallback():
            for key in keys:
                if self._is_local(key):
                    self._local.delete(key, version)
                else:
                    self._remember("delete", key, version)

        return self._guarded(lambda: super(ResilientRedisCache, self).delete_many(keys, version), fallback)

    def clear(self):
        self._local.clear()
        with self._outage.lock:
            self._outage.lost.clear()
        return self._guarded(lambda: super(ResilientRedisCache, self).clear(), lambda: False)
