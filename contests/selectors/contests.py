"""What the contest pages list: contests, a person's own entries and published scores, nominations, judges' sheets."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import in_reader_language
from accounts.sql import ListOf

from ..freshness import KEPT_SECONDS, round_key
from ..models import (
    Assignment,
    Category,
    Contest,
    Entrant,
    EntrantStatus,
    Item,
    JudgeSeat,
    Round,
    RoundEntry,
    RoundStatus,
    Score,
    Submission,
)
from ..permissions import (
    can_run_contest,
    coordinator_regions_of,
    nominating_region_ids,
    remember_coordinator_regions,
)


def contest_list():
    return Contest.objects.prefetch_related("categories").order_by("-created_at", "-pk")


def contest_get(contest_id: int) -> Contest:
    contest = (
        Contest.objects.filter(pk=contest_id)
        .select_related("page")
        .prefetch_related(
            "categories",
            Prefetch("rounds", queryset=Round.objects.prefetch_related("items").order_by("sequence", "pk")),
        )
        .first()
    )
    if contest is None:
        raise Http404
    return contest


def round_get_for_runner(round_id: int, user, *, outline: bool = False) -> Round:
    """A round for the contest's coordinators and staff; 404 for everyone else.

    Whether this person coordinates the contest is read in the same query. With `outline`, so are the
    pks of the round's items and of its contest's categories, in their order (`item_ids`,
    `category_ids`): what the kept ranking's tokens are named after (`contests.freshness`).
    """
    rounds = Round.objects.filter(pk=round_id).select_related("contest", "tie_break_item")
    if getattr(user, "is_authenticated", False):
        rounds = rounds.annotate(coordinator_regions=coordinator_regions_of(user, OuterRef("contest_id")))
    if outline:
        rounds = rounds.annotate(
            item_ids=ListOf(
                Item.objects.filter(round=OuterRef("pk")).order_by("sort_order", "pk"), "pk", IntegerField()
            ),
            category_ids=ListOf(
                Category.objects.filter(contest=OuterRef("contest_id")).order_by("sort_order", "pk"),
                "pk",
                IntegerField(),
            ),
        )
    round_ = rounds.first()
    if round_ is not None and hasattr(round_, "coordinator_regions"):
        remember_coordinator_regions(user, round_.contest_id, round_.coordinator_regions)
    if round_ is None or not can_run_contest(user, round_.contest):
        raise Http404
    return round_


@dataclass
class MyItem:
    item: Item
    submission: Submission | None
    scores: list = field(default_factory=list)  # current scores, only once the round is published


@dataclass
class MyRound:
    round: Round
    entry: RoundEntry
    items: list[MyItem]


@dataclass
class MyEntry:
    entrant: Entrant
    rounds: list[MyRound]


def my_entries(contest: Contest, person) -> list[MyEntry]:
    """A person's own entries: what they handed in, and their own scores of published rounds, nobody else's."""
    entrants = list(
        Entrant.objects.filter(category__contest=contest, person=person).select_related("category", "region")
    )
    if not entrants:
        return []
    entries = list(
        RoundEntry.objects.filter(entrant__in=entrants)
        .select_related("round")
        .prefetch_related("round__items")
        .order_by("round__sequence")
    )
    submissions = {
        (submission.entrant_id, submission.item_id): submission
        for submission in Submission.objects.filter(entrant__in=entrants)
    }
    published_rounds = [entry.round_id for entry in entries if entry.round.status == RoundStatus.PUBLISHED]
    scores: dict[tuple[int, int], list[Score]] = {}
    for score in Score.objects.filter(
        entrant__in=entrants, item__round_id__in=published_rounds, is_current=True
    ).order_by("item_id", "pk"):
        scores.setdefault((score.entrant_id, score.item_id), []).append(score)
    result = []
    for entrant in entrants:
        rounds = [
            MyRound(
                round=entry.round,
                entry=entry,
                items=[
                    MyItem(item, submissions.get((entrant.pk, item.pk)), scores.get((entrant.pk, item.pk), []))
                    for item in entry.round.items.all()
                ],
            )
            for entry in entries
            if entry.entrant_id == entrant.pk
        ]
        result.append(MyEntry(entrant, rounds))
    return result


def nominations_for(contest: Contest, user) -> list[Entrant]:
    """The entrants and sign-ups of the regions this person nominates for (all regions for the contest's coordinators)."""
    regions = nominating_region_ids(user, contest)
    entrants = Entrant.objects.filter(category__contest=contest).select_related(
        "person", "region", "category", "school"
    )
    if regions is not None:
        entrants = entrants.filter(region_id__in=regions)
    return list(entrants.order_by("category__sort_order", "region__sort_order", "status", "pk"))


def quota_use(contest: Contest, user) -> list[dict]:
    """Per category and nominating region: places used of the quota."""
    regions = nominating_region_ids(user, contest)
    rows = (
        Entrant.objects.filter(category__contest=contest, status=EntrantStatus.NOMINATED)
        .values("category_id", "region_id")
        .annotate(used=Count("pk"))
    )
    if regions is not None:
        rows = rows.filter(region_id__in=regions)
    return list(rows)


def can_see_nominations(user, contest: Contest) -> bool:
    regions = nominating_region_ids(user, contest)
    return regions is None or bool(regions)


def categories_open_for_sign_up(contest: Contest):
    return [category for category in contest.categories.all() if category.for_student_teachers]


@dataclass
class SheetRow:
    entrant_id: int
    category: str  # in the reader's language
    score: Decimal | None  # the current score's value
    handed_in: bool


def round_get_for_judge(round_id: int, judge) -> Round:
    """A round with the pks of the items this person judges in it (`judged_item_ids`, in the items' order), in one
    query; 404 for anyone who judges none."""
    seats = JudgeSeat.objects.filter(item__round=OuterRef("pk"), judge=judge).order_by("item__sort_order", "item_id")
    round_ = (
        Round.objects.filter(pk=round_id)
        .select_related("contest")
        .annotate(judged_item_ids=ListOf(seats, "item_id", IntegerField()))
        .first()
    )
    if round_ is None or not round_.judged_item_ids:
        raise Http404
    return round_


def judge_items(round_: Round, judge) -> list[Item]:
    """The items of the round this person judges; 404 for anyone who judges none."""
    seats = JudgeSeat.objects.filter(item__round=round_, judge=judge).select_related("item")
    items = [seat.item for seat in seats.order_by("item__sort_order", "item_id")]
    if not items:
        raise Http404
    return items


def judge_sheet(round_: Round, judge, items: list[Item] | None = None) -> list[tuple[Item, list[SheetRow]]]:
    """A judge's entrants per item with their current score and whether they handed in: two queries.

    The judge's rows come in one query over the (judge, item) index, each with its current score and
    hand-in looked up by index (a judge scores about a hundred, however large the contest).
    """
    if items is None:
        items = judge_items(round_, judge)
    current = Score.objects.filter(assignment=OuterRef("pk"), is_current=True).values("value")[:1]
    handed_in = Submission.objects.filter(item_id=OuterRef("item_id"), entrant_id=OuterRef("entrant_id"))
    assignments = (
        Assignment.objects.filter(item__in=items, judge=judge)
        .order_by("item_id", "entrant__category_id", "entrant_id")
        .values_list(
            "item_id",
            "entrant_id",
            "entrant__category__name",
            "entrant__category__name_en",
            Subquery(current),
            Exists(handed_in),
        )
    )
    rows: dict[int, list[SheetRow]] = {item.pk: [] for item in items}
    for item_id, entrant_id, name, name_en, score, submitted in assignments:
        rows[item_id].append(SheetRow(entrant_id, in_reader_language(name, name_en), score, submitted))
    return [(item, rows[item.pk]) for item in items]


def assignment_for_judge(round_id: int, item_id: int, entrant_id: int, judge) -> Assignment:
    assignment = (
        Assignment.objects.filter(item_id=item_id, item__round_id=round_id, entrant_id=entrant_id, judge=judge)
        .select_related("item__round__contest", "entrant__category")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def assignment_scores(assignment: Assignment) -> list[Score]:
    return list(Score.objects.filter(assignment=assignment).order_by("submitted_at", "pk"))


def submission_for(assignment: Assignment) -> Submission | None:
    return Submission.objects.filter(item_id=assignment.item_id, entrant_id=assignment.entrant_id).first()


def _count(queryset) -> Subquery:
    return Coalesce(Subquery(queryset.order_by().values("item__round").annotate(n=Count("pk")).values("n")), 0)


def round_progress(round_: Round, item_ids: list[int] | None = None) -> dict:
    """{"assigned": …, "scored": …}: two counts over indexes in one query, not a join of every assignment to its scores.

    A current score belongs to exactly one assignment (`contests_one_current_score`), so counting them counts the
    scored assignments. Both grow with the round, so they are kept until one of its items gets a score or an
    assignment (`contests.freshness`).
    """
    if item_ids is None:
        item_ids = list(Item.objects.filter(round=round_).values_list("pk", flat=True))
    return cache.get_or_set(
        round_key("progress", round_, item_ids),
        lambda: (
            Round.objects.filter(pk=round_.pk)
            .values(
                assigned=_count(Assignment.objects.filter(item__round=OuterRef("pk"))),
                scored=_count(Score.objects.filter(item__round=OuterRef("pk"), is_current=True)),
            )
            .get()
        ),
        KEPT_SECONDS,
    )


def category_list(contest: Contest):
    return Category.objects.filter(contest=contest)
