"""Invitations by e-mail, with the nonce a resend replaces."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cohorts import CohortMembership


def new_invitation_nonce() -> str:
    return secrets.token_urlsafe(12)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    """A signed, expiring link that lets an invited person take up their membership."""

    Status = InvitationStatus

    membership = models.ForeignKey(
        CohortMembership, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("membership")
    )
    email = models.EmailField(_("e-mail address"))
    # What the inviter typed: until the person accepts, the cohort's pages show this, never the name and
    # school of an account that already had this address.
    display_name = models.CharField(_("name as typed by the inviter"), max_length=100, blank=True)
    # Changing the nonce invalidates every link sent before (a resend replaces the old link).
    nonce = models.CharField(max_length=32, default=new_invitation_nonce, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(status="pending"),
                name="training_invitation_one_pending_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.membership.cohort}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
