"""The hours ledger (学时): one line per credit or correction, never edited."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cohorts import Cohort


class HoursSource(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance")
    MENTORING = "mentoring", _("Confirmed mentoring session")
    EVENT = "event", _("Event attendance")
    ASSIGNMENT = "assignment", _("Accepted assignment")
    STUDIO = "studio", _("Studio activity")
    CONTEST = "contest", _("Contest participation")
    CORRECTION = "correction", _("Correction")


class HoursEntry(models.Model):
    """One line of the hours ledger (学时). Never edited: a correction is a new line."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_entries", verbose_name=_("trainee")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="hours_entries", verbose_name=_("cohort")
    )
    source = models.CharField(_("source"), max_length=20, choices=HoursSource.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    occurred_on = models.DateField(_("date"))
    # The object the hours came from; its key makes crediting idempotent.
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    # A correction names the entry it corrects, so progress can attribute it to that entry's source.
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("corrects")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    credited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("credited by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours ledger")
        constraints = [
            # The same source credits the same trainee once; corrections carry no source.
            models.UniqueConstraint(
                fields=["trainee", "source", "source_type", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="training_hours_once_per_source",
            )
        ]
        indexes = [
            models.Index(fields=["trainee", "cohort"]),
            models.Index(fields=["cohort", "source"]),
            # "which entry came from this attendance / session log": the ledger is looked up by its source
            models.Index(fields=["source_type", "source_id"], name="training_hours_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.hours} · {self.get_source_display()}"
