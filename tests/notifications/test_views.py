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


def test_the_preferences_page_is_reachable_from_the_inbox_and_account_settings(client, kinds):
    me = make_user()
    client.force_login(me)
    assert "/notifications/preferences/" in client.get("/notifications/").content.decode()
    assert "/notifications/preferences/" in client.get("/account/profile/").content.decode()
    page = client.get("/en/notifications/preferences/").content.decode()
    assert "Pairing news" in page
    assert 'name="cadence__test.pairing__email"' in page
    # Mandatory kinds are listed as always sent, with nothing to change.
    assert "Invitation" in page
    assert 'name="cadence__test.invitation__email"' not in page


def preferences_form(**cadences):
    data = {"quiet_hours_enabled": "on", "quiet_start": "22:00", "quiet_end": "07:00"}
    data.update({f"cadence__{kind}__email": value for kind, value in cadences.items()})
    return data


def test_saving_preferences(client, kinds):
    from notifications.models import NotificationPreference, QuietHours

    me = make_user()
    client.force_login(me)
    data = preferences_form(**{"test.pairing": "digest"})
    data.update(quiet_start="23:00", quiet_end="06:30")
    response = client.post("/en/notifications/preferences/", data, follow=True)
    assert "Your notification preferences have been saved." in response.content.decode()
    assert NotificationPreference.objects.get(user=me, kind="test.pairing").cadence == "digest"
    quiet = QuietHours.objects.get(user=me)
    assert (quiet.start.hour, quiet.end.hour, quiet.end.minute) == (23, 6, 30)


def test_a_forged_post_turning_off_a_mandatory_kind_is_refused_and_changes_nothing(client, kinds):
    from notifications.models import NotificationPreference, QuietHours

    me = make_user()
    client.force_login(me)
    data = preferences_form(**{"test.pairing": "off", "test.invitation": "off"})
    data.update(quiet_start="21:00")
    response = client.post("/en/notifications/preferences/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be turned off" in page and "Invitation" in page
    assert not NotificationPreference.objects.filter(user=me).exists()
    assert not QuietHours.objects.filter(user=me).exists()
    # And in Chinese, the refusal is translated.
    page = client.post("/notifications/preferences/", data).content.decode()
    assert "不能关闭" in page


def test_a_forged_cadence_value_is_a_field_error(client, kinds):
    from notifications.models import NotificationPreference

    me = make_user()
    client.force_login(me)
    response = client.post("/en/notifications/preferences/", preferences_form(**{"test.pairing": "hourly"}))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()
