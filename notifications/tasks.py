"""Thin tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import services


# Up to 500 e-mails over SMTP (10 s time-out each); rows a killed task held are freed after
# NOTIFICATIONS_STUCK_AFTER and sent by the sweeper.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, soft_time_limit=300, time_limit=330)
def send_deliveries_task(delivery_ids: list[int]) -> dict:
    return services.deliveries_send(delivery_ids=delivery_ids)


@shared_task(ignore_result=True)
def sweep_deliveries_task() -> int:
    return services.deliveries_sweep()


# Every reminder due across all cohorts in one run.
@shared_task(ignore_result=True, soft_time_limit=300, time_limit=330)
def send_due_reminders_task(hourly: bool = False) -> int:
    from . import clock
    from .reminders import reminders_send_due

    return reminders_send_due(now=clock.now(), hourly=hourly)


# Every reader whose digest hour has come, in one run.
@shared_task(ignore_result=True, soft_time_limit=600, time_limit=660)
def send_daily_digests_task() -> int:
    from .digests import digests_send_due

    return digests_send_due()
