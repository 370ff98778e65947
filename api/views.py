"""The token pages, the API's JSON 404, and the pages that document each problem type."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .forms import TokenCreateForm
from .problems import PROBLEM_TYPES, problem_response, problem_type_uri
from .selectors import api_token_list_for_user
from .services import api_token_create, api_token_revoke


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """My API tokens; a new token's secret is shown in this one answer and never again."""
    form = TokenCreateForm(request.POST or None, user=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data.get("days")
        issued = api_token_create(
            acting_user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
        )
        form = TokenCreateForm(user=request.user)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "issued": issued, "tokens": api_token_list_for_user(user=request.user)},
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = api_token_revoke(acting_user=request.user, token_id=token_id)
    messages.success(request, _("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name})
    return redirect("api:tokens")


@csrf_exempt
def api_not_found(request):
    """Any address under /api/ that is not an endpoint: a problem document, not the HTML 404 page."""
    return problem_response(404, _("There is nothing at this address."), request=request)


@require_http_methods(["GET", "HEAD"])
def problem_type(request, slug: str):
    """What one problem `type` of the API means and what to do, in the language of Accept-Language."""
    found = PROBLEM_TYPES.get(slug)
    if found is None:
        raise Http404
    others = [(problem_type_uri(key), kind) for key, kind in PROBLEM_TYPES.items() if key != slug]
    return render(request, "api/problem_type.html", {"slug": slug, "problem": found, "others": others})
