"""Delivering the outbox: publish after commit, claim, send in chunks, retry with backoff, sweep."""

import contextlib
import datetime
import logging
import smtplib
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q

from .. import clock
from ..channels import CHANNELS
from ..models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)


PUBLISH_BATCH = 500


# Rows claimed together by one worker (one lock query and one SMTP connection);
# a worker that dies leaves at most these waiting for the sweeper.
CLAIM_CHUNK = 100


# A row queued this long ago and still pending is published again; a row
# claimed this long ago and still sending belonged to a worker that died or
# stalled (NOTIFICATIONS_STUCK_AFTER). A worker renews its claim on each row
# just before sending it, so only rows it has not reached yet can be freed.
STUCK_AFTER = datetime.timedelta(minutes=5)


# Transient failures (the SMTP server down, a 4xx answer) are retried with
# doubling waits up to a cap, for at least a day (an SMTP outage over a
# weekend night must not lose mail); settings NOTIFICATIONS_RETRY_BACKOFF
# (first wait, longest wait) and NOTIFICATIONS_RETRY_FOR. A 5xx refusal of
# the recipient or of the message ends at once.
RETRY_BACKOFF = (datetime.timedelta(seconds=30), datetime.timedelta(minutes=30))


RETRY_FOR = datetime.timedelta(hours=24)


def stuck_after() -> datetime.timedelta:
    return getattr(settings, "NOTIFICATIONS_STUCK_AFTER", STUCK_AFTER)


def postgresql_in_use() -> bool:
    """Whether this is PostgreSQL: arrays for unnest, INSERT … RETURNING of the rows inserted."""
    return connection.vendor == "postgresql"


def deliveries_publish_after_commit(*, delivery_ids: list[int]) -> None:
    """Queue delivery tasks once the surrounding transaction commits."""
    if not delivery_ids:
        return
    delivery_ids = list(delivery_ids)

    def publish_deliveries():
        from ..tasks import send_deliveries_task

        for start in range(0, len(delivery_ids), PUBLISH_BATCH):
            batch = delivery_ids[start : start + PUBLISH_BATCH]
            try:
                send_deliveries_task.delay(batch)
            except Exception:
                # The broker is down or hung: the rows are committed and pending.
                # Mark them never queued, so the sweeper publishes them at its next run.
                unpublished = delivery_ids[start:]
                logger.warning("Could not publish %d deliveries; the sweeper will.", len(unpublished), exc_info=True)
                try:
                    Delivery.objects.filter(pk__in=unpublished, status=DeliveryStatus.PENDING).update(queued_at=None)
                except Exception:
                    # Even so they are published again once STUCK_AFTER has passed.
                    logger.exception("Could not mark %d deliveries unqueued.", len(unpublished))
                return

    transaction.on_commit(publish_deliveries, robust=True)


def _claim(delivery_ids: list[int], now: datetime.datetime, token: str) -> list[Delivery]:
    """Take due rows for sending under this claim's token. Locked rows are skipped: another worker has them."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=delivery_ids, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], due_at__lte=now)
            .values_list("pk", flat=True)
        )
        if not ids:
            return []
        # The status condition is repeated for databases without row locks (SQLite, used without workers).
        Delivery.objects.filter(pk__in=ids, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]).update(
            status=DeliveryStatus.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
    return list(
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING, claim_token=token).select_related(
            "notification", "notification__recipient"
        )
    )


def _is_permanent(exc: Exception) -> bool:
    """A refusal that no retry will change: every recipient, or the message itself, refused with a 5xx code.

    A refused sender, a failed login or an unreachable server are our own
    configuration or the server's state, not the message's: they are retried.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def _backoff(attempts: int) -> datetime.timedelta:
    first, longest = getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", RETRY_BACKOFF)
    # Bounded exponent: past the cap the wait no longer grows, and 2 ** attempts stays small.
    return min(first * 2 ** min(max(attempts - 1, 0), 30), longest)


def _record_failure(delivery: Delivery, exc: Exception, now: datetime.datetime, token: str) -> str:
    failing_since = delivery.failing_since or now
    retry_for = getattr(settings, "NOTIFICATIONS_RETRY_FOR", RETRY_FOR)
    gave_up = not _is_permanent(exc) and now - failing_since >= retry_for
    dead = gave_up or _is_permanent(exc)
    error = f"{type(exc).__name__}: {exc}"
    if gave_up:
        error = f"Still failing after {delivery.attempts} attempts since {failing_since:%Y-%m-%d %H:%M} UTC: {error}"
    status = DeliveryStatus.DEAD if dead else DeliveryStatus.FAILED
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, claim_token=token).update(
        status=status,
        last_error=error[:2000],
        due_at=now + _backoff(delivery.attempts),
        queued_at=None,
        failing_since=failing_since,
    )
    logger.warning("Delivery %s failed (attempt %s, %s): %s", delivery.pk, delivery.attempts, status, exc)
    return status


