import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.audit import audit_entries_for
from tests.factories.accounts import make_user
from tests.factories.training import ProgrammeFactory, add_member
from training.models import CohortMembership, CohortRegion, CohortStatus, MembershipStatus
from training.services import cohort_create, cohort_update, membership_change

pytestmark = pytest.mark.django_db


def test_a_coordinator_opens_a_cohort_and_coordinates_it(world):
    cohort = cohort_create(
        programme=ProgrammeFactory(),
        acting_user=world.coordinator,
        data={
            "name": "春季班",
            "starts_on": datetime.date(2027, 3, 1),
            "ends_on": datetime.date(2027, 6, 30),
            "capacity": 30,
        },
        quotas={world.region_a.pk: 10, world.region_b.pk: 0},
    )
    assert set(cohort.cohort_regions.values_list("region_id", "quota")) == {(world.region_a.pk, 10)}
    assert CohortMembership.objects.get(cohort=cohort, user=world.coordinator).role == "coordinator"


def test_a_trainee_cannot_open_a_cohort(world):
    with pytest.raises(PermissionDenied):
        cohort_create(
            programme=ProgrammeFactory(),
            acting_user=world.trainee,
            data={"name": "x", "starts_on": datetime.date(2027, 3, 1), "ends_on": datetime.date(2027, 6, 30)},
            quotas={},
        )


def test_a_cohort_ending_before_it_starts_is_refused_and_unchanged(world):
    with pytest.raises(ValidationError):
        cohort_update(
            cohort=world.cohort,
            acting_user=world.coordinator,
            data={"starts_on": datetime.date(2027, 6, 1), "ends_on": datetime.date(2027, 5, 1)},
        )
    world.cohort.refresh_from_db()
    assert world.cohort.ends_on > world.cohort.starts_on


def test_a_cohort_status_only_moves_forward(world):
    with pytest.raises(ValidationError):
        cohort_update(cohort=world.cohort, acting_user=world.coordinator, data={"status": CohortStatus.DRAFT})


def test_activating_a_cohort_activates_accepted_members(world):
    world.cohort.status = CohortStatus.RECRUITING
    world.cohort.save()
    late = add_member(world.cohort, make_user(region=world.region_a), "trainee", status=MembershipStatus.ACCEPTED)
    cohort_update(cohort=world.cohort, acting_user=world.coordinator, data={"status": CohortStatus.ACTIVE})
    late.refresh_from_db()
    assert late.status == MembershipStatus.ACTIVE


def test_another_cohorts_coordinator_changes_nothing(world):
    with pytest.raises(PermissionDenied):
        cohort_update(cohort=world.cohort, acting_user=world.other_coordinator, data={"capacity": 1})


def test_a_quota_cannot_drop_below_the_seats_already_taken(world):
    for _ in range(3):
        add_member(world.cohort, make_user(region=world.region_b), "trainee")
    with pytest.raises(ValidationError) as raised:
        cohort_update(cohort=world.cohort, acting_user=world.coordinator, data={}, quotas={world.region_b.pk: 2})
    assert "安徽省" in str(raised.value) or "Anhui" in str(raised.value)
    assert CohortRegion.objects.get(cohort=world.cohort, region=world.region_b).quota == 10


def test_a_membership_change_is_audited_with_before_and_after(world):
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    membership_change(membership=membership, acting_user=world.coordinator, status="withdrawn", note="本人申请退出")
    (entry,) = audit_entries_for(instances=[membership])
    assert entry.action == "training.membership.change"
    assert entry.user == world.coordinator
    assert entry.data["before"]["status"] == "active"
    assert entry.data["after"]["status"] == "withdrawn"
    assert entry.data["cohort_id"] == world.cohort.pk


def test_reinstating_a_trainee_needs_a_free_seat_in_their_region(world):
    CohortRegion.objects.filter(cohort=world.cohort, region=world.region_b).update(quota=1)
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    membership_change(membership=membership, acting_user=world.coordinator, status="withdrawn")
    add_member(world.cohort, make_user(region=world.region_b), "trainee")
    with pytest.raises(ValidationError):
        membership_change(membership=membership, acting_user=world.coordinator, status="active")
    membership.refresh_from_db()
    assert membership.status == "withdrawn"


def test_completion_is_not_a_status_a_coordinator_sets_by_hand(world):
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    with pytest.raises(ValidationError):
        membership_change(membership=membership, acting_user=world.coordinator, status="completed")


def test_the_membership_page_changes_a_role_with_a_field_error_on_conflict(client, world):
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.mentor)
    add_member(world.cohort, world.mentor, "trainee")
    client.force_login(world.coordinator)
    response = client.post(
        f"/en/cohorts/{world.cohort.pk}/members/{membership.pk}/",
        {"role": "trainee", "status": "active", "region": world.region_a.pk},
    )
    assert response.status_code == 200
    assert "already has that role" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "mentor"


def test_a_regional_admin_sees_only_their_regions_people(client, world):
    client.force_login(world.regional_admin)
    page = client.get(f"/en/cohorts/{world.cohort.pk}/members/").content.decode()
    assert world.trainee.display_name in page  # Anhui, the admin's region
    assert world.mentor.display_name not in page  # Shanghai
