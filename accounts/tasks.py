"""Accounts' background work: building a person's data archive, sweeping expired ones."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def data_export_build_task(export_id: int) -> None:
    from .data_rights import data_export_build

    data_export_build(export_id=export_id)


@shared_task(ignore_result=True)
def data_exports_sweep_task() -> int:
    from .data_rights import data_exports_sweep

    return data_exports_sweep()
