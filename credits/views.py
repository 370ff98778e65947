"""The transcript (`/credits/`), its PDF, its public address and the signed credentials."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from training.forms import ActionForm, show_form_errors

from . import selectors, services
from .freshness import BODY_SECONDS, transcript_body_key

# The cached body's forms carry this in place of the visitor's CSRF token, replaced per response.
CSRF_PLACEHOLDER = "csrf-token-of-the-visitor"


def share_url(token: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("credits:transcript-verify", kwargs={"token": token})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@login_required
@require_GET
def transcript(request):
    key = transcript_body_key(request.user.pk)
    body = cache.get(key)
    if body is None:
        share = selectors.transcript_share_for(person=request.user)
        context = {
            "transcript": selectors.transcript_for_person(person=request.user),
            "share_url": share_url(share.token) if share and share.token else "",
            "csrf_token": CSRF_PLACEHOLDER,
        }
        body = render_to_string("credits/_transcript_body.html", context, request=request)
        cache.set(key, body, BODY_SECONDS)
    body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    return render(request, "credits/transcript.html", {"body": mark_safe(body)})  # noqa: S308 - our own template


@login_required
@require_GET
def transcript_pdf(request):
    from .transcript_pdf import transcript_pdf as render_pdf

    share = selectors.transcript_share_for(person=request.user)
    pdf = render_pdf(
        selectors.transcript_for_person(person=request.user),
        verify_url=share_url(share.token) if share and share.token else "",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="yingzi-credit-transcript.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def transcript_share(request):
    form = ActionForm(request.POST, actions=["renew", "off"])
    if not form.is_valid():
        show_form_errors(request, form)
    elif form.cleaned_data["action"] == "off":
        services.transcript_share_disable(acting_user=request.user)
        messages.success(request, _("The public address of your transcript is turned off."))
    else:
        services.transcript_share_renew(acting_user=request.user)
        messages.success(request, _("Your transcript has a new public address; any earlier one no longer works."))
    return redirect("credits:transcript")


@require_GET
def transcript_verify(request, token):
    person = selectors.person_get_by_share_token(token=token)
    context = {"transcript": selectors.transcript_for_person(person=person) if person else None}
    response = render(request, "credits/transcript_verify.html", context, status=200 if person else 404)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _credential_response(token: str, filename: str) -> HttpResponse:
    from .credentials import enveloped

    response = HttpResponse(
        json.dumps(enveloped(token), ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def transcript_credential(request):
    from .credentials import transcript_credential as sign

    token = sign(selectors.transcript_for_person(person=request.user))
    return _credential_response(token, "yingzi-transcript.vc.json")


@login_required
@require_GET
def certificate_credential(request, certificate_id):
    from training.selectors import certificate_get_for_user

    from .credentials import certificate_credential as sign

    certificate = certificate_get_for_user(acting_user=request.user, certificate_id=certificate_id)
    return _credential_response(sign(certificate), f"yingzi-certificate-{certificate.code}.vc.json")
