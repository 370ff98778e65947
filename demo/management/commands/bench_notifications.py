"""Time a notification fan-out and its delivery by one worker, beside the broker's floor.

    python manage.py bench_notifications [--people 10000] [--start-worker] [--concurrency 2]

1. Floor: N empty Celery tasks published to the broker and drained by one
   worker (nothing can be delivered faster than the broker hands out tasks).
2. Fan-out: one announcement to N people with `notification_send_many`
   (bulk inserts of N in-app notifications and N e-mail deliveries, and
   the publishing of their tasks after commit).
3. Delivery: until one worker has sent every one of those e-mails.

Figures are printed, not judged. A worker must be running on the same
broker (`manage.py bench` starts one, with two processes); without one,
`--start-worker` (or the absence of any answering worker) starts one
`celery worker` for the run, with `--concurrency` processes: 2 unless told,
one per core of the reference machine, as docker-compose.yml runs each
production worker (`--concurrency 1` shows what one process does alone).
People are taken from the database; missing ones are created for the run
and removed afterwards, with the bench's notifications.
"""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from celery import current_app as celery_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo.tasks import bench_empty_task
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import notification_send_many

BENCH_EMAIL = "bench-notifications-{index}@bench.invalid"
TIMEOUT = 600


class Command(BaseCommand):
    help = "Time the fan-out of one announcement to N people and its delivery, beside N empty tasks."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10000, help="N: recipients and empty tasks (default 10000).")
        parser.add_argument("--start-worker", action="store_true", help="Start a worker for the run.")
        parser.add_argument(
            "--concurrency", type=int, default=2, help="Processes of the worker the bench starts (default 2)."
        )

    def handle(self, *args, people: int, start_worker: bool, concurrency: int, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        if celery_app.conf.task_always_eager or not str(celery_app.conf.broker_url).startswith("redis"):
            raise CommandError("bench_notifications needs a Redis broker: set REDIS_URL.")
        redis = _redis_client(celery_app.conf.broker_url)
        worker = None
        self.concurrency = None
        if start_worker or not celery_app.control.ping(timeout=1.0):
            worker = _start_worker(concurrency)
            self.concurrency = concurrency
        try:
            with _bench_people(people) as recipients:
                self.report(people, self._floor(people, redis), self._fan_out(recipients))
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()

    def _floor(self, count: int, redis) -> dict:
        _wait_drained(redis)
        started = time.monotonic()
        with celery_app.producer_or_acquire() as producer:
            for _ in range(count):
                bench_empty_task.apply_async(producer=producer)
        published = time.monotonic() - started
        _wait_drained(redis)
        return {"publish": published, "total": time.monotonic() - started}

    def _fan_out(self, recipients: list) -> dict:
        occasion = f"bench-{timezone.now().timestamp()}"
        # Quiet hours would hold every e-mail until morning; the bench measures sending.
        with override_settings(NOTIFICATIONS_DEFAULT_QUIET_HOURS=None):
            started = time.monotonic()
            with transaction.atomic():
                notifications = notification_send_many(
                    recipients=recipients, kind="announcement", occasion=occasion, context={"title": "Bench"}
                )
            fan_out = time.monotonic() - started
        notification_ids = [n.pk for n in notifications]
        deliveries = Delivery.objects.filter(notification__in=notification_ids)
        delivery_ids = list(deliveries.values_list("pk", flat=True))
        # Polled five times a second while the workers send: two ranges, not the 10,000 ids, whose
        # query took 0.1 s of the cores the workers need, each time. Rows of other notifications
        # inside both ranges could only delay the end; the count below is exact.
        unsent = Delivery.objects.filter(
            pk__range=(min(delivery_ids, default=0), max(delivery_ids, default=0)),
            notification_id__gte=min(notification_ids, default=0),
            notification_id__lte=max(notification_ids, default=0),
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
        )
        deadline = time.monotonic() + TIMEOUT
        while delivery_ids and unsent.exists():
            if time.monotonic() > deadline:
                raise CommandError(f"Deliveries were not all sent within {TIMEOUT} s: is a worker running?")
            time.sleep(0.2)
        delivered = time.monotonic() - started
        total = len(delivery_ids)
        sent = deliveries.filter(status=DeliveryStatus.SENT).count()
        Notification.objects.filter(pk__in=notification_ids).delete()
        return {
            "notifications": len(notifications),
            "fan_out": fan_out,
            "deliveries": total,
            "sent": sent,
            "total": delivered,
        }

    def report(self, count: int, floor: dict, fan: dict) -> None:
        write = self.stdout.write
        processes = f"concurrency {self.concurrency}" if self.concurrency else "the running worker"
        write(f"Notification fan-out and delivery, {count:,} people, one worker ({processes})")
        write(f"{'step':<52}{'seconds':>9}{'per second':>12}")

        def row(label, seconds, items):
            write(f"{label:<52}{seconds:>9.2f}{(items / seconds if seconds else 0):>12,.0f}")

        row(f"floor: publish {count:,} empty tasks", floor["publish"], count)
        row(f"floor: {count:,} empty tasks published and drained", floor["total"], count)
        row(
            f"fan-out: {fan['notifications']:,} in-app messages + {fan['deliveries']:,} e-mail rows",
            fan["fan_out"],
            fan["notifications"],
        )
        row(f"delivery: fan-out until {fan['sent']:,} e-mails sent", fan["total"], fan["sent"])
        if floor["total"]:
            write(f"delivery time / floor time: {fan['total'] / floor['total']:.2f}")


def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=5)


def _wait_drained(redis, queue: str = "celery") -> None:
    """Until the queue is empty and no message is held unacknowledged (acks_late: acked when done)."""
    deadline = time.monotonic() + TIMEOUT
    while redis.llen(queue) or redis.hlen("unacked"):
        if time.monotonic() > deadline:
            raise CommandError(f"The queue did not drain within {TIMEOUT} s: is a worker running?")
        time.sleep(0.05)


@contextlib.contextmanager
def _bench_people(count: int):
    """N active people: existing ones first, then made for the run (and removed after it)."""
    User = get_user_model()
    existing = list(User.objects.filter(is_active=True).order_by("pk")[:count])
    missing = count - len(existing)
    created_ids: list[int] = []
    if missing:
        taken = set(User.objects.filter(email__startswith="bench-notifications-").values_list("email", flat=True))
        new = [
            User(email=email, display_name=f"Bench {index}", password="!")  # noqa: S106 -- unusable password
            for index in range(count * 2)
            if (email := BENCH_EMAIL.format(index=index)) not in taken
        ][:missing]
        User.objects.bulk_create(new, batch_size=1000)
        created = list(User.objects.filter(email__in=[user.email for user in new]))
        created_ids = [user.pk for user in created]
        existing += created
    try:
        yield existing
    finally:
        if created_ids:
            User.objects.filter(pk__in=created_ids).delete()


def _start_worker(concurrency: int = 1) -> subprocess.Popen:
    root = Path(settings.BASE_DIR)
    process = subprocess.Popen(  # noqa: S603 -- our own celery with fixed arguments
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config.celery_app",
            "worker",
            "--concurrency",
            str(concurrency),
        ]
        + ["--loglevel", "WARNING", "--without-mingle", "--without-gossip"]
        + ["--hostname", f"bench-notifications-{os.getpid()}@%h"],
        cwd=root,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
            # The bench times sending, not an outside mail server: the messages stay in the worker's memory.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        },
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(timeout=1.0):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise CommandError(
                f"The worker for the bench did not start (broker {urlsplit(str(celery_app.conf.broker_url)).netloc})."
            )
    return process
