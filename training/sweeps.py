"""Beat's sweeper for enrolment imports: an upload committed while the broker was down is queued once it is back.

`enrolment_import_create` publishes its task after commit and, when the
broker does not answer, leaves the import pending. Every minute this
publishes again each import still pending a minute after its upload; the
task claims an import with a conditional update, so one published twice
(or still waiting in a busy queue) runs once.
"""

import datetime
import logging

from django.utils import timezone

from .models import EnrolmentImport, ImportStatus

logger = logging.getLogger(__name__)

WAITING_AFTER = datetime.timedelta(minutes=1)


def enrolment_imports_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again the imports still pending a minute after their upload; how many were queued."""
    from .tasks import import_enrolment_task

    now = now or timezone.now()
    waiting = list(
        EnrolmentImport.objects.filter(status=ImportStatus.PENDING, created_at__lt=now - WAITING_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    queued = 0
    for import_id in waiting:
        try:
            import_enrolment_task.delay(import_id)
        except Exception:
            logger.warning("The broker still does not answer; %d imports wait.", len(waiting) - queued, exc_info=True)
            break
        queued += 1
    return queued
