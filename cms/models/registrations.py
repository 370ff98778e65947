"""Registrations for events, each with the check-in code typed at the door."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import EventPage


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: the code is typed by hand at the door


def new_registration_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class EventRegistration(models.Model):
    """One person's place (or place in the queue) at an event, on the event's default-language page."""

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    code = models.CharField(
        _("check-in code"), max_length=16, unique=True, default=new_registration_code, editable=False
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved off the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            # One current registration per person and event; a cancelled one may be followed by a new one.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(status__in=["confirmed", "waitlisted"]),
                name="cms_registration_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True) | models.Q(status="confirmed"),
                name="cms_registration_check_in_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} · {self.get_status_display()}"

    @property
    def is_current(self) -> bool:
        return self.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class EventChangeStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Takes place")
    CANCELLED = "cancelled", _("Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn from the site")


class EventChange(models.Model):
    """What registrants were told about an event: when, where and whether it takes place.

    Append-only: the newest row is what everyone registered knows. Publishing or
    unpublishing the page compares the page with it, and a difference becomes a new
    row and one message to each person registered or waiting (see `cms.services`).
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="changes", verbose_name=_("event"))
    sequence = models.PositiveIntegerField(_("revision of the calendar entry"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EventChangeStatus.choices)
    announced_at = models.DateTimeField(_("announced"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("people told"), default=0)

    class Meta:
        ordering = ["event", "-sequence"]
        verbose_name = _("event change")
        verbose_name_plural = _("event changes")
        constraints = [models.UniqueConstraint(fields=["event", "sequence"], name="cms_event_change_once")]

    def __str__(self) -> str:
        return f"{self.event} · {self.sequence} · {self.get_status_display()}"
