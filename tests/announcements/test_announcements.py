"""Announcements reach their audience once, in each reader's language, now or at their time."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from announcements.models import Announcement, AnnouncementStatus
from announcements.services import announcement_create, announcement_send, announcements_send_due
from notifications.models import Notification
from tests.factories.accounts import make_user
from tests.factories.training import add_member

pytestmark = pytest.mark.django_db


def draft(world, **fields):
    data = {
        "scope": "cohort",
        "cohort": world.cohort,
        "roles": ["trainee"],
        "title": "集中研修调整",
        "body": "改到周五。",
    }
    data.update(fields)
    return announcement_create(acting_user=world.coordinator, data=data)


def test_a_cohort_announcement_reaches_each_trainee_once_in_their_language(world, django_capture_on_commit_callbacks):
    english = make_user(email="reader@example.com", display_name="Reader", preferred_language="en")
    add_member(world.cohort, english, "trainee")
    announcement = draft(world, title_en="Workshop moved", body_en="Now on Friday.")
    with django_capture_on_commit_callbacks(execute=True):
        announcement_send(announcement=announcement, acting_user=world.coordinator)
    messages = Notification.objects.filter(kind="announcement", target_id=announcement.pk)
    readers = {n.recipient_id: n.context for n in messages}
    assert set(readers) == {world.trainee.pk, english.pk}  # trainees only: no mentor, no coordinator
    assert readers[english.pk]["title"] == "Workshop moved"
    assert readers[world.trainee.pk]["title"] == "集中研修调整"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.trainee.email, english.email])
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.SENT and announcement.recipient_count == 2
    # Sending again is refused, and the due sweep finds nothing: still one message each.
    with pytest.raises(ValidationError, match="已发送"):
        announcement_send(announcement=announcement, acting_user=world.coordinator)
    assert announcements_send_due() == 0
    assert messages.count() == 2


def test_a_scheduled_announcement_is_sent_once_at_its_time(world, django_capture_on_commit_callbacks):
    later = timezone.now() + datetime.timedelta(hours=2)
    announcement = announcement_send(announcement=draft(world, send_at=later), acting_user=world.coordinator)
    assert announcement.status == AnnouncementStatus.SCHEDULED
    assert announcements_send_due() == 0
    assert not Notification.objects.filter(kind="announcement").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert announcements_send_due(now=later + datetime.timedelta(minutes=1)) == 1
        assert announcements_send_due(now=later + datetime.timedelta(minutes=2)) == 0
    assert Notification.objects.filter(kind="announcement", recipient=world.trainee).count() == 1


def test_a_regional_admin_reaches_the_regions_people_only(world):
    announcement = announcement_create(
        acting_user=world.regional_admin,
        data={"scope": "region", "region": world.region_b, "title": "安徽省通知", "body": "请查收。"},
    )
    announcement_send(announcement=announcement, acting_user=world.regional_admin)
    reached = set(Notification.objects.filter(target_id=announcement.pk).values_list("recipient_id", flat=True))
    assert world.trainee.pk in reached  # Anhui
    assert world.mentor.pk not in reached and world.other_trainee.pk not in reached  # Shanghai


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"send_at": "2020-01-01T09:00"}, "send_at", "Choose a time in the future"),
        ({"title_en": "Only a title"}, "body_en", "Write the English message too"),
        ({"title": ""}, "title", "This field is required."),
        ({"audience": "platform"}, "audience", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_sends_nothing(client, world, overrides, field, message):
    client.force_login(world.coordinator)
    data = {"audience": f"cohort:{world.cohort.pk}", "title": "通知", "body": "内容", **overrides}
    response = client.post("/en/announcements/new/", data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Announcement.objects.exists()
    assert not Notification.objects.filter(kind="announcement").exists()


def test_another_regions_audience_cannot_be_addressed(client, world):
    client.force_login(world.regional_admin)  # Anhui's office
    response = client.post(
        "/en/announcements/new/", {"audience": f"region:{world.region_a.pk}", "title": "通知", "body": "内容"}
    )
    assert "Select a valid choice." in " ".join(response.context["form"].errors["audience"])
    assert not Announcement.objects.exists()


def test_the_sender_previews_both_languages_then_sees_how_it_went(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    response = client.post(
        "/announcements/new/",
        {"audience": f"cohort:{world.cohort.pk}", "roles": ["trainee"], "title": "通知", "body": "内容"},
    )
    detail = response["Location"]
    page = client.get(detail).content.decode()
    assert "内容" in page and "No English text" not in page  # the Chinese site says it in Chinese
    assert "1" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail + "send/")
    Notification.objects.filter(kind="announcement").update(read_at=timezone.now())
    figures = client.get(detail).context["figures"]
    assert figures["total"] == 1 and figures["read"] == 1 and figures["delivered"] == 1 and figures["failed"] == 0
