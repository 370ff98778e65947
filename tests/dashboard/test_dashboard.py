import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.training import CohortFactory, add_member

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_my_profile_and_my_cohorts_only(client, world):
    client.force_login(world.trainee)
    page = client.get("/en/dashboard/").content.decode()
    assert "First cohort" in page
    assert "Second cohort" not in page
    assert "trainee@example.com" in page
    assert "Trainee" in page


def test_the_dashboard_needs_a_signed_in_person(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_dashboard_query_count_does_not_grow_with_memberships(client, world):
    client.force_login(world.mentor)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as few:
        client.get("/dashboard/")
    for _ in range(10):
        add_member(CohortFactory(), world.mentor, "mentor")
    client.get("/dashboard/")  # new cohorts renew the cached menu; warm it again, as for the first count
    with CaptureQueriesContext(connection) as many:
        client.get("/dashboard/")
    assert len(few) == len(many)
