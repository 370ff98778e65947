"""Attendance: one row per trainee, item and day."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .hours import HoursEntry
from .schedule import ScheduleItem


class AttendanceMethod(models.TextChoices):
    COORDINATOR = "coordinator", _("Marked by a coordinator")
    QR = "qr", _("QR check-in")
    # At the door of an event page that is this schedule item (a summit the cohort attends).
    EVENT = "event", _("Checked in at the event")


class Attendance(models.Model):
    """Whether a trainee was at a schedule item on one of its days."""

    schedule_item = models.ForeignKey(
        ScheduleItem, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("schedule item")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("trainee")
    )
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=True)
    method = models.CharField(_("how"), max_length=12, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # The ledger line this attendance first credited; flips are corrections of it, never edits.
    hours_entry = models.ForeignKey(HoursEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    credited = models.BooleanField(default=False)

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["schedule_item", "trainee", "day"], name="training_attendance_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.schedule_item} · {self.day}"
