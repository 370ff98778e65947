"""Stored enrolment imports and their progress."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cohorts import Cohort


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    VALIDATING = "validating", _("Checking rows")
    IMPORTING = "importing", _("Saving")
    FAILED = "failed", _("Not imported")
    DONE = "done", _("Imported")


class EnrolmentImport(models.Model):
    """A spreadsheet of people to invite, checked row by row and imported all at once or not at all."""

    Status = ImportStatus

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports", verbose_name=_("cohort"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    filename = models.CharField(_("file name"), max_length=200)
    # The file lives in the database until it is processed, so any worker can read it; then it is erased.
    content = models.BinaryField(editable=False, default=b"")
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    # [{"row": 3, "field": "email", "code": "duplicate_email", "params": {...}}], rendered in the reader's language.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("people invited"), default=0)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("enrolment import")
        verbose_name_plural = _("enrolment imports")

    def __str__(self) -> str:
        return f"{self.filename} · {self.cohort}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.FAILED, ImportStatus.DONE)

    @property
    def percent(self) -> int:
        if self.is_finished:
            # A failed import has checked every row it could; "90%" would promise more to come.
            return 100
        if not self.total_rows:
            return 0
        # Checking is most of the work; saving is the last tenth.
        checked = 90 * self.processed_rows // self.total_rows
        return checked + (5 if self.status == ImportStatus.IMPORTING else 0)
