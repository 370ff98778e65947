"""Every error is RFC 9457 problem details, in the language of Accept-Language, and changes nothing."""

import json

import pytest
from django.test import Client, override_settings

from training.models import CohortMembership

from .conftest import problem

pytestmark = pytest.mark.django_db


def test_unauthenticated_in_chinese_by_default(world):
    body = problem(Client().get("/api/v1/cohorts/"))
    assert body["status"] == 401
    assert body["title"] == "未登录"


def test_unauthenticated_in_english_when_asked(world):
    response = Client().get("/api/v1/cohorts/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "en"
    assert problem(response)["title"] == "Not signed in"


def test_unknown_address_is_a_problem_404(world):
    body = problem(Client().get("/api/v1/no-such-thing/"))
    assert body["status"] == 404
    assert body["instance"] == "/api/v1/no-such-thing/"


def test_wrong_method_is_405_with_allow(token_for, world):
    response = token_for(world.coordinator).delete("/api/v1/cohorts/")
    assert problem(response)["status"] == 405
    assert response["Allow"] == "GET"


def test_another_cohorts_object_is_404_not_403(token_for, world):
    api = token_for(world.coordinator, HTTP_ACCEPT_LANGUAGE="en")
    body = problem(api.get(f"/api/v1/cohorts/{world.other_cohort.pk}/schedule/"))
    assert body["status"] == 404


def test_malformed_json_is_400(token_for, world):
    api = token_for(world.coordinator, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    response = api.client.post(
        f"/api/v1/cohorts/{world.cohort.pk}/memberships/", "{not json", content_type="application/json", **api.headers
    )
    body = problem(response)
    assert body["status"] == 400
    assert "JSON" in body["detail"]


def test_unknown_fields_and_wrong_types_are_422_per_field(token_for, world):
    api = token_for(world.coordinator, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    before = CohortMembership.objects.count()
    response = api.post(
        f"/api/v1/cohorts/{world.cohort.pk}/memberships/",
        {"rows": [{"name": 5, "email": "a@example.com", "role": "trainee", "region": "sh", "cohort": 9}]},
    )
    body = problem(response)
    assert body["status"] == 422
    fields = {(error["field"], error["code"]) for error in body["errors"]}
    assert ("rows.0.name", "string_type") in fields
    assert ("rows.0.cohort", "extra_forbidden") in fields
    assert all(error["message"] for error in body["errors"])
    assert CohortMembership.objects.count() == before


def test_field_errors_in_chinese(token_for, world):
    api = token_for(world.coordinator, scope="write")
    body = problem(api.post(f"/api/v1/cohorts/{world.cohort.pk}/memberships/", {"rows": [{}]}))
    assert body["title"] == "请求无效"
    assert "此项为必填项。" in {error["message"] for error in body["errors"]}


def test_a_date_out_of_range_is_422(token_for, world):
    api = token_for(world.coordinator, HTTP_ACCEPT_LANGUAGE="en")
    body = problem(api.get("/api/v1/cohorts/", {"starts_after": "2026-13-45"}))
    assert body["status"] == 422
    assert body["errors"][0]["field"] == "starts_after"


def test_a_tampered_cursor_is_400(token_for, world):
    api = token_for(world.coordinator, HTTP_ACCEPT_LANGUAGE="en")
    body = problem(api.get("/api/v1/cohorts/", {"cursor": "eyJrIjoxfQ:forged"}))
    assert body["status"] == 400
    assert body["errors"][0]["field"] == "cursor"


@override_settings(YINGZI_API_MAX_BODY=1000)
def test_a_body_over_the_limit_is_413_and_changes_nothing(token_for, world):
    api = token_for(world.coordinator, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    before = CohortMembership.objects.count()
    rows = [{"name": f"人{i}", "email": f"p{i}@example.com", "role": "trainee", "region": "sh"} for i in range(50)]
    response = api.client.post(
        f"/api/v1/cohorts/{world.cohort.pk}/memberships/",
        json.dumps({"rows": rows}),
        content_type="application/json",
        **api.headers,
    )
    assert problem(response)["status"] == 413
    assert CohortMembership.objects.count() == before


def test_a_server_error_is_a_problem_too(token_for, world, monkeypatch):
    from training import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "cohort_list_for_user", broken)
    response = token_for(world.coordinator).get("/api/v1/cohorts/")
    body = problem(response)
    assert body["status"] == 500
    assert "boom" not in body["detail"]


def test_a_verification_code_with_a_nul_byte_is_a_bad_request_not_a_server_error():
    # Control characters in a path are refused before any view (config.middleware.ControlCharacterMiddleware).
    response = Client().get("/api/v1/certificates/verify/%00/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
