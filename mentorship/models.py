"""Hosts, matching batches, pairings, session logs, reflections, evaluations and follow-up."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from training.models import Cohort, ProgrammeKind


class FocusArea(models.TextChoices):
    """Duties from the professional standards for principals and for teachers."""

    PLANNING_DEVELOPMENT = "planning_development", _("Planning school development")
    SHAPING_CULTURE = "shaping_culture", _("Shaping school culture")
    LEADING_TEACHING = "leading_teaching", _("Leading teaching and the curriculum")
    GUIDING_TEACHER_GROWTH = "guiding_teacher_growth", _("Guiding teacher growth")
    OPTIMISING_MANAGEMENT = "optimising_management", _("Optimising the school environment and management")
    ADJUSTING_OUTSIDE = "adjusting_outside", _("Adjusting to the outside environment")
    LESSON_DESIGN = "lesson_design", _("Designing lessons")
    LESSON_DELIVERY = "lesson_delivery", _("Teaching lessons")
    CLASS_MANAGEMENT = "class_management", _("Managing a class")
    ASSESSMENT = "assessment", _("Assessing learning")
    COMMUNICATION = "communication", _("Communicating and working together")
    REFLECTION = "reflection", _("Reflecting and developing")

    @classmethod
    def for_kind(cls, kind: str) -> list["FocusArea"]:
        """The standard that applies: principals' duties or teachers' abilities."""
        members = list(cls)
        return members[:6] if kind == ProgrammeKind.SHADOW_PRINCIPAL else members[6:]


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


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")


class MatchingBatch(models.Model):
    """One matching run for a cohort: proposals the coordinator reviews, edits and publishes."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="matching_batches", verbose_name=_("cohort")
    )
    status = models.CharField(_("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    # Trainee id -> rule code, for those the rules or capacities left without a host.
    unplaced = models.JSONField(_("trainees not placed"), default=dict, blank=True)
    total_score = models.DecimalField(_("total score"), max_digits=10, decimal_places=2, default=Decimal("0"))
    seconds = models.FloatField(_("matching time (s)"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("run by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching batch")
        verbose_name_plural = _("matching batches")

    def __str__(self) -> str:
        return f"{self.cohort} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in {BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.PENDING}


class PairingProposal(models.Model):
    """One proposed pair in a batch, with its score broken down into reasons."""

    batch = models.ForeignKey(
        MatchingBatch, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("batch")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("trainee")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    window = models.ForeignKey(
        HostWindow, on_delete=models.CASCADE, related_name="+", verbose_name=_("shadowing window")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    # [{"code": "focus_areas", "points": 2667, "items": [...]}, ...]; points in hundredths.
    reasons = models.JSONField(_("reasons"), default=list)
    pinned = models.BooleanField(_("pinned by the coordinator"), default=False)

    class Meta:
        ordering = ["trainee__display_name", "pk"]
        verbose_name = _("pairing proposal")
        verbose_name_plural = _("pairing proposals")
        constraints = [models.UniqueConstraint(fields=["batch", "trainee"], name="mentorship_proposal_one_per_trainee")]

    def __str__(self) -> str:
        return f"{self.trainee_id} → {self.mentor_id} ({self.score})"


class PairingPin(models.Model):
    """A pair the coordinator fixed before re-running the matcher."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+", verbose_name=_("cohort"))
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("trainee")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pinned pair")
        verbose_name_plural = _("pinned pairs")
        constraints = [models.UniqueConstraint(fields=["cohort", "trainee"], name="mentorship_pin_one_per_trainee")]

    def __str__(self) -> str:
        return f"{self.trainee_id} → {self.mentor_id}"


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


class SessionKind(models.TextChoices):
    SHADOW_DAY = "shadow_day", _("Shadow day on site")
    OBSERVATION = "observation", _("Lesson observation")
    CO_PLANNING = "co_planning", _("Co-planning")
    DEBRIEF = "debrief", _("Debrief")
    REMOTE = "remote", _("Remote session")


class SessionLogStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    REJECTED = "rejected", _("Not counted")


class SessionLog(models.Model):
    """One mentoring session, logged by one party and confirmed by the other."""

    Status = SessionLogStatus

    pairing = models.ForeignKey(
        Pairing, on_delete=models.PROTECT, related_name="session_logs", verbose_name=_("pairing")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    occurred_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    went_well = models.TextField(_("what went well"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    trainee_next_steps = models.TextField(_("trainee's next steps"), blank=True)
    mentor_next_steps = models.TextField(_("mentor's next steps"), blank=True)
    next_meeting = models.DateTimeField(_("next meeting"), null=True, blank=True)
    tags = models.JSONField(_("standards touched"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionLogStatus.choices, default=SessionLogStatus.AWAITING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed or disputed by"),
    )
    reviewed_at = models.DateTimeField(_("confirmed or disputed"), null=True, blank=True)
    dispute_comment = models.TextField(_("why it is disputed"), blank=True)
    resolution_comment = models.TextField(_("coordinator's decision"), blank=True)
    # Raised whenever a change reaches people's calendars (iCalendar SEQUENCE).
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("session log")
        verbose_name_plural = _("session logs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="mentorship_log_hours_within_a_day"
            ),
            # The trainee's daily log during a shadowing block: one per day.
            models.UniqueConstraint(
                fields=["pairing", "occurred_on"],
                condition=models.Q(kind="shadow_day"),
                name="mentorship_log_one_shadow_day_per_date",
            ),
        ]
        indexes = [
            models.Index(fields=["pairing", "status"]),
            # The hourly reminder reads only the logs that crossed the three-day mark lately.
            models.Index(fields=["status", "created_at"], name="mentorship_log_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.pairing} · {self.occurred_on} · {self.hours}"

    @property
    def confirmer_id(self) -> int:
        """The other party: the trainee confirms a mentor's log, the mentor a trainee's."""
        pairing = self.pairing
        return pairing.trainee_id if self.author_id == pairing.mentor_id else pairing.mentor_id

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(FocusArea.choices)
        return [str(labels.get(code, code)) for code in self.tags]


class Reflection(models.Model):
    """A trainee's reflection: the pair and the coordinators see it, nobody else."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("pairing")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("reflection"))  # cleaned with nh3 by the service
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return self.title


class ReflectionComment(models.Model):
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="comments", verbose_name=_("reflection")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"))  # cleaned with nh3 by the service
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.reflection_id} · {self.author_id}"


class EvaluationStage(models.TextChoices):
    MIDPOINT = "midpoint", _("Mid-point")
    FINAL = "final", _("Final")


class EvaluationKind(models.TextChoices):
    MENTOR_RATES_TRAINEE = "mentor_rates_trainee", _("Mentor's rating of the trainee")
    SELF = "self", _("Trainee's self-rating")
    TRAINEE_RATES_MENTOR = "trainee_rates_mentor", _("Trainee's feedback on the mentor")


class MentorQuality(models.TextChoices):
    """What a trainee rates in their mentor."""

    CLEAR_GUIDANCE = "clear_guidance", _("Gave clear, practical guidance")
    OPEN_DOORS = "open_doors", _("Opened their school and work to me")
    TIMELY_FEEDBACK = "timely_feedback", _("Gave feedback in good time")
    FIT_TO_MY_SCHOOL = "fit_to_my_school", _("Helped me apply ideas to my own school")


class Evaluation(models.Model):
    """A rating on the rubric (1 to 4 for each item), once per pairing, stage and kind."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("pairing")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=EvaluationStage.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=EvaluationKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    ratings = models.JSONField(_("ratings"), default=dict)  # item code -> 1..4
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    class Meta:
        ordering = ["pairing_id", "stage", "kind"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["pairing", "stage", "kind"], name="mentorship_evaluation_once")]

    def __str__(self) -> str:
        return f"{self.pairing_id} · {self.stage} · {self.kind}"

    @property
    def average(self) -> Decimal | None:
        values = [int(value) for value in self.ratings.values()]
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None


class ActionPlan(models.Model):
    """What the trainee will do at their home school after shadowing."""

    pairing = models.OneToOneField(
        Pairing, on_delete=models.CASCADE, related_name="action_plan", verbose_name=_("pairing")
    )
    goals = models.TextField(_("goals for my school"))
    actions = models.TextField(_("actions and timeline"))
    support_needed = models.TextField(_("support I need from my mentor"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.pairing_id}"


class CheckIn(models.Model):
    """A follow-up with the mentor one, three or six months after shadowing."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("pairing"))
    months_after = models.PositiveSmallIntegerField(_("months after shadowing"))
    due_on = models.DateField(_("due"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    progress = models.TextField(_("progress on the action plan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(held_on__isnull=True), name="mentorship_checkin_open_due"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "months_after"], name="mentorship_checkin_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.pairing_id} · {self.months_after}"
