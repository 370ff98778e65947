"""Small frictions of each role found by reading every page in zh-hans (issue 19)."""

import pytest

from tests.factories.accounts import make_user
from training.models import CohortMembership, CohortRegion, CohortStatus, EnrolmentImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiting(world):
    world.cohort.status = CohortStatus.RECRUITING
    world.cohort.save()
    return world.cohort


def test_an_application_from_a_region_without_seats_is_refused_when_sent(client, world, recruiting):
    CohortRegion.objects.filter(cohort=recruiting, region=world.region_b).update(quota=1)
    # world.trainee (Anhui) already holds Anhui's only seat.
    person = make_user(email="applicant@example.com", region=world.region_b)
    client.force_login(person)
    response = client.post(f"/cohorts/{recruiting.pk}/apply/", {"statement": "希望跟岗学习"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "安徽省本期已无剩余名额" in page
    assert not CohortMembership.objects.filter(user=person).exists()


def test_an_application_from_a_region_with_seats_is_still_sent(client, world, recruiting):
    CohortRegion.objects.filter(cohort=recruiting, region=world.region_b).update(quota=2)
    person = make_user(email="applicant@example.com", region=world.region_b)
    client.force_login(person)
    response = client.post(f"/cohorts/{recruiting.pk}/apply/", {"statement": "希望跟岗学习"})
    assert response.status_code == 302
    assert CohortMembership.objects.get(user=person).status == "applied"


def test_a_failed_import_shows_no_unfinished_progress(client, world):
    record = EnrolmentImport.objects.create(
        cohort=world.cohort,
        uploaded_by=world.coordinator,
        filename="people.csv",
        total_rows=10,
        processed_rows=10,
        status="failed",
        errors=[{"row": 2, "field": "region", "code": "unknown_region", "message": "未知地区"}],
    )
    client.force_login(world.coordinator)
    page = client.get(f"/imports/{record.pk}/").content.decode()
    assert "90%" not in page and "<progress" not in page
    assert "未导入任何数据" in page
    assert client.get(f"/imports/{record.pk}/status/").json()["percent"] == 100


def test_trainees_choose_only_among_messages_they_can_receive(client, world):
    """The coordinators' kinds (new applications, the weekly at-risk digest) are not offered to a trainee."""
    client.force_login(world.trainee)
    trainee_page = client.get("/notifications/preferences/").content.decode()
    client.force_login(world.coordinator)
    coordinator_page = client.get("/notifications/preferences/").content.decode()
    for label in ("风险学员每周汇总", "新的研修班申请"):
        assert label not in trainee_page
        assert label in coordinator_page
    assert "活动报名成功" in trainee_page


def test_the_mentor_wish_form_shows_each_mentors_school_region_and_focus(client, world):
    from mentorship.models import FocusArea, HostProfile

    HostProfile.objects.create(
        user=world.mentor, school=world.mentor.profile.school, focus_areas=[FocusArea.LEADING_TEACHING]
    )
    client.force_login(world.trainee)
    page = client.get(f"/mentorship/cohorts/{world.cohort.pk}/preferences/").content.decode()
    school = world.mentor.profile.school.name
    assert f"导师甲 · {school}（上海市） · 关注领域：领导课程教学" in page
