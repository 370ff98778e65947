"""What a contest's public page shows once results are published: per round and category, who advanced or won."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber

from ..models import Category, Contest, Round, RoundEntry, RoundStatus

# The honours list of a category on the public page: its first so many by rank. A threshold or a
# prize share can honour thousands in a large contest (a 940 KB page for 2,500 who advanced);
# the others are counted, and each entrant sees their own result on their contest page.
HONOURS_SHOWN = 50


@dataclass
class PublishedCategory:
    category: Category
    # The honours list: those who won a prize or advanced, by rank (the others see their rank on their own entry).
    entries: list[RoundEntry] = field(default_factory=list)
    ranked: int = 0
    honoured: int = 0  # all who advanced or won a prize; `entries` shows the first HONOURS_SHOWN

    @property
    def not_shown(self) -> int:
        return max(0, self.honoured - len(self.entries))


@dataclass
class PublishedRound:
    round: Round
    categories: list[PublishedCategory]
    # True only in a moderator's preview: the results wait for the page's publication.
    pending: bool = False


@dataclass
class PublishedContest:
    contest: Contest
    rounds: list[PublishedRound]


def published_results_for_page(*, page_ids, preview: bool = False) -> list[PublishedContest]:
    """The published results of the contests linked to a page (or its translations), in four queries whatever their size.

    Only published rounds appear, never a score before publication; a moderator's
    preview of the page also shows the rounds waiting for it, marked as such.
    """
    statuses = [RoundStatus.PUBLISHED, RoundStatus.MODERATION] if preview else [RoundStatus.PUBLISHED]
    contests = list(
        Contest.objects.filter(page_id__in=page_ids)
        .order_by("created_at", "pk")
        .prefetch_related(
            "categories",
            Prefetch(
                "rounds", queryset=Round.objects.filter(status__in=statuses).order_by("sequence", "pk"), to_attr="shown"
            ),
        )
    )
    rounds = [round_ for contest in contests for round_ in contest.shown]
    if not rounds:
        return []
    honours = Q(advanced=True) | ~Q(award="")
    counts = {
        (row["round_id"], row["entrant__category_id"]): row
        for row in RoundEntry.objects.filter(round__in=rounds, rank__isnull=False)
        .values("round_id", "entrant__category_id")
        .annotate(ranked=Count("pk"), honoured=Count("pk", filter=honours))
        .order_by()
    }
    shown: dict[tuple[int, int], list[RoundEntry]] = {}
    for entry in (
        RoundEntry.objects.filter(round__in=rounds, rank__isnull=False)
        .filter(honours)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("round_id"), F("entrant__category_id")],
                order_by=[F("rank").asc(), F("entrant_id").asc()],
            )
        )
        .filter(position__lte=HONOURS_SHOWN)
        .select_related("entrant__person", "entrant__region", "entrant__school")
        .order_by("round_id", "rank", "entrant_id")
    ):
        shown.setdefault((entry.round_id, entry.entrant.category_id), []).append(entry)
    ranked = {key: row["ranked"] for key, row in counts.items()}
    return [
        PublishedContest(
            contest=contest,
            rounds=[
                PublishedRound(
                    round=round_,
                    pending=round_.status != RoundStatus.PUBLISHED,
                    categories=[
                        PublishedCategory(
                            category=category,
                            entries=shown.get((round_.pk, category.pk), []),
                            ranked=ranked.get((round_.pk, category.pk), 0),
                            honoured=counts[(round_.pk, category.pk)]["honoured"],
                        )
                        for category in contest.categories.all()
                        if ranked.get((round_.pk, category.pk))
                    ],
                )
                for round_ in contest.shown
            ],
        )
        for contest in contests
        if contest.shown
    ]
