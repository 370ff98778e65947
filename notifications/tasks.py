"""Thin tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_deliveries_task(delivery_ids: list[int]) -> dict:
    return services.deliveries_send(delivery_ids=delivery_ids)


@shared_task(ignore_result=True)
def sweep_deliveries_task() -> int:
    return services.deliveries_sweep()


@shared_task(ignore_result=True)
def send_due_reminders_task(hourly: bool = False) -> int:
    from . import clock
    from .reminders import reminders_send_due

    return reminders_send_due(now=clock.now(), hourly=hourly)


@shared_task(ignore_result=True)
def send_daily_digests_task() -> int:
    from .digests import digests_send_due

    return digests_send_due()
