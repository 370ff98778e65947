"""Observation sheets: filling one on a phone (answers saved one by one), and the summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from training.forms import show_errors, show_form_errors
from training.services.hours import hours_text

from .. import freshness, selectors, services
from ..forms import AnswerForm, SheetForm


def _capped_message(saved) -> str:
    lesson, credited = saved.sheet.lesson, saved.attendance.hours
    values = {
        "credited": hours_text(credited),
        "hours": hours_text(lesson.hours),
        "day": formats.date_format(timezone.localdate(lesson.starts_at), "SHORT_DATE_FORMAT"),
        "cap": hours_text(saved.daily_cap),
    }
    if credited:
        return (
            _(
                "Only %(credited)s of the lesson's %(hours)s hours are credited: your hours on %(day)s "
                "reached the daily limit of %(cap)s. Your sheet is kept all the same."
            )
            % values
        )
    return (
        _(
            "No hours are credited for this lesson: your hours on %(day)s already reach the daily limit of "
            "%(cap)s. Your sheet is kept all the same."
        )
        % values
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, lesson_id):
    """The sheet as a plain form: it works without JavaScript; with it, each answer is already saved as given."""
    lesson = selectors.lesson_get_for_member(acting_user=request.user, lesson_id=lesson_id)
    if request.method == "POST":
        form = SheetForm(request.POST)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect("studios:sheet", lesson_id=lesson.pk)
        submit = form.cleaned_data["submit"]
        try:
            saved = services.sheet_save(
                acting_user=request.user,
                lesson=lesson,
                answers=form.cleaned_data["answers"],
                notes=form.cleaned_data["notes"],
                submit=submit,
            )
        except ValidationError as error:
            show_errors(request, error)
            return redirect("studios:sheet", lesson_id=lesson.pk)
        if submit:
            messages.success(request, _("Your observation sheet is submitted. Thank you."))
            if saved.hours_capped:
                messages.warning(request, _capped_message(saved))
            return redirect("studios:summary", lesson_id=lesson.pk)
        messages.success(request, _("Your answers are saved."))
        return redirect("studios:sheet", lesson_id=lesson.pk)
    state = selectors.sheet_state(acting_user=request.user, lesson=lesson)
    context = {"lesson": lesson, "cycle": lesson.cycle, "template": lesson.cycle.template, "state": state}
    return render(request, "studios/sheet.html", context)


@login_required
@require_POST
def sheet_answer(request, lesson_id):
    """One answer (an item's score, choice or note, or the free notes) as JSON, posted by the sheet's script."""
    lesson = selectors.lesson_get_for_member(acting_user=request.user, lesson_id=lesson_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False, "error": " ".join(_form_messages(form))}, status=400)
    data = form.cleaned_data
    try:
        if data["is_notes"]:
            services.sheet_notes_save(acting_user=request.user, lesson=lesson, notes=data["notes"])
        else:
            services.sheet_answer_save(
                acting_user=request.user, lesson=lesson, item_id=data["item"], value=data["value"]
            )
    except ValidationError as error:
        return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=400)
    return JsonResponse({"saved": True})


def _form_messages(form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@login_required
@require_GET
def summary(request, lesson_id):
    """Composed once per submitted sheet (`freshness`): everyone who may see the lesson sees the same figures.

    Read on every visit: the lesson and the viewer's membership in one query, the kept body and its tokens
    in one round trip to the cache.
    """
    lesson = selectors.lesson_get_for_member(
        acting_user=request.user, lesson_id=lesson_id, related=selectors.SUMMARY_RELATED
    )
    slot, names = freshness.summary_slot(lesson)
    body = freshness.kept_body(
        request,
        slot,
        names,
        lambda: freshness.render_body(
            request, "studios/_summary_body.html", {"summary": selectors.lesson_summary(lesson=lesson)}
        ),
    )
    context = {"lesson": lesson, "cycle": lesson.cycle, "body": body}
    return render(request, "studios/summary.html", context)
