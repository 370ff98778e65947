"""The e-mail itself: both formats, both languages, one-click unsubscribe with signed links."""

import pytest
from django.core import mail, signing
from django.template.loader import render_to_string
from django.utils import translation

from notifications.channels import UNSUBSCRIBE_SALT, EmailChannel, unsubscribe_token
from notifications.kinds import all_kinds
from notifications.models import Cadence, Delivery, NotificationPreference
from notifications.services import notification_send
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def sent_email(person, kind="test.pairing", django_capture_on_commit_callbacks=None, **context):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=person, kind=kind, context={"title": "结对已确认", **context}, url="/dashboard/", occasion=kind
        )
    return mail.outbox[-1]


def test_an_email_has_text_and_html_and_one_click_unsubscribe_headers(kinds, django_capture_on_commit_callbacks):
    person = make_user(preferred_language="en")
    message = sent_email(person, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert message.alternatives[0][1] == "text/html"
    assert "结对已确认" in message.body and "结对已确认" in message.alternatives[0][0]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/en/notifications/unsubscribe/") and unsubscribe.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in message.body and unsubscribe[1:-1] in message.alternatives[0][0]
    assert message.extra_headers["Message-ID"].startswith("<")


def test_mandatory_messages_have_no_unsubscribe_link(kinds, django_capture_on_commit_callbacks):
    message = sent_email(
        make_user(), kind="test.invitation", django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/unsubscribe/" not in message.body


def test_the_same_delivery_always_has_the_same_message_id(kinds):
    person = make_user()
    notification_send(recipient=person, kind="test.pairing", context={"title": "T"})
    delivery = Delivery.objects.select_related("notification__recipient").get()
    channel = EmailChannel()
    first = channel.build_message(delivery.notification, delivery).extra_headers["Message-ID"]
    again = channel.build_message(delivery.notification, delivery).extra_headers["Message-ID"]
    assert first == again


def test_one_click_unsubscribe_turns_off_that_kind_only(client, kinds, django_capture_on_commit_callbacks):
    person = make_user(preferred_language="en")
    message = sent_email(person, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    url = message.extra_headers["List-Unsubscribe"][1:-1].removeprefix("http://testserver")
    # A mail program posts without cookies or CSRF token (RFC 8058).
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You will no longer get e-mails about" in response.content.decode()
    assert NotificationPreference.objects.get(user=person, kind="test.pairing").cadence == Cadence.OFF
    assert not NotificationPreference.objects.filter(kind="test.invitation").exists()


def test_opening_the_link_only_asks_for_confirmation(client, kinds):
    person = make_user()
    token = unsubscribe_token(user_id=person.pk, kind="test.pairing")
    response = client.get(f"/en/notifications/unsubscribe/{token}/")
    assert response.status_code == 200
    assert "Stop these e-mails" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_forged_unsubscribe_link_gets_a_clear_page_and_changes_nothing(client, kinds):
    person = make_user()
    token = unsubscribe_token(user_id=person.pk, kind="test.pairing")
    forged = signing.dumps({"u": person.pk + 1, "k": "test.pairing"}, salt="another salt")
    for bad in (forged, token[:-2] + "xx", "nonsense"):
        response = client.post(f"/en/notifications/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert "退订链接无效" in client.get("/notifications/unsubscribe/nonsense/").content.decode()


def test_an_expired_unsubscribe_link_gets_a_clear_page_and_changes_nothing(client, kinds, monkeypatch):
    import time

    person = make_user()
    token = unsubscribe_token(user_id=person.pk, kind="test.pairing")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 91 * 24 * 3600)
    response = client.post(f"/en/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_signed_link_for_a_mandatory_kind_is_refused(client, kinds):
    person = make_user()
    token = signing.dumps({"u": person.pk, "k": "test.invitation"}, salt=UNSUBSCRIBE_SALT)
    response = client.post(f"/en/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "cannot be turned off" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_unsubscribing_from_the_digest_turns_off_what_it_carried(client, kinds):
    from notifications.services import notification_preferences_update

    person = make_user()
    notification_preferences_update(acting_user=person, cadences={("test.pairing", "email"): Cadence.DIGEST})
    token = unsubscribe_token(user_id=person.pk, kind="digest")
    assert client.post(f"/en/notifications/unsubscribe/{token}/").status_code == 200
    assert NotificationPreference.objects.get(user=person, kind="test.pairing").cadence == Cadence.OFF


@pytest.mark.parametrize("language,footer", [("zh-hans", "影子联合研修平台"), ("en", "Yingzi joint training platform")])
def test_every_kind_renders_in_both_languages(kinds, language, footer):
    """Each registered kind's e-mail, text and HTML, in each language, without a template error."""
    person = make_user(preferred_language=language)
    channel = EmailChannel()
    for kind in all_kinds():
        notification = notification_send(
            recipient=person,
            kind=kind.key,
            context={"title": "T", "message": "M", "email": "new@example.com", "day": "2026-12-02", "count": 0},
            url="/dashboard/",
            occasion="render",
        )
        message = channel.build_message(notification)
        assert footer in message.body, kind.key
        assert footer in message.alternatives[0][0], kind.key
        assert message.subject.strip() != "[影子 Yingzi]", kind.key


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_email_template_renders_in_both_languages(language):
    from pathlib import Path

    from django.conf import settings

    for template in sorted((Path(settings.BASE_DIR) / "templates/email").glob("*.*")):
        with translation.override(language):
            rendered = render_to_string(f"email/{template.name}", {"groups": [], "count": 0, "subject": "S"})
        assert rendered.strip(), template.name


def test_a_batch_renders_an_announcement_once_per_language_yet_each_reader_gets_their_own_links(kinds):
    """Shared renders must not leak one reader's unsubscribe link (or language) into another's e-mail."""
    from notifications.services import deliveries_send

    people = [make_user(preferred_language=language) for language in ("en", "zh-hans", "en", "zh-hans")]
    for person in people:
        # Different content for the last one: it must not get the others' render.
        title = "<另一条> & more" if person is people[-1] else "开班 & <通知>"
        notification_send(recipient=person, kind="test.pairing", context={"title": title}, url="/x/?a=1&b=2")
    deliveries_send(delivery_ids=list(Delivery.objects.order_by("pk").values_list("pk", flat=True)))

    assert len(mail.outbox) == 4
    by_address = {message.to[0]: message for message in mail.outbox}
    for person in people:
        message = by_address[person.email]
        own_link = message.extra_headers["List-Unsubscribe"][1:-1]
        assert signing.loads(own_link.rsplit("/", 2)[-2], salt=UNSUBSCRIBE_SALT) == {
            "u": person.pk,
            "k": "test.pairing",
        }
        html = message.alternatives[0][0]
        assert own_link in message.body and own_link in html
        assert "placeholder" not in message.body and "placeholder" not in html
        assert ("Open in Yingzi" in html) == (person.preferred_language == "en")
        assert f'lang="{person.preferred_language}"' in html
        assert "a=1&amp;b=2" in html and "a=1&b=2" in message.body
    assert "开班 &amp; &lt;通知&gt;" in by_address[people[0].email].alternatives[0][0]
    assert "&lt;另一条&gt; &amp; more" in by_address[people[-1].email].alternatives[0][0]
    assert by_address[people[-1].email].subject == "[影子 Yingzi] <另一条> & more"


def test_sending_a_batch_takes_a_few_queries_plus_one_mark_per_e_mail(kinds, django_assert_num_queries):
    """Each row's claim is renewed just before its e-mail and the row marked sent right after; nothing else per row."""
    from notifications.services import deliveries_send

    people = [make_user() for _ in range(20)]
    for person in people:
        notification_send(recipient=person, kind="test.pairing", context={"title": "T"})
    ids = list(Delivery.objects.values_list("pk", flat=True))
    # Lock and claim in one transaction (a savepoint here: 4), read the claimed rows with
    # their people (1), then per e-mail the claim's renewal and the mark.
    with django_assert_num_queries(5 + 2 * len(people)):
        outcome = deliveries_send(delivery_ids=ids)
    assert outcome["sent"] == 20
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_line_break_in_a_name_never_breaks_the_subject(kinds, django_capture_on_commit_callbacks):
    """A name stored before names were checked (or by the admin) still gives a one-line subject."""
    person = make_user(preferred_language="en")
    message = sent_email(
        person,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
        title="王芳\r\nBcc: victim@example.com",
    )
    assert message.subject.endswith("王芳 Bcc: victim@example.com")
    headers = message.message()
    assert "Bcc" not in headers and "\n" not in headers["Subject"]
