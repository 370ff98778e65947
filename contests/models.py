"""Skill contests: a contest's categories, rounds and items, its entrants, judges and scores.

A contest (班主任基本功大赛, 师范生基本功大赛) links to its Wagtail page. Each region
nominates entrants within the category's quota; entrants submit what a round asks
for before its deadline; judges score each item against its rubric. A submitted
score is never edited: a correction is a new score pointing at the one it replaces.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import in_reader_language


class Localized:
    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


class TieBreak(models.TextChoices):
    # Declared on the contest, shown with the ranking, so nobody learns the rule after the fact.
    TIE_ITEM = "tie_item", _("Higher result in the round's tie-break item, then shared rank")
    SHARED = "shared", _("Equal totals share a rank")


class Contest(Localized, models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contest page"),
    )
    # Drop the highest and the lowest score of an item when at least this many judges scored it.
    trim_from_judges = models.PositiveSmallIntegerField(_("trim from number of judges"), default=5)
    tie_break = models.CharField(
        _("tie-break rule"), max_length=20, choices=TieBreak.choices, default=TieBreak.TIE_ITEM
    )
    # Award shares of a round's ranked entrants, e.g. first 10 %, second 20 %, third 30 %.
    first_prize_share = models.DecimalField(
        _("first prize share"), max_digits=4, decimal_places=2, default=Decimal("0.10")
    )
    second_prize_share = models.DecimalField(
        _("second prize share"), max_digits=4, decimal_places=2, default=Decimal("0.20")
    )
    third_prize_share = models.DecimalField(
        _("third prize share"), max_digits=4, decimal_places=2, default=Decimal("0.30")
    )
    participation_hours = models.DecimalField(
        _("participation hours"), max_digits=5, decimal_places=1, default=Decimal("8.0")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")

    def __str__(self) -> str:
        return self.name


class ContestCoordinator(models.Model):
    """Runs the contest; with a region, only nominates and follows that region's entrants."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_roles")
    region = models.ForeignKey("accounts.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("contest coordinator")
        verbose_name_plural = _("contest coordinators")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user", "region"], name="contests_coordinator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.contest}"


