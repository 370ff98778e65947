"""An invitation shows only what the inviter typed until it is accepted (issue 14, item 5)."""

import pytest

from tests.factories.accounts import SchoolFactory, make_user
from training.models import CohortMembership
from training.services import invitation_accept, invitation_create

pytestmark = pytest.mark.django_db

REAL_NAME = "真名不应泄露"


@pytest.fixture
def invited(world):
    """The coordinator invites an address that already has an account, with a name of their own choosing."""
    school = SchoolFactory(region=world.region_a, name="保密实验学校", name_en="Confidential Lab School")
    person = make_user(email="existing@example.com", display_name=REAL_NAME, region=world.region_a, school=school)
    invitation = invitation_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        email="Existing@example.com",
        display_name="王老师",
        role="mentor",
    )
    return person, invitation


def test_the_members_page_shows_what_the_inviter_typed(login, world, invited):
    page = login(world.coordinator).get(f"/en/cohorts/{world.cohort.pk}/members/").content.decode()
    assert "王老师" in page
    assert REAL_NAME not in page
    assert "Confidential Lab School" not in page


def test_searching_for_the_real_name_finds_nobody_invited(login, world, invited):
    page = login(world.coordinator).get(f"/en/cohorts/{world.cohort.pk}/members/", {"q": REAL_NAME}).content.decode()
    # (The search box shows what was searched for; the list finds no one.)
    assert "existing@example.com" not in page
    assert "王老师" not in page
    found = login(world.coordinator).get(f"/en/cohorts/{world.cohort.pk}/members/", {"q": "王老师"}).content.decode()
    assert "existing@example.com" in found


def test_the_membership_page_shows_what_the_inviter_typed(login, world, invited):
    membership = invited[1].membership
    page = login(world.coordinator).get(f"/en/cohorts/{world.cohort.pk}/members/{membership.pk}/").content.decode()
    assert "王老师" in page
    assert REAL_NAME not in page


def test_the_api_shows_what_the_inviter_typed(token_for, world, invited):
    rows = token_for(world.coordinator).get(f"/api/v1/cohorts/{world.cohort.pk}/memberships/").json()["results"]
    row = next(row for row in rows if row["user_id"] == invited[0].pk)
    assert row["name"] == "王老师"
    assert REAL_NAME not in str(rows)


def test_after_acceptance_the_person_is_shown_as_themself(login, world, invited):
    person, invitation = invited
    invitation_accept(invitation=invitation, acting_user=person)
    assert CohortMembership.objects.get(pk=invitation.membership_id).grants_access
    page = login(world.coordinator).get(f"/en/cohorts/{world.cohort.pk}/members/").content.decode()
    assert REAL_NAME in page
    assert "Confidential Lab School" in page
