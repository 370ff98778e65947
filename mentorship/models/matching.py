"""Matching batches, their proposals, and coordinators' pins."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from training.models import Cohort

from .hosts import HostWindow


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")


class MatchingBatch(models.Model):
    """One matching run for a cohort: proposals the coordinator reviews, edits and publishes."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="matching_batches", verbose_name=_("cohort")
    )
    status = models.CharField(_("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    # Trainee id -> rule code, for those the rules or capacities left without a host.
    unplaced = models.JSONField(_("trainees not placed"), default=dict, blank=True)
    total_score = models.DecimalField(_("total score"), max_digits=10, decimal_places=2, default=Decimal("0"))
    seconds = models.FloatField(_("matching time (s)"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("run by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching batch")
        verbose_name_plural = _("matching batches")

    def __str__(self) -> str:
        return f"{self.cohort} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in {BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.PENDING}


class PairingProposal(models.Model):
    """One proposed pair in a batch, with its score broken down into reasons."""

    batch = models.ForeignKey(
        MatchingBatch, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("batch")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("trainee")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    window = models.ForeignKey(
        HostWindow, on_delete=models.CASCADE, related_name="+", verbose_name=_("shadowing window")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    # [{"code": "focus_areas", "points": 2667, "items": [...]}, ...]; points in hundredths.
    reasons = models.JSONField(_("reasons"), default=list)
    pinned = models.BooleanField(_("pinned by the coordinator"), default=False)

    class Meta:
        ordering = ["trainee__display_name", "pk"]
        verbose_name = _("pairing proposal")
        verbose_name_plural = _("pairing proposals")
        constraints = [models.UniqueConstraint(fields=["batch", "trainee"], name="mentorship_proposal_one_per_trainee")]

    def __str__(self) -> str:
        return f"{self.trainee_id} → {self.mentor_id} ({self.score})"


class PairingPin(models.Model):
    """A pair the coordinator fixed before re-running the matcher."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+", verbose_name=_("cohort"))
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("trainee")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pinned pair")
        verbose_name_plural = _("pinned pairs")
        constraints = [models.UniqueConstraint(fields=["cohort", "trainee"], name="mentorship_pin_one_per_trainee")]

    def __str__(self) -> str:
        return f"{self.trainee_id} → {self.mentor_id}"
