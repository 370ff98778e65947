"""Session logs: what a pair did, for how long, confirmed by the other side."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .focus_areas import FocusArea
from .pairings import Pairing


class SessionKind(models.TextChoices):
    SHADOW_DAY = "shadow_day", _("Shadow day on site")
    OBSERVATION = "observation", _("Lesson observation")
    CO_PLANNING = "co_planning", _("Co-planning")
    DEBRIEF = "debrief", _("Debrief")
    REMOTE = "remote", _("Remote session")


class SessionLogStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    REJECTED = "rejected", _("Not counted")


class SessionLog(models.Model):
    """One mentoring session, logged by one party and confirmed by the other."""

    Status = SessionLogStatus

    pairing = models.ForeignKey(
        Pairing, on_delete=models.PROTECT, related_name="session_logs", verbose_name=_("pairing")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    occurred_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    went_well = models.TextField(_("what went well"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    trainee_next_steps = models.TextField(_("trainee's next steps"), blank=True)
    mentor_next_steps = models.TextField(_("mentor's next steps"), blank=True)
    next_meeting = models.DateTimeField(_("next meeting"), null=True, blank=True)
    tags = models.JSONField(_("standards touched"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionLogStatus.choices, default=SessionLogStatus.AWAITING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed or disputed by"),
    )
    reviewed_at = models.DateTimeField(_("confirmed or disputed"), null=True, blank=True)
    dispute_comment = models.TextField(_("why it is disputed"), blank=True)
    resolution_comment = models.TextField(_("coordinator's decision"), blank=True)
    # Raised whenever a change reaches people's calendars (iCalendar SEQUENCE).
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("session log")
        verbose_name_plural = _("session logs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="mentorship_log_hours_within_a_day"
            ),
            # The trainee's daily log during a shadowing block: one per day.
            models.UniqueConstraint(
                fields=["pairing", "occurred_on"],
                condition=models.Q(kind="shadow_day"),
                name="mentorship_log_one_shadow_day_per_date",
            ),
        ]
        indexes = [
            models.Index(fields=["pairing", "status"]),
            # The hourly reminder reads only the logs that crossed the three-day mark lately.
            models.Index(fields=["status", "created_at"], name="mentorship_log_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.pairing} · {self.occurred_on} · {self.hours}"

    @property
    def confirmer_id(self) -> int:
        """The other party: the trainee confirms a mentor's log, the mentor a trainee's."""
        pairing = self.pairing
        return pairing.trainee_id if self.author_id == pairing.mentor_id else pairing.mentor_id

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(FocusArea.choices)
        return [str(labels.get(code, code)) for code in self.tags]
