"""Programmes: what a cohort is a run of (shadow principals, shadow teachers, ...)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import in_reader_language


class ProgrammeKind(models.TextChoices):
    SHADOW_PRINCIPAL = "shadow_principal", _("Shadow principal")
    SHADOW_TEACHER = "shadow_teacher", _("Shadow teacher")


class Programme(models.Model):
    """A training programme; its public page lives in the CMS."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    credit_hours = models.DecimalField(
        _("credit hours"), max_digits=6, decimal_places=1, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    required_sessions = models.PositiveSmallIntegerField(_("required sessions to attend"), default=0)
    required_assignments = models.PositiveSmallIntegerField(_("required assignments"), default=0)
    min_mentoring_hours = models.DecimalField(
        _("minimum confirmed mentoring hours"), max_digits=6, decimal_places=1, default=Decimal("0")
    )
    requires_cross_region = models.BooleanField(
        _("pairs must cross regions"), default=True, help_text=_("Trainee and host come from different regions.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.localized_title

    @property
    def localized_title(self) -> str:
        return in_reader_language(self.title, self.title_en)
