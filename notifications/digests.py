"""The daily digest: one e-mail per person per day, grouped by cohort.

Messages a person chose to get "in the daily digest" wait as `Delivery`
rows in the `digest` state, due at the next digest moment. Beat runs
`digests_send_due` every minute; for each person with rows due it writes
one digest notification whose idempotency key names the day, so beat
running twice (or two beat processes) still sends one digest a day, and a
person with nothing waiting gets none.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import clock
from .kinds import DIGEST_KIND
from .models import Delivery, DeliveryStatus, Notification
from .schedule import local_day, next_digest_at

logger = logging.getLogger(__name__)


def digests_send_due(*, now: datetime.datetime | None = None) -> int:
    """Send every digest that is due; returns how many were written."""
    now = now or clock.now()
    recipient_ids = sorted(
        set(
            Delivery.objects.filter(status=DeliveryStatus.DIGEST, due_at__lte=now).values_list(
                "notification__recipient_id", flat=True
            )
        )
    )
    written = 0
    for recipient_id in recipient_ids:
        try:
            written += digest_send(recipient_id=recipient_id, now=now)
        except Exception:
            # One person's digest must not stop the others'; beat runs again next minute.
            logger.exception("Digest for person %s failed", recipient_id)
    return written


@transaction.atomic
def digest_send(*, recipient_id: int, now: datetime.datetime) -> int:
    """Gather one person's waiting messages into today's digest; 1 if a digest was written."""
    from .services import idempotency_key, notification_send

    held = list(
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(notification__recipient_id=recipient_id, status=DeliveryStatus.DIGEST, due_at__lte=now)
        .values_list("pk", flat=True)
    )
    if not held:
        return 0
    day = local_day(now)
    occasion = f"digest:{day.isoformat()}"
    key = idempotency_key(
        recipient_id=recipient_id, kind=DIGEST_KIND, target_type_id=None, target_id=None, occasion=occasion
    )
    if Notification.objects.filter(idempotency_key=key).exists():
        # Today's digest has gone: what arrived late waits for tomorrow's.
        Delivery.objects.filter(pk__in=held).update(due_at=next_digest_at(now))
        return 0
    recipient = get_user_model().objects.get(pk=recipient_id)
    with translation.override(recipient.preferred_language):
        inbox_url = reverse("notifications:inbox")
    digest = notification_send(
        recipient=recipient,
        kind=DIGEST_KIND,
        occasion=occasion,
        context={"day": day.isoformat(), "count": len(held)},
        url=inbox_url,
    )
    # The messages themselves are in the inbox already; the digest is only a record there.
    Notification.objects.filter(pk=digest.pk).update(read_at=now)
    Delivery.objects.filter(pk__in=held).update(status=DeliveryStatus.DIGESTED, digest=digest)
    return 1


def digest_context(notification: Notification) -> dict:
    """Template values for a digest e-mail: its messages grouped by cohort, in the reader's language."""
    from .channels import absolute_url, render_subject

    deliveries = (
        Delivery.objects.filter(digest=notification)
        .select_related("notification")
        .order_by("notification__group_label", "notification__created_at", "pk")
    )
    groups: dict[str, dict] = {}
    seen = set()
    for delivery in deliveries:
        item = delivery.notification
        if item.pk in seen:
            continue  # one message on two digest channels is listed once
        seen.add(item.pk)
        label = item.group_label or _("Other messages")
        group = groups.setdefault(item.group_key or f"label:{label}", {"label": label, "items": []})
        group["items"].append(
            {"subject": render_subject(item), "url": absolute_url(item.url), "created_at": item.created_at}
        )
    ordered = sorted(groups.values(), key=lambda group: (group["label"] == _("Other messages"), group["label"]))
    return {"groups": ordered, "count": len(seen)}
