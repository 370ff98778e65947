"""Resources read through the pages' selectors: never more than the pages, stable pages, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import versioned
from mentorship.models import SessionLogStatus
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.mentorship import mentorship_world
from tests.factories.training import add_member
from training.models import CohortMembership, HoursEntry
from training.overview import cohort_token

from .conftest import problem

pytestmark = pytest.mark.django_db


def _rows(*people):
    return {"rows": [dict(zip(("name", "email", "role", "region"), person, strict=True)) for person in people]}


def test_bulk_create_invites_every_row(token_for, world):
    api = token_for(world.coordinator, scope="write")
    response = api.post(
        f"/api/v1/cohorts/{world.cohort.pk}/memberships/",
        _rows(("新学员一", "n1@example.com", "trainee", "sh"), ("新导师一", "n2@example.com", "导师", "上海")),
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 2}
    assert set(
        CohortMembership.objects.filter(
            cohort=world.cohort, user__email__in=["n1@example.com", "n2@example.com"]
        ).values_list("role", "status")
    ) == {("trainee", "invited"), ("mentor", "invited")}


def test_bulk_create_is_all_or_nothing_with_row_errors(token_for, world):
    api = token_for(world.coordinator, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    before = CohortMembership.objects.count()
    response = api.post(
        f"/api/v1/cohorts/{world.cohort.pk}/memberships/",
        _rows(
            ("好的一行", "ok@example.com", "trainee", "sh"),
            ("坏邮箱", "not-an-address", "trainee", "sh"),
            ("重复", "ok@example.com", "trainee", "sh"),
            ("未知角色", "x@example.com", "janitor", "Atlantis"),
        ),
    )
    body = problem(response)
    assert body["status"] == 422
    found = {(error["row"], error["field"], error["code"]) for error in body["errors"]}
    assert found == {
        (1, "rows.1.email", "invalid_email"),
        (2, "rows.2.email", "duplicate_email"),
        (3, "rows.3.role", "unknown_role"),
        (3, "rows.3.region", "unknown_region"),
    }
    assert "not a valid e-mail address" in next(e["message"] for e in body["errors"] if e["row"] == 1)
    assert CohortMembership.objects.count() == before


def test_memberships_of_a_regional_admin_are_their_regions_only(token_for, world):
    api = token_for(world.regional_admin)
    emails = {row["email"] for row in api.get(f"/api/v1/cohorts/{world.cohort.pk}/memberships/").json()["results"]}
    # The admin oversees region B: the trainee, not the mentor or coordinator from region A.
    assert emails == {world.trainee.email}


def test_filters_by_role_status_and_region(token_for, world):
    api = token_for(world.coordinator)
    path = f"/api/v1/cohorts/{world.cohort.pk}/memberships/"
    assert [r["email"] for r in api.get(path, {"role": "mentor"}).json()["results"]] == [world.mentor.email]
    assert [r["email"] for r in api.get(path, {"region": "ah"}).json()["results"]] == [world.trainee.email]
    assert api.get(path, {"status": "invited"}).json()["results"] == []


def test_pagination_is_stable_while_rows_are_added(token_for, world):
    for i in range(5):
        add_member(world.cohort, make_user(email=f"p{i}@example.com", display_name=f"人{i}"), "trainee")
    api = token_for(world.coordinator)
    path = f"/api/v1/cohorts/{world.cohort.pk}/memberships/"
    first = api.get(path, {"limit": 3}).json()
    assert len(first["results"]) == 3 and first["next_cursor"]
    # Someone is added between two pages: nobody is skipped or repeated.
    add_member(world.cohort, make_user(email="late@example.com", display_name="迟到"), "trainee")
    seen = [r["id"] for r in first["results"]]
    cursor = first["next_cursor"]
    while cursor:
        page = api.get(path, {"limit": 3, "cursor": cursor}).json()
        seen += [r["id"] for r in page["results"]]
        cursor = page["next_cursor"]
    expected = list(CohortMembership.objects.filter(cohort=world.cohort).order_by("pk").values_list("pk", flat=True))
    assert seen == expected


def test_a_cursor_of_another_list_is_refused(token_for, world):
    for i in range(3):
        add_member(world.cohort, make_user(email=f"q{i}@example.com", display_name=f"人{i}"), "trainee")
    api = token_for(world.coordinator)
    cursor = api.get(f"/api/v1/cohorts/{world.cohort.pk}/memberships/", {"limit": 1}).json()["next_cursor"]
    assert api.get("/api/v1/notifications/", {"cursor": cursor}).status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cohorts/{cohort}/memberships/",
        "/api/v1/cohorts/{cohort}/pairings/",
        "/api/v1/cohorts/{cohort}/hours/",
        "/api/v1/cohorts/",
        "/api/v1/notifications/",
    ],
)
def test_lists_run_the_same_queries_for_2_and_20_rows(token_for, world, path):
    from notifications.services import notification_send
    from tests.factories.mentorship import make_host, make_pairing

    mentorship_world(world)
    api = token_for(world.coordinator)
    url = path.format(cohort=world.cohort.pk)

    def count():
        # Read afresh, then again (pages of hours and pairings are kept until the cohort changes): both counts.
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert api.get(url, {"limit": 50}).status_code == 200
            counts.append(len(queries))
        return counts

    api.get(url, {"limit": 50})  # the first call records the token's last use
    versioned.renew(cohort_token(world.cohort.pk))
    small = count()
    for i in range(18):
        trainee = make_user(email=f"t{i}@example.com", display_name=f"学员{i}", region=world.region_b)
        mentor = make_user(
            email=f"m{i}@example.com",
            display_name=f"导师{i}",
            region=world.region_a,
            school=SchoolFactory(region=world.region_a),
        )
        add_member(world.cohort, trainee, "trainee")
        add_member(world.cohort, mentor, "mentor")
        make_host(mentor)
        make_pairing(world.cohort, trainee, mentor, coordinator=world.coordinator)
        notification_send(recipient=world.coordinator, kind="announcement", context={"title": f"通知{i}"})
    assert count() == small
    if "hours" in path or "pairings" in path:
        # Kept pages: read again, the list costs no query.
        assert small[1] < small[0]


def test_etag_answers_304_until_the_list_changes(token_for, world):
    api = token_for(world.coordinator)
    path = f"/api/v1/cohorts/{world.cohort.pk}/memberships/"
    first = api.get(path)
    etag = first["ETag"]
    assert etag
    again = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    add_member(world.cohort, make_user(email="new@example.com", display_name="新人"), "trainee")
    changed = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_mentor_logs_and_trainee_confirms_through_the_services(token_for, world):
    mw = mentorship_world(world)
    mentor = token_for(world.mentor, scope="write")
    created = mentor.post(
        f"/api/v1/pairings/{mw.pairing.pk}/session-logs/",
        {"occurred_on": str(mw.pairing.starts_on), "hours": "2.5", "kind": "observation"},
    )
    assert created.status_code == 201, created.content
    log_id = created.json()["id"]
    assert created.json()["status"] == SessionLogStatus.AWAITING
    before = HoursEntry.objects.filter(trainee=world.trainee).count()
    # The mentor cannot confirm their own log.
    assert problem(mentor.post(f"/api/v1/session-logs/{log_id}/confirm/"))["status"] == 403
    trainee = token_for(world.trainee, scope="write")
    confirmed = trainee.post(f"/api/v1/session-logs/{log_id}/confirm/")
    assert confirmed.json()["status"] == SessionLogStatus.CONFIRMED
    assert HoursEntry.objects.filter(trainee=world.trainee).count() == before + 1


def test_trainee_disputes_with_a_comment(token_for, world):
    mw = mentorship_world(world)
    trainee = token_for(world.trainee, scope="write")
    response = trainee.post(f"/api/v1/session-logs/{mw.log.pk}/dispute/", {"comment": "没有这么长"})
    assert response.json()["status"] == SessionLogStatus.DISPUTED


def test_a_session_log_in_the_future_is_a_field_error(token_for, world):
    import datetime

    from django.utils import timezone

    mw = mentorship_world(world)
    mentor = token_for(world.mentor, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    body = problem(
        mentor.post(
            f"/api/v1/pairings/{mw.pairing.pk}/session-logs/",
            {"occurred_on": str(tomorrow), "hours": "1", "kind": "observation"},
        )
    )
    assert body["status"] == 422
    assert body["errors"][0]["field"] == "occurred_on"


def test_hours_export_matches_the_ledger(token_for, world):
    mw = mentorship_world(world)
    trainee = token_for(world.trainee, scope="write")
    trainee.post(f"/api/v1/session-logs/{mw.log.pk}/confirm/")
    rows = token_for(world.coordinator).get(f"/api/v1/cohorts/{world.cohort.pk}/hours/").json()["results"]
    mine = next(row for row in rows if row["user_id"] == world.trainee.pk)
    assert float(mine["total"]) == 2.0
    # The regional admin of region B sees the trainee; filtering by region A leaves nobody of theirs.
    admin = token_for(world.regional_admin)
    seen = admin.get(f"/api/v1/cohorts/{world.cohort.pk}/hours/").json()["results"]
    assert world.trainee.pk in {r["user_id"] for r in seen}
    assert {r["region"] for r in seen} == {"ah"}
    assert admin.get(f"/api/v1/cohorts/{world.cohort.pk}/hours/", {"region": "sh"}).json()["results"] == []


def test_hours_export_comes_a_page_at_a_time(token_for, world):
    mw = mentorship_world(world)  # a second trainee of the cohort
    coordinator = token_for(world.coordinator)
    path = f"/api/v1/cohorts/{world.cohort.pk}/hours/"
    first = coordinator.get(path, {"limit": 1}).json()
    assert len(first["results"]) == 1 and first["next_cursor"]
    second = coordinator.get(path, {"limit": 1, "cursor": first["next_cursor"]}).json()
    seen = {row["user_id"] for row in first["results"] + second["results"]}
    assert seen == {world.trainee.pk, mw.peer_trainee.pk}
    assert second["next_cursor"] is None
    assert coordinator.get(path, {"cursor": "forged"}).status_code == 400


def test_certificates_verify_publicly_and_list_own(token_for, world, client):
    from tests.factories.training import training_world

    certificate = training_world(world).certificate
    public = client.get(f"/api/v1/certificates/verify/{certificate.code}/")
    assert public.status_code == 200
    assert public.json()["valid"] is True
    assert client.get("/api/v1/certificates/verify/NOPE/").status_code == 404
    own = token_for(certificate.membership.user).get("/api/v1/certificates/").json()["results"]
    assert [c["code"] for c in own] == [certificate.code]
    assert token_for(world.coordinator).get("/api/v1/certificates/").json()["results"] == []


def test_notifications_are_mine_only_and_marked_read(token_for, world):
    from notifications.models import Notification
    from notifications.services import notification_send

    note = notification_send(recipient=world.trainee, kind="announcement", context={"title": "仅学员可见"})
    mentor = token_for(world.mentor, scope="write")
    assert "仅学员可见" not in mentor.get("/api/v1/notifications/").content.decode()
    assert mentor.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
    trainee = token_for(world.trainee, scope="write")
    # Making a token sent its own security notice; this test is about the announcement.
    Notification.objects.filter(kind="security.api_token_created").delete()
    listed = trainee.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [n["id"] for n in listed] == [note.pk]
    assert trainee.post(f"/api/v1/notifications/{note.pk}/read/").json() == {"read": True}
    assert trainee.get("/api/v1/notifications/", {"unread": "true"}).json()["results"] == []


def test_hours_ledger_of_a_person_within_dates(token_for, world):
    import datetime

    mw = mentorship_world(world)
    token_for(world.trainee, scope="write").post(f"/api/v1/session-logs/{mw.log.pk}/confirm/")
    entry = HoursEntry.objects.get(trainee=world.trainee, cohort=world.cohort)
    path = f"/api/v1/cohorts/{world.cohort.pk}/people/{world.trainee.pk}/hours/"
    own = token_for(world.trainee).get(path).json()["results"]
    assert [e["id"] for e in own] == [entry.pk]
    day = entry.occurred_on
    coordinator = token_for(world.coordinator)
    assert len(coordinator.get(path, {"date_from": str(day), "date_to": str(day)}).json()["results"]) == 1
    later = day + datetime.timedelta(days=1)
    assert coordinator.get(path, {"date_from": str(later)}).json()["results"] == []
    totals = coordinator.get(f"/api/v1/cohorts/{world.cohort.pk}/hours/", {"date_from": str(later)}).json()
    mine = next(row for row in totals["results"] if row["user_id"] == world.trainee.pk)
    assert float(mine["total"]) == 0
    # The mentor, and the other cohort's coordinator, do not read the trainee's ledger.
    assert token_for(world.mentor).get(path).status_code == 404
    assert token_for(world.other_coordinator).get(path).status_code == 404


def test_a_kept_page_of_hours_follows_the_ledger_at_once_and_every_read_is_logged(token_for, world):
    from django.utils import timezone

    from accounts.audit import audit_entries_for

    coordinator = token_for(world.coordinator)
    path = f"/api/v1/cohorts/{world.cohort.pk}/hours/"

    def total():
        rows = coordinator.get(path).json()["results"]
        return next(row["total"] for row in rows if row["user_id"] == world.trainee.pk)

    assert float(total()) == 0
    assert float(total()) == 0
    HoursEntry.objects.create(
        trainee=world.trainee, cohort=world.cohort, source="attendance", hours=3, occurred_on=timezone.localdate()
    )
    assert float(total()) == 3
    exports = audit_entries_for(instances=[world.cohort]).filter(action="accounts.personal_data.exported")
    assert exports.count() == 3
