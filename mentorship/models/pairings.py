"""Pairings and the approvals each needs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from training.models import Cohort, ProgrammeKind

from .focus_areas import FocusArea
from .hosts import HostWindow
from .matching import MatchingBatch


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended early")

    @classmethod
    def current_values(cls) -> list[str]:
        """A trainee has at most one pairing in these states per cohort."""
        return [cls.PROPOSED, cls.AGREED, cls.ACTIVE]


class PairingQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status__in=PairingStatus.current_values())

    def involving(self, user):
        return self.filter(models.Q(trainee=user) | models.Q(mentor=user))


class Pairing(models.Model):
    """A trainee shadowing a host mentor in one cohort, for a dated period."""

    Status = PairingStatus

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("cohort"))
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pairings_as_trainee",
        verbose_name=_("trainee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pairings_as_mentor", verbose_name=_("mentor")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    host_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+", verbose_name=_("host school"))
    window = models.ForeignKey(
        HostWindow,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name=_("shadowing window"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=20, choices=PairingStatus.choices, default=PairingStatus.PROPOSED)
    batch = models.ForeignKey(
        MatchingBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("batch")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # The agreement both sides approve.
    agreement_focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    agreement_visit_days = models.CharField(_("visit days"), max_length=200, blank=True)
    agreement_expectations = models.TextField(_("expectations"), blank=True)
    ended_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaces"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            # Two coordinators publishing or approving at once cannot give a trainee two current pairings.
            models.UniqueConstraint(
                fields=["cohort", "trainee"],
                condition=models.Q(status__in=["proposed", "agreed", "active"]),
                name="mentorship_pairing_one_current_per_trainee",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="mentorship_pairing_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~models.Q(trainee=models.F("mentor")), name="mentorship_pairing_two_people"
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["trainee", "status"]),
            # The hourly reminder reads only the proposals that crossed the three-day mark lately.
            models.Index(fields=["status", "created_at"], name="mentorship_pair_status_created"),
            # The API reads a cohort's pairings a page at a time in key order (cursor pagination).
            models.Index(fields=["cohort", "id"], name="mentorship_pair_cohort_id"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.mentor}"

    @property
    def is_current(self) -> bool:
        return self.status in PairingStatus.current_values()

    @property
    def accepts_logs(self) -> bool:
        return self.status in {PairingStatus.ACTIVE, PairingStatus.COMPLETED}

    @property
    def agreement_focus_area_labels(self) -> list[str]:
        labels = dict(FocusArea.choices)
        return [str(labels.get(code, code)) for code in self.agreement_focus_areas]

    def other_party(self, user):
        return self.mentor if user.pk == self.trainee_id else self.trainee


class ApprovalParty(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    MENTOR = "mentor", _("Mentor")
    HOME_COORDINATOR = "home_coordinator", _("Coordinator of the trainee's region")
    HOST_COORDINATOR = "host_coordinator", _("Coordinator of the host's region")


class PairingApproval(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("pairing"))
    party = models.CharField(_("approved as"), max_length=20, choices=ApprovalParty.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        ordering = ["approved_at", "pk"]
        verbose_name = _("pairing approval")
        verbose_name_plural = _("pairing approvals")
        constraints = [models.UniqueConstraint(fields=["pairing", "party"], name="mentorship_approval_once_per_party")]

    def __str__(self) -> str:
        return f"{self.pairing_id} · {self.party}"
