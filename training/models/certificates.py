"""Certificates: what they certify, copied at issue, and their public verification code."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import in_reader_language

from .cohorts import CohortMembership

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_verification_code() -> str:
    """Twelve characters without look-alikes (no 0/O, 1/I), grouped in fours for reading aloud."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[index : index + 4] for index in range(0, 12, 4))


class CertificateKind(models.TextChoices):
    COMPLETION = "completion", _("Certificate of completion")
    HOSTING = "hosting", _("Certificate of hosting")
    AWARD = "award", _("Award certificate")


class Certificate(models.Model):
    """What a trainee completed, a mentor hosted or an entrant won, as it stood when it was signed off; anyone can verify the code.

    Completion and hosting certificates belong to a cohort membership; an award
    (a contest's prize) has none, so the person it was issued to is kept in
    `holder` for every kind.
    """

    membership = models.ForeignKey(
        CohortMembership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("membership"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CertificateKind.choices, default=CertificateKind.COMPLETION
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True, default=new_verification_code)
    # A snapshot, so a later change of name or title does not rewrite an issued certificate.
    holder_name = models.CharField(_("name"), max_length=100)
    programme_title = models.CharField(_("programme"), max_length=200)
    programme_title_en = models.CharField(_("programme (English)"), max_length=200, blank=True)
    cohort_name = models.CharField(_("cohort"), max_length=200)
    cohort_name_en = models.CharField(_("cohort (English)"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    hours = models.DecimalField(_("credited hours"), max_digits=6, decimal_places=1)
    home_region = models.CharField(_("home region"), max_length=50, blank=True)
    home_region_en = models.CharField(_("home region (English)"), max_length=50, blank=True)
    # [{"name": "上海市", "name_en": "Shanghai"}, ...]; on a host certificate, the regions its trainees came from.
    host_regions = models.JSONField(_("host regions"), default=list, blank=True)
    issuing_regions = models.JSONField(_("issuing regions"), default=list, blank=True)
    # A host certificate's record: the trainees the mentor supported and the sessions both sides confirmed.
    trainees_supported = models.PositiveIntegerField(_("trainees supported"), default=0)
    sessions_confirmed = models.PositiveIntegerField(_("confirmed sessions"), default=0)
    # An award's prize ("一等奖", "First prize"); programme_title and cohort_name then hold the contest and its category.
    distinction = models.CharField(_("distinction"), max_length=100, blank=True)
    distinction_en = models.CharField(_("distinction (English)"), max_length=100, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(revoked_at__isnull=True),
                name="training_certificate_one_valid_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.holder_name}"

    def save(self, *args, **kwargs):
        if self.holder_id is None and self.membership_id is not None:
            self.holder_id = self.membership.user_id
        super().save(*args, **kwargs)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def is_hosting(self) -> bool:
        return self.kind == CertificateKind.HOSTING

    @property
    def localized_programme_title(self) -> str:
        return in_reader_language(self.programme_title, self.programme_title_en)

    @property
    def localized_cohort_name(self) -> str:
        return in_reader_language(self.cohort_name, self.cohort_name_en)

    @property
    def localized_home_region(self) -> str:
        return in_reader_language(self.home_region, self.home_region_en)

    @staticmethod
    def _localized_regions(regions: list[dict]) -> list[str]:
        return [in_reader_language(region.get("name", ""), region.get("name_en", "")) for region in regions or ()]

    @property
    def localized_host_regions(self) -> list[str]:
        return self._localized_regions(self.host_regions)

    @property
    def localized_issuing_regions(self) -> list[str]:
        return self._localized_regions(self.issuing_regions)
