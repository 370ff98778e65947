"""Beat's sweeper for matching runs: a run started while the broker was down is queued once it is back.

`matching_batch_start` publishes its task after commit and, when the broker
does not answer, leaves the batch queued. Every minute this publishes again
each batch still queued a minute after it was started; the task claims a
batch with a conditional update, so one published twice runs once.
"""

import datetime
import logging

from django.utils import timezone

from .models import BatchStatus, MatchingBatch

logger = logging.getLogger(__name__)

WAITING_AFTER = datetime.timedelta(minutes=1)


def matching_batches_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again the matching runs still queued a minute after they were started; how many were queued."""
    from .tasks import run_matching_batch_task

    now = now or timezone.now()
    waiting = list(
        MatchingBatch.objects.filter(status=BatchStatus.QUEUED, created_at__lt=now - WAITING_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    queued = 0
    for batch_id in waiting:
        try:
            run_matching_batch_task.delay(batch_id)
        except Exception:
            logger.warning(
                "The broker still does not answer; %d matching runs wait.", len(waiting) - queued, exc_info=True
            )
            break
        queued += 1
    return queued
