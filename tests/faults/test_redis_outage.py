"""Redis stopped, paused and restarted under production's cache: every page keeps answering and recovers by itself.

The cache and the broker are one redis-server of the test's own, as in a
default production deployment (`CACHE_URL` unset). Each page is visited once
while Redis answers (so its cache is warm), then with Redis stopped or
paused, and after a restart once the cache's fail-fast window has passed,
when it must use Redis again. The writes that enqueue work are in
test_faults.py (`test_redis_stopped_when_a_request_commits`, paused), which
run under the same cache.
"""

import json
import time
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from api.services import api_token_create
from tests.factories.accounts import PASSWORD
from training.models import Certificate, CohortMembership

from .conftest import FAIL_FAST_SECONDS

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db]

# Production's cache waits at most one socket timeout (1 s) per fail-fast window; far below this.
PATIENCE = 5.0
# Longer than PATIENCE: a client without a socket timeout would simply wait for the pause to end.
PAUSE_MS = 10_000


@dataclass
class Page:
    name: str
    status: int
    visit: object  # () -> response


@pytest.fixture
def pages(world, home_page, broker, production_cache) -> dict[str, Page]:
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee, role="trainee")
    certificate = Certificate.objects.create(
        membership=membership,
        holder_name=world.trainee.get_full_name(),
        programme_title=world.cohort.programme.title,
        cohort_name=world.cohort.name,
        starts_on=world.cohort.starts_on,
        ends_on=world.cohort.ends_on,
        hours=60,
        issued_by=world.coordinator,
    )
    secret = api_token_create(acting_user=world.coordinator, name="区域系统", scope="read").secret

    def signed_in(person):
        client = Client()
        client.force_login(person)
        return client

    def sign_in():
        return Client().post(reverse("account_login"), {"login": world.trainee.email, "password": PASSWORD})

    listed = [
        Page("home", 200, lambda: Client().get("/")),
        Page("login page", 200, lambda: Client().get(reverse("account_login"))),
        Page("sign-in", 302, sign_in),
        Page("dashboard", 200, lambda: signed_in(world.trainee).get(reverse("dashboard:home"))),
        Page(
            "cohort overview",
            200,
            lambda: signed_in(world.coordinator).get(reverse("dashboard:cohort-overview", args=[world.cohort.pk])),
        ),
        Page("api", 200, lambda: Client().get("/api/v1/cohorts/", HTTP_AUTHORIZATION=f"Bearer {secret}")),
        Page("verify", 200, lambda: Client().get(reverse("training:certificate-verify", args=[certificate.code]))),
    ]
    return {page.name: page for page in listed}


PAGE_NAMES = ["home", "login page", "sign-in", "dashboard", "cohort overview", "api", "verify"]


def timed(page: Page):
    started = time.monotonic()
    response = page.visit()
    return response, time.monotonic() - started


def answers(page: Page, response) -> bool:
    if response.status_code != page.status:
        return False
    return page.name != "sign-in" or response["Location"] == reverse("dashboard:home")


def after_the_window() -> None:
    time.sleep(FAIL_FAST_SECONDS + 0.2)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_each_page_answers_while_redis_is_stopped(pages, broker, name):
    page = pages[name]
    assert answers(page, page.visit())
    broker.stop()
    for _ in range(2):
        response, seconds = timed(page)
        assert answers(page, response), (response.status_code, response.content[:300])
        assert seconds < PATIENCE, f"{name} took {seconds:.1f} s with Redis stopped"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_each_page_answers_while_redis_is_paused(pages, broker, name):
    page = pages[name]
    assert answers(page, page.visit())
    broker.pause(PAUSE_MS)
    for _ in range(2):
        response, seconds = timed(page)
        assert answers(page, response), (response.status_code, response.content[:300])
        assert seconds < PATIENCE, f"{name} took {seconds:.1f} s with Redis paused"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_each_page_uses_redis_again_by_itself_after_a_restart(pages, broker, name):
    page = pages[name]
    broker.stop()
    assert answers(page, page.visit())
    broker.start()
    after_the_window()
    assert broker.client().dbsize() == 0  # a fresh Redis, nothing written yet
    response = page.visit()
    assert answers(page, response), (response.status_code, response.content[:300])
    assert broker.client().dbsize() > 0, "the page no longer uses the cache"


