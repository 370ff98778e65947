"""Channels: where a notification goes besides the inbox.

A channel is a small class. The inbox is the `InAppChannel`: the
`Notification` row itself, always written. Every *outside* channel (e-mail
today) gets one `Delivery` row per message, which the workers drain through
`send_many`. To add SMS or WeCom, subclass `Channel`, implement `send_many`,
and call `register_channel(...)` in an `AppConfig.ready()`: callers of
`notification_send` change nothing, and the preferences page shows the new
column by itself.
"""

import hashlib
import json
import smtplib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .kinds import DIGEST_KIND, get_kind
from .mime import TEXT_LINK, PersonalEmail, SharedMessage
from .models import Delivery, Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# Unsubscribe links in old e-mails stop working after this long (seconds).
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 90
# Templates that render only the kind, the context, the link and the footer's
# links, never the recipient or the notification row: a batch renders each of
# them once per language and content, builds its MIME message once (see
# mime.py), and puts in each reader's own address, Message-ID and unsubscribe
# link. An announcement to 10,000 people is rendered twice, not 20,000 times
# (the pair of renders cost about 0.4 ms per e-mail, the MIME message 0.5 ms).
SHARED_TEMPLATES = frozenset({"notification"})


def render_subject(notification: Notification) -> str:
    """The subject line, always one line whatever the names and titles in it hold."""
    kind = get_kind(notification.kind)
    try:
        subject = str(kind.subject).format(**notification.context)
    except (KeyError, IndexError, ValueError):
        # A missing value must not stop the message; show the kind's name instead.
        subject = str(kind.label)
    return one_line(subject)


def one_line(text: str) -> str:
    """Control characters and line breaks become spaces: a header never breaks (nor is refused by Django)."""
    text = "".join(
        " " if ord(character) < 0x20 or character in "\x7f\x85\u2028\u2029" else character for character in text
    )
    return " ".join(text.split())


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed, timestamped token that turns off e-mail of one kind for one person."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


class Channel(ABC):
    key: str = ""
    label = ""
    # Outside channels get a Delivery row per message; the inbox does not.
    outside: bool = True
    # Whether messages on this channel can wait for the daily digest.
    supports_digest: bool = False

    @abstractmethod
    def send_many(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Exception | None]]:
        """Send each delivery; yield it with None, or with the error that stopped it.

        Take the deliveries one at a time, sending each before taking the
        next: the caller renews its claim on a row as it hands it over, so
        that a worker slowed past the stuck threshold never sends a row the
        sweeper has given to another.
        """


class InAppChannel(Channel):
    """The inbox at /notifications/: the Notification row is the message."""

    key = "in_app"
    label = _("Inbox")
    outside = False

    def send_many(self, deliveries):
        raise TypeError("In-app messages are written with the notification; nothing is sent.")


class EmailChannel(Channel):
    key = "email"
    label = _("E-mail")
    supports_digest = True

    def message_id(self, delivery: Delivery) -> str:
        # The same delivery always carries the same Message-ID, so a copy sent
        # again after a worker died mid-send is recognisable as a duplicate.
        digest = hashlib.sha256(delivery.idempotency_key.encode()).hexdigest()[:32]
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "yingzi.example"
        return f"<{digest}@{domain}>"

    def build_message(
        self, notification: Notification, delivery: Delivery | None = None, *, rendered: dict | None = None
    ) -> EmailMultiAlternatives:
        """The e-mail for one notification; `rendered` shares renders of shared templates across a batch."""
        recipient = notification.recipient
        kind = get_kind(notification.kind)
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        headers = {}
        if delivery is not None:
            headers["Message-ID"] = self.message_id(delivery)
        with translation.override(language):
            unsubscribe_url = ""
            if not kind.mandatory or kind.key == DIGEST_KIND:
                token = unsubscribe_token(user_id=recipient.pk, kind=kind.key)
                unsubscribe_url = absolute_url(reverse("notifications:unsubscribe", args=[token]))
                headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            if (
                rendered is not None
                and kind.template in SHARED_TEMPLATES
                and kind.extra_context is None
                and kind.attachments is None
            ):
                key = (
                    kind.key,
                    language,
                    json.dumps(notification.context, sort_keys=True, default=str),
                    notification.url,
                    bool(unsubscribe_url),
                )
                if key not in rendered:
                    subject, text, html = self._render(notification, kind, TEXT_LINK if unsubscribe_url else "")
                    rendered[key] = SharedMessage(subject=f"[影子 Yingzi] {subject}", text=text, html=html)
                return PersonalEmail(
                    shared=rendered[key], unsubscribe_url=unsubscribe_url, to=[recipient.email], headers=headers
                )
            subject, text, html = self._render(notification, kind, unsubscribe_url)
        message = EmailMultiAlternatives(
            subject=f"[影子 Yingzi] {subject}", body=text, to=[recipient.email], headers=headers
        )
        message.attach_alternative(html, "text/html")
        if kind.attachments is not None:
            for filename, content, mimetype in kind.attachments(notification):
                message.attach(filename, content, mimetype)
        return message

    def _render(self, notification: Notification, kind, unsubscribe_url: str) -> tuple[str, str, str]:
        """Subject, text and HTML in the active language."""
        context = {
            "notification": notification,
            "recipient": notification.recipient,
            "kind_label": kind.label,
            "subject": render_subject(notification),
            "url": absolute_url(notification.url),
            "site_url": settings.WAGTAILADMIN_BASE_URL,
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "unsubscribe_url": unsubscribe_url,
            "LANGUAGE_CODE": translation.get_language(),
            **notification.context,
        }
        if kind.extra_context is not None:
            context.update(kind.extra_context(notification))
        text = render_to_string(f"email/{kind.template}.txt", context)
        html = render_to_string(f"email/{kind.template}.html", context)
        return context["subject"], text, html

    def send_many(self, deliveries):
        # One SMTP connection for the whole batch; reopened after an error. Deliveries are taken one at a
        # time, as the caller renews its claim on each just before its e-mail (notifications.services).
        connection = get_connection(fail_silently=False)
        rendered: dict = {}
        unreachable: Exception | None = None
        try:
            for delivery in deliveries:
                if unreachable is not None:
                    # The server refused a new connection: the rest wait for the retry instead of
                    # each waiting for its own connection timeout.
                    yield delivery, unreachable
                    continue
                try:
                    message = self.build_message(delivery.notification, delivery, rendered=rendered)
                    # Straight to the batch's connection: an e-mail that holds its connection is copied with it.
                    connection.send_messages([message])
                except Exception as exc:  # recorded on the delivery by the caller
                    connection.close()
                    if _lost_the_server(exc):
                        try:
                            connection.open()
                        except Exception as again:
                            unreachable = again
                    yield delivery, exc
                else:
                    yield delivery, None
        finally:
            connection.close()


def _lost_the_server(exc: Exception) -> bool:
    """The connection failed, not this message (smtplib's errors are OSErrors too: their answers are per message)."""
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> Channel:
    CHANNELS[channel.key] = channel
    return channel


def outside_channels() -> list[Channel]:
    return [channel for channel in CHANNELS.values() if channel.outside]


register_channel(InAppChannel())
register_channel(EmailChannel())
