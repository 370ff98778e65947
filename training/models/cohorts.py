"""Cohorts, the regions taking part with their seat quotas, and memberships (roles held in a cohort)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, in_reader_language

from .programmes import Programme


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
    # At-risk thresholds: each cohort sets how early its coordinators want to hear.
    risk_missed_sessions = models.PositiveSmallIntegerField(
        _("missed required sessions before a flag"), default=1, validators=[MinValueValidator(1)]
    )
    risk_overdue_days = models.PositiveSmallIntegerField(
        _("days an assignment may be overdue before a flag"), default=7
    )
    risk_mentoring_gap_days = models.PositiveSmallIntegerField(
        _("days without credited mentoring hours before a flag"), default=21, validators=[MinValueValidator(1)]
    )
    risk_pace_margin = models.PositiveSmallIntegerField(
        _("percentage points behind the expected pace before a flag"),
        default=20,
        validators=[MaxValueValidator(100)],
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
        return in_reader_language(self.name, self.name_en)

    def expected_fraction(self, on: datetime.date) -> float:
        """How far through its dates the cohort is on a day, from 0 to 1."""
        total = (self.ends_on - self.starts_on).days
        if total <= 0:
            return 1.0 if on >= self.ends_on else 0.0
        return min(1.0, max(0.0, (on - self.starts_on).days / total))


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
    statement = models.TextField(
        _("why I am applying"), blank=True, help_text=_("Written by an applicant for the coordinators.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["cohort", "role", "user__email"]
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user", "role"], name="training_membership_unique_role")
        ]
        indexes = [models.Index(fields=["cohort", "role", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.cohort}"

    @property
    def grants_access(self) -> bool:
        return self.status in MembershipStatus.counted_values()

    # --- who the cohort's pages show -------------------------------------------------------------
    # Until an invited person accepts, their account is not the cohort's business: the pages and the API
    # show what the inviter typed (name and address on the invitation), never the account's real name or
    # school. Lists annotate `invited_name` / `invited_email` (training.selectors.memberships); one
    # membership alone looks its latest invitation up.

    @property
    def awaiting_acceptance(self) -> bool:
        return self.status == MembershipStatus.INVITED

    def _invited_as(self) -> tuple[str, str]:
        if not hasattr(self, "invited_email"):
            latest = self.invitations.order_by("-created_at", "-pk").values_list("display_name", "email").first()
            self.invited_name, self.invited_email = latest or ("", "")
        return self.invited_name or "", self.invited_email or ""

    @property
    def shown_name(self) -> str:
        if self.awaiting_acceptance:
            name, email = self._invited_as()
            return name or email or self.user.email
        return self.user.get_full_name()

    @property
    def shown_email(self) -> str:
        if self.awaiting_acceptance:
            return self._invited_as()[1] or self.user.email
        return self.user.email

    @property
    def shown_school(self):
        if self.awaiting_acceptance:
            return None
        profile = getattr(self.user, "profile", None)
        return profile.school if profile is not None else None
