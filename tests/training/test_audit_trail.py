import datetime

import pytest
from django.utils import timezone

from training.models import CohortMembership
from training.services import (
    attendance_mark,
    invitation_accept,
    invitation_create,
    membership_change,
    schedule_item_create,
)

pytestmark = pytest.mark.django_db


def test_coordinators_read_who_changed_accepted_and_marked_what(client, world):
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.mentor)
    membership_change(membership=membership, acting_user=world.coordinator, region=world.region_b, note="改派")
    invitation = invitation_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        email=world.other_trainee.email,
        display_name="学员乙",
        role="trainee",
        region=world.region_a,
    )
    invitation_accept(invitation=invitation, acting_user=world.other_trainee)
    start = timezone.now() - datetime.timedelta(days=1, hours=3)
    item = schedule_item_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "workshop",
            "title": "研修",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "location": "会堂",
        },
    )
    attendance_mark(
        item=item,
        acting_user=world.coordinator,
        day=item.days[0],
        present_ids=[world.trainee.pk],
        trainee_ids=[world.trainee.pk],
    )
    client.force_login(world.coordinator)
    page = client.get(f"/en/cohorts/{world.cohort.pk}/audit/").content.decode()
    for message in ["Membership changed", "Invited to the cohort", "Invitation accepted", "Attendance taken"]:
        assert message in page, message
    assert "学员乙" in page and "协调员甲" in page
    client.force_login(world.trainee)
    assert client.get(f"/en/cohorts/{world.cohort.pk}/audit/").status_code == 403
    client.force_login(world.other_coordinator)
    assert client.get(f"/en/cohorts/{world.cohort.pk}/audit/").status_code == 404
