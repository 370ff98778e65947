"""Thin tasks: ids in, one service call, safe to run twice."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services

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
