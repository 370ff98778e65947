"""Sending notifications: one call for every app, delivered once.

`notification_send` runs inside the caller's transaction and writes the
in-app message and its outbox rows there, following the reader's
preferences and quiet hours. Publishing to the broker happens only after
commit, and a failure to publish is not an error: the row is still pending
and the sweeper sends it later.
"""

import contextlib
import datetime
import json
import logging
import smtplib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Lookup, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import clock
from .channels import CHANNELS, outside_channels
from .kinds import DIGEST_KIND, NotificationKind, get_kind, listed_kinds
from .models import Cadence, Delivery, DeliveryStatus, Notification, NotificationPreference, QuietHours
from .schedule import next_digest_at, quiet_hours_end

logger = logging.getLogger(__name__)

PUBLISH_BATCH = 500
# Rows per INSERT in a fan-out: fewer statements, still under PostgreSQL's 65,535 parameters.
BULK_BATCH = 4000
# Rows claimed together by one worker (one lock query and one SMTP connection);
# a worker that dies leaves at most these waiting for the sweeper.
CLAIM_CHUNK = 100
MAX_ATTEMPTS = 5
# A row queued this long ago and still pending is published again; a row
# claimed this long ago and still sending belonged to a worker that died.
STUCK_AFTER = datetime.timedelta(minutes=5)
MAX_BACKOFF = datetime.timedelta(hours=1)


def idempotency_key(*, recipient_id: int, kind: str, target_type_id, target_id, occasion: str) -> str:
    """The key the database keeps unique: one message per person, kind, target and occasion."""
    return f"{recipient_id}:{kind}:{target_type_id or '-'}:{target_id or '-'}:{occasion}"


class _AnyOf(Lookup):
    """`column = ANY(%s)`: the values travel as one array, not as a placeholder each.

    For the 10,000 people of a fan-out, composing, quoting and parsing an
    `IN (…)` of 10,000 placeholders took 60-160 ms per query; this takes 12.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} = ANY({rhs_sql})", [*lhs_params, *rhs_params]


def _among(field: str, values: list):
    """A filter for `field` being one of many `values`: one array parameter on PostgreSQL."""
    if connection.vendor == "postgresql":
        return _AnyOf(F(field), values)
    return Q(**{f"{field}__in": values})


def _cadences(kind: NotificationKind, recipient_ids: list[int]) -> dict[tuple[int, str], str]:
    """(person, channel) -> cadence for one kind, in one query."""
    channels = outside_channels()
    cadences = {
        (recipient_id, channel.key): kind.default_cadence for recipient_id in recipient_ids for channel in channels
    }
    if kind.mandatory:
        return dict.fromkeys(cadences, Cadence.IMMEDIATELY)
    for user_id, channel, cadence in NotificationPreference.objects.filter(
        _among("user_id", recipient_ids), kind=kind.key
    ).values_list("user_id", "channel", "cadence"):
        if (user_id, channel) in cadences:
            cadences[(user_id, channel)] = cadence
    for (user_id, channel), cadence in cadences.items():
        if cadence == Cadence.DIGEST and not CHANNELS[channel].supports_digest:
            cadences[(user_id, channel)] = Cadence.IMMEDIATELY
    return cadences


def _quiet_until(recipient_ids: list[int], now: datetime.datetime) -> dict[int, datetime.datetime | None]:
    """When each person's quiet hours end, if they are in them now; defaults for people who never chose."""
    default_hours = settings.NOTIFICATIONS_DEFAULT_QUIET_HOURS
    default = quiet_hours_end(now, start=default_hours[0], end=default_hours[1]) if default_hours else None
    until = dict.fromkeys(recipient_ids, default)
    for user_id, enabled, start, end in QuietHours.objects.filter(_among("user_id", recipient_ids)).values_list(
        "user_id", "enabled", "start", "end"
    ):
        until[user_id] = quiet_hours_end(now, enabled=enabled, start=start, end=end)
    return until


