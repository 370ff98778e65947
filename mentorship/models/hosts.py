"""Hosts: a mentor's host profile, shadowing windows, trainees' wishes, and pairs never to match."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from training.models import Cohort

from .focus_areas import FocusArea


class HostProfile(models.Model):
    """What a mentor offers as a host, across cohorts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="host_profile", verbose_name=_("mentor")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="host_profiles", verbose_name=_("host school")
    )
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("trainees at once"), default=2, validators=[MinValueValidator(0), MaxValueValidator(12)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("host profile")
        verbose_name_plural = _("host profiles")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__lte=12), name="mentorship_host_capacity_at_most_12")
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def focus_area_labels(self) -> list[str]:
        labels = dict(FocusArea.choices)
        return [str(labels.get(code, code)) for code in self.focus_areas]


class HostWindow(models.Model):
    """A term's shadowing window at a host school, and how many shadows it takes."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="host_windows", verbose_name=_("host school")
    )
    term = models.CharField(_("term"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(_("shadows in this window"), default=4)

    class Meta:
        ordering = ["starts_on", "school_id"]
        verbose_name = _("shadowing window")
        verbose_name_plural = _("shadowing windows")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="mentorship_window_dates_ordered"
            ),
            models.UniqueConstraint(fields=["school", "term"], name="mentorship_window_one_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.term}"


class MatchingPreference(models.Model):
    """A trainee's focus areas and ranked wishes for one cohort's matching."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+", verbose_name=_("cohort"))
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("trainee")
    )
    focus_areas = models.JSONField(_("focus areas I want to grow in"), default=list, blank=True)
    # Mentor user ids, first choice first (at most three); checked against the cohort by the service.
    wishes = models.JSONField(_("hosts I would like"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("matching preference")
        verbose_name_plural = _("matching preferences")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "trainee"], name="mentorship_preference_one_per_trainee")
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} · {self.cohort_id}"


class DoNotMatch(models.Model):
    """A trainee and mentor who must not be paired again."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("trainee")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("marked by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("do-not-match pair")
        verbose_name_plural = _("do-not-match pairs")
        constraints = [models.UniqueConstraint(fields=["trainee", "mentor"], name="mentorship_do_not_match_unique")]

    def __str__(self) -> str:
        return f"{self.trainee_id} ≠ {self.mentor_id}"
