"""Item results, totals and ranks: computed in the database; the same rule in Python for showing the computation."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Rank

from accounts import sql

from ..freshness import KEPT_SECONDS, outline_key, ranking_key
from ..models import Assignment, Category, Item, Round, RoundEntry, RoundStatus, Score, TieBreak

RANKING_PAGE_SIZE = 50

RESULT = DecimalField(max_digits=9, decimal_places=3)
PLACES = Decimal("0.001")


def trimmed_mean(values: list[Decimal], trim_from: int) -> Decimal | None:
    """The mean of an item's scores, without the highest and the lowest when at least `trim_from` judges scored."""
    if not values:
        return None
    values = sorted(Decimal(value) for value in values)
    if trim_from and len(values) >= max(trim_from, 3):
        values = values[1:-1]
    return (sum(values, Decimal(0)) / len(values)).quantize(PLACES, rounding=ROUND_HALF_UP)


def _divisor():
    # SQLite keeps whole scores as integers and casts to NUMERIC as integers too: divide as a real there,
    # or 251 / 3 is 83.
    return RESULT if sql.on_postgres() else FloatField()


def _item_result(item: Item, trim_from: int):
    """A subquery: this item's trimmed mean for the entrant of the outer row, the same rule as `trimmed_mean`."""
    scores = (
        Score.objects.filter(item=item, entrant_id=OuterRef("entrant_id"), is_current=True)
        .order_by()
        .values("entrant_id")
        .annotate(n=Count("pk"), total=Sum("value"), high=Max("value"), low=Min("value"))
        .annotate(
            result=Case(
                When(
                    n__gte=max(trim_from, 3) if trim_from else 10**6,
                    then=ExpressionWrapper(
                        (F("total") - F("high") - F("low")) / Cast(F("n") - 2, _divisor()), output_field=RESULT
                    ),
                ),
                default=ExpressionWrapper(F("total") / Cast(F("n"), _divisor()), output_field=RESULT),
                output_field=RESULT,
            )
        )
        .values("result")
    )
    return Subquery(scores, output_field=RESULT)


def _item_results(round_: Round, items: list[Item]) -> dict:
    return {f"item_{item.pk}": _item_result(item, round_.contest.trim_from_judges) for item in items}


def ranked_entries(round_: Round):
    """The round's entries with `item_<pk>` results, `result_total` (weighted mean of the items) and `place` per category."""
    contest = round_.contest
    items = list(round_.items.all())
    annotations = _item_results(round_, items)
    weight_sum = sum((item.weight for item in items), Decimal(0)) or Decimal(1)
    total = Value(Decimal(0), output_field=RESULT)
    for item in items:
        total = total + Coalesce(F(f"item_{item.pk}"), Value(Decimal(0)), output_field=RESULT) * Value(
            item.weight, output_field=RESULT
        )
    order = [F("result_total").desc(nulls_last=True)]
    tie_item = round_.tie_break_item if contest.tie_break == TieBreak.TIE_ITEM else None
    if tie_item is not None and tie_item.round_id == round_.pk:
        order.append(F(f"item_{tie_item.pk}").desc(nulls_last=True))
    return (
        RoundEntry.objects.filter(round=round_)
        .select_related("entrant__person", "entrant__region", "entrant__category", "entrant__school")
        .annotate(**annotations)
        .annotate(result_total=ExpressionWrapper(total / Value(weight_sum, output_field=RESULT), output_field=RESULT))
        .annotate(place=Window(Rank(), partition_by=[F("entrant__category_id")], order_by=order))
        .order_by("entrant__category__sort_order", "entrant__category_id", "place", "entrant_id")
    )


def stored_ranking(round_: Round):
    """A frozen round's entries in the order `round_freeze` stored: `place` and `result_total` read, not computed."""
    return (
        RoundEntry.objects.filter(round=round_)
        .select_related("entrant__person", "entrant__region", "entrant__category", "entrant__school")
        .annotate(place=F("rank"), result_total=F("total"))
        .order_by("entrant__category__sort_order", "entrant__category_id", F("rank").asc(nulls_last=True), "entrant_id")
    )


def round_outline(round_: Round) -> tuple[list[Item], list[Category]]:
    """The round's items and its contest's categories: every ranking page's columns and tabs, kept with the round."""
    return cache.get_or_set(
        outline_key(round_),
        lambda: (list(round_.items.all()), list(Category.objects.filter(contest_id=round_.contest_id))),
        KEPT_SECONDS,
    )


@dataclass
class RankingPage:
    categories: list[Category]
    category: Category | None
    page: Page
    stored: bool  # read from the totals and ranks kept at freezing
    items: list[Item]
    kept_rows: list[tuple]  # (entry pk, place, total, item results), see `_page_rows`
    # The key prefix the page's figures are kept under: what is shown of them may be kept under it too.
    kept: str = ""

    @cached_property
    def rows(self) -> list[RoundEntry]:
        """The page's entries with their names, `place`, `result_total` and `item_results`: read on first use."""
        kept_rows = self.kept_rows
        entries = (
            RoundEntry.objects.filter(pk__in=[pk for pk, *_rest in kept_rows]).select_related(
                "entrant__person", "entrant__region"
            )
            if kept_rows
            else []
        )
        by_pk = {entry.pk: entry for entry in entries}
        rows = []
        for pk, place, total, results in kept_rows:
            row = by_pk.get(pk)
            if row is None:  # gone since the page was kept: its token renewal is on its way
                continue
            row.place, row.result_total, row.item_results = place, total, results
            row.item_cells = list(zip(self.items, results, strict=True))
            rows.append(row)
        return rows