def notification_send(
    *,
    recipient,
    kind: str,
    target=None,
    context: dict | None = None,
    occasion: str = "",
    url: str = "",
    group_key: str = "",
    group_label: str = "",
) -> Notification:
    """Notify one person of one occasion; calling again for the same occasion sends nothing more."""
    notifications = notification_send_many(
        recipients=[recipient],
        kind=kind,
        target=target,
        context=context,
        occasion=occasion,
        url=url,
        group_key=group_key,
        group_label=group_label,
    )
    return notifications[0]


def notification_send_many(
    *,
    recipients: Iterable,
    kind: str,
    target=None,
    context: dict | None = None,
    occasion: str = "",
    url: str = "",
    group_key: str = "",
    group_label: str = "",
) -> list[Notification]:
    """Notify many people of one occasion with bulk inserts, not a round trip each."""
    kind_definition = get_kind(kind)  # unknown kinds fail loudly at the call site
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    target_id = target.pk if target is not None else None
    now = clock.now()
    keys = {
        idempotency_key(
            recipient_id=recipient.pk,
            kind=kind,
            target_type_id=target_type.pk if target_type else None,
            target_id=target_id,
            occasion=occasion,
        ): recipient.pk
        for recipient in recipients
    }
    with transaction.atomic():
        # Only messages new in this call get outbox rows: a repeated call sends nothing more.
        new = _insert_notifications(
            [
                Notification(
                    recipient_id=recipient_id,
                    kind=kind,
                    idempotency_key=key,
                    target_type=target_type,
                    target_id=target_id,
                    context=context or {},
                    url=url,
                    group_key=group_key,
                    group_label=group_label,
                    created_at=now,
                )
                for key, recipient_id in keys.items()
            ]
        )
        inserted = {notification.idempotency_key for notification in new}
        existing = [key for key in keys if key not in inserted]
        notifications = new + list(Notification.objects.filter(idempotency_key__in=existing)) if existing else new
        new_recipient_ids = [notification.recipient_id for notification in new]
        deliveries = _deliveries_for(kind_definition, new, new_recipient_ids, now) if new else []
        due_ids = _insert_deliveries(deliveries, now)
        deliveries_publish_after_commit(delivery_ids=due_ids)
    by_key = {notification.idempotency_key: notification for notification in notifications}
    return [by_key[key] for key in keys if key in by_key]


def notification_send_localized(
    *,
    recipients: Iterable,
    kind: str,
    target=None,
    context: dict | Callable[[], dict] | None = None,
    occasion: str = "",
    url_name: str = "",
    url_args=None,
    url_kwargs=None,
    group_key: str = "",
    group_label: str | Callable[[], str] = "",
) -> None:
    """Notify many people, each in their own language: context, link and group label are made once per language.

    `context` and `group_label` may be callables, called with the reader's
    language active; `url_name` is reversed the same way, so each reader gets
    the link and headings of their language.
    """
    by_language: dict[str, list] = {}
    for person in recipients:
        by_language.setdefault(person.preferred_language or settings.LANGUAGE_CODE, []).append(person)
    for language, people in by_language.items():
        with translation.override(language):
            notification_send_many(
                recipients=people,
                kind=kind,
                target=target,
                context=context() if callable(context) else context,
                occasion=occasion,
                url=reverse(url_name, args=url_args, kwargs=url_kwargs) if url_name else "",
                group_key=group_key,
                group_label=group_label() if callable(group_label) else group_label,
            )


