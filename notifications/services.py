"""Sending notifications: one call for every app, delivered once.

`notification_send` runs inside the caller's transaction and writes the
in-app message and its outbox rows there. Publishing to the broker happens
only after commit, and a failure to publish is not an error: the row is
still pending and the sweeper sends it later.
"""

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .channels import CHANNELS
from .kinds import get_kind
from .models import Delivery, DeliveryStatus, Notification

logger = logging.getLogger(__name__)

PUBLISH_BATCH = 500
MAX_ATTEMPTS = 5
STUCK_AFTER = timezone.timedelta(minutes=5)


def _idempotency_key(*, recipient_id: int, kind: str, target_type_id, target_id, occasion: str) -> str:
    return f"{recipient_id}:{kind}:{target_type_id or '-'}:{target_id or '-'}:{occasion}"


def _channels_for(kind_key: str) -> list[str]:
    get_kind(kind_key)  # unknown kinds fail loudly at the call site
    return list(CHANNELS)


def notification_send(
    *,
    recipient,
    kind: str,
    target=None,
    context: dict | None = None,
    occasion: str = "",
    url: str = "",
    group_key: str = "",
    group_label: str = "",
) -> Notification:
    """Notify one person of one occasion; calling again for the same occasion sends nothing more."""
    notifications = notification_send_many(
        recipients=[recipient],
        kind=kind,
        target=target,
        context=context,
        occasion=occasion,
        url=url,
        group_key=group_key,
        group_label=group_label,
    )
    return notifications[0]


def notification_send_many(
    *,
    recipients: Iterable,
    kind: str,
    target=None,
    context: dict | None = None,
    occasion: str = "",
    url: str = "",
    group_key: str = "",
    group_label: str = "",
) -> list[Notification]:
    """Notify many people of one occasion with bulk inserts, not a round trip each."""
    channels = _channels_for(kind)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    target_id = target.pk if target is not None else None
    now = timezone.now()
    recipients = list(recipients)
    keys = {
        _idempotency_key(
            recipient_id=recipient.pk,
            kind=kind,
            target_type_id=target_type.pk if target_type else None,
            target_id=target_id,
            occasion=occasion,
        ): recipient
        for recipient in recipients
    }
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=recipient,
                    kind=kind,
                    idempotency_key=key,
                    target_type=target_type,
                    target_id=target_id,
                    context=context or {},
                    url=url,
                    group_key=group_key,
                    group_label=group_label,
                    created_at=now,
                )
                for key, recipient in keys.items()
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        notifications = list(Notification.objects.filter(idempotency_key__in=list(keys)))
        by_key = {notification.idempotency_key: notification for notification in notifications}
        deliveries = [
            Delivery(
                notification=notification,
                channel=channel,
                idempotency_key=f"{notification.idempotency_key}:{channel}",
                due_at=now,
                created_at=now,
            )
            for notification in notifications
            for channel in channels
        ]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
        pending_ids = list(
            Delivery.objects.filter(
                idempotency_key__in=[delivery.idempotency_key for delivery in deliveries],
                status=DeliveryStatus.PENDING,
            ).values_list("pk", flat=True)
        )
        deliveries_publish_after_commit(delivery_ids=pending_ids)
    return [by_key[key] for key in keys if key in by_key]


def deliveries_publish_after_commit(*, delivery_ids: list[int]) -> None:
    """Queue delivery tasks once the surrounding transaction commits."""
    if not delivery_ids:
        return

    def publish_deliveries():
        from .tasks import send_deliveries_task

        for start in range(0, len(delivery_ids), PUBLISH_BATCH):
            batch = delivery_ids[start : start + PUBLISH_BATCH]
            try:
                send_deliveries_task.delay(batch)
            except Exception:
                # The broker is down or hung: the rows are committed and pending,
                # and the sweeper publishes them when the broker is back.
                logger.warning("Could not publish %d deliveries; the sweeper will retry.", len(batch), exc_info=True)
                return

    transaction.on_commit(publish_deliveries, robust=True)


def delivery_claim(*, delivery_id: int) -> Delivery | None:
    """Take a delivery for sending; only one worker can win the conditional update."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], due_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return Delivery.objects.select_related("notification", "notification__recipient").get(pk=delivery_id)


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery if it is still due; safe to call twice or from two workers."""
    delivery = delivery_claim(delivery_id=delivery_id)
    if delivery is None:
        return "skipped"
    try:
        CHANNELS[delivery.channel].send(delivery)
    except Exception as exc:
        status = DeliveryStatus.DEAD if delivery.attempts >= MAX_ATTEMPTS else DeliveryStatus.FAILED
        backoff = timezone.timedelta(seconds=30 * 2 ** (delivery.attempts - 1))
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status, last_error=f"{type(exc).__name__}: {exc}"[:2000], due_at=timezone.now() + backoff
        )
        logger.warning("Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
        return status
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")
    return DeliveryStatus.SENT


def deliveries_sweep() -> int:
    """Publish what is due and still pending, and free rows a dead worker left claimed."""
    now = timezone.now()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=DeliveryStatus.FAILED
    )
    due_ids = list(
        Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:10000]
    )
    if due_ids:
        deliveries_publish_after_commit(delivery_ids=due_ids)
    return len(due_ids)


def notification_mark_read(*, acting_user, notification_id: int) -> bool:
    """Mark one of the reader's own notifications read; others' are invisible."""
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=acting_user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notification_mark_all_read(*, acting_user) -> int:
    return Notification.objects.filter(recipient=acting_user, read_at__isnull=True).update(read_at=timezone.now())