def _page_rows(round_: Round, items: list[Item], category: Category, window: slice, *, stored: bool) -> list[tuple]:
    """(entry pk, place, total, item results) of one page of a category's ranking, in rank order: what is kept.

    An open round is ranked by the database as it stands (every entrant of the category is summed
    to rank them); a frozen, moderated or published round is read from the totals and ranks
    `round_freeze` stored, and only the page's entrants get their item results computed.
    """
    names = [f"item_{item.pk}" for item in items]
    if stored:
        # The page's entries are picked by rank over the entries alone (a subquery); only those get their item
        # results computed.
        on_page = (
            RoundEntry.objects.filter(round=round_, entrant__category=category)
            .order_by(F("rank").asc(nulls_last=True), "entrant_id")
            .values("pk")[window]
        )
        entries = stored_ranking(round_).filter(pk__in=on_page).annotate(**_item_results(round_, items))
    else:
        entries = ranked_entries(round_).filter(entrant__category=category)[window]
    return [
        (pk, place, total, list(results))
        for pk, place, total, *results in entries.values_list("pk", "place", "result_total", *names)
    ]


def ranking_page(
    round_: Round,
    items: list[Item],
    *,
    category_id=None,
    page_number=None,
    per_page: int | None = None,
    categories: list[Category] | None = None,
) -> RankingPage:
    """One page of one category's ranking, with each row's `item_results` in the order of `items`.

    The category's size and the page's ranks, totals and item results are kept in the cache until
    a score, an entry, an item, the round or the contest changes (`contests.freshness`), so a
    page reads nothing from the database however large the category but its 50 entrants' names,
    and only when its `rows` are used (a view that keeps what it shows of them under `kept` need
    not). Computing it afresh is `_page_rows`.
    """
    if categories is None:
        categories = round_outline(round_)[1]
    category = next((c for c in categories if str(c.pk) == str(category_id)), categories[0] if categories else None)
    stored = round_.status != RoundStatus.OPEN
    per_page = per_page or RANKING_PAGE_SIZE
    kept = ranking_key("ranking", round_, [item.pk for item in items], category.pk if category else None)
    count = (
        cache.get_or_set(
            f"{kept}:size",
            lambda: RoundEntry.objects.filter(round=round_, entrant__category=category).count(),
            KEPT_SECONDS,
        )
        if category
        else 0
    )
    # The paginator counts a range: the page's rows are the slice of the ranking below.
    page = Paginator(range(count), per_page).get_page(page_number)
    # `start_index()` is 0 for an empty page.
    window = slice(max(page.start_index() - 1, 0), page.end_index())
    kept_page = f"{kept}:page:{per_page}:{page.number}"
    kept_rows = (
        cache.get_or_set(kept_page, lambda: _page_rows(round_, items, category, window, stored=stored), KEPT_SECONDS)
        if count
        else []
    )
    return RankingPage(
        categories=categories,
        category=category,
        page=page,
        stored=stored,
        items=items,
        kept_rows=kept_rows,
        kept=kept_page,
    )


def missing_scores(round_: Round) -> int:
    """Assignments of the round without a current score."""
    return (
        Assignment.objects.filter(item__round=round_)
        .exclude(pk__in=Score.objects.filter(item__round=round_, is_current=True).values("assignment_id"))
        .count()
    )


@dataclass
class ItemComputation:
    item: Item
    scores: list  # [(judge name, value, corrected?)]
    kept: list[Decimal]
    dropped: list[Decimal]
    result: Decimal | None
    weighted: Decimal | None


@dataclass
class EntrantComputation:
    items: list[ItemComputation] = field(default_factory=list)
    total: Decimal | None = None
    weight_sum: Decimal = Decimal(0)


def computation_for(round_: Round, entrant_id: int) -> EntrantComputation:
    """How an entrant's total was reached, item by item, for coordinators: every judge's score, what was dropped."""
    trim_from = round_.contest.trim_from_judges
    items = list(round_.items.all())
    scores = (
        Score.objects.filter(item__round=round_, entrant_id=entrant_id, is_current=True)
        .select_related("assignment__judge")
        .order_by("item_id", "value", "pk")
    )
    by_item: dict[int, list[Score]] = {}
    for score in scores:
        by_item.setdefault(score.item_id, []).append(score)
    computation = EntrantComputation(weight_sum=sum((item.weight for item in items), Decimal(0)))
    weighted_sum = Decimal(0)
    for item in items:
        values = [score.value for score in by_item.get(item.pk, [])]
        trims = bool(trim_from) and len(values) >= max(trim_from, 3)
        kept = values[1:-1] if trims else values
        result = trimmed_mean(values, trim_from)
        weighted = (result * item.weight).quantize(PLACES) if result is not None else None
        weighted_sum += weighted or 0
        computation.items.append(
            ItemComputation(
                item=item,
                scores=[
                    (score.assignment.judge.get_full_name(), score.value, score.corrects_id is not None)
                    for score in by_item.get(item.pk, [])
                ],
                kept=kept,
                dropped=[values[0], values[-1]] if trims else [],
                result=result,
                weighted=weighted,
            )
        )
    if computation.weight_sum:
        computation.total = (weighted_sum / computation.weight_sum).quantize(PLACES, rounding=ROUND_HALF_UP)
    return computation


def scored_count(round_: Round) -> tuple[int, int]:
    counts = Assignment.objects.filter(item__round=round_).aggregate(
        total=Count("pk"), scored=Count("scores", filter=Q(scores__is_current=True))
    )
    return counts["scored"], counts["total"]