def _psycopg3() -> bool:
    """Whether this is PostgreSQL through psycopg 3: server-bound cursors, arrays for unnest."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def _insert_notifications(notifications: list[Notification]) -> list[Notification]:
    """Insert those whose idempotency key is new; return them with their ids (the others are left alone).

    All rows share everything but the recipient and the key. On PostgreSQL
    one INSERT … SELECT FROM unnest(…) carries just those two arrays and
    returns the ids of the rows it inserted; Django's bulk_create sent every
    column of every row (0.9 s of Python for 10,000 people) and, ignoring
    conflicts, returned no ids, which took two more queries over 10,000
    keys to learn.
    """
    if not notifications:
        return []
    if not _psycopg3():
        return _insert_notifications_orm(notifications)
    first = notifications[0]
    table = connection.ops.quote_name(Notification._meta.db_table)
    with _server_bound_cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (recipient_id, idempotency_key, kind, target_type_id, target_id, context,
                                 url, group_key, group_label, created_at)
            SELECT new.recipient_id, new.idempotency_key, %s::varchar, %s::integer, %s::bigint, %s::jsonb,
                   %s::varchar, %s::varchar, %s::varchar, %s::timestamptz
            FROM unnest(%s::bigint[], %s::varchar[]) AS new (recipient_id, idempotency_key)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING idempotency_key, id
            """,  # noqa: S608 -- our table
            [
                first.kind,
                first.target_type_id,
                first.target_id,
                json.dumps(first.context),
                first.url,
                first.group_key,
                first.group_label,
                first.created_at,
                [notification.recipient_id for notification in notifications],
                [notification.idempotency_key for notification in notifications],
            ],
        )
        ids = dict(cursor.fetchall())
    new = [notification for notification in notifications if notification.idempotency_key in ids]
    for notification in new:
        notification.pk = ids[notification.idempotency_key]
        notification._state.adding = False
        notification._state.db = connection.alias
    return new


def _insert_notifications_orm(notifications: list[Notification]) -> list[Notification]:
    existing = set(
        Notification.objects.filter(
            idempotency_key__in=[notification.idempotency_key for notification in notifications]
        ).values_list("idempotency_key", flat=True)
    )
    new = [notification for notification in notifications if notification.idempotency_key not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=BULK_BATCH)
    # ignore_conflicts gives no primary keys back: read just those, not 10,000 rows again.
    pks = dict(
        Notification.objects.filter(
            idempotency_key__in=[notification.idempotency_key for notification in new]
        ).values_list("idempotency_key", "pk")
    )
    for notification in new:
        notification.pk = pks[notification.idempotency_key]
        # Saved rows, as bulk_create marks them when it gets ids back itself.
        notification._state.adding = False
        notification._state.db = connection.alias
    return new


def _insert_deliveries(deliveries: list[Delivery], now: datetime.datetime) -> list[int]:
    """Insert the outbox rows (a key already taken is skipped); return the ids of those due now."""
    if not deliveries:
        return []
    if not _psycopg3():
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=BULK_BATCH)
        if not any(delivery.status == DeliveryStatus.PENDING and delivery.due_at <= now for delivery in deliveries):
            return []
        return list(
            Delivery.objects.filter(
                notification__in={delivery.notification_id for delivery in deliveries},
                status=DeliveryStatus.PENDING,
                due_at__lte=now,
            ).values_list("pk", flat=True)
        )
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with _server_bound_cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (notification_id, channel, idempotency_key, status, due_at, queued_at,
                                 attempts, last_error, created_at)
            SELECT new.notification_id, new.channel, new.idempotency_key, new.status, new.due_at, new.queued_at,
                   0, '', %s::timestamptz
            FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[], %s::varchar[], %s::timestamptz[],
                        %s::timestamptz[]) AS new (notification_id, channel, idempotency_key, status, due_at, queued_at)
            ON CONFLICT DO NOTHING
            RETURNING id, status, due_at
            """,  # noqa: S608 -- our table
            [
                now,
                [delivery.notification_id for delivery in deliveries],
                [delivery.channel for delivery in deliveries],
                [delivery.idempotency_key for delivery in deliveries],
                [str(delivery.status) for delivery in deliveries],
                [delivery.due_at for delivery in deliveries],
                [delivery.queued_at for delivery in deliveries],
            ],
        )
        return [pk for pk, status, due_at in cursor.fetchall() if status == DeliveryStatus.PENDING and due_at <= now]


def _deliveries_for(
    kind: NotificationKind, notifications: list[Notification], recipient_ids: list[int], now: datetime.datetime
) -> list[Delivery]:
    cadences = _cadences(kind, recipient_ids)
    needs_quiet = not kind.urgent and any(cadence == Cadence.IMMEDIATELY for cadence in cadences.values())
    quiet_until = _quiet_until(recipient_ids, now) if needs_quiet else {}
    digest_at = next_digest_at(now)
    channels = outside_channels()
    deliveries = []
    for notification in notifications:
        for channel in channels:
            cadence = cadences[(notification.recipient_id, channel.key)]
            if cadence == Cadence.OFF:
                continue
            if cadence == Cadence.DIGEST:
                status, due_at = DeliveryStatus.DIGEST, digest_at
            else:
                status, due_at = DeliveryStatus.PENDING, quiet_until.get(notification.recipient_id) or now
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel=channel.key,
                    idempotency_key=f"{notification.idempotency_key}:{channel.key}",
                    status=status,
                    due_at=due_at,
                    created_at=now,
                    # Due now: published right after commit. Deferred: the sweeper publishes it when due.
                    queued_at=now if status == DeliveryStatus.PENDING and due_at <= now else None,
                )
            )
    return deliveries


def deliveries_publish_after_commit(*, delivery_ids: list[int]) -> None:
    """Queue delivery tasks once the surrounding transaction commits."""
    if not delivery_ids:
        return
    delivery_ids = list(delivery_ids)

    def publish_deliveries():
        from .tasks import send_deliveries_task

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


def _claim(delivery_ids: list[int], now: datetime.datetime) -> list[Delivery]:
    """Take due rows for sending. Locked rows are skipped: another worker has them."""
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
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING, claimed_at=now).select_related(
            "notification", "notification__recipient"
        )
    )


def _is_permanent(exc: Exception) -> bool:
    """A refusal that no retry will change: every recipient refused with a 5xx code."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _message in exc.recipients.values())
    return False


