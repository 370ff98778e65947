"""Dead deliveries are visible to staff with their error, and can be retried."""

import smtplib

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from notifications.models import Delivery, DeliveryStatus
from notifications.services import delivery_send, notification_send
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_delivery(monkeypatch):
    person = make_user(email="bounced@example.com")
    notification_send(recipient=person, kind="announcement", context={"title": "秋季研修开班"})
    delivery = Delivery.objects.get()

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"bounced@example.com": (550, b"mailbox unavailable")})

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.DEAD
    return delivery


def test_staff_see_dead_deliveries_with_their_error(client, dead_delivery):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get("/django-admin/notifications/delivery/?status__exact=dead").content.decode()
    assert "mailbox unavailable" in page


def test_staff_retry_a_dead_delivery_and_it_is_sent_once(client, dead_delivery, django_capture_on_commit_callbacks):
    staff = make_user(is_staff=True, is_superuser=True)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/django-admin/notifications/delivery/",
            {"action": "retry_deliveries", "_selected_action": [dead_delivery.pk]},
            follow=True,
        )
    assert "已重新排队 1 条投递" in response.content.decode()
    dead_delivery.refresh_from_db()
    assert dead_delivery.status == DeliveryStatus.SENT
    assert dead_delivery.attempts == 1
    assert [message.to for message in mail.outbox] == [["bounced@example.com"]]
    entry = ModelLogEntry.objects.get(action="notifications.delivery.retry")
    assert entry.user_id == staff.pk


def test_only_staff_may_retry(dead_delivery):
    from notifications.services import deliveries_retry

    with pytest.raises(PermissionError):
        deliveries_retry(acting_user=make_user(), delivery_ids=[dead_delivery.pk])
    dead_delivery.refresh_from_db()
    assert dead_delivery.status == DeliveryStatus.DEAD


@pytest.fixture
def failing_and_dead(dead_delivery):
    failing = make_user(email="waiting@example.com")
    notification_send(recipient=failing, kind="announcement", context={"title": "秋季研修开班"})
    Delivery.objects.filter(notification__recipient=failing).update(status=DeliveryStatus.FAILED)
    return dead_delivery


def test_staff_see_how_many_e_mails_are_failing_and_dead_on_the_wagtail_dashboard(client, home_page, failing_and_dead):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get("/cms-admin/").content.decode()
    assert "1 封发送失败，将自动重试" in page
    assert "1 封已停止重试，可在后台重新发送" in page
    assert "/django-admin/notifications/delivery/?status__exact=dead" in page


def test_editors_who_cannot_retry_deliveries_do_not_get_the_panel(client, world, home_page, failing_and_dead):
    client.force_login(world.editor)
    response = client.get("/cms-admin/")
    assert response.status_code == 200
    assert "delivery-problems" not in response.content.decode()
    assert "?status__exact=dead" not in response.content.decode()


def test_the_delivery_list_counts_each_status_beside_its_filter(client, failing_and_dead):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get("/django-admin/notifications/delivery/").content.decode()
    assert "发送失败，已停止重试 (1)" in page
    assert "发送失败，将重试 (1)" in page
