"""Each trainee's progress in a cohort, stored: what the cohort overview shows, sorts and filters by.

One row per trainee membership, written by `training.stored_progress` from the same computation as
`training.progress` and kept current by the writes that change it (see that module). The overview reads
a page of these rows in SQL order instead of computing every trainee for every change.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cohorts import Cohort, CohortMembership


class ProgressRecord(models.Model):
    """A trainee's progress figures and risk flags as last computed, and until when they hold."""

    membership = models.OneToOneField(
        CohortMembership,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="progress_record",
        verbose_name=_("membership"),
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+", verbose_name=_("cohort"))
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("trainee")
    )
    sessions_attended = models.PositiveIntegerField(_("required sessions attended"), default=0)
    assignments_accepted = models.PositiveIntegerField(_("assignments accepted"), default=0)
    mentoring_hours = models.DecimalField(_("confirmed mentoring hours"), max_digits=9, decimal_places=1, default=0)
    total_hours = models.DecimalField(_("credited hours"), max_digits=9, decimal_places=1, default=0)
    hours_by_source = models.JSONField(_("hours by source"), default=dict)
    last_mentoring_on = models.DateField(_("last mentoring"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Flags as codes and figures; their messages are written in the reader's language when shown.
    flags = models.JSONField(_("flags"), default=list)
    flag_count = models.PositiveSmallIntegerField(_("number of flags"), default=0)
    computed_at = models.DateTimeField(_("computed"))
    # The figures hold until then: a required session ending, an assignment's grace running out, the next
    # day (pace, mentoring gap). A write that changes them sets it to the past.
    valid_until = models.DateTimeField(_("valid until"))

    class Meta:
        verbose_name = _("stored progress")
        verbose_name_plural = _("stored progress")
        indexes = [
            models.Index(fields=["cohort", "valid_until"], name="training_progress_due"),
            models.Index(fields=["cohort", "percent"], name="training_progress_percent"),
            models.Index(fields=["cohort", "total_hours"], name="training_progress_hours"),
            models.Index(fields=["cohort", "flag_count"], name="training_progress_flags"),
            models.Index(fields=["cohort", "trainee"], name="training_progress_trainee"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.percent}%"