def _backoff(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _record_failure(delivery: Delivery, exc: Exception, now: datetime.datetime) -> str:
    dead = delivery.attempts >= MAX_ATTEMPTS or _is_permanent(exc)
    status = DeliveryStatus.DEAD if dead else DeliveryStatus.FAILED
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=status,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        due_at=now + _backoff(delivery.attempts),
        queued_at=None,
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


@contextlib.contextmanager
def _server_bound_cursor():
    """On PostgreSQL a cursor that binds parameters on the server; elsewhere Django's own.

    Django's cursor binds on the client, so every statement is new text to
    PostgreSQL, parsed and planned again: the mark of each e-mail, say. A
    server-bound cursor sends the same text each time and psycopg prepares
    it after its fifth run on a connection, which halved the mark's cost in
    the worker (0.10 to 0.05 ms of CPU). Its arrays travel in binary form
    too, not as 10,000-element literals in the SQL.
    """
    if not _psycopg3():
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    # Wrapped as Django wraps its own: errors, execute wrappers and query logging behave the same.
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        yield cursor


def _mark_sent(cursor, delivery_id: int) -> None:
    """Marked one by one, so a worker that dies mid-batch leaves only unsent rows behind.

    Plain SQL: the ORM spent more time composing this statement than the
    database spent running it, once per e-mail.
    """
    table = connection.ops.quote_name(Delivery._meta.db_table)
    cursor.execute(
        f"UPDATE {table} SET status = %s, sent_at = %s, last_error = '' WHERE id = %s",  # noqa: S608 -- our table
        [DeliveryStatus.SENT.value, connection.ops.adapt_datetimefield_value(clock.now()), delivery_id],
    )


def _send_chunk(chunk: list[int], outcome: dict[str, int]) -> None:
    now = clock.now()
    claimed = _claim(chunk, now)
    outcome["skipped"] += len(chunk) - len(claimed)
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in claimed:
        by_channel.setdefault(delivery.channel, []).append(delivery)
    for channel_key, deliveries in by_channel.items():
        channel = CHANNELS.get(channel_key)
        if channel is None:
            for delivery in deliveries:
                outcome[_record_failure(delivery, LookupError(f"No channel {channel_key!r}"), now)] += 1
            continue
        with _server_bound_cursor() as cursor:
            for delivery, error in channel.send_many(deliveries):
                if error is None:
                    _mark_sent(cursor, delivery.pk)
                    outcome["sent"] += 1
                else:
                    # Only the failures wait and go again (the sweeper publishes them when due).
                    outcome[_record_failure(delivery, error, clock.now())] += 1


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
    stale = now - STUCK_AFTER
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale).update(
        status=DeliveryStatus.FAILED, queued_at=None
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
        status=DeliveryStatus.PENDING, due_at=now, attempts=0, queued_at=now, claimed_at=None
    )
    for delivery in deliveries:
        log(delivery, "notifications.delivery.retry", user=acting_user, data={"last_error": delivery.last_error})
    deliveries_publish_after_commit(delivery_ids=ids)
    return len(ids)


