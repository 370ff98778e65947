"""Thin tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import services


# A cohort of 5,000 trainees and 1,500 mentors builds its input and solves for minutes, not seconds.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, soft_time_limit=900, time_limit=960)
def run_matching_batch_task(batch_id: int) -> None:
    # The service claims the batch with a conditional update, so a redelivered task does nothing.
    services.matching_batch_run(batch_id=batch_id)


@shared_task(ignore_result=True)
def sweep_matching_batches_task() -> int:
    from .sweeps import matching_batches_sweep

    return matching_batches_sweep()
