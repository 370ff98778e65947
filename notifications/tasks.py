"""Thin tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_deliveries_task(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        services.delivery_send(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def sweep_deliveries_task() -> int:
    return services.deliveries_sweep()


@shared_task(ignore_result=True)
def send_due_reminders_task() -> int:
    from django.utils import timezone

    from .reminders import reminders_send_due

    return reminders_send_due(now=timezone.now())
