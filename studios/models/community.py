"""Master-teacher and principal studios (名师工作室, 名校长工作室): members, roles, the yearly plan, library and discussion."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Stage, Subject


class StudioKind(models.TextChoices):
    MASTER_TEACHER = "master_teacher", _("Master teacher's studio")
    PRINCIPAL = "principal", _("Principal's studio")


class Studio(models.Model):
    """A community led by a master teacher or principal that outlives any one cohort."""

    Kind = StudioKind

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=StudioKind.choices, default=StudioKind.MASTER_TEACHER)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_studios", verbose_name=_("leader")
    )
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="studios", verbose_name=_("home region")
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("studio")
        verbose_name_plural = _("studios")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class StudioRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    CO_LEADER = "co_leader", _("Co-leader")
    MEMBER = "member", _("Member")


class StudioMembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    REFUSED = "refused", _("Not accepted")


class StudioMembership(models.Model):
    """One person's place in a studio: invited by its leaders or applied, then active once decided."""

    Role = StudioRole
    Status = StudioMembershipStatus

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("studio"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="studio_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=12, choices=StudioRole.choices, default=StudioRole.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=StudioMembershipStatus.choices)
    message = models.TextField(_("message"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["studio", "role", "pk"]
        verbose_name = _("studio membership")
        verbose_name_plural = _("studio memberships")
        constraints = [
            models.UniqueConstraint(fields=["studio", "person"], name="studios_membership_once_per_studio"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.studio}"

    @property
    def leads(self) -> bool:
        return self.status == StudioMembershipStatus.ACTIVE and self.role in (StudioRole.LEADER, StudioRole.CO_LEADER)


class StudioPlan(models.Model):
    """A studio's plan for one year: its themes; the activities are planned under it."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="plans", verbose_name=_("studio"))
    year = models.PositiveSmallIntegerField(_("year"))
    themes = models.TextField(_("themes"), blank=True, help_text=_("One theme per line."))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly plan")
        verbose_name_plural = _("yearly plans")
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="studios_plan_once_per_year")]

    def __str__(self) -> str:
        return f"{self.studio} · {self.year}"

    @property
    def theme_list(self) -> list[str]:
        return [line.strip() for line in self.themes.splitlines() if line.strip()]


class PlannedActivity(models.Model):
    """An activity of the yearly plan; public ones appear on the studio's public page."""

    plan = models.ForeignKey(StudioPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(_("shown on the public page"), default=False)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")

    def __str__(self) -> str:
        return self.title


class ResourceKind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("Lesson plan")
    RECORDING = "recording", _("Lesson recording")
    CASE_STUDY = "case_study", _("Case study")
    LESSON_STUDY_REPORT = "lesson_study_report", _("Lesson-study report")


class ProfessionalStandard(models.TextChoices):
    """The national professional standards' domains for teachers (教师专业标准) and principals (校长专业标准)."""

    ETHICS = "ethics", _("Professional beliefs and ethics")
    KNOWLEDGE = "knowledge", _("Professional knowledge")
    ABILITY = "ability", _("Professional ability")
    SCHOOL_PLANNING = "school_planning", _("Planning the school's development")
    SCHOOL_CULTURE = "school_culture", _("Building a culture of education")
    CURRICULUM = "curriculum", _("Leading curriculum and teaching")
    TEACHER_GROWTH = "teacher_growth", _("Leading teachers' growth")
    MANAGEMENT = "management", _("Improving internal management")
    ENVIRONMENT = "environment", _("Working with the outside environment")


class Licence(models.TextChoices):
    ALL_RIGHTS = "all_rights", _("All rights reserved; for use on the platform")
    CC_BY = "cc_by", _("CC BY 4.0")
    CC_BY_NC = "cc_by_nc", _("CC BY-NC 4.0")
    CC_BY_NC_SA = "cc_by_nc_sa", _("CC BY-NC-SA 4.0")


class Visibility(models.TextChoices):
    STUDIO = "studio", _("The studio's members")
    PLATFORM = "platform", _("Everyone signed in")
    PUBLIC = "public", _("Everyone, also on the public site")


def resource_upload_to(instance, filename: str) -> str:
    # Random names: the original name is kept in the row, never in a path someone could guess.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"studios/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{suffix}"


class Resource(models.Model):
    """A lesson plan, recording, case study or lesson-study report a studio shares, as widely as it chooses."""

    Kind = ResourceKind
    Visibility = Visibility

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="resources", verbose_name=_("studio"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="studio_resources", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=ResourceKind.choices)
    description = models.TextField(_("description"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Separate tags with commas."))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=30, choices=Subject.choices, blank=True)
    standard = models.CharField(
        _("professional standard"), max_length=20, choices=ProfessionalStandard.choices, blank=True
    )
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studio_resources",
        verbose_name=_("region"),
    )
    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices, default=Licence.ALL_RIGHTS)
    visibility = models.CharField(_("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.STUDIO)
    link = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to=resource_upload_to, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    # Promoted from an accepted assignment submission, with its author's consent.
    submission = models.OneToOneField(
        "training.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studio_resource",
        verbose_name=_("from submission"),
    )
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("promoted by"),
    )
    # Empty while a promoted submission waits for its author's consent: until then only the two of them see it.
    consented_at = models.DateTimeField(_("author's consent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [models.Index(fields=["visibility", "-created_at"], name="studios_resource_listing")]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.replace("，", ",").split(",") if tag.strip()]


class Thread(models.Model):
    """A discussion in a studio, or on one of its resources; leaders lock, pin and hide it, with the reason kept."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="threads", verbose_name=_("studio"))
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="threads", verbose_name=_("resource")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="studio_threads", verbose_name=_("author")
    )
    is_locked = models.BooleanField(_("locked"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    moderation_reason = models.CharField(_("reason for the last moderation"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now)

    class Meta:
        ordering = ["-is_pinned", "-last_post_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["studio", "-is_pinned", "-last_post_at"], name="studios_thread_listing")]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """One message: its body is HTML cleaned on the server; an attachment follows the submissions' upload rules."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="studio_posts", verbose_name=_("author")
    )
    body = models.TextField(_("message"))
    attachment = models.FileField(_("attachment"), upload_to=resource_upload_to, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("type"), max_length=100, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["author", "-created_at"], name="studios_post_by_author")]

    def __str__(self) -> str:
        return f"{self.thread} · {self.author}"


class PostReport(models.Model):
    """A member's report of a post to the studio's leaders."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reported by")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="studios_report_once_per_person")]

    def __str__(self) -> str:
        return f"{self.post} · {self.reporter}"
