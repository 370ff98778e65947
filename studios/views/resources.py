"""The resource library: the filterable list, one resource, its file, sharing and promoting with consent."""

import copy
import re
from dataclasses import fields as dataclass_fields

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Region, Stage, Subject
from training.forms import apply_errors, show_errors, show_form_errors
from training.models import Submission

from .. import freshness, permissions, selectors, services
from ..forms import ConsentForm, LibraryFilterForm, PromoteForm, ResourceForm
from ..models import ProfessionalStandard, ResourceKind, Studio

FACET_CHOICES = {
    "kind": frozenset(ResourceKind.values),
    "stage": frozenset(Stage.values),
    "subject": frozenset(Subject.values),
    "standard": frozenset(ProfessionalStandard.values),
}


@require_GET
def library(request):
    """Open to everyone: visitors see public resources, people signed in more.

    The filters and the first pages are composed once per change of the library for each tier of readers and
    each combination of known filters, and so are a bounded number of searches (`freshness`); other searches and
    deep pages are read from the database each time, so that what is kept stays bounded whatever is typed.
    What waits for the reader's own consent is theirs alone and read on every visit.
    """
    tier = selectors.library_tier(acting_user=request.user)
    facets = _known_facets(request.GET)
    page = _page_number(request.GET.get("page", ""))
    search = freshness.library_search_text(request.GET.get("q", ""))
    key = freshness.library_key(tier, facets=facets, search=search, page=page)
    if key is None:
        body = freshness.cached_body(request, None, lambda: _library_body(request))
    else:
        # Composed from the known filters and the search alone, so that its links carry nothing else.
        shown = QueryDict(mutable=True)
        shown.update({name: value for name, value in facets.items() if value})
        if search:
            shown["q"] = search
        if page > 1:
            shown["page"] = str(page)
        may_keep = freshness.library_search_may_be_kept if search else None
        body = freshness.cached_body(request, key, lambda: _library_body(_with_query(request, shown)), may_keep)
    context = {"body": body, "awaiting": selectors.resources_awaiting_consent(acting_user=request.user)}
    return render(request, "studios/library.html", context)


def _known_facets(query) -> dict[str, str]:
    """The filters whose values exist (an unknown one is ignored, as the filters' form does); the region and the
    studio are looked up only when they are given."""
    facets = {}
    for name, choices in FACET_CHOICES.items():
        value = query.get(name, "")
        facets[name] = value if value in choices else ""
    region = query.get("region", "")
    facets["region"] = region if region and len(region) <= 20 and Region.objects.filter(code=region).exists() else ""
    studio = query.get("studio", "")
    known_studio = re.fullmatch(r"[0-9]{1,9}", studio) and Studio.objects.filter(pk=int(studio)).exists()
    facets["studio"] = studio if known_studio else ""
    return facets


def _page_number(value: str) -> int | None:
    """The page asked for when it is one the library keeps (none asked: the first); else None."""
    if not value:
        return 1
    return int(value) if re.fullmatch(r"[1-9][0-9]?", value) else None


def _with_query(request, query: QueryDict):
    """The request as if these were its parameters (the body's pagination links are made from them)."""
    shown = copy.copy(request)
    shown.GET = query
    return shown


def _library_body(request) -> str:
    form = LibraryFilterForm(request.GET or None)
    values = {}
    if form.is_bound:
        form.is_valid()
        values = {name: form.cleaned_data.get(name) or "" for name in form.fields if name in form.cleaned_data}
    studio = request.GET.get("studio", "")
    filters = selectors.LibraryFilters(
        **{f.name: values.get(f.name, "") for f in dataclass_fields(selectors.LibraryFilters) if f.name != "studio"},
        studio=int(studio) if re.fullmatch(r"[0-9]{1,9}", studio) else None,
    )
    page = selectors.library_page(acting_user=request.user, filters=filters, page=request.GET.get("page") or 1)
    return freshness.render_body(request, "studios/_library_body.html", {"form": form, "page_obj": page})


@require_GET
def resource_detail(request, resource_id):
    resource = selectors.resource_get_for_viewer(acting_user=request.user, resource_id=resource_id)
    can_discuss = permissions.can_view_studio(request.user, resource.studio)
    return render(request, "studios/resource_detail.html", {"resource": resource, "can_discuss": can_discuss})


@require_GET
def resource_file(request, resource_id):
    resource = selectors.resource_get_for_viewer(acting_user=request.user, resource_id=resource_id)
    if not resource.file:
        raise Http404
    response = FileResponse(resource.file.open("rb"), as_attachment=True, filename=resource.original_name)
    response["Content-Type"] = resource.content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def resource_add(request, studio_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    form = ResourceForm(request.POST or None, request.FILES or None, initial={"visibility": "studio"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("upload")
        try:
            resource = services.resource_add(acting_user=request.user, studio=studio, upload=upload, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The resource is in the library."))
            return redirect("studios:resource", resource_id=resource.pk)
    context = {"studio": studio, "form": form}
    if permissions.can_lead_studio(request.user, studio):
        context["submissions"] = selectors.submissions_to_promote(studio=studio)
    return render(request, "studios/resource_form.html", context)


@login_required
@require_POST
def submission_promote(request, studio_id, submission_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    submission = Submission.objects.select_related("assignment__cohort", "trainee").filter(pk=submission_id).first()
    if submission is None:
        raise Http404
    form = PromoteForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect("studios:resource-add", studio_id=studio.pk)
    try:
        services.submission_promote(
            acting_user=request.user,
            studio=studio,
            submission=submission,
            kind="case_study",
            visibility=form.cleaned_data["visibility"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The author is asked for consent; the resource is shown once they agree."))
    return redirect("studios:resource-add", studio_id=studio.pk)


@login_required
@require_POST
def resource_consent(request, resource_id):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        # The library lists what waits for the reader's consent, with the buttons to answer.
        show_form_errors(request, form)
        return redirect("studios:library")
    consent = form.cleaned_data["decision"] == "consent"
    try:
        resource = services.resource_consent(acting_user=request.user, resource_id=resource_id, consent=consent)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("studios:library")
    if resource is None:
        messages.success(request, _("Your work stays out of the library."))
        return redirect("studios:library")
    messages.success(request, _("Thank you: your work is now shared in the library."))
    return redirect("studios:resource", resource_id=resource.pk)
