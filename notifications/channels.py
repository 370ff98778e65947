"""Outside channels. A channel is a small class; add SMS or WeCom beside e-mail."""

from abc import ABC, abstractmethod

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .kinds import get_kind
from .models import Delivery, Notification


def render_subject(notification: Notification) -> str:
    kind = get_kind(notification.kind)
    try:
        return str(kind.subject).format(**notification.context)
    except (KeyError, IndexError, ValueError):
        # A missing value must not stop the message; show the kind's name instead.
        return str(kind.label)


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


class Channel(ABC):
    key: str = ""

    @abstractmethod
    def send(self, delivery: Delivery) -> None:
        """Send one delivery; raise on failure so the caller records it."""


class EmailChannel(Channel):
    key = "email"

    def build_message(self, notification: Notification) -> EmailMultiAlternatives:
        recipient = notification.recipient
        kind = get_kind(notification.kind)
        with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "notification": notification,
                "recipient": recipient,
                "subject": render_subject(notification),
                "url": absolute_url(notification.url),
                "site_url": settings.WAGTAILADMIN_BASE_URL,
                **notification.context,
            }
            subject = context["subject"]
            text = render_to_string(f"email/{kind.template}.txt", context)
            html = render_to_string(f"email/{kind.template}.html", context)
        message = EmailMultiAlternatives(subject=f"[影子 Yingzi] {subject}", body=text, to=[recipient.email])
        message.attach_alternative(html, "text/html")
        if kind.attachments is not None:
            for filename, content, mimetype in kind.attachments(notification):
                message.attach(filename, content, mimetype)
        return message

    def send(self, delivery: Delivery) -> None:
        self.build_message(delivery.notification).send(fail_silently=False)


CHANNELS: dict[str, Channel] = {EmailChannel.key: EmailChannel()}