def health(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, json.loads(response.content), time.monotonic() - started


@pytest.mark.parametrize("fault", ["stopped", "paused"])
def test_health_answers_503_naming_the_broker_and_the_cache_within_two_seconds(client, broker, production_cache, fault):
    response, body, _seconds = health(client)
    assert response.status_code == 200 and body == {"database": "ok", "broker": "ok", "cache": "ok"}
    if fault == "stopped":
        broker.stop()
    else:
        broker.pause(PAUSE_MS)
    response, body, seconds = health(client)
    assert response.status_code == 503
    assert body == {"database": "ok", "broker": "unavailable", "cache": "unavailable"}
    assert seconds < 2, f"/healthz took {seconds:.1f} s with Redis {fault}"


def test_health_is_200_again_once_redis_is_restarted(client, broker, production_cache):
    broker.stop()
    assert client.get("/healthz").status_code == 503
    broker.start()
    response, body, _seconds = health(client)
    assert response.status_code == 200
    assert body == {"database": "ok", "broker": "ok", "cache": "ok"}


@pytest.fixture
def durable_redis(tmp_path, settings, production_cache_settings):
    """A Redis that keeps its data across a restart (append-only, as in production), as the only cache."""
    from .conftest import RedisServer

    server = RedisServer(tmp_path, durable=True)
    server.start()
    cache = json.loads(json.dumps(production_cache_settings))
    cache["LOCATION"] = server.url
    cache.setdefault("OPTIONS", {})
    if "FAIL_FAST_SECONDS" in cache["OPTIONS"]:
        cache["OPTIONS"]["FAIL_FAST_SECONDS"] = FAIL_FAST_SECONDS
    settings.CACHES = {"default": cache}
    yield server
    server.stop()


def test_a_publication_made_while_redis_was_down_is_shown_once_it_is_back(home_page, durable_redis):
    from wagtail.models import Page as WagtailPage

    from cms.page_cache import public_pages_changed

    reader = Client()
    assert reader.get("/").status_code == 200
    assert "旧的标题" not in reader.get("/").content.decode()
    WagtailPage.objects.filter(pk=home_page.pk).update(title="旧的标题", seo_title="旧的标题")
    public_pages_changed()
    before = reader.get("/").content.decode()
    assert "旧的标题" in before  # cached in Redis now

    durable_redis.stop()
    WagtailPage.objects.filter(pk=home_page.pk).update(title="新的标题", seo_title="新的标题")
    public_pages_changed()  # what a publication does; Redis is not there to hear it
    assert "新的标题" in reader.get("/").content.decode()  # rendered afresh meanwhile

    durable_redis.start()
    after_the_window()
    # Redis came back with what it held, the old generation of pages included; the new one is written first.
    assert "新的标题" in reader.get("/").content.decode()


# --- Sessions: read from the cache, kept in the database (SESSION_ENGINE cached_db) -------------------


def signed_in_as(client) -> int | None:
    """Who the dashboard is shown to with this client's cookie (None: sent to sign in)."""
    response = client.get(reverse("dashboard:home"))
    return response.wsgi_request.user.pk if response.status_code == 200 else None


def test_a_sign_out_made_while_redis_was_down_holds_once_it_is_back(world, durable_redis):
    person = Client()
    response = person.post(reverse("account_login"), {"login": world.trainee.email, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_as(person) == world.trainee.pk  # the session is in Redis now
    stolen = Client()  # the same cookie, kept by someone else
    stolen.cookies.load(
        {django_settings.SESSION_COOKIE_NAME: person.cookies[django_settings.SESSION_COOKIE_NAME].value}
    )

    durable_redis.stop()
    assert signed_in_as(person) == world.trainee.pk  # read from the database meanwhile
    assert person.post(reverse("account_logout")).status_code == 302

    durable_redis.start()
    after_the_window()
    # Redis came back holding the signed-in session; the sign-out it missed is made before it is read.
    assert signed_in_as(stolen) is None


def test_people_stay_signed_in_when_redis_comes_back_empty(world, production_cache, broker):
    person = Client()
    person.post(reverse("account_login"), {"login": world.trainee.email, "password": PASSWORD})
    assert signed_in_as(person) == world.trainee.pk
    broker.stop()
    assert signed_in_as(person) == world.trainee.pk
    broker.start()
    after_the_window()
    assert broker.client().dbsize() == 0
    assert signed_in_as(person) == world.trainee.pk  # the database keeps every session
