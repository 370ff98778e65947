"""Thin tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import services


# Checking and inviting 10,000 rows takes minutes on a busy database; the default minute would cut it short.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, soft_time_limit=600, time_limit=660)
def import_enrolment_task(import_id: int) -> None:
    services.enrolment_import_run(import_id=import_id)


@shared_task(ignore_result=True)
def sweep_enrolment_imports_task() -> int:
    from .sweeps import enrolment_imports_sweep

    return enrolment_imports_sweep()
