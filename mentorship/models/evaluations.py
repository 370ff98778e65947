"""Evaluations of a pairing by each side, at each stage."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pairings import Pairing


class EvaluationStage(models.TextChoices):
    MIDPOINT = "midpoint", _("Mid-point")
    FINAL = "final", _("Final")


class EvaluationKind(models.TextChoices):
    MENTOR_RATES_TRAINEE = "mentor_rates_trainee", _("Mentor's rating of the trainee")
    SELF = "self", _("Trainee's self-rating")
    TRAINEE_RATES_MENTOR = "trainee_rates_mentor", _("Trainee's feedback on the mentor")


class MentorQuality(models.TextChoices):
    """What a trainee rates in their mentor."""

    CLEAR_GUIDANCE = "clear_guidance", _("Gave clear, practical guidance")
    OPEN_DOORS = "open_doors", _("Opened their school and work to me")
    TIMELY_FEEDBACK = "timely_feedback", _("Gave feedback in good time")
    FIT_TO_MY_SCHOOL = "fit_to_my_school", _("Helped me apply ideas to my own school")


class Evaluation(models.Model):
    """A rating on the rubric (1 to 4 for each item), once per pairing, stage and kind."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("pairing")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=EvaluationStage.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=EvaluationKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    ratings = models.JSONField(_("ratings"), default=dict)  # item code -> 1..4
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    class Meta:
        ordering = ["pairing_id", "stage", "kind"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["pairing", "stage", "kind"], name="mentorship_evaluation_once")]

    def __str__(self) -> str:
        return f"{self.pairing_id} · {self.stage} · {self.kind}"

    @property
    def average(self) -> Decimal | None:
        values = [int(value) for value in self.ratings.values()]
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None
