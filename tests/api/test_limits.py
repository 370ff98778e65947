"""Rate limits per token and per address answer 429 with Retry-After."""

import pytest
from django.test import Client, override_settings

from .conftest import problem

pytestmark = pytest.mark.django_db


@override_settings(YINGZI_API_RATE_TOKEN=(3, 60), YINGZI_API_RATE_IP=(1000, 60))
def test_a_token_over_its_limit_gets_429_with_retry_after(token_for, world):
    api = token_for(world.coordinator, HTTP_ACCEPT_LANGUAGE="en")
    assert [api.get("/api/v1/cohorts/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/cohorts/")
    body = problem(response)
    assert body["status"] == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another token of the same person has its own budget.
    assert token_for(world.coordinator).get("/api/v1/cohorts/").status_code == 200


@override_settings(YINGZI_API_RATE_IP=(2, 60))
def test_an_address_over_its_limit_gets_429_even_without_a_token(world):
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [client.get("/api/v1/cohorts/").status_code for _ in range(2)] == [401, 401]
    response = client.get("/api/v1/cohorts/")
    assert problem(response)["status"] == 429
    assert int(response["Retry-After"]) >= 1
    # Another address is not affected.
    assert Client(REMOTE_ADDR="203.0.113.10").get("/api/v1/cohorts/").status_code == 401


@override_settings(YINGZI_API_RATE_IP=(2, 60))
def test_the_pages_are_not_rate_limited_by_the_api(login, world):
    client = login(world.trainee)
    assert all(client.get("/account/tokens/").status_code == 200 for _ in range(4))
