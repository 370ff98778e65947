"""People, partner regions and schools.

Roles are not stored on the user: a person is a trainee, mentor or
coordinator through a cohort membership (training), an editor through a
Wagtail group, and a regional admin through a RegionalAdministrator row.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    JUNIOR_SECONDARY = "junior_secondary", _("Junior secondary")
    SENIOR_SECONDARY = "senior_secondary", _("Senior secondary")
    VOCATIONAL = "vocational", _("Vocational")
    NINE_YEAR = "nine_year", _("Nine-year (primary and junior secondary)")


class Subject(models.TextChoices):
    LEADERSHIP = "leadership", _("School leadership")
    HOMEROOM = "homeroom", _("Homeroom teaching")
    CHINESE = "chinese", _("Chinese")
    MATHEMATICS = "mathematics", _("Mathematics")
    ENGLISH = "english", _("English")
    PHYSICS = "physics", _("Physics")
    CHEMISTRY = "chemistry", _("Chemistry")
    BIOLOGY = "biology", _("Biology")
    HISTORY = "history", _("History")
    GEOGRAPHY = "geography", _("Geography")
    MORALITY_LAW = "morality_law", _("Morality and law")
    SCIENCE = "science", _("Science")
    INFORMATION_TECHNOLOGY = "information_technology", _("Information technology")
    PHYSICAL_EDUCATION = "physical_education", _("Physical education")
    ARTS = "arts", _("Arts and music")
    MENTAL_HEALTH = "mental_health", _("Mental health education")


def in_reader_language(chinese: str, english: str) -> str:
    """The English text for a reader of English when there is one, else the Chinese (always present)."""
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese


class LocalizedNameMixin:
    """Domain rows keep a Chinese name and an optional English one."""

    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Set when the person's personal data was erased at their request: the row stays so that the
    # ledger, certificates and other people's records keep pointing at something.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)
    # When we first found this person holding power without a second factor: their grace period starts here
    # (accounts.two_factor).
    two_factor_required_since = models.DateTimeField(
        _("two-factor authentication required since"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        if self.erased_at:
            return self.get_full_name()
        return self.display_name or self.email

    def get_full_name(self) -> str:
        if self.erased_at:
            return str(_("Erased person"))
        return self.display_name or f"{self.last_name}{self.first_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


def full_name_expression(path: str):
    """`User.get_full_name()` in SQL for the user at `path` ("trainee", "user"), so lists can be shaped by the
    database; the same rule as the method above, kept beside it."""
    return models.Case(
        # An erased person's row stays for the ledger; the name shown is the same as get_full_name()'s.
        models.When(**{f"{path}__erased_at__isnull": False}, then=Value(str(_("Erased person")))),
        default=Coalesce(
            NullIf(F(f"{path}__display_name"), Value("")),
            NullIf(Trim(Concat(F(f"{path}__last_name"), F(f"{path}__first_name"))), Value("")),
            F(f"{path}__email"),
            output_field=models.CharField(),
        ),
        output_field=models.CharField(),
    )


class Region(LocalizedNameMixin, models.Model):
    """A partner province or municipality (三省一市)."""

    code = models.SlugField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.localized_name


class SchoolType(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    EXPERIMENTAL = "experimental", _("Experimental or demonstration school")
    RURAL = "rural", _("Rural school")


class School(LocalizedNameMixin, models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools", verbose_name=_("region"))
    city = models.CharField(_("city or district"), max_length=50, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    school_type = models.CharField(_("type"), max_length=20, choices=SchoolType.choices, default=SchoolType.PUBLIC)

    class Meta:
        ordering = ["region__sort_order", "name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="accounts_school_unique_name_in_region")]

    def __str__(self) -> str:
        return self.localized_name


class Profile(models.Model):
    """What a person's professional standing is; used by matching and progress."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="profiles", verbose_name=_("home region")
    )
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name=_("school")
    )
    title = models.CharField(_("title or position"), max_length=100, blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    stages = models.JSONField(_("stages taught"), default=list, blank=True)
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(years_of_experience__lte=60) | models.Q(years_of_experience__isnull=True),
                name="accounts_profile_experience_at_most_60",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def subject_labels(self) -> list[str]:
        labels = dict(Subject.choices)
        return [str(labels.get(code, code)) for code in self.subjects]

    @property
    def stage_labels(self) -> list[str]:
        labels = dict(Stage.choices)
        return [str(labels.get(code, code)) for code in self.stages]


class RegionalAdministrator(models.Model):
    """A partner region's education office: sees its own people in every cohort."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_roles", verbose_name=_("user")
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="administrators", verbose_name=_("region")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("regional administrator")
        verbose_name_plural = _("regional administrators")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="accounts_regional_admin_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.region}"


def data_export_upload_to(instance, filename: str) -> str:
    # A random directory: the archive is served only through the owner's signed-in download view.
    import secrets

    return f"private/data-exports/{secrets.token_hex(16)}/{filename}"


class DataExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")


class DataExport(models.Model):
    """A person's archive of everything the platform holds about them (PIPL right of access)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    archive = models.FileField(_("archive"), upload_to=data_export_upload_to, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("download link expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for an administrator")
    ERASED = "erased", _("Erased")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ErasureRequest(models.Model):
    """A person's request to erase their personal data; a platform administrator confirms it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erasure_requests", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="requested"),
                name="accounts_one_open_erasure_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_status_display()}"
