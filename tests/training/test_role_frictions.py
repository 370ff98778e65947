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


def shadowing_block(world, school, days_ago=1):
    from django.utils import timezone

    from training.services import schedule_item_create

    now = timezone.now()
    return schedule_item_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "shadowing_block",
            "title": "跟岗实践",
            "title_en": "Shadowing block",
            "starts_at": now - timezone.timedelta(days=days_ago),
            "ends_at": now + timezone.timedelta(days=3),
            "host_school": school,
            "audience": "trainees",
            "location": "接收学校",
        },
    )


def test_a_host_mentor_takes_attendance_at_the_shadowing_block_in_their_own_school(client, world):
    from training.models import Attendance

    item = shadowing_block(world, world.mentor.profile.school)
    client.force_login(world.mentor)
    record = client.get("/mentorship/record/").content.decode()
    assert f"/schedule/{item.pk}/attendance/" in record
    page = client.get(f"/schedule/{item.pk}/attendance/")
    assert page.status_code == 200
    assert "学员甲" in page.content.decode()
    day = page.context["day"].isoformat()
    response = client.post(
        f"/schedule/{item.pk}/attendance/", {"day": day, "trainee": [world.trainee.pk], "present": [world.trainee.pk]}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(schedule_item=item, trainee=world.trainee).present


def test_a_mentor_cannot_take_attendance_at_another_schools_shadowing_block(client, world):
    item = shadowing_block(world, world.trainee.profile.school)
    client.force_login(world.mentor)
    assert client.get(f"/schedule/{item.pk}/attendance/").status_code in (403, 404)
    assert f"/schedule/{item.pk}/attendance/" not in client.get("/mentorship/record/").content.decode()


def test_a_person_who_accepts_an_invitation_is_asked_to_complete_their_profile(client, world):
    from training.selectors import invitation_token
    from training.services import invitation_create

    invitation = invitation_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        email="new.person@example.com",
        display_name="新学员",
        role="trainee",
        region=world.region_b,
    )
    response = client.post(
        f"/invitations/{invitation_token(invitation=invitation)}/",
        {
            "display_name": "王芳",
            "preferred_language": "zh-hans",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/account/profile/")
    page = client.get(response["Location"]).content.decode()
    assert "请完善您的个人资料：学校。" in page


def test_a_person_with_a_complete_profile_goes_straight_to_the_dashboard(client, world):
    from training.selectors import invitation_token
    from training.services import invitation_create

    # world.trainee has a home region and a school.
    invitation = invitation_create(
        cohort=world.other_cohort,
        acting_user=world.other_coordinator,
        email=world.trainee.email,
        display_name=world.trainee.display_name,
        role="trainee",
        region=world.region_b,
    )
    client.force_login(world.trainee)
    response = client.post(f"/invitations/{invitation_token(invitation=invitation)}/")
    assert response.status_code == 302
    assert response["Location"].endswith("/dashboard/")
