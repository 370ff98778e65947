"""The public site's periodic work, run by Celery beat."""

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True, ignore_result=True)
def publish_scheduled_pages_task() -> None:
    """Publish what editors scheduled for now, and unpublish what expires (Wagtail's own command).

    Publishing sends `page_published`, so the page cache starts a new
    generation and readers see the page at once.
    """
    call_command("publish_scheduled", verbosity=0)
