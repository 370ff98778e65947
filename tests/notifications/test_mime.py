"""A reader's copy of a shared MIME message is byte for byte the message Django would have built."""

import email
import email.policy
from unittest import mock

import pytest
from django.core.mail import EmailMultiAlternatives

from notifications.mime import TEXT_LINK, PersonalEmail, PersonalMessage, SharedMessage

DATE = "Sun, 29 Nov 2026 08:00:00 +0800"
TEXT = f"秋季研修开班\n\nOpen: https://yingzi.example/x/?a=1&b=2\n\n退订：{TEXT_LINK}\n"
HTML = f'<p>秋季研修开班 &amp; &lt;通知&gt;</p>\n<p><a href="{TEXT_LINK}">退订</a> · <a href="/p/">偏好</a></p>\n'
LINK = "https://yingzi.example/notifications/unsubscribe/eyJ1IjoxMjMsImsiOiJhbm5vdW5jZW1lbnQifQ:1v5abc:Zx-9_q/"


def shared(text=TEXT, html=HTML) -> SharedMessage:
    return SharedMessage(subject="[影子 Yingzi] 秋季研修开班", text=text, html=html)


def personal(message: SharedMessage, *, address="读者 <reader@example.com>", link=LINK) -> PersonalEmail:
    headers = {"Message-ID": "<0123abcd@yingzi.example>"}
    if link:
        headers |= {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return PersonalEmail(shared=message, unsubscribe_url=link, to=[address], headers=headers)


def django_bytes(copy: PersonalEmail, boundary: str, linesep: str) -> bytes:
    """What Django itself builds from the same attributes, with the same boundary."""
    plain = EmailMultiAlternatives(
        subject=copy.subject, body=copy.body, from_email=copy.from_email, to=copy.to, headers=copy.extra_headers
    )
    for content, mimetype in copy.alternatives:
        plain.attach_alternative(content, mimetype)
    message = plain.message()
    message.set_boundary(boundary)
    return message.as_bytes(linesep=linesep)


@pytest.fixture(autouse=True)
def fixed_date():
    with (
        mock.patch("notifications.mime.formatdate", return_value=DATE),
        mock.patch("django.core.mail.message.formatdate", return_value=DATE),
    ):
        yield


@pytest.mark.parametrize("linesep", ["\r\n", "\n"])
@pytest.mark.parametrize("link", [LINK, ""])
def test_a_readers_copy_is_the_message_django_builds(linesep, link):
    message = shared() if link else shared(text=TEXT.replace(TEXT_LINK, ""), html=HTML.replace(TEXT_LINK, ""))
    for address in ["reader@example.com", "读者 <reader@example.com>", "someone.with.a.long.name@example.com"]:
        copy = personal(message, address=address, link=link)
        built = copy.message()
        assert isinstance(built, PersonalMessage)
        data = built.as_bytes(linesep=linesep)
        assert data == django_bytes(copy, message.boundary, linesep)
        assert b"placeholder" not in data
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        text, html = (part.get_content().replace("\r\n", "\n") for part in parsed.iter_parts())
        assert text == copy.body and html == copy.alternatives[0][0]
        if link:
            assert link in text and link in html and parsed["List-Unsubscribe"].strip() == f"<{link}>"


def test_the_copies_share_nothing_they_could_change_in_each_other():
    message = shared()
    first, second = personal(message).message(), personal(message, address="b@example.com", link=LINK + "2/").message()
    first["X-Extra"] = "1"
    first.get_payload()[0]["X-Part"] = "1"
    assert "X-Extra" not in second and "X-Part" not in second.get_payload()[0]
    assert "X-Extra" not in message.message and "X-Part" not in message.parts[0]
    # A changed copy is serialised the usual way, with the change in it.
    assert b"X-Extra: 1" in first.as_bytes() and b"X-Part: 1" in first.as_bytes()
    assert b"X-Extra" not in second.as_bytes()


def test_a_link_that_would_pass_the_line_limit_gets_djangos_own_message():
    long_line = "x" * 900 + TEXT_LINK
    message = shared(text=f"{long_line}\n", html=f"<p>{long_line}</p>\n")
    copy = personal(message, link="https://yingzi.example/" + "a" * 200)
    built = copy.message()
    assert not isinstance(built, PersonalMessage)
    assert built.get_payload()[0]["Content-Transfer-Encoding"] == "quoted-printable"


def test_an_e_mail_changed_after_it_was_made_gets_djangos_own_message():
    copy = personal(shared())
    copy.body += "PS"
    built = copy.message()
    assert not isinstance(built, PersonalMessage)
    assert built.get_payload()[0].get_payload(decode=True).decode().endswith("PS")


def test_a_link_outside_ascii_gets_djangos_own_message():
    copy = personal(shared(), link="https://影子.example/notifications/unsubscribe/abc/")
    built = copy.message()
    assert not isinstance(built, PersonalMessage)
    assert "影子.example" in built.get_payload()[0].get_payload(decode=True).decode()
