"""Sending notifications: one call for every app, delivered once.

`notification_send` runs inside the caller's transaction and writes the
in-app message and its outbox rows there, following the reader's
preferences and quiet hours (`sending`). Publishing to the broker happens
only after commit, and a failure to publish is not an error: the row is
still pending and the sweeper sends it later (`delivery`). The reader's own
actions are in `inbox` and `preferences`. The names below are re-exported
so that callers may import from `notifications.services`.
"""

from .delivery import (
    CLAIM_CHUNK,
    PUBLISH_BATCH,
    RETRY_BACKOFF,
    RETRY_FOR,
    STUCK_AFTER,
    deliveries_publish_after_commit,
    deliveries_retry,
    deliveries_send,
    deliveries_sweep,
    delivery_send,
    postgresql_in_use,
    stuck_after,
)
from .inbox import notification_mark_all_read, notification_mark_read
from .preferences import notification_preferences_update, notification_unsubscribe
from .sending import BULK_BATCH, idempotency_key, notification_send, notification_send_localized, notification_send_many

__all__ = [
    "BULK_BATCH",
    "CLAIM_CHUNK",
    "PUBLISH_BATCH",
    "RETRY_BACKOFF",
    "RETRY_FOR",
    "STUCK_AFTER",
    "deliveries_publish_after_commit",
    "deliveries_retry",
    "deliveries_send",
    "deliveries_sweep",
    "delivery_send",
    "idempotency_key",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_preferences_update",
    "notification_send",
    "notification_send_localized",
    "notification_send_many",
    "notification_unsubscribe",
    "postgresql_in_use",
    "stuck_after",
]
