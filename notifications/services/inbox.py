"""The reader's inbox: marking messages read."""

from .. import clock
from ..models import Notification


def notification_mark_read(*, acting_user, notification_id: int) -> bool:
    """Mark one of the reader's own notifications read; others' are invisible."""
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=acting_user, read_at__isnull=True).update(
            read_at=clock.now()
        )
    )


def notification_mark_all_read(*, acting_user) -> int:
    """Mark every unread notification of the reader read."""
    return Notification.objects.filter(recipient=acting_user, read_at__isnull=True).update(read_at=clock.now())
