"""The production cache backend when Redis refuses or hangs: reads miss, writes wait, limits count locally, nothing raises.

These need no Redis: a closed port refuses at once and `Blackhole` accepts
and never answers. The same backend against a real redis-server that is
stopped, paused and restarted is in tests/faults/test_redis_outage.py.
"""

import time

import pytest

from config.cache import ResilientRedisCache
from tests.faults.blackhole import Blackhole, closed_port_url


def resilient(url: str, **options) -> ResilientRedisCache:
    return ResilientRedisCache(
        url,
        {
            "OPTIONS": {
                "socket_timeout": 0.3,
                "socket_connect_timeout": 0.3,
                "LOCAL_FALLBACK_PREFIXES": ["allauth", "api-rate:"],
                **options,
            }
        },
    )


@pytest.fixture
def blackhole():
    server = Blackhole()
    yield server
    server.close()


def test_a_refusing_redis_makes_reads_miss_and_writes_vanish_without_an_error():
    cache = resilient(closed_port_url())
    assert cache.get("page", "missing") == "missing"
    assert cache.set("page", "body", 60) is None
    assert cache.add("page", "body") is False
    assert cache.get_many(["page", "other"]) == {}
    assert cache.has_key("page") is False
    assert cache.delete("page") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.get_or_set("computed", lambda: "fresh") == "fresh"
    with pytest.raises(ValueError):
        cache.incr("counter")  # what Django's caches say of a key they do not hold


def test_sign_in_and_api_limits_keep_counting_in_the_process_while_redis_refuses():
    cache = resilient(closed_port_url())
    # allauth's lock and history, exactly as its rate limiter uses them.
    assert cache.add("allauth:rl:account:login_failed:lock", True, 10) is True
    assert cache.add("allauth:rl:account:login_failed:lock", True, 10) is False
    cache.set("allauth:rl:account:login_failed", [1.0, 2.0], 300)
    assert cache.get("allauth:rl:account:login_failed", []) == [1.0, 2.0]
    # The API's fixed window.
    assert cache.add("api-rate:ip:203.0.113.9:0", 0, 61) is True
    assert [cache.incr("api-rate:ip:203.0.113.9:0") for _ in range(3)] == [1, 2, 3]
    # A TOTP code used once cannot be used again while Redis is away.
    assert cache.add("allauth.mfa.totp.used?user=1&code=123456", "y", 90) is True
    assert cache.add("allauth.mfa.totp.used?user=1&code=123456", "y", 90) is False


def test_a_hung_redis_is_waited_for_once_per_fail_fast_window(blackhole):
    cache = resilient(blackhole.url, FAIL_FAST_SECONDS=60)
    started = time.monotonic()
    assert cache.get("page") is None
    assert time.monotonic() - started < 3  # one socket timeout (0.3 s) and no retry loop
    tried = blackhole.attempts()
    assert tried[0] >= 1
    for _ in range(20):
        assert cache.get("page") is None
        cache.set("page", "body", 60)
    assert blackhole.attempts() == tried  # nobody knocked again: each of those returned at once
    assert cache.available is False


def test_after_the_window_the_cache_tries_redis_again(blackhole):
    cache = resilient(blackhole.url, FAIL_FAST_SECONDS=0.2)
    cache.get("page")
    tried = blackhole.attempts()
    time.sleep(0.3)
    assert cache.available is True
    cache.get("page")
    assert blackhole.attempts() != tried


def test_objects_made_for_other_threads_share_what_the_process_knows(blackhole):
    url = blackhole.url
    first, second = resilient(url, FAIL_FAST_SECONDS=60), resilient(url, FAIL_FAST_SECONDS=60)
    first.get("page")
    tried = blackhole.attempts()
    assert second.get("page") is None
    assert blackhole.attempts() == tried
    first.add("allauth:rl:x:lock", True, 10)
    assert second.add("allauth:rl:x:lock", True, 10) is False