def notification_mark_read(*, acting_user, notification_id: int) -> bool:
    """Mark one of the reader's own notifications read; others' are invisible."""
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=acting_user, read_at__isnull=True).update(
            read_at=clock.now()
        )
    )


def notification_mark_all_read(*, acting_user) -> int:
    """Mark every unread notification of the reader read."""
    return Notification.objects.filter(recipient=acting_user, read_at__isnull=True).update(read_at=clock.now())


@transaction.atomic
def notification_preferences_update(
    *,
    acting_user,
    cadences: dict[tuple[str, str], str],
    quiet_hours_enabled: bool | None = None,
    quiet_start: datetime.time | None = None,
    quiet_end: datetime.time | None = None,
) -> None:
    """Save a person's cadence per kind and channel and their quiet hours; mandatory kinds stay on."""
    errors = []
    rows = []
    for (kind_key, channel_key), cadence in cadences.items():
        try:
            kind = get_kind(kind_key)
        except LookupError:
            errors.append(
                ValidationError(_("There is no kind of message called “%(kind)s”."), params={"kind": kind_key})
            )
            continue
        channel = CHANNELS.get(channel_key)
        if channel is None or not channel.outside or not kind.listed:
            errors.append(ValidationError(_("“%(kind)s” cannot be set for this channel."), params={"kind": kind.label}))
            continue
        if cadence not in Cadence.values or (cadence == Cadence.DIGEST and not channel.supports_digest):
            errors.append(
                ValidationError(
                    _("Choose immediately, daily digest or off for “%(kind)s”."), params={"kind": kind.label}
                )
            )
            continue
        if kind.mandatory and cadence != Cadence.IMMEDIATELY:
            errors.append(
                ValidationError(
                    _(
                        "“%(kind)s” cannot be turned off or moved to the digest: it concerns your account or an invitation."
                    ),
                    params={"kind": kind.label},
                )
            )
            continue
        if not kind.mandatory:
            rows.append(NotificationPreference(user=acting_user, kind=kind.key, channel=channel.key, cadence=cadence))
    if quiet_hours_enabled and quiet_start is not None and quiet_start == quiet_end:
        errors.append(ValidationError(_("Quiet hours must end at a different time than they start.")))
    if errors:
        raise ValidationError(errors)
    NotificationPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind", "channel"], update_fields=["cadence"]
    )
    if quiet_hours_enabled is not None:
        QuietHours.objects.update_or_create(
            user=acting_user,
            defaults={
                "enabled": quiet_hours_enabled,
                "start": quiet_start or QuietHours._meta.get_field("start").default,
                "end": quiet_end or QuietHours._meta.get_field("end").default,
            },
        )


@transaction.atomic
def notification_unsubscribe(*, user, kind: str, channel: str = "email") -> list[str]:
    """Turn off e-mail of one kind (or everything in the digest) for the person a signed link names."""
    definition = get_kind(kind)
    if kind == DIGEST_KIND:
        chosen = dict(NotificationPreference.objects.filter(user=user, channel=channel).values_list("kind", "cadence"))
        kinds = [
            listed.key
            for listed in listed_kinds()
            if not listed.mandatory and chosen.get(listed.key, listed.default_cadence) == Cadence.DIGEST
        ]
    elif definition.mandatory:
        raise ValidationError(
            _("“%(kind)s” cannot be turned off: it concerns your account or an invitation."),
            params={"kind": definition.label},
        )
    else:
        kinds = [kind]
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=key, channel=channel, cadence=Cadence.OFF) for key in kinds],
        update_conflicts=True,
        unique_fields=["user", "kind", "channel"],
        update_fields=["cadence"],
    )
    return kinds
