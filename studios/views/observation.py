"""Observation sheets: filling one on a phone (answers saved one by one), the summary, and the studio's templates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from training.forms import show_errors, show_form_errors

from .. import freshness, permissions, selectors, services
from ..forms import ItemForm, TemplateForm


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, lesson_id):
    """The sheet as a plain form: it works without JavaScript; with it, each answer is already saved as given."""
    lesson = selectors.lesson_get_for_member(acting_user=request.user, lesson_id=lesson_id)
    if request.method == "POST":
        answers = {key[5:]: value for key, value in request.POST.items() if key.startswith("item-")}
        submit = request.POST.get("action") == "submit"
        try:
            services.sheet_save(
                acting_user=request.user, lesson=lesson, answers=answers, notes=request.POST.get("notes"), submit=submit
            )
        except ValidationError as error:
            show_errors(request, error)
            return redirect("studios:sheet", lesson_id=lesson.pk)
        if submit:
            messages.success(request, _("Your observation sheet is submitted. Thank you."))
            return redirect("studios:summary", lesson_id=lesson.pk)
        messages.success(request, _("Your answers are saved."))
        return redirect("studios:sheet", lesson_id=lesson.pk)
    state = selectors.sheet_state(acting_user=request.user, lesson=lesson)
    context = {"lesson": lesson, "cycle": lesson.cycle, "template": lesson.cycle.template, "state": state}
    return render(request, "studios/sheet.html", context)


@login_required
@require_POST
def sheet_answer(request, lesson_id):
    """One answer (an item's score, or the notes) as JSON, posted by the sheet's script as the observer goes."""
    lesson = selectors.lesson_get_for_member(acting_user=request.user, lesson_id=lesson_id)
    try:
        if "notes" in request.POST:
            services.sheet_notes_save(acting_user=request.user, lesson=lesson, notes=request.POST["notes"])
        else:
            services.sheet_answer_save(
                acting_user=request.user,
                lesson=lesson,
                item_id=request.POST.get("item"),
                value=request.POST.get("value"),
            )
    except ValidationError as error:
        return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=400)
    return JsonResponse({"saved": True})


@login_required
@require_GET
def summary(request, lesson_id):
    """Composed once per submitted sheet (`freshness`): everyone who may see the lesson sees the same figures."""
    lesson = selectors.lesson_get_for_member(acting_user=request.user, lesson_id=lesson_id)
    body = freshness.cached_body(
        request,
        freshness.summary_key(lesson),
        lambda: freshness.render_body(
            request, "studios/_summary_body.html", {"summary": selectors.lesson_summary(lesson=lesson)}
        ),
    )
    context = {"lesson": lesson, "cycle": lesson.cycle, "body": body}
    return render(request, "studios/summary.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request, studio_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    if not permissions.can_lead_studio(request.user, studio):
        raise PermissionDenied
    form = TemplateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                template = services.template_create(acting_user=request.user, studio=studio, **form.cleaned_data)
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("The sheet is created: now add its items."))
                return redirect("studios:template", template_id=template.pk)
        else:
            show_form_errors(request, form)
    context = {"studio": studio, "templates": selectors.templates_for(studio=studio), "form": form}
    return render(request, "studios/template_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_detail(request, template_id):
    template = selectors.template_get_for_leader(acting_user=request.user, template_id=template_id)
    scale_form = TemplateForm(
        initial={
            "name": template.name,
            "scale_min": template.scale_min,
            "scale_max": template.scale_max,
            "notes_prompt": template.notes_prompt,
        }
    )
    if request.method == "POST":
        form = ItemForm(request.POST) if request.POST.get("action") == "item" else TemplateForm(request.POST)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect("studios:template", template_id=template.pk)
        try:
            if isinstance(form, ItemForm):
                services.template_item_add(acting_user=request.user, template=template, **form.cleaned_data)
            else:
                services.template_scale_set(acting_user=request.user, template=template, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The sheet is saved."))
        return redirect("studios:template", template_id=template.pk)
    context = {
        "template": template,
        "studio": template.studio,
        "items": selectors.template_items(template=template),
        "item_form": ItemForm(),
        "scale_form": scale_form,
    }
    return render(request, "studios/template_detail.html", context)


@login_required
@require_POST
def item_remove(request, item_id):
    item = selectors.item_get_for_leader(acting_user=request.user, item_id=item_id)
    try:
        services.template_item_remove(acting_user=request.user, item=item)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The item is removed."))
    return redirect("studios:template", template_id=item.template_id)
