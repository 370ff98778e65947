"""What the lesson-study pages show: cycles, one cycle's plans side by side, a lesson, a sheet, its summary."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404

from training.models import CohortMembership

from .. import permissions
from ..models import (
    Cycle,
    Lesson,
    LessonPlan,
    ObservationAnswer,
    ObservationItem,
    ObservationSheet,
    ObservationTemplate,
    Participation,
    PlanComment,
    PlanVersion,
    StudioMembership,
)


def cycles_of_studio(*, studio) -> list[Cycle]:
    """A studio's cycles, newest first, with their counts of plans and lessons."""
    return list(
        Cycle.objects.filter(studio=studio)
        .select_related("leader")
        .annotate(plans_count=Count("plans", distinct=True), lessons_count=Count("lessons", distinct=True))
    )


def cycles_of_cohort(*, cohort) -> list[Cycle]:
    """A cohort's cycles, newest first, with their counts of plans and lessons."""
    return list(
        Cycle.objects.filter(cohort=cohort)
        .select_related("leader")
        .annotate(plans_count=Count("plans", distinct=True), lessons_count=Count("lessons", distinct=True))
    )


def templates_for(*, studio=None) -> list[ObservationTemplate]:
    """The sheets a cycle may use: the studio's own and the platform's."""
    scope = Q(studio__isnull=True) | Q(studio=studio) if studio is not None else Q(studio__isnull=True)
    return list(ObservationTemplate.objects.filter(scope).annotate(items_count=Count("items")))


def template_get_for_leader(*, acting_user, template_id: int) -> ObservationTemplate:
    """A studio's template for its leaders (platform ones for staff and coordinators); 404 for everyone else."""
    template = ObservationTemplate.objects.select_related("studio").filter(pk=template_id).first()
    if template is None or not permissions.can_edit_template(acting_user, template):
        raise Http404
    return template


def template_items(*, template: ObservationTemplate) -> list[ObservationItem]:
    """The template's items, each with how many answers it has (those can no longer be removed)."""
    # Explicit order: Django leaves Meta.ordering out of a query that groups for the count.
    return list(template.items.annotate(answers_count=Count("answers")).order_by("position", "pk"))


def item_get_for_leader(*, acting_user, item_id: int) -> ObservationItem:
    item = ObservationItem.objects.select_related("template").filter(pk=item_id).first()
    if item is None:
        raise Http404
    template_get_for_leader(acting_user=acting_user, template_id=item.template_id)
    return item


def cycle_get_for_member(*, acting_user, cycle_id: int) -> Cycle:
    """The cycle, for the people of its studio or cohort; 404 for everyone else."""
    cycle = Cycle.objects.select_related("studio__region", "cohort", "leader", "template").filter(pk=cycle_id).first()
    if cycle is None or not permissions.can_view_cycle(acting_user, cycle):
        raise Http404
    return cycle


@dataclass
class CycleDetail:
    cycle: Cycle
    plans: list[LessonPlan]
    lessons: list[Lesson]
    can_run: bool
    my_plan: LessonPlan | None = None


def cycle_detail(*, acting_user, cycle: Cycle) -> CycleDetail:
    """Plans side by side with every version and its comments, and the lessons: a fixed number of queries."""
    comments = PlanComment.objects.select_related("author").order_by("created_at", "pk")
    versions = PlanVersion.objects.prefetch_related(Prefetch("comments", queryset=comments)).order_by("-number")
    plans = list(cycle.plans.select_related("teacher").prefetch_related(Prefetch("versions", queryset=versions)))
    lessons = list(
        cycle.lessons.select_related("plan__teacher").annotate(
            sheets_count=Count("sheets", filter=Q(sheets__submitted_at__isnull=False))
        )
    )
    return CycleDetail(
        cycle=cycle,
        plans=plans,
        lessons=lessons,
        can_run=permissions.can_run_cycle(acting_user, cycle),
        my_plan=next((plan for plan in plans if plan.teacher_id == acting_user.pk), None),
    )


