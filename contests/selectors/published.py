"""What a contest's public page shows once results are published: per round and category, who advanced or won."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from ..models import Category, Contest, Round, RoundEntry, RoundStatus


@dataclass
class PublishedCategory:
    category: Category
    # The honours list: those who won a prize or advanced, by rank (the others see their rank on their own entry).
    entries: list[RoundEntry] = field(default_factory=list)
    ranked: int = 0


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
    ranked = {
        (row["round_id"], row["entrant__category_id"]): row["n"]
        for row in RoundEntry.objects.filter(round__in=rounds, rank__isnull=False)
        .values("round_id", "entrant__category_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    honours: dict[tuple[int, int], list[RoundEntry]] = {}
    for entry in (
        RoundEntry.objects.filter(round__in=rounds, rank__isnull=False)
        .filter(Q(advanced=True) | ~Q(award=""))
        .select_related("entrant__person", "entrant__region", "entrant__school")
        .order_by("round_id", "rank", "entrant_id")
    ):
        honours.setdefault((entry.round_id, entry.entrant.category_id), []).append(entry)
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
                            entries=honours.get((round_.pk, category.pk), []),
                            ranked=ranked.get((round_.pk, category.pk), 0),
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
