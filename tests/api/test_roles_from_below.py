"""Roles cannot be raised from below (issue 14, item 5), through the pages and the API alike."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import RegionalAdministrator
from mentorship.models import PairingStatus
from tests.factories.accounts import RegionFactory, SchoolFactory, make_user
from tests.factories.mentorship import log_session, make_host, make_pairing
from tests.factories.training import add_member
from training.models import CohortMembership, MembershipStatus

from .conftest import problem

pytestmark = pytest.mark.django_db


def own_membership(world):
    return CohortMembership.objects.get(cohort=world.cohort, user=world.coordinator)


def test_a_coordinator_cannot_change_their_own_region_through_the_api(token_for, world):
    api = token_for(world.coordinator, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    mine = own_membership(world)
    response = api.patch(f"/api/v1/memberships/{mine.pk}/", {"region": world.region_b.code})
    assert response.status_code == 422
    assert "Nobody changes their own role, status or region" in problem(response)["detail"] + str(response.json())
    mine.refresh_from_db()
    assert mine.region_id == world.region_a.pk


@pytest.mark.parametrize("change", [{"role": "mentor"}, {"status": "withdrawn"}])
def test_nor_their_own_role_or_status(token_for, world, change):
    api = token_for(world.coordinator, scope="write")
    mine = own_membership(world)
    assert api.patch(f"/api/v1/memberships/{mine.pk}/", change).status_code == 422
    mine.refresh_from_db()
    assert (mine.role, mine.status) == ("coordinator", MembershipStatus.ACTIVE)


def test_nor_on_the_membership_page(login, world):
    mine = own_membership(world)
    response = login(world.coordinator).post(
        f"/en/cohorts/{world.cohort.pk}/members/{mine.pk}/",
        {"role": "coordinator", "status": "active", "region": world.region_b.pk, "note": ""},
    )
    assert response.status_code == 200
    assert "Nobody changes their own role, status or region" in response.content.decode()
    mine.refresh_from_db()
    assert mine.region_id == world.region_a.pk


def test_another_coordinator_still_changes_someone_elses_region(token_for, world):
    api = token_for(world.coordinator, scope="write")
    trainee = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    assert api.patch(f"/api/v1/memberships/{trainee.pk}/", {"region": world.region_a.code}).status_code == 200


@pytest.mark.parametrize("pending", [MembershipStatus.INVITED, MembershipStatus.APPLIED])
@pytest.mark.parametrize("target", [MembershipStatus.ACTIVE, MembershipStatus.ACCEPTED])
def test_only_acceptance_makes_an_invited_or_applied_membership_active(token_for, world, pending, target):
    newcomer = make_user(email="newcomer@example.com", region=world.region_a)
    membership = add_member(world.cohort, newcomer, "trainee", status=pending)
    api = token_for(world.coordinator, scope="write", HTTP_ACCEPT_LANGUAGE="en")
    response = api.patch(f"/api/v1/memberships/{membership.pk}/", {"status": target})
    assert response.status_code == 422
    assert "Only the person can accept their invitation" in str(response.json())
    membership.refresh_from_db()
    assert membership.status == pending


@pytest.fixture
def paired(world):
    """The Anhui trainee paired with a Shanghai mentor, started; the pairing's coordinator is the cohort's."""
    make_host(world.mentor, school=SchoolFactory(region=world.region_a))
    return make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)


def test_withdrawing_a_trainee_ends_their_pairing(token_for, world, paired):
    assert paired.status == PairingStatus.ACTIVE
    api = token_for(world.coordinator, scope="write")
    trainee = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    assert api.post(f"/api/v1/memberships/{trainee.pk}/withdraw/", {"note": "离职"}).status_code == 200
    paired.refresh_from_db()
    assert paired.status == PairingStatus.ENDED
    assert paired.ended_reason


def test_a_withdrawn_person_can_no_longer_log_sessions(world, paired):
    log_session(paired, world.trainee)  # works while a member
    # Withdrawn some other way (an old withdrawal, the admin): the pairing still says active.
    CohortMembership.objects.filter(cohort=world.cohort, user=world.trainee).update(status=MembershipStatus.WITHDRAWN)
    with translation.override("en"), pytest.raises(ValidationError, match="withdrawn"):
        log_session(paired, world.trainee, days_ago=2)
    # The mentor, still a member, may.
    log_session(paired, world.mentor, days_ago=3)


def test_a_regional_admin_sees_through_the_api_only_their_regions_trainees(token_for, world):
    jiangsu = RegionFactory(code="js", name="江苏省", name_en="Jiangsu")
    jiangsu_admin = make_user(email="js-admin@example.com", region=jiangsu)
    RegionalAdministrator.objects.create(user=jiangsu_admin, region=jiangsu)
    # The Anhui trainee is hosted by a school in Jiangsu.
    make_host(world.mentor, school=SchoolFactory(region=jiangsu))
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)

    seen_by_jiangsu = token_for(jiangsu_admin).get("/api/v1/pairings/").json()["results"]
    assert seen_by_jiangsu == []
    # Anhui's office sees its trainee, as on its pages.
    seen_by_anhui = token_for(world.regional_admin).get("/api/v1/pairings/").json()["results"]
    assert [row["id"] for row in seen_by_anhui] == [pairing.pk]
