"""What the lesson-study pages show: cycles, one cycle's plans side by side, a lesson, a sheet, its summary."""

from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, Prefetch, Q
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


# What the lesson pages read with a lesson; the summary, kept in the cache, needs only the cycle's place.
LESSON_RELATED = ("cycle__studio", "cycle__cohort", "cycle__template", "plan__teacher")
SUMMARY_RELATED = ("cycle__studio", "cycle__cohort")


def lesson_get_for_member(*, acting_user, lesson_id: int, related=LESSON_RELATED) -> Lesson:
    """The lesson, for the people of its cycle's studio or cohort; 404 for everyone else.

    One query: the lesson reads the viewer's place in its studio along (a join on the one membership a person
    may have in a studio), so the permission asks nothing more. `related`: what else to read with it.
    """
    lessons = Lesson.objects.select_related(*related)
    if acting_user.is_authenticated:
        lessons = lessons.annotate(
            viewer=FilteredRelation(
                "cycle__studio__memberships", condition=Q(cycle__studio__memberships__person=acting_user.pk)
            ),
            viewer_membership_id=F("viewer__pk"),
            viewer_status=F("viewer__status"),
            viewer_role=F("viewer__role"),
        )
    lesson = lessons.filter(pk=lesson_id).first()
    if lesson is not None and lesson.cycle.studio_id and acting_user.is_authenticated:
        membership = None
        if lesson.viewer_membership_id is not None:
            membership = StudioMembership(
                pk=lesson.viewer_membership_id,
                studio=lesson.cycle.studio,
                person=acting_user,
                status=lesson.viewer_status,
                role=lesson.viewer_role,
            )
        permissions.remember_membership(acting_user, lesson.cycle.studio_id, membership)
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
    # An item's saved answer: its score or option's number, or a note's text.
    answers: dict[int, int | str]

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
    answers = {}
    if sheet:
        for item_id, value, text in sheet.answers.values_list("item_id", "value", "text"):
            answers[item_id] = text if value is None else value
    return SheetState(sheet=sheet, items=list(lesson.cycle.template.items.all()), answers=answers)


# The summary's bars: 10 units per score, starting after the score's label; 100 units is every answer.
BAR_STEP = 12
BAR_X = 14
# A choice's labels are words (优, 基本达成…): room for up to six characters at font size 9.
LABEL_UNIT = 9
LABEL_ROOM = 6


@dataclass
class ItemSummary:
    item: ObservationItem
    count: int
    mean: float | None
    # (score or option, how many observers gave it, percentage of this item's answers), every score or option.
    distribution: list[tuple[int | str, int, int]] = field(default_factory=list)
    # A note item's notes: (the sheet, whose observer wrote it, the text), in the order sheets were submitted.
    notes: list[tuple[ObservationSheet, str]] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return BAR_STEP * len(self.distribution)

    @property
    def bar_x(self) -> int:
        if not self.item.is_choice:
            return BAR_X
        longest = max((len(str(label)) for label, _count, _percent in self.distribution), default=1)
        return min(longest, LABEL_ROOM) * LABEL_UNIT + 4

    @property
    def chart_width(self) -> int:
        return self.bar_x + 136

    @property
    def bars(self) -> list[dict]:
        """The distribution laid out for an inline SVG: one bar per score or option, its width the share of answers."""
        bar_x = self.bar_x
        return [
            {
                "score": score,
                "count": count,
                "percent": percent,
                "y": index * BAR_STEP + 1,
                "text_y": index * BAR_STEP + 9,
                "x": bar_x,
                "width": percent,
                "label_x": bar_x + percent + 3,
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

    @property
    def ratings(self) -> list[ItemSummary]:
        return [row for row in self.items if row.item.is_rating]

    @property
    def choices(self) -> list[ItemSummary]:
        return [row for row in self.items if row.item.is_choice]

    @property
    def rating_scale(self) -> list[int]:
        """The table's score columns: every score of every rating item's scale."""
        return sorted({score for row in self.ratings for score in row.item.scale})

    @property
    def rating_rows(self) -> list[ItemSummary]:
        """The rating items with `cells`: how many gave each score of `rating_scale` (blank off the item's scale)."""
        columns = self.rating_scale
        for row in self.ratings:
            counts = {score: count for score, count, _percent in row.distribution}
            row.cells = [counts.get(score, "") for score in columns]
        return self.ratings


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def lesson_summary(*, lesson: Lesson) -> LessonSummary:
    """Every item across the submitted sheets, aggregated in the database, each by its kind.

    A rating: its count, mean and distribution over its scale; a choice: its count and each option's count
    and share; a note: the notes written. Four queries however many sheets: the items, the counts of
    each score and option, the submitted sheets (their observers and free notes) and the notes' texts; one more
    when the lesson was read without its template and plan (the summary's page reads only its cycle's place).
    """
    if not (Lesson.plan.field.is_cached(lesson) and Cycle.template.field.is_cached(lesson.cycle)):
        # Read for the summary's page with only its cycle's place: what the body shows, in one query.
        lesson = Lesson.objects.select_related("cycle__template", "plan__teacher").get(pk=lesson.pk)
    template = lesson.cycle.template
    items = list(template.items.all())
    submitted = ObservationAnswer.objects.filter(sheet__lesson=lesson, sheet__submitted_at__isnull=False)
    counts: dict[int, dict[int, int]] = {}
    for item_id, value, count in (
        submitted.filter(value__isnull=False).values("item_id", "value").annotate(count=Count("pk")).order_by()
    ).values_list("item_id", "value", "count"):
        counts.setdefault(item_id, {})[value] = count
    sheets = list(
        ObservationSheet.objects.filter(lesson=lesson, submitted_at__isnull=False)
        .select_related("observer")
        .order_by("submitted_at", "pk")
    )
    by_sheet = {sheet.pk: sheet for sheet in sheets}
    written: dict[int, list[tuple[ObservationSheet, str]]] = {}
    note_items = [item.pk for item in items if item.is_note]
    if note_items:
        for item_id, sheet_id, text in (
            submitted.filter(item_id__in=note_items)
            .exclude(text="")
            .order_by("sheet__submitted_at", "sheet_id")
            .values_list("item_id", "sheet_id", "text")
        ):
            if sheet_id in by_sheet:
                written.setdefault(item_id, []).append((by_sheet[sheet_id], text))
    summaries = []
    for item in items:
        by_value = counts.get(item.pk, {})
        if item.is_note:
            notes = written.get(item.pk, [])
            summaries.append(ItemSummary(item=item, count=len(notes), mean=None, notes=notes))
            continue
        count = sum(by_value.values())
        if item.is_choice:
            distribution = [
                (label, by_value.get(number, 0), _percent(by_value.get(number, 0), count))
                for number, label in enumerate(item.options, start=1)
            ]
            summaries.append(ItemSummary(item=item, count=count, mean=None, distribution=distribution))
            continue
        total = sum(score * n for score, n in by_value.items())
        summaries.append(
            ItemSummary(
                item=item,
                count=count,
                mean=total / count if count else None,
                distribution=[
                    (score, by_value.get(score, 0), _percent(by_value.get(score, 0), count)) for score in item.scale
                ],
            )
        )
    return LessonSummary(
        lesson=lesson,
        sheets_count=len(sheets),
        items=summaries,
        notes=[sheet for sheet in sheets if sheet.notes],
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
