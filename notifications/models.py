"""The in-app message (Notification) and its outbox rows (Delivery).

Both are written in the caller's transaction. Each carries an idempotency
key that the database keeps unique, so a repeated call for the same
occasion neither stores nor sends twice.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_inbox(self, user):
        return self.filter(recipient=user).order_by("-created_at", "-pk")

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=64)
    idempotency_key = models.CharField(max_length=255, unique=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Plain values the templates render in the reader's language at display time.
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Digest e-mails group messages by this (a cohort, usually).
    group_key = models.CharField(max_length=64, blank=True)
    group_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Failed permanently")
    DIGEST = "digest", _("Waiting for the daily digest")
    DIGESTED = "digested", _("Sent in a daily digest")


class Delivery(models.Model):
    """One message on one outside channel: the outbox the workers drain."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=20)
    idempotency_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which claim holds the row while it is `sending`: only that worker may send it and mark it sent.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    # When the current run of transient failures began; retried until NOTIFICATIONS_RETRY_FOR has passed.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a task for this row was last handed to the broker; the sweeper
    # publishes rows never queued, and re-publishes those queued long ago.
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    # The digest message that carried this row, once it has gone out in one.
    digest = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digested_deliveries",
        verbose_name=_("digest"),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.notification_id}:{self.status}"


class Cadence(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    """How one person wants one kind of message on one outside channel."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=20)
    cadence = models.CharField(_("cadence"), max_length=12, choices=Cadence.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notifications_preference_unique"),
            models.CheckConstraint(
                condition=models.Q(cadence__in=["immediately", "digest", "off"]),
                name="notifications_preference_cadence_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}:{self.channel}={self.cadence}"


DEFAULT_QUIET_START = datetime.time(22, 0)
DEFAULT_QUIET_END = datetime.time(7, 0)


class QuietHours(models.Model):
    """The hours in which a person receives no immediate e-mail (in the site's time zone)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours", verbose_name=_("person")
    )
    enabled = models.BooleanField(_("quiet hours on"), default=True)
    start = models.TimeField(_("from"), default=DEFAULT_QUIET_START)
    end = models.TimeField(_("until"), default=DEFAULT_QUIET_END)

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enabled=False) | ~models.Q(start=models.F("end")),
                name="notifications_quiet_hours_not_empty",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.start:%H:%M}-{self.end:%H:%M}"
