"""Programmes, cohorts, who belongs to them, and the hours ledger (学时)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Region


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
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title


class CohortStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECRUITING = "recruiting", _("Recruiting")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")


class CohortQuerySet(models.QuerySet):
    def live(self):
        """Cohorts a visitor may see on a programme page."""
        return self.filter(status__in=[CohortStatus.RECRUITING, CohortStatus.ACTIVE])

    def visible_to(self, user):
        """Staff see all; others see cohorts they belong to or whose regions they administer."""
        from accounts.permissions import administered_region_ids

        if not user.is_authenticated:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self
        member = models.Q(memberships__user=user, memberships__status__in=CohortMembership.Status.counted_values())
        region_ids = administered_region_ids(user)
        if region_ids:
            member |= models.Q(cohort_regions__region_id__in=region_ids)
        return self.filter(pk__in=self.filter(member).values("pk"))

    def coordinated_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self
        return self.filter(
            pk__in=CohortMembership.objects.filter(
                user=user,
                role=CohortMembership.Role.COORDINATOR,
                status__in=CohortMembership.Status.counted_values(),
            ).values("cohort_id")
        )


class Cohort(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=20, choices=CohortStatus.choices, default=CohortStatus.DRAFT)
    capacity = models.PositiveIntegerField(_("capacity (trainees)"), default=0)
    regions = models.ManyToManyField(
        Region, through="CohortRegion", related_name="cohorts", verbose_name=_("participating regions")
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="training_cohort_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class CohortRegion(models.Model):
    """A region taking part in a cohort, with its seat quota (名额)."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="cohort_regions", verbose_name=_("cohort")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cohort_quotas", verbose_name=_("region"))
    quota = models.PositiveIntegerField(_("seat quota"), default=0)

    class Meta:
        verbose_name = _("participating region")
        verbose_name_plural = _("participating regions")
        constraints = [models.UniqueConstraint(fields=["cohort", "region"], name="training_cohort_region_unique")]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.region}"


class MembershipRole(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    MENTOR = "mentor", _("Mentor")
    COORDINATOR = "coordinator", _("Coordinator")


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted")
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")

    @classmethod
    def counted_values(cls) -> list[str]:
        """Statuses in which a membership grants access to the cohort."""
        return [cls.ACCEPTED, cls.ACTIVE, cls.COMPLETED]


class CohortMembership(models.Model):
    """A person's role in one cohort. Roles are memberships, not user flags."""

    Role = MembershipRole
    Status = MembershipStatus

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cohort"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.INVITED
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("region"),
        help_text=_("The region a trainee comes from, or a coordinator acts for."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["cohort", "role", "user__email"]
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user", "role"], name="training_membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.cohort}"

    @property
    def grants_access(self) -> bool:
        return self.status in MembershipStatus.counted_values()


class HoursSource(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance")
    MENTORING = "mentoring", _("Confirmed mentoring session")
    EVENT = "event", _("Event attendance")
    ASSIGNMENT = "assignment", _("Accepted assignment")
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
        indexes = [models.Index(fields=["trainee", "cohort"])]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.hours} · {self.get_source_display()}"