class Category(Localized, models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    # Student teachers sign up themselves with their university and are then nominated.
    for_student_teachers = models.BooleanField(_("for student teachers"), default=False)
    quota_per_region = models.PositiveSmallIntegerField(_("entrants per region"), default=5)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class RoundKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary")
    FINAL = "final", _("Final")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for submissions and judging")
    FROZEN = "frozen", _("Frozen for review")
    MODERATION = "moderation", _("Results waiting for the page's moderators")
    PUBLISHED = "published", _("Results published")


class AdvanceRule(models.TextChoices):
    RANK = "rank", _("The best ranked advance")
    THRESHOLD = "threshold", _("Everyone at or above a score advances")


class Round(Localized, models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RoundKind.choices, default=RoundKind.PRELIMINARY)
    sequence = models.PositiveSmallIntegerField(_("order"), default=1)
    online = models.BooleanField(_("online"), default=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    submission_deadline = models.DateTimeField(_("submission deadline"))
    judges_per_entrant = models.PositiveSmallIntegerField(
        _("judges per entrant and item"), default=5, validators=[MinValueValidator(1)]
    )
    advance_rule = models.CharField(
        _("advance by"), max_length=20, choices=AdvanceRule.choices, default=AdvanceRule.RANK
    )
    # The number who advance per category (rank), or the lowest total that advances (threshold).
    advance_value = models.DecimalField(_("advance value"), max_digits=7, decimal_places=2, default=Decimal("10"))
    tie_break_item = models.ForeignKey(
        "contests.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tie-break item"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["contest", "sequence", "pk"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return f"{self.contest} · {self.name}"

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED


class ItemAsks(models.TextChoices):
    NOTHING = "nothing", _("Nothing beforehand (performed on site)")
    FILE = "file", _("A file")
    LINK = "link", _("A link")
    FILE_OR_LINK = "file_or_link", _("A file or a link")


class Item(Localized, models.Model):
    """One task of a round (情景答辩, 主题班会设计, 育人故事): what it asks for, its rubric and weight."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    asks_for = models.CharField(_("asks for"), max_length=20, choices=ItemAsks.choices, default=ItemAsks.FILE_OR_LINK)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=Decimal("1"))
    scale_min = models.DecimalField(_("lowest score"), max_digits=5, decimal_places=1, default=Decimal("0"))
    scale_max = models.DecimalField(_("highest score"), max_digits=5, decimal_places=1, default=Decimal("100"))
    # [{"name": "主题明确", "name_en": "Clear theme", "points": 20}, ...]: what the judges look for.
    rubric = models.JSONField(_("rubric"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["round", "sort_order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.name

    @property
    def localized_rubric(self) -> list[dict]:
        return [
            {**criterion, "label": in_reader_language(criterion.get("name", ""), criterion.get("name_en", ""))}
            for criterion in self.rubric or ()
        ]


class EntrantStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up, waiting for nomination")
    NOMINATED = "nominated", _("Nominated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Entrant(models.Model):
    """A contestant in one category; spectators register on the event page instead."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="entrants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_entries")
    # Copied at sign-up or nomination: the region that nominates and the school judges are recused from.
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("accounts.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    university = models.CharField(_("university"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EntrantStatus.choices, default=EntrantStatus.NOMINATED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominated_at = models.DateTimeField(_("nominated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["category", "region", "pk"]
        verbose_name = _("entrant")
        verbose_name_plural = _("entrants")
        constraints = [
            models.UniqueConstraint(fields=["category", "person"], name="contests_entrant_once_per_category"),
        ]
        indexes = [models.Index(fields=["category", "region", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.category}"


AWARD_LABELS = {"first": _("First prize"), "second": _("Second prize"), "third": _("Third prize")}


class RoundEntry(models.Model):
    """An entrant's place in a round: everyone nominated in the first, those who advanced in the next."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="round_entries")
    # Set when the round is frozen, from the ranking the database computed.
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    advanced = models.BooleanField(_("advanced"), default=False)
    award = models.CharField(_("award"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("round entry")
        verbose_name_plural = _("round entries")
        constraints = [models.UniqueConstraint(fields=["round", "entrant"], name="contests_round_entry_unique")]

    def __str__(self) -> str:
        return f"{self.entrant} · {self.round}"

    @property
    def award_label(self) -> str:
        return str(AWARD_LABELS.get(self.award, ""))


def submission_path(instance, filename: str) -> str:
    return f"contests/{instance.item.round_id}/{instance.entrant_id}/{filename}"


class Submission(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="submissions")
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(_("file"), upload_to=submission_path, blank=True)
    link = models.URLField(_("link"), blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["item", "entrant"], name="contests_submission_unique")]

    def __str__(self) -> str:
        return f"{self.entrant} · {self.item}"


class JudgeSeat(models.Model):
    """A judge on the panel of one item of a round."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="judge_seats")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_seats")

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [models.UniqueConstraint(fields=["item", "judge"], name="contests_judge_seat_unique")]

    def __str__(self) -> str:
        return f"{self.judge} · {self.item}"


class Assignment(models.Model):
    """One judge scores one entrant on one item; never a judge of the entrant's own region or school."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_assignments")
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        verbose_name = _("judging assignment")
        verbose_name_plural = _("judging assignments")
        constraints = [
            models.UniqueConstraint(fields=["item", "judge", "entrant"], name="contests_assignment_unique"),
        ]
        indexes = [models.Index(fields=["judge", "item"])]

    def __str__(self) -> str:
        return f"{self.judge} → {self.entrant_id} · {self.item}"


class Score(models.Model):
    """A judge's submitted score: locked; a correction is a new row with a reason, the old one kept."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    # Denormalised from the assignment so that the ranking aggregates without joins.
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scores")
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    # {"0": 18, "1": 20}: points per rubric criterion, by its position.
    criteria = models.JSONField(_("points per criterion"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by", verbose_name=_("corrects")
    )
    reason = models.CharField(_("reason for correction"), max_length=500, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=models.Q(is_current=True), name="contests_one_current_score"
            ),
        ]
        indexes = [
            models.Index(
                fields=["item", "entrant"], condition=models.Q(is_current=True), name="contests_current_scores"
            )
        ]

    def __str__(self) -> str:
        return f"{self.value} · {self.item}"
