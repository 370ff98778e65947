"""The coordinators' ranking of a round, one entrant's computation, and the round's actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from training.forms import show_errors

from .. import selectors, services
from ..freshness import KEPT_SECONDS
from ..models import RoundEntry, RoundStatus, Score

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


def _ranking_table(round_, items, ranking) -> str:
    """The page's rows as HTML, kept with the page's figures (names included: a rename renews them).

    Reading fifty entrants' names and printing their rows was most of what was left of the page's
    time; a page seen again reads neither.
    """

    def rows_html() -> str:
        _print_rows(round_, items, ranking.rows)
        return render_to_string("contests/ranking_rows.html", {"rows": ranking.rows, "items": items})

    if not ranking.kept_rows:
        return rows_html()
    return cache.get_or_set(f"{ranking.kept}:rows:{get_language()}", rows_html, KEPT_SECONDS)


@login_required
@require_GET
def ranking(request, round_id: int):
    round_ = selectors.round_get_for_runner(round_id, request.user)
    items, categories = selectors.round_outline(round_)
    ranking = selectors.ranking_page(
        round_,
        items,
        category_id=request.GET.get("category"),
        page_number=request.GET.get("page"),
        categories=categories,
    )
    context = {
        "round": round_,
        "contest": round_.contest,
        "items": items,
        "ranking": ranking,
        "table_rows": _ranking_table(round_, items, ranking),
        "page": ranking.page,
        "progress": selectors.round_progress(round_, [item.pk for item in items]),
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
