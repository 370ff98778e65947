"""Programmes, cohorts, who belongs to them, their plan, and the hours ledger (学时)."""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Region, School, in_reader_language


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


class HoursSource(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance")
    MENTORING = "mentoring", _("Confirmed mentoring session")
    EVENT = "event", _("Event attendance")
    ASSIGNMENT = "assignment", _("Accepted assignment")
    STUDIO = "studio", _("Studio activity")
    CONTEST = "contest", _("Contest participation")
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
    # A correction names the entry it corrects, so progress can attribute it to that entry's source.
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("corrects")
    )
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
        indexes = [
            models.Index(fields=["trainee", "cohort"]),
            models.Index(fields=["cohort", "source"]),
            # "which entry came from this attendance / session log": the ledger is looked up by its source
            models.Index(fields=["source_type", "source_id"], name="training_hours_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.hours} · {self.get_source_display()}"


def _new_nonce() -> str:
    return secrets.token_urlsafe(12)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    """A signed, expiring link that lets an invited person take up their membership."""

    Status = InvitationStatus

    membership = models.ForeignKey(
        CohortMembership, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("membership")
    )
    email = models.EmailField(_("e-mail address"))
    # Changing the nonce invalidates every link sent before (a resend replaces the old link).
    nonce = models.CharField(max_length=32, default=_new_nonce, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(status="pending"),
                name="training_invitation_one_pending_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.membership.cohort}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    VALIDATING = "validating", _("Checking rows")
    IMPORTING = "importing", _("Saving")
    FAILED = "failed", _("Not imported")
    DONE = "done", _("Imported")


class EnrolmentImport(models.Model):
    """A spreadsheet of people to invite, checked row by row and imported all at once or not at all."""

    Status = ImportStatus

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports", verbose_name=_("cohort"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    filename = models.CharField(_("file name"), max_length=200)
    # The file lives in the database until it is processed, so any worker can read it; then it is erased.
    content = models.BinaryField(editable=False, default=b"")
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    # [{"row": 3, "field": "email", "code": "duplicate_email", "params": {...}}], rendered in the reader's language.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("people invited"), default=0)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("enrolment import")
        verbose_name_plural = _("enrolment imports")

    def __str__(self) -> str:
        return f"{self.filename} · {self.cohort}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.FAILED, ImportStatus.DONE)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        # Checking is most of the work; saving is the last tenth.
        checked = 90 * self.processed_rows // self.total_rows
        return checked + (5 if self.status == ImportStatus.IMPORTING else 0)


class ScheduleItemKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SHADOWING_BLOCK = "shadowing_block", _("Shadowing block")
    SCHOOL_VISIT = "school_visit", _("School visit")
    REMOTE_LESSON = "remote_lesson", _("Remote lesson")
    FORUM = "forum", _("Forum")


class Audience(models.TextChoices):
    COHORT = "cohort", _("Whole cohort")
    TRAINEES = "trainees", _("Trainees")
    MENTORS = "mentors", _("Mentors")
    NAMED = "named", _("Named participants")


class ScheduleItemStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


def _new_secret() -> str:
    return secrets.token_hex(16)


class ScheduleItemQuerySet(models.QuerySet):
    def for_person(self, user):
        """Items whose audience includes this person through a membership that grants access."""
        counted = MembershipStatus.counted_values()
        memberships = CohortMembership.objects.filter(user=user, status__in=counted)
        whole = models.Q(audience=Audience.COHORT, cohort__in=memberships.values("cohort_id"))
        trainees = models.Q(
            audience=Audience.TRAINEES, cohort__in=memberships.filter(role=MembershipRole.TRAINEE).values("cohort_id")
        )
        mentors = models.Q(
            audience=Audience.MENTORS, cohort__in=memberships.filter(role=MembershipRole.MENTOR).values("cohort_id")
        )
        named = models.Q(
            audience=Audience.NAMED,
            pk__in=self.model.participants.through.objects.filter(cohortmembership__in=memberships).values(
                "scheduleitem_id"
            ),
        )
        coordinated = models.Q(cohort__in=memberships.filter(role=MembershipRole.COORDINATOR).values("cohort_id"))
        return self.filter(whole | trainees | mentors | named | coordinated)


class ScheduleItem(models.Model):
    """One entry of a cohort's plan. A shadowing block spans several days at a host school."""

    Kind = ScheduleItemKind

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="schedule_items", verbose_name=_("cohort")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ScheduleItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    host_school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("host school")
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.COHORT)
    participants = models.ManyToManyField(
        CohortMembership, blank=True, related_name="named_schedule_items", verbose_name=_("named participants")
    )
    required = models.BooleanField(_("required"), default=True)
    credit_hours = models.DecimalField(
        _("hours credited per day attended"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ScheduleItemStatus.choices, default=ScheduleItemStatus.SCHEDULED
    )
    # Raised on every change attendees should see, so calendars update the entry instead of adding one.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    checkin_secret = models.CharField(max_length=32, default=_new_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScheduleItemQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="training_schedule_item_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.localized_title

    @property
    def localized_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def is_cancelled(self) -> bool:
        return self.status == ScheduleItemStatus.CANCELLED

    @property
    def uid(self) -> str:
        return f"schedule-item-{self.pk}@yingzi"

    @property
    def days(self) -> list[datetime.date]:
        """Each local calendar day the item covers; attendance is taken once per day."""
        # Progress asks this once per trainee for the same item: remember it for these times and zone.
        key = (self.starts_at, self.ends_at, timezone.get_current_timezone_name())
        cached = self.__dict__.get("_days")
        if cached and cached[0] == key:
            return list(cached[1])
        first = timezone.localtime(self.starts_at).date()
        # An item ending at midnight does not take up the next day.
        last = timezone.localtime(self.ends_at - datetime.timedelta(microseconds=1)).date()
        days = [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]
        self.__dict__["_days"] = (key, days)
        return list(days)

    @property
    def is_multi_day(self) -> bool:
        return len(self.days) > 1


class AttendanceMethod(models.TextChoices):
    COORDINATOR = "coordinator", _("Marked by a coordinator")
    QR = "qr", _("QR check-in")


class Attendance(models.Model):
    """Whether a trainee was at a schedule item on one of its days."""

    schedule_item = models.ForeignKey(
        ScheduleItem, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("schedule item")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("trainee")
    )
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=True)
    method = models.CharField(_("how"), max_length=12, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # The ledger line this attendance first credited; flips are corrections of it, never edits.
    hours_entry = models.ForeignKey(HoursEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    credited = models.BooleanField(default=False)

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["schedule_item", "trainee", "day"], name="training_attendance_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.schedule_item} · {self.day}"


def _new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's private feed address; deleting or replacing the token cuts off the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class AssignmentKind(models.TextChoices):
    REFLECTION = "reflection", _("Reflection")
    ACTION_PLAN = "action_plan", _("Action plan")
    CASE_STUDY = "case_study", _("Case study")
    LESSON_STUDY = "lesson_study", _("Lesson-study report")


class ReviewerRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    COORDINATOR = "coordinator", _("Coordinator")


class Assignment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("cohort"))
    kind = models.CharField(_("kind"), max_length=20, choices=AssignmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    due_at = models.DateTimeField(_("due"))
    reviewer = models.CharField(_("reviewed by"), max_length=12, choices=ReviewerRole.choices)
    required = models.BooleanField(_("required"), default=True)
    credit_hours = models.DecimalField(
        _("hours credited when accepted"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return self.localized_title

    @property
    def localized_title(self) -> str:
        return in_reader_language(self.title, self.title_en)


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", pgettext_lazy("submission", "Accepted")


class Submission(models.Model):
    """One attempt at an assignment; a resubmission is a new attempt, so the history stays."""

    Status = SubmissionStatus

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("assignment")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("trainee")
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    is_late = models.BooleanField(_("late"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comments"), blank=True)

    class Meta:
        ordering = ["assignment", "trainee", "attempt"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "trainee", "attempt"], name="training_submission_unique_attempt"
            ),
            models.UniqueConstraint(
                fields=["assignment", "trainee"],
                condition=models.Q(status__in=["submitted", "accepted"]),
                name="training_submission_one_open_or_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.trainee} · {self.attempt}"


def submission_upload_to(instance, filename: str) -> str:
    # Random names: the original name is kept in the row, never in a path someone could guess.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"submissions/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{suffix}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("submission")
    )
    file = models.FileField(_("file"), upload_to=submission_upload_to)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("type"), max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")

    def __str__(self) -> str:
        return self.original_name


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


class ReminderMark(models.Model):
    """Which reminder occasions a finder has already handed to notifications, so it looks at each once."""

    key = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    occasion = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "target_id", "occasion"], name="training_reminder_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key}:{self.target_id}:{self.occasion}"
