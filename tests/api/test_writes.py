"""Writes a partner system needs beyond create: change and withdraw a membership, correct a session log."""

from decimal import Decimal

import pytest

from accounts.audit import audit_entries_for
from mentorship.models import SessionLogStatus
from notifications.models import Notification
from tests.factories.mentorship import mentorship_world
from training.models import CohortMembership, HoursEntry

from .conftest import problem

pytestmark = pytest.mark.django_db


def _membership(world):
    return CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)


# --- Memberships ----------------------------------------------------------------------


def test_the_coordinator_changes_a_membership_and_it_is_audited(token_for, world):
    membership = _membership(world)
    api = token_for(world.coordinator, scope="write")
    response = api.patch(f"/api/v1/memberships/{membership.pk}/", {"status": "accepted", "note": "按协议调整"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["email"] == world.trainee.email
    membership.refresh_from_db()
    assert membership.status == "accepted"
    entry = audit_entries_for(instances=[membership]).get()
    assert entry.action == "training.membership.change"
    assert entry.data["note"] == "按协议调整"


def test_fields_left_out_stay_as_they_are(token_for, world):
    membership = _membership(world)
    api = token_for(world.coordinator, scope="write")
    response = api.patch(f"/api/v1/memberships/{membership.pk}/", {"region": "ah"})
    assert response.status_code == 200
    assert (response.json()["role"], response.json()["status"], response.json()["region"]) == (
        "trainee",
        "active",
        "ah",
    )


@pytest.mark.parametrize(
    "body,field,code",
    [
        ({"status": "invited"}, "status", "invalid"),
        ({"status": "graduated"}, "status", "literal_error"),
        ({"role": 5}, "role", "literal_error"),
        ({"region": "xx"}, "region", "region"),
        ({"user": 1}, "user", "extra_forbidden"),
        ({"cohort": 2, "status": "active"}, "cohort", "extra_forbidden"),
    ],
)
def test_bad_membership_changes_are_field_problems_and_change_nothing(token_for, world, body, field, code):
    membership = _membership(world)
    api = token_for(world.coordinator, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    answer = problem(api.patch(f"/api/v1/memberships/{membership.pk}/", body))
    assert answer["status"] == 422
    assert answer["type"] == "/api/v1/problems/invalid/"
    assert (answer["errors"][0]["field"], answer["errors"][0]["code"]) == (field, code)
    assert answer["errors"][0]["message"]
    membership.refresh_from_db()
    assert (membership.status, membership.region_id) == ("active", world.region_b.pk)
    assert not audit_entries_for(instances=[membership]).exists()


def test_a_forbidden_transition_says_why_in_the_readers_language(token_for, world):
    membership = _membership(world)
    api = token_for(world.coordinator, scope="write")
    answer = problem(api.patch(f"/api/v1/memberships/{membership.pk}/", {"status": "completed"}))
    assert answer["status"] == 422
    assert answer["title"] == "请求无效"


def test_withdrawing_keeps_the_membership_and_its_history(token_for, world):
    membership = _membership(world)
    api = token_for(world.coordinator, scope="write", HTTP_IDEMPOTENCY_KEY="withdraw-trainee-1")
    first = api.post(f"/api/v1/memberships/{membership.pk}/withdraw/", {"note": "本人申请退出"})
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "withdrawn"
    again = api.post(f"/api/v1/memberships/{membership.pk}/withdraw/", {"note": "本人申请退出"})
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    membership.refresh_from_db()
    assert membership.status == "withdrawn"
    assert [entry.data["after"]["status"] for entry in audit_entries_for(instances=[membership])] == ["withdrawn"]
    # Withdrawn people lose access to the cohort, as on the pages.
    assert token_for(world.trainee).get(f"/api/v1/cohorts/{world.cohort.pk}/").status_code == 404


def test_withdraw_without_a_body(token_for, world):
    membership = _membership(world)
    response = token_for(world.coordinator, scope="write").post(f"/api/v1/memberships/{membership.pk}/withdraw/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_a_patch_replayed_with_its_key_changes_nothing_more(token_for, world):
    membership = _membership(world)
    api = token_for(world.coordinator, scope="write", HTTP_IDEMPOTENCY_KEY="patch-1")
    assert api.patch(f"/api/v1/memberships/{membership.pk}/", {"status": "accepted"}).status_code == 200
    assert api.patch(f"/api/v1/memberships/{membership.pk}/", {"status": "accepted"})["Idempotent-Replayed"] == "true"
    assert problem(api.patch(f"/api/v1/memberships/{membership.pk}/", {"status": "withdrawn"}))["status"] == 422
    membership.refresh_from_db()
    assert membership.status == "accepted"


def test_others_may_not_change_memberships(token_for, world):
    membership = _membership(world)
    path = f"/api/v1/memberships/{membership.pk}/"
    assert problem(token_for(world.mentor, scope="write").patch(path, {"status": "withdrawn"}))["status"] == 403
    assert problem(token_for(world.regional_admin, scope="write").patch(path, {"status": "withdrawn"}))["status"] == 403
    assert (
        problem(token_for(world.other_coordinator, scope="write").patch(path, {"status": "withdrawn"}))["status"] == 404
    )
    assert (
        problem(token_for(world.coordinator, scope="write").patch("/api/v1/memberships/999999/", {}))["status"] == 404
    )
    membership.refresh_from_db()
    assert membership.status == "active"


@pytest.mark.parametrize(
    "method,path,allowed",
    [
        ("get", "/api/v1/memberships/{membership}/", "PATCH"),
        ("delete", "/api/v1/memberships/{membership}/", "PATCH"),
        ("get", "/api/v1/memberships/{membership}/withdraw/", "POST"),
        ("get", "/api/v1/session-logs/{log}/", "PATCH"),
        ("post", "/api/v1/pairings/", "GET"),
    ],
)
def test_wrong_methods_are_405_with_allow(token_for, world, method, path, allowed):
    log = mentorship_world(world).log
    api = token_for(world.coordinator, scope="write")
    response = getattr(api, method)(path.format(membership=_membership(world).pk, log=log.pk))
    assert problem(response)["status"] == 405
    assert response["Allow"] == allowed
    assert _membership(world).status == "active"


# --- Session logs ------------------------------------------------------------------------


def test_the_author_corrects_a_log_and_the_confirmation_credits_the_corrected_hours(token_for, world):
    log = mentorship_world(world).log
    mentor = token_for(world.mentor, scope="write")
    # 24 hours is allowed although the log already holds 2 of that day's: a log does not count against itself.
    response = mentor.patch(f"/api/v1/session-logs/{log.pk}/", {"hours": "24.0", "kind": "observation"})
    assert response.status_code == 200, response.content
    assert (response.json()["hours"], response.json()["kind"]) == ("24.0", "observation")
    corrected = mentor.patch(f"/api/v1/session-logs/{log.pk}/", {"hours": "3.5"})
    assert corrected.json()["hours"] == "3.5"
    assert [e.action for e in audit_entries_for(instances=[log])].count("mentorship.session_log.update") == 2
    # The trainee is asked again after each change, with the corrected hours; the calendar entry's SEQUENCE rises.
    asked = Notification.objects.filter(recipient=world.trainee, kind="mentorship.session_log_awaiting")
    assert sorted(n.context["hours"] for n in asked) == ["2.0", "24.0", "3.5"]
    log.refresh_from_db()
    assert log.revision == 2
    assert token_for(world.trainee, scope="write").post(f"/api/v1/session-logs/{log.pk}/confirm/").status_code == 200
    assert HoursEntry.objects.get(trainee=world.trainee, cohort=world.cohort).hours == Decimal("3.5")


def test_only_the_author_changes_a_log_and_only_while_it_awaits(token_for, world):
    log = mentorship_world(world).log
    path = f"/api/v1/session-logs/{log.pk}/"
    for person, status in ((world.trainee, 403), (world.coordinator, 403), (world.other_coordinator, 404)):
        assert problem(token_for(person, scope="write").patch(path, {"hours": "9.0"}))["status"] == status
    token_for(world.trainee, scope="write").post(f"/api/v1/session-logs/{log.pk}/confirm/")
    answer = problem(token_for(world.mentor, scope="write", HTTP_ACCEPT_LANGUAGE="en").patch(path, {"hours": "9.0"}))
    assert answer["status"] == 422
    assert "no longer awaiting" in answer["detail"]
    log.refresh_from_db()
    assert (log.hours, log.status) == (Decimal("2.0"), SessionLogStatus.CONFIRMED)


@pytest.mark.parametrize(
    "body,field,code",
    [
        ({"occurred_on": "2999-01-01"}, "occurred_on", "invalid"),
        ({"occurred_on": "2026-02-30"}, "occurred_on", "date_from_datetime_parsing"),
        ({"hours": "0"}, "hours", "greater_than"),
        ({"hours": "30"}, "hours", "less_than_equal"),
        ({"kind": "party"}, "kind", "invalid"),
        ({"status": "confirmed"}, "status", "extra_forbidden"),
        ({"author": 1}, "author", "extra_forbidden"),
    ],
)
def test_bad_corrections_are_field_problems_and_change_nothing(token_for, world, body, field, code):
    log = mentorship_world(world).log
    answer = problem(token_for(world.mentor, scope="write").patch(f"/api/v1/session-logs/{log.pk}/", body))
    assert answer["status"] == 422
    assert answer["errors"][0]["field"] == field
    assert answer["errors"][0]["code"] == code
    log.refresh_from_db()
    assert (log.hours, log.status, log.kind) == (Decimal("2.0"), SessionLogStatus.AWAITING, "debrief")


def test_a_correction_replayed_with_its_key_is_made_once(token_for, world):
    log = mentorship_world(world).log
    api = token_for(world.mentor, scope="write", HTTP_IDEMPOTENCY_KEY="fix-hours-1")
    first = api.patch(f"/api/v1/session-logs/{log.pk}/", {"hours": "1.5"})
    again = api.patch(f"/api/v1/session-logs/{log.pk}/", {"hours": "1.5"})
    assert (first.status_code, again.content, again["Idempotent-Replayed"]) == (200, first.content, "true")
    assert [e.action for e in audit_entries_for(instances=[log])].count("mentorship.session_log.update") == 1


def test_a_correction_that_changes_nothing_asks_nobody_again(token_for, world):
    log = mentorship_world(world).log
    response = token_for(world.mentor, scope="write").patch(f"/api/v1/session-logs/{log.pk}/", {"hours": "2.0"})
    assert response.status_code == 200
    assert Notification.objects.filter(recipient=world.trainee, kind="mentorship.session_log_awaiting").count() == 1
    log.refresh_from_db()
    assert log.revision == 0
