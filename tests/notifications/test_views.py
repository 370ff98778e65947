import pytest

from notifications.models import Notification
from notifications.services import notification_send
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def announce(recipient, title="开班通知", url="/dashboard/"):
    return notification_send(recipient=recipient, kind="announcement", context={"title": title}, url=url)


def test_the_inbox_lists_ones_own_messages_with_an_unread_count(client):
    me, other = make_user(), make_user()
    announce(me, title="给我的消息")
    announce(other, title="别人的消息")
    client.force_login(me)
    page = client.get("/notifications/").content.decode()
    assert "给我的消息" in page
    assert "别人的消息" not in page
    assert 'class="badge"' in page


def test_marking_read_and_opening_goes_to_the_link(client):
    me = make_user()
    notification = announce(me)
    client.force_login(me)
    response = client.post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    notification.refresh_from_db()
    assert notification.is_read


def test_someone_elses_notification_answers_404_and_stays_unread(client):
    me, other = make_user(), make_user()
    theirs = announce(other)
    client.force_login(me)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_an_offsite_link_is_never_followed(client):
    me = make_user()
    notification = announce(me, url="https://evil.example.com/")
    client.force_login(me)
    assert client.post(f"/notifications/{notification.pk}/read/", {"open": "1"}).status_code == 404


def test_mark_all_read(client):
    me = make_user()
    announce(me, title="一")
    announce(me, title="二")
    client.force_login(me)
    client.post("/en/notifications/read-all/")
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_the_inbox_query_count_does_not_grow_with_messages(client, django_assert_num_queries):
    me = make_user()
    client.force_login(me)
    for index in range(2):
        announce(me, title=f"消息{index}")
    client.get("/notifications/")  # warm the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/notifications/")
    for index in range(2, 20):
        announce(me, title=f"消息{index}")
    with CaptureQueriesContext(connection) as large:
        client.get("/notifications/")
    assert len(small) == len(large)
