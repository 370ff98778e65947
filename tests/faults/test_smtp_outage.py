"""E-mail on real workers when SMTP is away for long, and when a worker crawls past the stuck threshold.

Like the other fault tests: PostgreSQL, a redis-server of the test's own,
real `celery worker` subprocesses and a real SMTP server (started late, on a
port that refused connections until then). Time is real; the workers'
retry waits are shortened through FAULTS_RETRY_BACKOFF, and the sweeper is
run as if the stuck threshold were a second and a half.
"""

import datetime
import time

import pytest
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.services import STUCK_AFTER, deliveries_sweep, notification_send, notification_send_many
from tests.factories.accounts import make_user

from .conftest import free_port, wait_until
from .smtp_sink import SMTPSink
from .test_faults import each_received_once, settle

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Attempts that used to end a delivery as dead: five, about twelve minutes of outage.
OLD_LAST_ATTEMPT = 5


def test_an_smtp_outage_far_longer_than_five_attempts_loses_nothing_and_sends_once(start_worker):
    person = make_user(email="outage@example.com")
    port = free_port()  # nothing listens here yet: the SMTP server is down
    start_worker(FAULTS_SMTP_PORT=str(port), FAULTS_RETRY_BACKOFF="0.2,0.4")
    notification_send(recipient=person, kind="announcement", context={"title": "邮件服务器停机"})
    delivery = Delivery.objects.get(notification__recipient=person)

    def attempted_many_times():
        delivery.refresh_from_db()
        assert delivery.status != DeliveryStatus.DEAD, delivery.last_error
        return delivery.attempts >= 3 * OLD_LAST_ATTEMPT

    # Beat's sweeper publishes the row each time it falls due again.
    assert wait_until(attempted_many_times, timeout=90, interval=0.3, action=deliveries_sweep)
    assert delivery.status == DeliveryStatus.FAILED
    assert "Connection refused" in delivery.last_error

    sink = SMTPSink(port=port)  # the server is back
    try:
        assert wait_until(lambda: sink.count() >= 1, timeout=30, interval=0.3, action=deliveries_sweep)
        settle(sink)
        deliveries_sweep()
        settle(sink)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENT
        assert each_received_once(sink, [delivery])
        assert sink.count() == 1
    finally:
        sink.close()


def sweep_as_if_stuck_after(seconds: float) -> None:
    """Beat's sweeper, as if rows claimed more than `seconds` ago were stuck."""
    deliveries_sweep(now=timezone.now() + STUCK_AFTER - datetime.timedelta(seconds=seconds))


def test_a_worker_crawling_past_the_stuck_threshold_sends_nothing_another_worker_took(start_worker, smtp_sink):
    people = [make_user(email=f"crawl{index}@example.com") for index in range(24)]
    start_worker(FAULTS_SEND_DELAY="0.5")  # half a second per e-mail: twelve seconds for the batch
    started = time.monotonic()
    notification_send_many(recipients=people, kind="announcement", context={"title": "慢吞吞的进程"})
    assert wait_until(lambda: smtp_sink.count() >= 1, timeout=30)
    # The rows the slow worker has not reached pass the threshold and go to a fast worker.
    start_worker()
    deliveries = list(Delivery.objects.all())
    assert wait_until(
        lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(),
        timeout=90,
        interval=0.3,
        action=lambda: sweep_as_if_stuck_after(1.5),
    )
    # Let the slow worker walk to the end of its batch: it would send its lost rows there.
    time.sleep(max(0.0, started + 0.5 * len(people) + 2 - time.monotonic()))
    settle(smtp_sink, 2)
    assert each_received_once(smtp_sink, deliveries)
    assert smtp_sink.count() == len(people)
    # Some rows were taken back from the slow worker and sent by the other.
    assert max(Delivery.objects.values_list("attempts", flat=True)) >= 2
