from celery import shared_task

from .services import announcements_send_due


@shared_task
def send_due_announcements_task() -> int:
    """Every minute (beat): scheduled announcements whose time has come."""
    return announcements_send_due()
