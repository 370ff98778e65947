"""The pages: who sees what, the matching flow end to end, and query counts that do not grow."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship.models import BatchStatus, MatchingBatch, Pairing, PairingStatus, SessionLog, SessionLogStatus
from notifications.models import Notification
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.mentorship import log_session, make_host, make_pairing, make_window, mentorship_world
from tests.factories.training import add_member
from training.models import CohortRegion

pytestmark = pytest.mark.django_db


def page(client, user, path):
    client.force_login(user)
    response = client.get(path)
    return response.status_code, response.content.decode()


def test_a_mentor_never_sees_another_mentors_trainee_or_logs(client, world):
    m = mentorship_world(world)
    status, body = page(client, world.mentor, f"/en/mentorship/pairings/{m.peer_pairing.pk}/")
    assert status == 404
    status, body = page(client, world.mentor, "/en/dashboard/")
    assert "学员甲" in body and "学员丙" not in body and "丙组的秘密记录" not in body
    assert page(client, world.mentor, f"/en/mentorship/reflections/{m.reflection.pk}/")[0] == 200
    assert page(client, m.peer_mentor, f"/en/mentorship/reflections/{m.reflection.pk}/")[0] == 404


def test_a_trainee_never_sees_another_trainees_logs(client, world):
    m = mentorship_world(world)
    assert page(client, m.peer_trainee, f"/en/mentorship/pairings/{m.pairing.pk}/")[0] == 404
    status, body = page(client, m.peer_trainee, f"/en/mentorship/pairings/{m.peer_pairing.pk}/")
    assert status == 200 and "丙组的秘密记录" in body and "甲组的秘密记录" not in body
    client.force_login(m.peer_trainee)
    response = client.post(f"/en/mentorship/logs/{m.log.pk}/review/", {"action": "confirm"})
    assert response.status_code == 404
    assert SessionLog.objects.get(pk=m.log.pk).status == SessionLogStatus.AWAITING


def test_a_coordinator_of_another_cohort_sees_none_of_it(client, world):
    m = mentorship_world(world)
    for path in (
        f"/en/mentorship/pairings/{m.pairing.pk}/",
        f"/en/mentorship/cohorts/{world.cohort.pk}/pairings/",
        f"/en/mentorship/batches/{m.batch.pk}/",
        f"/en/mentorship/reflections/{m.reflection.pk}/",
    ):
        assert page(client, world.other_coordinator, path)[0] == 404


def test_the_mentor_logs_a_session_from_the_phone_form_and_the_trainee_confirms_it(client, world):
    m = mentorship_world(world)
    client.force_login(world.mentor)
    form = client.get(f"/en/mentorship/pairings/{m.pairing.pk}/log/").content.decode()
    assert 'type="date"' in form and 'inputmode="decimal"' in form
    response = client.post(
        f"/en/mentorship/pairings/{m.pairing.pk}/log/",
        {
            "occurred_on": timezone.localdate().isoformat(),
            "hours": "1.5",
            "kind": "observation",
            "tags": ["leading_teaching"],
        },
    )
    assert response.status_code == 302
    log = SessionLog.objects.filter(pairing=m.pairing).order_by("-pk").first()
    assert log.hours == 1.5 and log.tags == ["leading_teaching"]
    client.force_login(world.trainee)
    body = client.get("/en/dashboard/").content.decode()
    assert "Waiting for my confirmation" in body
    client.post(f"/en/mentorship/logs/{log.pk}/review/", {"action": "confirm"})
    assert SessionLog.objects.get(pk=log.pk).status == SessionLogStatus.CONFIRMED


def test_a_future_date_re_renders_the_form_with_a_translated_error(client, world):
    m = mentorship_world(world)
    client.force_login(world.mentor)
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = client.post(
        f"/mentorship/pairings/{m.pairing.pk}/log/", {"occurred_on": tomorrow, "hours": "2", "kind": "debrief"}
    )
    assert response.status_code == 200
    assert "不能为将来的日期记录带教活动。" in response.content.decode()
    assert SessionLog.objects.filter(pairing=m.pairing).count() == 1


def test_a_trainee_posting_hours_to_another_pairing_changes_nothing(client, world):
    m = mentorship_world(world)
    client.force_login(world.trainee)
    response = client.post(
        f"/mentorship/pairings/{m.peer_pairing.pk}/log/",
        {"occurred_on": timezone.localdate().isoformat(), "hours": "24", "kind": "shadow_day"},
    )
    assert response.status_code == 404
    assert SessionLog.objects.filter(pairing=m.peer_pairing).count() == 1


def test_coordinator_runs_reviews_and_publishes_a_matching(client, world, django_capture_on_commit_callbacks):
    make_host(world.mentor)
    make_window(world.mentor.profile.school, world.cohort)
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/mentorship/cohorts/{world.cohort.pk}/matching/", {"action": "run"})
    batch = MatchingBatch.objects.get(cohort=world.cohort)
    assert response["Location"].endswith(f"/mentorship/batches/{batch.pk}/")
    assert batch.status == BatchStatus.PENDING and batch.progress == 100
    body = client.get(f"/en/mentorship/batches/{batch.pk}/").content.decode()
    assert "学员甲 → 导师甲" in body and "Why this pair" in body and "Spreads trainees across hosts" in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/mentorship/batches/{batch.pk}/", {"action": "publish"})
    pairing = Pairing.objects.get(cohort=world.cohort, trainee=world.trainee)
    assert pairing.status == PairingStatus.PROPOSED and pairing.mentor == world.mentor
    kinds = set(Notification.objects.filter(kind="mentorship.pairing_proposed").values_list("recipient", flat=True))
    assert kinds == {world.trainee.pk, world.mentor.pk}


def test_unplaced_trainees_are_listed_with_the_rule_that_blocked_them(
    client, world, django_capture_on_commit_callbacks
):
    make_host(world.mentor)  # no shadowing window anywhere
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/mentorship/cohorts/{world.cohort.pk}/matching/", {"action": "run"})
    batch = MatchingBatch.objects.get(cohort=world.cohort)
    body = client.get(f"/en/mentorship/batches/{batch.pk}/").content.decode()
    assert "学员甲" in body
    assert "have no shadowing window in the cohort&#x27;s period" in body


def add_pairings(world, count):
    for index in range(count):
        trainee = make_user(region=world.region_b, school=SchoolFactory(region=world.region_b))
        mentor = make_user(region=world.region_a, school=SchoolFactory(region=world.region_a))
        add_member(world.cohort, trainee, "trainee")
        add_member(world.cohort, mentor, "mentor")
        make_host(mentor)
        pairing = make_pairing(world.cohort, trainee, mentor, coordinator=world.coordinator)
        log_session(pairing, mentor, days_ago=1 + index % 5)


def count_queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_coordinator_pages_take_the_same_queries_with_5_and_50_pairings(client, world):
    add_pairings(world, 5)
    make_pairing(world.cohort, world.trainee, make_host(world.mentor).user, coordinator=world.coordinator)
    client.force_login(world.coordinator)
    pages = [
        f"/en/mentorship/cohorts/{world.cohort.pk}/pairings/",
        f"/en/mentorship/cohorts/{world.cohort.pk}/matching/",
        "/en/dashboard/",
    ]
    few = [count_queries(client, path) for path in pages]
    add_pairings(world, 45)
    many = [count_queries(client, path) for path in pages]
    assert few == many


def test_the_mentor_dashboard_takes_the_same_queries_with_5_and_50_trainees(client, world):
    from mentorship import services

    def add_trainees(count):
        for _ in range(count):
            trainee = make_user(region=world.region_b, school=SchoolFactory(region=world.region_b))
            add_member(world.cohort, trainee, "trainee")
            pairing = make_pairing(world.cohort, trainee, world.mentor, coordinator=world.coordinator)
            log_session(pairing, trainee, kind="observation")
            # Completed pairings free the host's places, so one mentor can have fifty of them.
            services.pairing_complete(acting_user=world.mentor, pairing=pairing)

    make_host(world.mentor, capacity=2)
    add_trainees(5)
    client.force_login(world.mentor)
    few = count_queries(client, "/en/dashboard/")
    few_record = count_queries(client, "/en/mentorship/record/")
    add_trainees(45)
    assert count_queries(client, "/en/dashboard/") == few
    assert count_queries(client, "/en/mentorship/record/") == few_record
    body = client.get("/en/dashboard/").content.decode()
    assert "My trainees" in body and body.count("Log a session") >= 50


def test_the_batch_review_page_takes_the_same_queries_however_many_proposals(client, world):
    from tests.factories.mentorship import pending_batch

    def add_free(count):
        for _ in range(count):
            trainee = make_user(region=world.region_b, school=SchoolFactory(region=world.region_b))
            mentor = make_user(region=world.region_a, school=SchoolFactory(region=world.region_a))
            add_member(world.cohort, trainee, "trainee")
            add_member(world.cohort, mentor, "mentor")
            make_window(make_host(mentor).school, world.cohort)

    add_free(5)
    CohortRegion.objects.filter(cohort=world.cohort).update(quota=100)
    client.force_login(world.coordinator)
    few = count_queries(client, f"/en/mentorship/batches/{pending_batch(world.cohort, world.coordinator).pk}/")
    add_free(45)
    batch = pending_batch(world.cohort, world.coordinator)
    assert batch.proposals.count() >= 50
    assert count_queries(client, f"/en/mentorship/batches/{batch.pk}/") == few


def test_the_coordinator_sees_each_pairings_confirmed_hours_once(client, world):
    from mentorship import services

    m = mentorship_world(world)
    services.session_log_confirm(acting_user=world.trainee, session_log=m.log)
    log_session(m.pairing, world.mentor, hours="1.5", days_ago=2)
    status, body = page(client, world.coordinator, f"/en/mentorship/cohorts/{world.cohort.pk}/pairings/")
    row = body.split("学员甲")[1].split("</tr>")[0]
    # The confirmed 2 hours and the one log to confirm, not multiplied by the four approvals.
    assert re.search(r'"Confirmed hours">2(\.0)?<', row)
    assert '"Logs to confirm">1<' in row
    assert ">4/4<" in row


def test_the_author_trying_to_confirm_their_own_log_is_told_why(client, world):
    m = mentorship_world(world)
    client.force_login(world.mentor)
    response = client.post(f"/en/mentorship/logs/{m.log.pk}/review/", {"action": "confirm"})
    assert response.status_code == 403
    assert "Only the other party of the session can confirm it." in response.content.decode()
    assert SessionLog.objects.get(pk=m.log.pk).status == SessionLogStatus.AWAITING


def test_malformed_matching_and_review_posts_say_so_and_change_nothing(client, world):
    """Ids that are not numbers used to reach the database as they came (a server error): now a 400 (issue 14),
    and an action the page does not offer is named as unknown."""
    from tests.factories.mentorship import pending_batch

    m = mentorship_world(world)
    batch = pending_batch(world.cohort, world.coordinator)
    proposals = batch.proposals.count()
    client.force_login(world.coordinator)
    unpin = client.post(f"/en/mentorship/cohorts/{world.cohort.pk}/matching/", {"action": "unpin", "trainee": "abc"})
    assert unpin.status_code == 400
    remove = client.post(f"/en/mentorship/batches/{batch.pk}/", {"action": "remove", "proposal": "1 OR 1=1"})
    assert remove.status_code == 400
    assert batch.proposals.count() == proposals
    unknown = client.post(f"/en/mentorship/batches/{batch.pk}/", {"action": "delete-all"}, follow=True)
    assert "Unknown action." in unknown.content.decode()
    client.force_login(m.log.pairing.trainee)
    review = client.post(f"/en/mentorship/logs/{m.log.pk}/review/", {"action": "approve"}, follow=True)
    assert "Unknown action." in review.content.decode()
    assert SessionLog.objects.get(pk=m.log.pk).status == SessionLogStatus.AWAITING
