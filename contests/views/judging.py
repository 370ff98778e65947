"""The judge's sheet and scoring on a phone, item by item against the rubric."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import versioned
from training.forms import apply_errors, show_errors

from .. import selectors, services
from ..forms import CorrectionForm, ScoreForm
from ..freshness import KEPT_SECONDS, sheet_names, sheet_slot
from ..models import Item, Round, RoundStatus, Score
from ..permissions import can_run_contest
from ..recusal import judge_recused_from, recused_message
from ..services.judging import plain

# Stands for the entrant in a score link reversed once per item (see `_sheet_lines`).
ENTRANT_SLOT = 999999999


@dataclass
class SheetLine:
    label: str
    url: str
    detail: str
    scored: bool


def _sheet_lines(round_: Round, sheet) -> list[tuple[Item, list[SheetLine]]]:
    """The sheet's rows as the page prints them, composed here rather than by tags in a loop.

    A judge's sheet lists about a hundred entrants; a `{% url %}`, a `{% blocktranslate %}` and a
    `floatformat` per row were most of the page's time. The score link is reversed once per item
    with a stand-in for the entrant, and the stand-in replaced per row.
    """
    not_scored, handed_in = _("not scored yet"), _("handed in")
    lines = []
    for item, rows in sheet:
        link = reverse("contests:score", args=[round_.pk, item.pk, ENTRANT_SLOT])
        lines.append(
            (
                item,
                [
                    SheetLine(
                        label=_("Entrant No. %(code)s") % {"code": row.entrant_id},
                        url=link.replace(str(ENTRANT_SLOT), str(row.entrant_id)),
                        detail=" · ".join(
                            part
                            for part in (
                                row.category,
                                not_scored if row.score is None else plain(row.score),
                                handed_in if row.handed_in else "",
                            )
                            if part
                        ),
                        scored=row.score is not None,
                    )
                    for row in rows
                ],
            )
        )
    return lines


@login_required
@require_GET
def judge_sheet(request, round_id: int):
    """A judge's entrants per item: the round and the items they judge in one query, the sheet as shown in one
    cache round trip, kept until a score, assignment or hand-in of the items (`contests.freshness.sheet_names`)."""
    round_ = selectors.round_get_for_judge(round_id, request.user)
    item_ids = round_.judged_item_ids
    slot = sheet_slot(round_.pk, request.user.pk, get_language())
    shown, stamp = versioned.kept(slot, sheet_names(round_, item_ids))
    if shown is None:
        items = sorted(Item.objects.filter(pk__in=item_ids), key=lambda item: item_ids.index(item.pk))
        sheet = selectors.judge_sheet(round_, request.user, items)
        shown = (
            sum(1 for _item, rows in sheet for row in rows if row.score is not None),
            sum(len(rows) for _item, rows in sheet),
            render_to_string("contests/judge_sheet_items.html", {"sheet": _sheet_lines(round_, sheet)}),
        )
        versioned.keep(slot, stamp, shown, KEPT_SECONDS)
    done, total, sheet_html = shown
    context = {"round": round_, "sheet_html": sheet_html, "done": done, "total": total}
    return render(request, "contests/judge_sheet.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def score_entrant(request, round_id: int, item_id: int, entrant_id: int):
    try:
        assignment = selectors.assignment_for_judge(round_id, item_id, entrant_id, request.user)
    except Http404:
        item = Item.objects.filter(pk=item_id, round_id=round_id).first()
        if item is not None and judge_recused_from(item=item, entrant_id=entrant_id, judge=request.user):
            # A judge who follows a link to an entrant of their own region or school is told why, not just refused.
            return render(
                request, "contests/recused.html", {"round": item.round, "message": recused_message()}, status=403
            )
        raise
    item = assignment.item
    scores = selectors.assignment_scores(assignment)
    current = next((score for score in scores if score.is_current), None)
    form = ScoreForm(request.POST or None, item=item)
    if request.method == "POST" and current is None and form.is_valid():
        try:
            services.score_submit(
                item=item,
                entrant_id=entrant_id,
                judge=request.user,
                value=form.cleaned_data["value"],
                criteria=form.criteria(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Score submitted and locked."))
            return redirect("contests:judge", round_id)
    elif request.method == "POST" and current is not None:
        form.add_error(
            None, _("You have already submitted this score; it is locked. Ask for a correction with a reason.")
        )
    context = {
        "assignment": assignment,
        "round": item.round,
        "item": item,
        "form": form,
        "current": current,
        "scores": scores,
        "correction_form": CorrectionForm(),
        "submission": selectors.submission_for(assignment),
        "open": item.round.status == RoundStatus.OPEN,
    }
    return render(request, "contests/score_form.html", context)


@login_required
@require_POST
def score_correct(request, score_id: int):
    score = get_object_or_404(Score.objects.select_related("assignment", "item__round__contest"), pk=score_id)
    is_judge = score.assignment.judge_id == request.user.pk
    if not is_judge and not can_run_contest(request.user, score.item.round.contest):
        raise Http404
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.score_correct(
                score=score,
                acting_user=request.user,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The score is corrected; the earlier one is kept with your reason."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    if is_judge:
        return redirect("contests:score", score.item.round_id, score.item_id, score.entrant_id)
    return redirect("contests:computation", score.item.round_id, score.entrant_id)
