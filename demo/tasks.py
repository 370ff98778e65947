"""Tasks that exist only for the bench."""

from celery import shared_task


@shared_task(ignore_result=True)
def bench_empty_task() -> None:
    """Does nothing: `bench_notifications` times a batch of these as the broker's floor."""
