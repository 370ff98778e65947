"""The credit bank in the API: records, the queue, decisions with Idempotency-Key, indicators; scoped as the pages."""

import datetime

import pytest

from credits import sources
from credits.models import Recognition
from tests.api.conftest import problem
from tests.factories.credits import activity, describe_test_studio

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)


@pytest.fixture(autouse=True)
def studio_source():
    before = sources.describer_for("studio")
    sources.register_source("studio", describe_test_studio)
    yield
    if before is None:
        sources.unregister_source("studio")
    else:
        sources.register_source("studio", before)


@pytest.fixture
def waiting(world):
    return activity(world.trainee, hours="12", issuer=world.region_a, on=DAY).recognitions.get(region=world.region_b)


def test_a_person_reads_their_records_and_their_office_reads_them_too(world, waiting, token_for):
    mine = token_for(world.trainee).get(f"/api/v1/people/{world.trainee.pk}/credit-records/").json()
    (record,) = mine["results"]
    assert record["issuing_region"] == "sh" and record["home_region"] == "ah"
    assert {r["region"]: r["status"] for r in record["recognitions"]} == {"sh": "issued", "ah": "pending"}
    office = token_for(world.regional_admin).get(f"/api/v1/people/{world.trainee.pk}/credit-records/")
    assert office.status_code == 200
    other = token_for(world.other_coordinator).get(f"/api/v1/people/{world.trainee.pk}/credit-records/")
    assert problem(other)["status"] == 404


def test_the_office_reads_its_queue_and_nobody_elses(world, waiting, token_for):
    office = token_for(world.regional_admin)
    queue = office.get("/api/v1/regions/ah/recognition-queue/").json()["results"]
    assert [item["id"] for item in queue] == [waiting.pk]
    assert queue[0]["person_name"] == "学员甲"
    assert problem(office.get("/api/v1/regions/sh/recognition-queue/"))["status"] == 404


def test_a_decision_with_an_idempotency_key_is_made_once(world, waiting, token_for):
    office = token_for(world.regional_admin, scope="write", HTTP_IDEMPOTENCY_KEY="anhui-2025-05-10-1")
    first = office.post(f"/api/v1/recognitions/{waiting.pk}/recognise/")
    again = office.post(f"/api/v1/recognitions/{waiting.pk}/recognise/")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["status"] == "recognised" and first.json()["credits"] == "1.2"
    assert Recognition.objects.get(pk=waiting.pk).decided_by == world.regional_admin


def test_recognising_twice_without_a_key_is_a_clear_problem(world, waiting, token_for):
    office = token_for(world.regional_admin, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    assert office.post(f"/api/v1/recognitions/{waiting.pk}/recognise/").status_code == 200
    body = problem(office.post(f"/api/v1/recognitions/{waiting.pk}/refuse/", {"reason": "重复"}))
    assert body["status"] == 422 and "Already decided" in body["detail"]
    assert Recognition.objects.get(pk=waiting.pk).status == "recognised"


def test_recognising_another_regions_person_is_not_found_and_changes_nothing(world, token_for):
    theirs = activity(world.other_trainee, hours="8", issuer=world.region_b, on=DAY).recognitions.get(
        region=world.region_a
    )
    office = token_for(world.regional_admin, scope="write")
    assert problem(office.post(f"/api/v1/recognitions/{theirs.pk}/recognise/"))["status"] == 404
    assert Recognition.objects.get(pk=theirs.pk).status == "pending"


def test_a_refusal_needs_a_reason(world, waiting, token_for):
    office = token_for(world.regional_admin, scope="write")
    assert problem(office.post(f"/api/v1/recognitions/{waiting.pk}/refuse/", {"reason": ""}))["status"] == 422
    decided = office.post(
        "/api/v1/recognitions/decisions/", {"ids": [waiting.pk], "decision": "refuse", "reason": "未备案"}
    ).json()
    assert decided[0]["status"] == "refused" and decided[0]["reason"] == "未备案"


def test_indicators_by_region_and_year(world, waiting, token_for):
    office = token_for(world.regional_admin)
    rows = office.get("/api/v1/regions/ah/indicators/").json()
    assert all(row["region"] == "ah" and row["scope"] == "region" for row in rows)
    assert problem(office.get("/api/v1/regions/sh/indicators/"))["status"] == 404
