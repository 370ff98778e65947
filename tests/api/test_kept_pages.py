"""A cohort's hours and pairings are answered from the cache as rendered pages: the same bytes as a fresh
answer, a change shows on the next read, each language its own page, 304 for a client that holds it, and
every read of hours still audited once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

import versioned
from accounts.models import User
from mentorship.models import Pairing, PairingStatus
from tests.factories.mentorship import mentorship_world
from training.models import HoursEntry
from training.overview import cohort_token

pytestmark = pytest.mark.django_db


def _hours_path(world):
    return f"/api/v1/cohorts/{world.cohort.pk}/hours/"


def _pairings_path(world):
    return f"/api/v1/cohorts/{world.cohort.pk}/pairings/"


def _exports(world):
    return ModelLogEntry.objects.filter(action="accounts.personal_data.exported", object_id=str(world.cohort.pk))


@pytest.mark.parametrize("path", [_hours_path, _pairings_path])
def test_a_kept_page_is_the_same_answer_as_a_fresh_one(token_for, world, path):
    mentorship_world(world)
    api = token_for(world.coordinator)
    url = path(world)
    fresh = api.get(url)
    kept = api.get(url)
    assert fresh.status_code == kept.status_code == 200
    assert kept["Content-Type"] == fresh["Content-Type"] == "application/json; charset=utf-8"
    assert kept.content == fresh.content
    assert kept["ETag"] == fresh["ETag"]
    assert "学员丙" in kept.content.decode()  # names as text, not \u escapes
    versioned.renew(cohort_token(world.cohort.pk))
    assert api.get(url).content == fresh.content


def test_cohort_pairings_read_as_my_pairings_do(token_for, world):
    """The kept page's rows are those django-ninja renders for the (uncached) list of my pairings."""
    mentorship_world(world)
    api = token_for(world.coordinator)
    kept = api.get(_pairings_path(world)).json()["results"]
    mine = api.get("/api/v1/pairings/", {"cohort": world.cohort.pk}).json()["results"]
    assert kept == mine
    assert len(kept) == 2


def test_a_kept_page_of_pairings_follows_the_pairings_and_names_at_once(token_for, world):
    mentorship_world(world)
    api = token_for(world.coordinator)
    url = _pairings_path(world)

    def rows():
        return {row["trainee_id"]: row for row in api.get(url).json()["results"]}

    assert rows()[world.trainee.pk]["status"] == PairingStatus.ACTIVE
    pairing = Pairing.objects.get(cohort=world.cohort, trainee=world.trainee)
    pairing.status = PairingStatus.ENDED
    pairing.save()
    assert rows()[world.trainee.pk]["status"] == PairingStatus.ENDED
    trainee = User.objects.get(pk=world.trainee.pk)
    trainee.display_name = "改名后的学员"
    trainee.save()
    assert rows()[world.trainee.pk]["trainee_name"] == "改名后的学员"
    assert api.get(url, {"status": PairingStatus.ACTIVE}).json()["results"] != []
    assert world.trainee.pk not in {
        row["trainee_id"] for row in api.get(url, {"status": PairingStatus.ACTIVE}).json()["results"]
    }


@pytest.mark.parametrize("path", [_hours_path, _pairings_path])
def test_each_language_has_its_own_kept_page(token_for, world, path):
    from accounts import data_rights

    mentorship_world(world)
    data_rights.person_erase(person=world.trainee, acting_user=world.staff)
    url = path(world)
    english = token_for(world.coordinator, HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    chinese = token_for(world.coordinator, HTTP_ACCEPT_LANGUAGE="zh-hans").get(url).content.decode()
    assert "Erased person" in english and "Erased person" not in chinese
    assert "Erased person" in token_for(world.coordinator, HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()


@pytest.mark.parametrize("path", [_hours_path, _pairings_path])
def test_a_client_holding_the_page_gets_304_until_it_changes(token_for, world, path):
    from django.utils import timezone

    mentorship_world(world)
    api = token_for(world.coordinator)
    url = path(world)
    first = api.get(url)
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    HoursEntry.objects.create(
        trainee=world.trainee, cohort=world.cohort, source="attendance", hours=3, occurred_on=timezone.localdate()
    )
    Pairing.objects.filter(cohort=world.cohort, trainee=world.trainee).first().save()
    changed = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    if path is _hours_path:
        assert changed.status_code == 200
        assert changed["ETag"] != first["ETag"]
    else:
        # The same pairings, saved again: the page is rendered afresh, to the same bytes and ETag.
        assert changed.status_code == 304


def test_every_read_of_hours_is_audited_once_cached_or_304(token_for, world):
    mentorship_world(world)
    api = token_for(world.coordinator)
    url = _hours_path(world)
    first = api.get(url)
    api.get(url)
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    entries = list(_exports(world).order_by("pk"))
    assert len(entries) == 3
    assert {entry.user_id for entry in entries} == {world.coordinator.pk}
    assert {entry.data["export"] for entry in entries} == {"api.hours"}
    assert {entry.data["rows"] for entry in entries} == {len(first.json()["results"])}
    # Pairings hold no personal data the audit of exports covers: reading them adds nothing.
    api.get(_pairings_path(world))
    assert _exports(world).count() == 3


def test_a_kept_page_of_hours_costs_its_audit_entry_and_no_list_query(token_for, world):
    mentorship_world(world)
    api = token_for(world.coordinator)
    url = _hours_path(world)
    api.get(url)
    with CaptureQueriesContext(connection) as queries:
        api.get(url)
    statements = [query["sql"] for query in queries.captured_queries]
    assert sum(sql.startswith("INSERT") for sql in statements) == 1
    assert not any("wagtailcore_modellogentry" in sql for sql in statements if not sql.startswith("INSERT"))
    assert not any("training_hoursentry" in sql or "mentorship_pairing" in sql for sql in statements)
    assert not any("django_content_type" in sql for sql in statements)
