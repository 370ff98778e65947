"""Joining a studio, running it, and who sees it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from studios import services
from studios.models import StudioMembership, StudioRole
from tests.factories.accounts import make_user
from tests.factories.studios import add_studio_member, studio_world

pytestmark = pytest.mark.django_db
Status = StudioMembership.Status


@pytest.fixture
def sworld(world):
    return studio_world(world)


def test_an_outsider_applies_and_the_co_leader_accepts(sworld):
    w = sworld
    membership = services.studio_apply(acting_user=w.other_trainee, studio=w.studio, message="想学习大单元教学")
    assert membership.status == Status.APPLIED
    # The leader and the co-leader are told once each.
    told = Notification.objects.filter(kind="studios.application", target_id=membership.pk)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([w.studio_leader.pk, w.mentor.pk])

    services.application_decide(acting_user=w.mentor, studio=w.studio, membership_id=membership.pk, accept=True)
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    assert Notification.objects.filter(kind="studios.application", recipient=w.other_trainee).count() == 1


def test_applying_twice_is_refused_and_changes_nothing(sworld):
    w = sworld
    first = services.studio_apply(acting_user=w.other_trainee, studio=w.studio, message="第一次")
    with pytest.raises(ValidationError, match="已申请加入"):
        services.studio_apply(acting_user=w.other_trainee, studio=w.studio, message="第二次")
    first.refresh_from_db()
    assert first.message == "第一次"
    assert StudioMembership.objects.filter(studio=w.studio, person=w.other_trainee).count() == 1


def test_a_member_cannot_join_again(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    response = client.post(f"/studios/{w.studio.pk}/apply/", {"message": "再次"}, follow=True)
    assert "您已经是这个工作室的成员" in response.content.decode()
    w.studio_member_place.refresh_from_db()
    assert w.studio_member_place.status == Status.ACTIVE and w.studio_member_place.message == ""


def test_invitation_from_any_region_accepted_on_the_list(sworld, client):
    w = sworld
    services.studio_invite(acting_user=w.mentor, studio=w.studio, email=w.other_mentor.email.upper())
    assert Notification.objects.filter(kind="studios.invitation", recipient=w.other_mentor).count() == 1
    client.force_login(w.other_mentor)
    assert f"/studios/{w.studio.pk}/invitation/" in client.get("/studios/").content.decode()
    response = client.post(f"/studios/{w.studio.pk}/invitation/", {"decision": "accept"})
    assert response.status_code == 302 and response["Location"] == f"/studios/{w.studio.pk}/"
    assert client.get(f"/studios/{w.studio.pk}/").status_code == 200


def test_inviting_a_member_or_an_unknown_address_changes_nothing(sworld):
    w = sworld
    with pytest.raises(ValidationError, match="已经是本工作室成员"):
        services.studio_invite(acting_user=w.mentor, studio=w.studio, email=w.trainee.email)
    with pytest.raises(ValidationError):
        services.studio_invite(acting_user=w.mentor, studio=w.studio, email="nobody@example.com")
    assert not Notification.objects.filter(kind="studios.invitation").exists()
    w.studio_member_place.refresh_from_db()
    assert w.studio_member_place.status == Status.ACTIVE


def test_members_cannot_run_the_studio(sworld):
    w = sworld
    with pytest.raises(PermissionDenied):
        services.studio_invite(acting_user=w.trainee, studio=w.studio, email=w.other_mentor.email)
    with pytest.raises(PermissionDenied):
        services.co_leader_set(
            acting_user=w.mentor, studio=w.studio, membership_id=w.studio_member_place.pk, co_leader=True
        )
    services.co_leader_set(
        acting_user=w.studio_leader, studio=w.studio, membership_id=w.studio_member_place.pk, co_leader=True
    )
    w.studio_member_place.refresh_from_db()
    assert w.studio_member_place.role == StudioRole.CO_LEADER


def test_studio_page_shows_plan_and_people_to_members_only(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    page = client.get(f"/studios/{w.studio.pk}/").content.decode()
    assert "内部备课会" in page and "名师丙" in page and "导师甲" in page
    # Members do not see the leaders' tools.
    assert "申请人丁" not in page
    client.force_login(w.mentor)
    assert "申请人丁" in client.get(f"/studios/{w.studio.pk}/").content.decode()
    client.force_login(w.other_trainee)
    assert client.get(f"/studios/{w.studio.pk}/").status_code == 404


def test_activity_with_a_bad_date_is_refused_with_a_message(sworld, client):
    w = sworld
    client.force_login(w.mentor)
    response = client.post(
        f"/studios/{w.studio.pk}/plan/activities/", {"title": "评课", "date": "2026-13-40"}, follow=True
    )
    assert "有效的日期" in response.content.decode()
    assert not w.studio.plans.filter(activities__title="评课").exists()
    client.post(f"/studios/{w.studio.pk}/plan/activities/", {"title": "评课", "date": "2027-03-02", "is_public": "on"})
    assert w.studio.plans.get(year=2027).activities.get().is_public


def test_mentor_record_lists_the_mentors_studios(sworld, client):
    client.force_login(sworld.mentor)
    page = client.get("/mentorship/record/").content.decode()
    assert "徐汇名师工作室" in page and "联合主持人" in page


def test_studio_page_query_count_does_not_grow_with_members(sworld, client, django_assert_max_num_queries):
    w = sworld
    client.force_login(w.mentor)
    client.get(f"/studios/{w.studio.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from studios.freshness import studio_token
    from versioned import renew

    # Composed afresh (the first visit after a change), then as kept in the cache.
    renew(studio_token(w.studio.pk))
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/studios/{w.studio.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as small_kept:
        assert client.get(f"/studios/{w.studio.pk}/").status_code == 200
    for _ in range(15):
        add_studio_member(w.studio, make_user(region=w.region_b))
        add_studio_member(w.studio, make_user(), status=Status.APPLIED)
    renew(studio_token(w.studio.pk))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/studios/{w.studio.pk}/").status_code == 200
    with django_assert_max_num_queries(len(small_kept.captured_queries)):
        assert client.get(f"/studios/{w.studio.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as small_list:
        client.get("/studios/")
    from tests.factories.studios import make_studio

    for n in range(5):
        make_studio(name=f"工作室{n}", region=w.region_b)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert client.get("/studios/").status_code == 200
