"""Observation sheet templates (课堂观察量表): a studio's, kept by its leaders, and the platform's, kept by staff
and coordinators for every cohort's cycles. Create, edit (scale, items in order), copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from training.forms import show_errors, show_form_errors

from .. import permissions, selectors, services
from ..forms import ItemFormSet, ItemMoveForm, TemplateActionForm, TemplateCopyForm, TemplateForm


def _create_page(request, *, studio, templates, template_name="studios/template_list.html"):
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
    context = {"studio": studio, "templates": templates, "form": form}
    return render(request, template_name, context)


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request, studio_id):
    """The studio's sheets to edit, and the platform's to copy into the studio."""
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    if not permissions.can_lead_studio(request.user, studio):
        raise PermissionDenied
    return _create_page(request, studio=studio, templates=selectors.templates_for(studio=studio))


@login_required
@require_http_methods(["GET", "POST"])
def platform_template_list(request):
    """The platform's sheets, which every cohort's cycles pick from."""
    if not permissions.can_edit_platform_templates(request.user):
        raise PermissionDenied
    return _create_page(request, studio=None, templates=selectors.platform_templates())


def _item_rows(formset) -> list[services.ItemRow]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        rows.append(
            services.ItemRow(
                item_id=data.get("item"),
                dimension=data.get("dimension") or "",
                text=data.get("text") or "",
                remove=bool(data.get("remove")),
                kind=data.get("kind") or "rating",
                scale_min=data.get("scale_min"),
                scale_max=data.get("scale_max"),
                options=data.get("options") or (),
            )
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def template_detail(request, template_id):
    """One sheet: its name, scale and notes question; its items, edited together and moved up or down."""
    template = selectors.template_get_for_leader(acting_user=request.user, template_id=template_id)
    if request.method == "POST":
        action = TemplateActionForm(request.POST)
        if not action.is_valid():
            show_form_errors(request, action)
            return redirect("studios:template", template_id=template.pk)
        if action.cleaned_data["action"] == "items":
            formset = ItemFormSet(request.POST, prefix="items")
            if not formset.is_valid():
                for message in formset.non_form_errors():
                    messages.error(request, message)
                for form in formset.forms:
                    show_form_errors(request, form)
                return redirect("studios:template", template_id=template.pk)
            call = {"template": template, "rows": _item_rows(formset)}
            update = services.template_items_set
        else:
            form = TemplateForm(request.POST)
            if not form.is_valid():
                show_form_errors(request, form)
                return redirect("studios:template", template_id=template.pk)
            call, update = {"template": template, **form.cleaned_data}, services.template_scale_set
        try:
            update(acting_user=request.user, **call)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The sheet is saved."))
        return redirect("studios:template", template_id=template.pk)
    items = selectors.template_items(template=template)
    formset = ItemFormSet(
        prefix="items",
        initial=[
            {
                "item": item.pk,
                "dimension": item.dimension,
                "text": item.text,
                "kind": item.kind,
                "scale_min": item.scale_min if item.is_rating else None,
                "scale_max": item.scale_max if item.is_rating else None,
                "options": "\n".join(item.options),
            }
            for item in items
        ],
    )
    for item, form in zip(items, formset.forms, strict=False):
        form.existing = item
        if item.answers_count:
            # Answered items keep their wording and way of answering (the service refuses a change);
            # the browser says so up front.
            for name in ("dimension", "text", "scale_min", "scale_max", "options"):
                form.fields[name].widget.attrs["readonly"] = True
            # A select cannot be read-only: only the item's own kind is offered.
            form.fields["kind"].choices = [(item.kind, item.get_kind_display())]
    scale_form = TemplateForm(
        initial={
            "name": template.name,
            "scale_min": template.scale_min,
            "scale_max": template.scale_max,
            "notes_prompt": template.notes_prompt,
        }
    )
    context = {
        "template": template,
        "studio": template.studio,
        "items": items,
        "formset": formset,
        "scale_form": scale_form,
        "answered": any(item.answers_count for item in items),
    }
    return render(request, "studios/template_detail.html", context)


@login_required
@require_POST
def template_copy(request, template_id):
    """Copy a sheet into a studio one leads (`studio` sent) or onto the platform; then edit the copy."""
    template = selectors.template_get_for_copy(acting_user=request.user, template_id=template_id)
    form = TemplateCopyForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        if permissions.can_edit_template(request.user, template):
            return redirect("studios:template", template_id=template.pk)
        return redirect("studios:list")
    studio = None
    if studio_id := form.cleaned_data["studio"]:
        studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    copy = services.template_copy(acting_user=request.user, template=template, studio=studio)
    messages.success(request, _("The copy is made: edit it, then pick it for the next cycles."))
    return redirect("studios:template", template_id=copy.pk)


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


@login_required
@require_POST
def item_move(request, item_id):
    """Move an item up or down the sheet (the up and down buttons of the items form)."""
    item = selectors.item_get_for_leader(acting_user=request.user, item_id=item_id)
    form = ItemMoveForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        try:
            services.template_item_move(acting_user=request.user, item=item, direction=form.cleaned_data["direction"])
        except ValidationError as error:
            show_errors(request, error)
    return redirect(reverse("studios:template", args=[item.template_id]) + f"#item-{item.pk}")