@contextlib.contextmanager
def _commits_without_flush_wait():
    """Let PostgreSQL acknowledge commits before their WAL reaches the disk, for this connection only.

    Each row is marked sent in its own commit, right after its e-mail, so a
    worker killed mid-batch leaves only unsent rows behind. Waiting for the
    disk at each of those commits took 2 ms of the 5 ms an e-mail cost. The
    commit is still made by the server, whatever happens to the worker; only
    a crash of PostgreSQL itself within a fraction of a second can lose a
    mark, and the sweeper then sends that e-mail again with the same
    Message-ID, as after any worker that dies between SMTP and the mark.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def deliveries_send(*, delivery_ids: list[int]) -> dict[str, int]:
    """Send the due ones among these deliveries, each once, recording every outcome."""
    outcome = {"sent": 0, "failed": 0, "dead": 0, "skipped": 0}
    with _commits_without_flush_wait():
        for start in range(0, len(delivery_ids), CLAIM_CHUNK):
            _send_chunk(delivery_ids[start : start + CLAIM_CHUNK], outcome)
    return outcome


def _mark_sent(cursor, delivery_id: int, token: str) -> None:
    """Marked one by one, so a worker that dies mid-batch leaves only unsent rows behind; only under our claim.

    Plain SQL: the ORM spent more time composing this statement than the
    database spent running it, once per e-mail.
    """
    table = connection.ops.quote_name(Delivery._meta.db_table)
    cursor.execute(
        f"UPDATE {table} SET status = %s, sent_at = %s, last_error = '', failing_since = NULL"  # noqa: S608 -- our table
        " WHERE id = %s AND claim_token = %s AND status = %s",
        [
            DeliveryStatus.SENT.value,
            connection.ops.adapt_datetimefield_value(clock.now()),
            delivery_id,
            token,
            DeliveryStatus.SENDING.value,
        ],
    )
    if cursor.rowcount != 1:
        # Sent in the moment between renewing the claim and the mark while the sweeper freed it: the
        # one window no claim closes (the e-mail carries the same Message-ID if it goes again).
        logger.warning("Delivery %s was sent after its claim ended; it may go twice.", delivery_id)


def _still_held(cursor, deliveries: list[Delivery], token: str, skipped: list[Delivery]) -> Iterator[Delivery]:
    """Hand each row to the channel only after renewing our claim on it; rows the sweeper took back are skipped.

    Channels take their deliveries one at a time from this generator, so the
    renewal happens right before that row's e-mail: a worker slowed past
    the stuck threshold finds the rows the sweeper freed (and another worker
    may be sending) no longer its own, and leaves them.
    """
    table = connection.ops.quote_name(Delivery._meta.db_table)
    for delivery in deliveries:
        cursor.execute(
            f"UPDATE {table} SET claimed_at = %s WHERE id = %s AND claim_token = %s AND status = %s",  # noqa: S608
            [
                connection.ops.adapt_datetimefield_value(clock.now()),
                delivery.pk,
                token,
                DeliveryStatus.SENDING.value,
            ],
        )
        if cursor.rowcount == 1:
            yield delivery
        else:
            skipped.append(delivery)


def _send_chunk(chunk: list[int], outcome: dict[str, int]) -> None:
    now = clock.now()
    token = uuid.uuid4().hex
    claimed = _claim(chunk, now, token)
    outcome["skipped"] += len(chunk) - len(claimed)
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in claimed:
        by_channel.setdefault(delivery.channel, []).append(delivery)
    for channel_key, deliveries in by_channel.items():
        channel = CHANNELS.get(channel_key)
        if channel is None:
            for delivery in deliveries:
                outcome[_record_failure(delivery, LookupError(f"No channel {channel_key!r}"), now, token)] += 1
            continue
        lost: list[Delivery] = []
        with connection.cursor() as cursor:
            for delivery, error in channel.send_many(_still_held(cursor, deliveries, token, lost)):
                if error is None:
                    _mark_sent(cursor, delivery.pk, token)
                    outcome["sent"] += 1
                else:
                    # Only the failures wait and go again (the sweeper publishes them when due).
                    outcome[_record_failure(delivery, error, clock.now(), token)] += 1
        if lost:
            logger.warning("%d deliveries were taken back from this slow worker and left to another.", len(lost))
            outcome["skipped"] += len(lost)


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery if it is still due; safe to call twice or from two workers."""
    outcome = deliveries_send(delivery_ids=[delivery_id])
    for status in ("sent", "dead", "failed"):
        if outcome[status]:
            return status
    return "skipped"


@transaction.atomic
def deliveries_sweep(*, now: datetime.datetime | None = None) -> int:
    """Publish what is due and was never queued or queued long ago; free rows a dead worker left claimed."""
    now = now or clock.now()
    stale = now - stuck_after()
    # Freed rows lose their claim token: the worker that held them will neither send nor mark them.
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale).update(
        status=DeliveryStatus.FAILED, queued_at=None, claim_token=""
    )
    due_ids = list(
        Delivery.objects.filter(
            Q(queued_at__isnull=True) | Q(queued_at__lt=stale),
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
            due_at__lte=now,
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:10000]
    )
    if due_ids:
        Delivery.objects.filter(pk__in=due_ids).update(queued_at=now)
        deliveries_publish_after_commit(delivery_ids=due_ids)
    return len(due_ids)


@transaction.atomic
def deliveries_retry(*, acting_user, delivery_ids: Iterable[int]) -> int:
    """Give failed or dead deliveries a fresh set of attempts, now (staff only)."""
    from wagtail.log_actions import log

    if not (acting_user.is_staff or acting_user.is_superuser):
        raise PermissionError("Only staff may retry deliveries.")
    now = clock.now()
    deliveries = list(
        Delivery.objects.select_for_update().filter(
            pk__in=list(delivery_ids), status__in=[DeliveryStatus.DEAD, DeliveryStatus.FAILED]
        )
    )
    ids = [delivery.pk for delivery in deliveries]
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING,
        due_at=now,
        attempts=0,
        queued_at=now,
        claimed_at=None,
        claim_token="",
        failing_since=None,
    )
    for delivery in deliveries:
        log(delivery, "notifications.delivery.retry", user=acting_user, data={"last_error": delivery.last_error})
    deliveries_publish_after_commit(delivery_ids=ids)
    return len(ids)
