"""Thin tasks: one service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def prune_idempotent_requests_task() -> int:
    return services.idempotent_requests_prune()
