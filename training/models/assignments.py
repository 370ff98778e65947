"""Assignments, submissions and their files."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import in_reader_language

from .cohorts import Cohort


class AssignmentKind(models.TextChoices):
    REFLECTION = "reflection", _("Reflection")
    ACTION_PLAN = "action_plan", _("Action plan")
    CASE_STUDY = "case_study", _("Case study")
    LESSON_STUDY = "lesson_study", _("Lesson-study report")


class ReviewerRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    COORDINATOR = "coordinator", _("Coordinator")


class Assignment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("cohort"))
    kind = models.CharField(_("kind"), max_length=20, choices=AssignmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    instructions_en = models.TextField(_("English instructions"), blank=True)
    due_at = models.DateTimeField(_("due"))
    reviewer = models.CharField(_("reviewed by"), max_length=12, choices=ReviewerRole.choices)
    required = models.BooleanField(_("required"), default=True)
    credit_hours = models.DecimalField(
        _("hours credited when accepted"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return self.localized_title

    @property
    def localized_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def localized_instructions(self) -> str:
        return in_reader_language(self.instructions, self.instructions_en)

    def clean(self):
        # An English reader would see English instructions under a Chinese title: ask for the title too.
        if self.instructions_en.strip() and not self.title_en.strip():
            raise ValidationError({"title_en": _("Give the English title too when you write English instructions.")})


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", pgettext_lazy("submission", "Accepted")


class Submission(models.Model):
    """One attempt at an assignment; a resubmission is a new attempt, so the history stays."""

    Status = SubmissionStatus

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("assignment")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("trainee")
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    is_late = models.BooleanField(_("late"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comments"), blank=True)

    class Meta:
        ordering = ["assignment", "trainee", "attempt"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "trainee", "attempt"], name="training_submission_unique_attempt"
            ),
            models.UniqueConstraint(
                fields=["assignment", "trainee"],
                condition=models.Q(status__in=["submitted", "accepted"]),
                name="training_submission_one_open_or_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.trainee} · {self.attempt}"


def submission_upload_to(instance, filename: str) -> str:
    # Random names: the original name is kept in the row, never in a path someone could guess.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"submissions/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{suffix}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("submission")
    )
    file = models.FileField(_("file"), upload_to=submission_upload_to)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("type"), max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")

    def __str__(self) -> str:
        return self.original_name
