"""Thin tasks: ids in, one service call, safe to run twice."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services

logger = logging.getLogger(__name__)

# Checking and inviting 10,000 rows takes minutes on a busy database; the default minute would cut it short.
IMPORT_TIME_LIMIT = 600


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=IMPORT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT + 60,
)
def import_enrolment_task(import_id: int) -> None:
    try:
        services.enrolment_import_run(import_id=import_id)
    except SoftTimeLimitExceeded:
        # The invitations' transaction rolled back; the coordinator reads why instead of a progress bar that stops.
        services.enrolment_import_stop(import_id=import_id, minutes=IMPORT_TIME_LIMIT // 60)


@shared_task(ignore_result=True)
def sweep_enrolment_imports_task() -> int:
    from .sweeps import enrolment_imports_sweep

    return enrolment_imports_sweep()


# Under beat's 15 minutes, so a sweep never queues a cohort whose last refresh is still running. A cohort cut
# short keeps what it stored (chunk by chunk); the next sweep or look does the rest.
PROGRESS_TIME_LIMIT = 600


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=PROGRESS_TIME_LIMIT,
    time_limit=PROGRESS_TIME_LIMIT + 60,
)
def refresh_cohort_progress_task(cohort_id: int) -> int:
    from .stored_progress import progress_refresh_cohort

    try:
        return progress_refresh_cohort(cohort_id=cohort_id)
    except SoftTimeLimitExceeded:
        logger.warning("Cohort %s's progress refresh ran out of time; the rest waits for the next sweep.", cohort_id)
        return 0


@shared_task(ignore_result=True)
def sweep_progress_task() -> int:
    from .stored_progress import progress_sweep

    return progress_sweep()
