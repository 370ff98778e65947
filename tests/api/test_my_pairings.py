"""GET /api/v1/pairings/: each person lists exactly the pairings the pages let them see, in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import PairingStatus
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.mentorship import make_host, make_pairing, mentorship_world
from tests.factories.training import add_member

pytestmark = pytest.mark.django_db

PATH = "/api/v1/pairings/"


def _other_cohort_pairings(world):
    """In the other cohort: one pair hosted in region B (the admin's), one entirely in region A."""
    make_host(world.other_mentor, school=SchoolFactory(region=world.region_b))
    hosted_in_b = make_pairing(world.other_cohort, world.other_trainee, world.other_mentor)
    trainee = make_user(email="sh-trainee@example.com", display_name="沪学员", region=world.region_a)
    mentor = make_user(
        email="sh-mentor@example.com",
        display_name="沪导师",
        region=world.region_a,
        school=SchoolFactory(region=world.region_a),
    )
    add_member(world.other_cohort, trainee, "trainee")
    add_member(world.other_cohort, mentor, "mentor")
    make_host(mentor)
    all_in_a = make_pairing(world.other_cohort, trainee, mentor, status=PairingStatus.PROPOSED)
    return hosted_in_b, all_in_a


def _ids(api, **query):
    response = api.get(PATH, query)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_each_role_lists_what_the_pages_show_them(token_for, world):
    mw = mentorship_world(world)
    hosted_in_b, all_in_a = _other_cohort_pairings(world)
    ours = {mw.pairing.pk, mw.peer_pairing.pk}
    assert _ids(token_for(world.trainee)) == {mw.pairing.pk}
    assert _ids(token_for(world.mentor)) == {mw.pairing.pk}
    assert _ids(token_for(mw.peer_mentor)) == {mw.peer_pairing.pk}
    assert _ids(token_for(world.coordinator)) == ours
    assert _ids(token_for(world.other_coordinator)) == {hosted_in_b.pk, all_in_a.pk}
    # Region B: both trainees of the first cohort come from it. It hosts the other cohort's first pair, but
    # that trainee is region A's: as on the regional office's pages, another region's people stay hidden
    # (issue 14: a Jiangsu admin's list must not show an Anhui trainee).
    assert _ids(token_for(world.regional_admin)) == ours
    assert _ids(token_for(world.editor)) == set()
    assert _ids(token_for(world.staff)) == ours | {hosted_in_b.pk, all_in_a.pk}


def test_filters_by_cohort_and_status(token_for, world):
    mw = mentorship_world(world)
    hosted_in_b, all_in_a = _other_cohort_pairings(world)
    staff = token_for(world.staff)
    assert _ids(staff, cohort=world.cohort.pk) == {mw.pairing.pk, mw.peer_pairing.pk}
    assert _ids(staff, status="proposed") == {all_in_a.pk}
    assert _ids(staff, cohort=world.other_cohort.pk, status="active") == {hosted_in_b.pk}
    # A cohort I have no part in filters to nothing rather than revealing anything.
    assert _ids(token_for(world.trainee), cohort=world.other_cohort.pk) == set()


def test_anonymous_callers_get_a_problem_401(client, world):
    response = client.get(PATH)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_pages_are_stable_and_the_etag_answers_304(token_for, world):
    mentorship_world(world)
    _other_cohort_pairings(world)
    api = token_for(world.staff)
    first = api.get(PATH, {"limit": 2})
    body = first.json()
    assert len(body["results"]) == 2 and body["next_cursor"]
    rest = api.get(PATH, {"limit": 2, "cursor": body["next_cursor"]}).json()
    assert {r["id"] for r in body["results"]}.isdisjoint({r["id"] for r in rest["results"]})
    assert api.get(PATH, {"limit": 2}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def _grow(world, n: int, start: int = 0):
    for i in range(start, start + n):
        trainee = make_user(email=f"g-t{i}@example.com", display_name=f"学员{i}", region=world.region_b)
        mentor = make_user(
            email=f"g-m{i}@example.com",
            display_name=f"导师{i}",
            region=world.region_a,
            school=SchoolFactory(region=world.region_a),
        )
        add_member(world.cohort, trainee, "trainee")
        add_member(world.cohort, mentor, "mentor")
        make_host(mentor)
        make_pairing(world.cohort, trainee, mentor, coordinator=world.coordinator)


@pytest.mark.parametrize("role", ["trainee", "coordinator", "regional_admin", "staff"])
def test_the_same_queries_for_2_and_20_pairings(token_for, world, django_assert_num_queries, role):
    if role == "trainee":
        make_host(world.mentor)
        make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.COMPLETED)
    api = token_for(world.person(role))
    _grow(world, 2)
    api.get(PATH)  # the first call records the token's last use
    with CaptureQueriesContext(connection) as small:
        assert api.get(PATH, {"limit": 50}).status_code == 200
    _grow(world, 18, start=2)
    # Token, caller's roles and the page itself: a handful, never one per row.
    with django_assert_num_queries(len(small)):
        assert api.get(PATH, {"limit": 50}).status_code == 200
    assert len(small) <= 6
