"""The credit bank (学分银行): every credited activity of a person, and how each region recognises it (学分互认).

A `CreditRecord` is one credited activity (a completed programme, a summit attended,
a studio activity, a contest), append-only like the hours ledger: a correction is a
new record that names the one it corrects. A `Recognition` is what one region made
of one record: issued there, recognised (by its rule or by its office), waiting in
its office's queue, or refused with a reason. It keeps the rule version and the
conversion it used, so a later rule never rewrites it.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, in_reader_language


class CreditKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme completed")
    HOSTING = "hosting", _("Trainees hosted")
    EVENT = "event", _("Summit or forum attended")
    STUDIO = "studio", _("Studio activity")
    CONTEST = "contest", _("Contest participation")


class CreditCategory(models.TextChoices):
    TRAINING = "training", _("Training and study")
    EXCHANGE = "exchange", _("Forums and exchanges")
    RESEARCH = "research", _("Teaching research")
    COMPETITION = "competition", _("Contests and awards")


DEFAULT_CATEGORY = {
    CreditKind.PROGRAMME: CreditCategory.TRAINING,
    CreditKind.HOSTING: CreditCategory.TRAINING,
    CreditKind.EVENT: CreditCategory.EXCHANGE,
    CreditKind.STUDIO: CreditCategory.RESEARCH,
    CreditKind.CONTEST: CreditCategory.COMPETITION,
}

# Hours for one credit where a region has no rule in effect (a common 10 学时 = 1 学分).
DEFAULT_HOURS_PER_CREDIT = Decimal("10")


class RecognitionRule(models.Model):
    """One version of a region's rules, in force for activities between two dates; versions never overlap.

    `hours_per_credit` maps a kind of activity to the hours that make one credit
    (kinds not named use the platform default); `yearly_caps` maps a category to
    the most credits a person may gain in it in one calendar year (no entry, no
    cap); `accepts` maps a kind to the codes of the issuing regions whose records
    of that kind are recognised automatically (the rest wait for the office).
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="credit_rules", verbose_name=_("region"))
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    hours_per_credit = models.JSONField(_("hours per credit"), default=dict, blank=True)
    yearly_caps = models.JSONField(_("yearly caps"), default=dict, blank=True)
    accepts = models.JSONField(_("recognised automatically"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["region__sort_order", "-effective_from"]
        verbose_name = _("recognition rule")
        verbose_name_plural = _("recognition rules")
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="credits_rule_version_unique"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="credits_rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} · v{self.version}"

    def conversion(self, kind: str) -> Decimal:
        value = self.hours_per_credit.get(kind)
        return Decimal(str(value)) if value not in (None, "") else DEFAULT_HOURS_PER_CREDIT

    def cap(self, category: str) -> Decimal | None:
        value = self.yearly_caps.get(category)
        return Decimal(str(value)) if value not in (None, "") else None

    def accepts_automatically(self, kind: str, issuing_code: str) -> bool:
        return issuing_code in self.accepts.get(kind, ())


class CreditRecordQuerySet(models.QuerySet):
    def originals(self):
        return self.filter(corrects__isnull=True)


class CreditRecord(models.Model):
    """One credited activity in a person's account. Never edited: a correction is a new record."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_records", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CreditKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=CreditCategory.choices)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1)
    # What the hours convert to under the issuing region's rule on that date.
    credits = models.DecimalField(_("credits"), max_digits=7, decimal_places=1)
    occurred_on = models.DateField(_("date"))
    issuing_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="issued_credit_records", verbose_name=_("issuing region")
    )
    # The person's home region when the record was made: the region that recognises it.
    home_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_credit_records",
        verbose_name=_("home region"),
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("corrects")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        constraints = [
            # A signal delivered twice writes one record.
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=models.Q(corrects__isnull=True),
                name="credits_record_once_per_source",
            ),
            models.UniqueConstraint(
                fields=["source_type", "source_id", "corrects"],
                condition=models.Q(corrects__isnull=False),
                name="credits_correction_once_per_source",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "occurred_on"], name="credits_record_person_idx"),
            models.Index(fields=["issuing_region", "occurred_on"], name="credits_record_issuer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.title} · {self.hours}"

    @property
    def localized_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


class RecognitionStatus(models.TextChoices):
    ISSUED = "issued", _("Issued here")
    PENDING = "pending", _("Waiting for the regional office")
    RECOGNISED = "recognised", _("Recognised")
    REFUSED = "refused", _("Refused")

    @classmethod
    def counted(cls) -> list[str]:
        """Statuses whose credits count in a region's account of a person."""
        return [cls.ISSUED, cls.RECOGNISED]


class Recognition(models.Model):
    """What one region made of one credit record, with the rule version and conversion it used."""

    Status = RecognitionStatus

    record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("credit record")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="credit_recognitions", verbose_name=_("recognising region")
    )
    status = models.CharField(_("status"), max_length=12, choices=RecognitionStatus.choices)
    automatic = models.BooleanField(_("by rule"), default=False)
    rule = models.ForeignKey(
        RecognitionRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("rule version"),
    )
    hours_per_credit = models.DecimalField(_("hours per credit"), max_digits=6, decimal_places=2, null=True)
    credits_converted = models.DecimalField(_("credits before the cap"), max_digits=7, decimal_places=1, null=True)
    credits = models.DecimalField(_("credits"), max_digits=7, decimal_places=1, default=Decimal("0"))
    # Copied from the record so that caps and indicators are summed without a join.
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=CreditCategory.choices)
    # The recognising region is the person's home region: the region's own people, for its indicators.
    home = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["region__sort_order", "pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.UniqueConstraint(fields=["record", "region"], name="credits_recognition_once_per_region"),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="credits_recog_queue_idx"),
            models.Index(fields=["person", "region", "year", "category"], name="credits_recog_cap_idx"),
            models.Index(fields=["region", "home", "year"], name="credits_recog_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record} · {self.region} · {self.get_status_display()}"

    @property
    def counts(self) -> bool:
        return self.status in RecognitionStatus.counted()


def _new_share_token() -> str:
    return secrets.token_urlsafe(18)


class TranscriptShare(models.Model):
    """The public address of a person's transcript; no token means the person turned it off."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="transcript_share", verbose_name=_("person")
    )
    token = models.CharField(max_length=40, unique=True, null=True, blank=True)
    renewed_at = models.DateTimeField(_("renewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("transcript address")
        verbose_name_plural = _("transcript addresses")

    def __str__(self) -> str:
        return str(self.person)
