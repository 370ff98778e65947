"""A batch renders an announcement once per language and content, yet each reader's e-mail is the one made alone.

The e-mails are Django's own `EmailMultiAlternatives`, sent over the batch's
one connection; only the rendering of the templates is shared.
"""

import pytest
from django.core import mail

from notifications.channels import EmailChannel
from notifications.models import Delivery
from notifications.services import deliveries_send, notification_send
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def _delivery(person, kind):
    notification_send(recipient=person, kind=kind, context={"title": "开班 & <通知>"}, url="/x/?a=1&b=2")
    return Delivery.objects.select_related("notification__recipient").filter(notification__recipient=person).get()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("kind", ["test.pairing", "test.invitation"])
def test_a_readers_e_mail_from_a_shared_render_is_the_one_rendered_alone(kinds, language, kind):
    channel = EmailChannel()
    rendered: dict = {}
    # Another reader first, so that the render is shared and holds the other reader's nothing.
    channel.build_message(_delivery(make_user(preferred_language=language), kind).notification, rendered=rendered)
    delivery = _delivery(make_user(preferred_language=language), kind)
    shared = channel.build_message(delivery.notification, delivery, rendered=rendered)
    alone = channel.build_message(delivery.notification, delivery)
    assert (shared.subject, shared.body, shared.alternatives, shared.to) == (
        alone.subject,
        alone.body,
        alone.alternatives,
        alone.to,
    )
    assert shared.extra_headers == alone.extra_headers
    assert "placeholder" not in shared.body and "placeholder" not in shared.alternatives[0][0]


def test_a_batch_goes_out_over_one_connection_as_django_builds_it(kinds, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    opened = []
    original = EmailBackend.__init__

    def counting(self, *args, **kwargs):
        opened.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(EmailBackend, "__init__", counting)
    for language in ("en", "zh-hans", "en"):
        notification_send(recipient=make_user(preferred_language=language), kind="test.pairing", context={"title": "T"})
    deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
    assert len(mail.outbox) == 3
    assert len(opened) == 1
    for message in mail.outbox:
        data = message.message().as_bytes()
        assert b"placeholder" not in data and b"List-Unsubscribe-Post" in data