def lesson_get_for_member(*, acting_user, lesson_id: int) -> Lesson:
    """The lesson, for the people of its cycle's studio or cohort; 404 for everyone else."""
    lesson = (
        Lesson.objects.select_related("cycle__studio", "cycle__cohort", "cycle__template", "plan__teacher")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or not permissions.can_view_cycle(acting_user, lesson.cycle):
        raise Http404
    return lesson


def lesson_participations(*, lesson: Lesson) -> list[Participation]:
    """Who attended, on site or online, for the host's check-in list."""
    return list(lesson.participations.select_related("person").order_by("created_at", "pk"))


@dataclass
class SheetState:
    sheet: ObservationSheet | None
    items: list[ObservationItem]
    answers: dict[int, int]

    @property
    def submitted(self) -> bool:
        return self.sheet is not None and self.sheet.submitted_at is not None

    @property
    def dimensions(self) -> list[tuple[str, list[ObservationItem]]]:
        grouped: dict[str, list[ObservationItem]] = {}
        for item in self.items:
            item.answer = self.answers.get(item.pk)
            grouped.setdefault(item.dimension, []).append(item)
        return list(grouped.items())


def sheet_state(*, acting_user, lesson: Lesson) -> SheetState:
    """The observer's sheet as saved so far, in three queries."""
    sheet = ObservationSheet.objects.filter(lesson=lesson, observer=acting_user).first()
    answers = dict(sheet.answers.values_list("item_id", "value")) if sheet else {}
    return SheetState(sheet=sheet, items=list(lesson.cycle.template.items.all()), answers=answers)


# The summary's bars: 10 units per score, starting after the score's label; 100 units is every answer.
BAR_STEP = 12
BAR_X = 14


@dataclass
class ItemSummary:
    item: ObservationItem
    count: int
    mean: float | None
    # (score, how many observers gave it, percentage of this item's answers) for every score of the scale.
    distribution: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return BAR_STEP * len(self.distribution)

    @property
    def bars(self) -> list[dict]:
        """The distribution laid out for an inline SVG: one bar per score, its width the share of answers."""
        return [
            {
                "score": score,
                "count": count,
                "y": index * BAR_STEP + 1,
                "text_y": index * BAR_STEP + 9,
                "width": percent,
                "label_x": BAR_X + percent + 3,
            }
            for index, (score, count, percent) in enumerate(self.distribution)
        ]


@dataclass
class LessonSummary:
    lesson: Lesson
    sheets_count: int
    items: list[ItemSummary]
    notes: list[ObservationSheet]
    scale: range

    @property
    def dimensions(self) -> list[tuple[str, list[ItemSummary]]]:
        grouped: dict[str, list[ItemSummary]] = {}
        for summary in self.items:
            grouped.setdefault(summary.item.dimension, []).append(summary)
        return list(grouped.items())


def lesson_summary(*, lesson: Lesson) -> LessonSummary:
    """Every item across the submitted sheets: count, mean and distribution, aggregated in the database.

    Four queries however many sheets: the items, the means, the distribution and the notes.
    """
    template = lesson.cycle.template
    items = list(template.items.all())
    submitted = ObservationAnswer.objects.filter(sheet__lesson=lesson, sheet__submitted_at__isnull=False)
    means = {
        row["item_id"]: row
        for row in submitted.values("item_id").annotate(count=Count("pk"), mean=Avg("value")).order_by()
    }
    counts: dict[int, dict[int, int]] = {}
    for row in submitted.values("item_id", "value").annotate(count=Count("pk")).order_by():
        counts.setdefault(row["item_id"], {})[row["value"]] = row["count"]
    notes = list(
        ObservationSheet.objects.filter(lesson=lesson, submitted_at__isnull=False)
        .select_related("observer")
        .order_by("submitted_at", "pk")
    )
    summaries = []
    for item in items:
        row = means.get(item.pk, {})
        count = row.get("count", 0)
        by_score = counts.get(item.pk, {})
        summaries.append(
            ItemSummary(
                item=item,
                count=count,
                mean=float(row["mean"]) if row.get("mean") is not None else None,
                distribution=[
                    (score, by_score.get(score, 0), round(100 * by_score.get(score, 0) / count) if count else 0)
                    for score in template.scale
                ],
            )
        )
    return LessonSummary(
        lesson=lesson,
        sheets_count=len(notes),
        items=summaries,
        notes=[sheet for sheet in notes if sheet.notes],
        scale=template.scale,
    )


def lessons_for_person(*, person, cohort=None):
    """Lessons of the cycles a person's studios and cohorts run, for calendars and reminders."""
    mine = Q(
        cycle__studio__memberships__person=person,
        cycle__studio__memberships__status=StudioMembership.Status.ACTIVE,
    ) | Q(
        cycle__cohort__memberships__user=person,
        cycle__cohort__memberships__status__in=CohortMembership.Status.counted_values(),
    )
    lessons = Lesson.objects.filter(mine)
    if cohort is not None:
        lessons = lessons.filter(cycle__cohort=cohort)
    return lessons.select_related("cycle").distinct()
