"""After a pairing: the action plan and the check-ins."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pairings import Pairing


class ActionPlan(models.Model):
    """What the trainee will do at their home school after shadowing."""

    pairing = models.OneToOneField(
        Pairing, on_delete=models.CASCADE, related_name="action_plan", verbose_name=_("pairing")
    )
    goals = models.TextField(_("goals for my school"))
    actions = models.TextField(_("actions and timeline"))
    support_needed = models.TextField(_("support I need from my mentor"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.pairing_id}"


class CheckIn(models.Model):
    """A follow-up with the mentor one, three or six months after shadowing."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("pairing"))
    months_after = models.PositiveSmallIntegerField(_("months after shadowing"))
    due_on = models.DateField(_("due"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    progress = models.TextField(_("progress on the action plan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(held_on__isnull=True), name="mentorship_checkin_open_due"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "months_after"], name="mentorship_checkin_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.pairing_id} · {self.months_after}"
