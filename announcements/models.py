"""An announcement: written once in Chinese (and optionally English), sent to an audience now or at a time."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, in_reader_language
from training.models import Cohort, MembershipRole


class AudienceScope(models.TextChoices):
    COHORT = "cohort", _("A cohort")
    REGION = "region", _("A region's people")
    PLATFORM = "platform", _("Everyone on the platform")


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


ROLE_CHOICES = [
    (MembershipRole.TRAINEE, _("Trainees")),
    (MembershipRole.MENTOR, _("Mentors")),
    (MembershipRole.COORDINATOR, _("Coordinators")),
]


class Announcement(models.Model):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="announcements_sent", verbose_name=_("sender")
    )
    scope = models.CharField(_("audience"), max_length=10, choices=AudienceScope.choices)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="announcements", verbose_name=_("cohort")
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="announcements", verbose_name=_("region")
    )
    # Within a cohort: which roles, and people of which regions (empty: all).
    roles = models.JSONField(_("roles"), default=list, blank=True)
    member_regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("members' regions"))
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("English title"), max_length=120, blank=True)
    body = models.TextField(_("message"), max_length=4000)
    body_en = models.TextField(_("English message"), max_length=4000, blank=True)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AnnouncementStatus.choices, default=AnnouncementStatus.DRAFT
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [models.Index(fields=["status", "send_at"], name="announcement_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="cohort", cohort__isnull=False)
                | models.Q(scope="region", region__isnull=False)
                | models.Q(scope="platform"),
                name="announcement_audience_named",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def localized_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def localized_body(self) -> str:
        return in_reader_language(self.body, self.body_en)
