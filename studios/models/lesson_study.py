"""Lesson study (说课 → 上课 → 评课 → 改课): cycles, plans and their versions, lessons, observation sheets, credit."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ObservationTemplate(models.Model):
    """A studio's classroom observation sheet (课堂观察量表): items grouped by dimension, each answered its own way.

    The template's scale is the one its new rating items start with; each item keeps its own.
    """

    studio = models.ForeignKey(
        "studios.Studio",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observation_templates",
        verbose_name=_("studio"),
        help_text=_("Empty: a platform template every cycle may use."),
    )
    name = models.CharField(_("name"), max_length=120)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    notes_prompt = models.CharField(
        _("free notes"), max_length=200, blank=True, help_text=_("A question for free notes; empty: no notes.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("observation sheet template")
        verbose_name_plural = _("observation sheet templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="studios_template_scale_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class ItemKind(models.TextChoices):
    RATING = "rating", _("A score on a scale")
    CHOICE = "choice", _("A choice among options")
    NOTE = "note", _("A written note")


class ObservationItem(models.Model):
    """One thing observers look at, under a dimension (教学目标, 学生学习…), and how they answer it.

    A rating is a whole number from `scale_min` to `scale_max`; a choice is the number (from one) of one of
    `options`, in their order (是/否, 优/良/中/差); a note is free text. Once answered, none of it changes.
    """

    Kind = ItemKind

    template = models.ForeignKey(
        ObservationTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("template")
    )
    dimension = models.CharField(_("dimension"), max_length=80)
    text = models.CharField(_("item"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("answered by"), max_length=10, choices=ItemKind.choices, default=ItemKind.RATING)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    options = models.JSONField(_("options"), default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("observation item")
        verbose_name_plural = _("observation items")
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="studios_item_scale_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} · {self.text}"

    @property
    def is_rating(self) -> bool:
        return self.kind == ItemKind.RATING

    @property
    def is_choice(self) -> bool:
        return self.kind == ItemKind.CHOICE

    @property
    def is_note(self) -> bool:
        return self.kind == ItemKind.NOTE

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    @property
    def choices(self) -> list[tuple[int, str]]:
        """What an observer picks from: (the value saved, its label) for a rating's scores or a choice's options."""
        if self.kind == ItemKind.CHOICE:
            return list(enumerate(self.options, start=1))
        if self.kind == ItemKind.RATING:
            return [(score, str(score)) for score in self.scale]
        return []


class CycleStatus(models.TextChoices):
    PLANNING = "planning", _("Preparing the plans")
    OPEN = "open", _("Lessons and review")
    CLOSED = "closed", _("Closed with the revised plan")


class Cycle(models.Model):
    """A lesson-study cycle on one topic, in a studio or a cohort, led by one person."""

    Status = CycleStatus

    studio = models.ForeignKey(
        "studios.Studio",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cycles",
        verbose_name=_("studio"),
    )
    cohort = models.ForeignKey(
        "training.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lesson_study_cycles",
        verbose_name=_("cohort"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_cycles", verbose_name=_("leader")
    )
    template = models.ForeignKey(
        ObservationTemplate,
        on_delete=models.PROTECT,
        related_name="cycles",
        verbose_name=_("observation sheet"),
    )
    status = models.CharField(_("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.PLANNING)
    leader_hours = models.DecimalField(
        _("hours for leading"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lesson-study cycle")
        verbose_name_plural = _("lesson-study cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(studio__isnull=False, cohort__isnull=True) | Q(studio__isnull=True, cohort__isnull=False),
                name="studios_cycle_in_studio_or_cohort",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_closed(self) -> bool:
        return self.status == CycleStatus.CLOSED


class LessonPlan(models.Model):
    """One teacher's plan for the cycle's topic; several side by side make a 同课异构."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="plans", verbose_name=_("cycle"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lesson_plans", verbose_name=_("teacher")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("lesson plan")
        verbose_name_plural = _("lesson plans")
        constraints = [models.UniqueConstraint(fields=["cycle", "teacher"], name="studios_plan_once_per_teacher")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.teacher}"


class PlanVersion(models.Model):
    """A version of a plan (说课 draft, or the revision after the review); never edited, a change is a new one."""

    plan = models.ForeignKey(LessonPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("version"))
    body = models.TextField(_("plan"))
    link = models.URLField(_("link"), blank=True, max_length=500)
    is_revision = models.BooleanField(_("revised after the lesson"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="studios_plan_version_number")]

    def __str__(self) -> str:
        return f"{self.plan} · v{self.number}"


class PlanComment(models.Model):
    """A colleague's comment on one version of a plan."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="comments", verbose_name=_("plan version")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")

    def __str__(self) -> str:
        return f"{self.version} · {self.author}"


class Lesson(models.Model):
    """The lesson taught from a plan: in a host classroom, observer schools joining online, people present."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("cycle"))
    plan = models.ForeignKey(LessonPlan, on_delete=models.PROTECT, related_name="lessons", verbose_name=_("plan"))
    classroom = models.CharField(_("host classroom"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True, max_length=500)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    hours = models.DecimalField(
        _("hours for attending"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    recording_link = models.URLField(_("recording"), blank=True, max_length=500)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [models.Index(fields=["starts_at"], name="studios_lesson_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="studios_lesson_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.starts_at:%Y-%m-%d}"


class ObservationSheet(models.Model):
    """One observer's sheet for one lesson; answers save one by one, submitting ends it (and counts attendance)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("lesson"))
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observation_sheets",
        verbose_name=_("observer"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("observation sheet")
        verbose_name_plural = _("observation sheets")
        constraints = [models.UniqueConstraint(fields=["lesson", "observer"], name="studios_sheet_once_per_observer")]

    def __str__(self) -> str:
        return f"{self.lesson} · {self.observer}"


class ObservationAnswer(models.Model):
    """One answer to one item: a score, an option's number (`value`) or a note (`text`).

    PROTECT keeps an item with answers from disappearing under them.
    """

    sheet = models.ForeignKey(
        ObservationSheet, on_delete=models.CASCADE, related_name="answers", verbose_name=_("sheet")
    )
    item = models.ForeignKey(ObservationItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item"))
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("observation answer")
        verbose_name_plural = _("observation answers")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="studios_answer_once_per_item"),
            models.CheckConstraint(condition=Q(value__isnull=False) | ~Q(text=""), name="studios_answer_value_or_text"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.item_id}: {self.text if self.value is None else self.value}"


class ParticipationKind(models.TextChoices):
    ON_SITE = "on_site", _("Present in the classroom")
    ONLINE = "online", _("Observed online")
    LEADER = "leader", _("Led the cycle")


class Participation(models.Model):
    """Why a person earns hours in a cycle: attending a lesson (on site or online) or leading it.

    It is the ledger's source object, so each attendance and each leading credits once.
    """

    Kind = ParticipationKind

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="participations", verbose_name=_("cycle"))
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("lesson"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="studio_participations",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ParticipationKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "person"], condition=Q(lesson__isnull=False), name="studios_attend_lesson_once"
            ),
            models.UniqueConstraint(
                fields=["cycle", "person"], condition=Q(kind="leader"), name="studios_lead_cycle_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"
