"""The coordinators' ranking of a round, one entrant's computation, and the round's actions."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

import versioned
from training.forms import show_errors

from .. import selectors, services
from ..freshness import KEPT_SECONDS, ranking_names, ranking_view_slot
from ..models import RoundEntry, RoundStatus, Score
from ..selectors import ranking as ranking_selectors

# Stands for the entrant in the computation link reversed once per page (see `_print_rows`).
ENTRANT_SLOT = 999999999


def _result(value) -> str:
    return "—" if value is None else f"{value:.3f}"


def _print_rows(round_, items, rows) -> None:
    """Each row's link and figures as the page prints them (`url`, `cells`, `total`), composed here.

    Fifty rows of a `{% url %}` and a `floatformat` per figure were most of the page's time; the
    link is reversed once with a stand-in for the entrant, and results always have three decimals.
    """
    link = reverse("contests:computation", args=[round_.pk, ENTRANT_SLOT])
    names = [item.localized_name for item in items]
    for row in rows:
        row.url = link.replace(str(ENTRANT_SLOT), str(row.entrant_id))
        row.cells = list(zip(names, map(_result, row.item_results), strict=True))
        row.total = _result(row.result_total)


def _page_number(raw) -> int:
    """The page asked for as the paginator reads it (`Paginator.get_page`): anything but a number is the first."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 1


@dataclass
class RankingShown:
    """What the ranking page shows of a round's ranking, kept as one value (`_ranking_shown`)."""

    items: list
    categories: list
    category: object
    count: int  # entrants of the category in the round
    rows: str  # the page's rows as HTML, names included
    progress: dict
    stored: bool


def _ranking_shown(round_, category_id, page_number: int, per_page: int) -> RankingShown:
    """One page of a category's ranking as shown: its outline, figures, printed rows and the round's progress.

    Reading fifty entrants' names and printing their rows was most of the page's time; the whole of
    it is kept in one slot (see `ranking`), so a page seen again reads neither the figures nor the names.
    """
    items, categories = selectors.round_outline(round_)
    ranking = selectors.ranking_page(
        round_, items, category_id=category_id, page_number=page_number, per_page=per_page, categories=categories
    )
    _print_rows(round_, items, ranking.rows)
    return RankingShown(
        items=items,
        categories=categories,
        category=ranking.category,
        count=ranking.page.paginator.count,
        rows=render_to_string("contests/ranking_rows.html", {"rows": ranking.rows, "items": items}),
        progress=selectors.round_progress(round_, [item.pk for item in items]),
        stored=ranking.stored,
    )


@login_required
@require_GET
def ranking(request, round_id: int):
    """A page of a category's ranking: the round in one query, and what it shows in one cache round trip.

    The round is read with its items' and its contest's categories' pks, which name the tokens of
    everything the page shows (`contests.freshness.ranking_names`); the slot of the page as shown
    and those tokens are read together (`versioned.kept`). A score, a correction, a frozen or
    published round, a rename renews one of the tokens, and the next view composes the page afresh.
    """
    round_ = selectors.round_get_for_runner(round_id, request.user, outline=True)
    wanted = request.GET.get("category")
    category_ids = round_.category_ids or []
    category_id = next((pk for pk in category_ids if str(pk) == wanted), category_ids[0] if category_ids else None)
    page_number = _page_number(request.GET.get("page"))
    per_page = ranking_selectors.RANKING_PAGE_SIZE
    slot = ranking_view_slot(round_.pk, category_id, page_number, per_page, get_language())
    shown, stamp = versioned.kept(slot, ranking_names(round_, round_.item_ids or [], category_id))
    if shown is None:
        shown = _ranking_shown(round_, category_id, page_number, per_page)
        versioned.keep(slot, stamp, shown, KEPT_SECONDS)
    context = {
        "round": round_,
        "contest": round_.contest,
        "items": shown.items,
        "ranking": shown,
        "table_rows": shown.rows,
        # The paginator counts a range, as `ranking_page` does: the rows are already printed.
        "page": Paginator(range(shown.count), per_page).get_page(page_number),
        "progress": shown.progress,
        "statuses": RoundStatus,
    }
    return render(request, "contests/ranking.html", context)


@login_required
@require_GET
def computation(request, round_id: int, entrant_id: int):
    round_ = selectors.round_get_for_runner(round_id, request.user)
    entry = (
        RoundEntry.objects.filter(round=round_, entrant_id=entrant_id)
        .select_related("entrant__person", "entrant__region")
        .first()
    )
    if entry is None:
        raise Http404
    corrections = Score.objects.filter(
        item__round=round_, entrant_id=entrant_id, corrects__isnull=False
    ).select_related("corrects", "submitted_by", "item")
    context = {
        "round": round_,
        "entry": entry,
        "computation": selectors.computation_for(round_, entrant_id),
        "corrections": corrections,
    }
    return render(request, "contests/computation.html", context)


ACTIONS = {
    "assign": (services.round_assign, gettext_lazy("Judges assigned: %(count)s assignments.")),
    "freeze": (services.round_freeze, gettext_lazy("The round is frozen. Review the ranking, then publish it.")),
    "reopen": (services.round_reopen, gettext_lazy("The round is open for scoring again.")),
    "publish": (services.round_publish, None),
}


@login_required
@require_POST
def round_action(request, round_id: int, action: str):
    round_ = selectors.round_get_for_runner(round_id, request.user)
    if action not in ACTIONS:
        raise Http404
    service, message = ACTIONS[action]
    try:
        result = service(round_=round_, acting_user=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        if action == "publish":
            message = (
                _("The results are public.")
                if result.status == RoundStatus.PUBLISHED
                else _(
                    "The results wait for the contest page's moderators; they become public when the page is published."
                )
            )
            messages.success(request, message)
        else:
            messages.success(request, str(message) % {"count": result} if action == "assign" else str(message))
    return redirect("contests:ranking", round_.pk)
