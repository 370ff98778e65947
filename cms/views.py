"""Event registration, the registration card with its QR code, the check-in desk and exports."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import audit_personal_data_export
from accounts.spreadsheets import table_response
from training.forms import show_form_errors

from . import selectors, services
from .caching import cache_for_reader
from .forms import CheckInForm
from .models import RegistrationStatus


@never_cache
@require_GET
def language_switch(request, language):
    """Follow a language link and remember the choice in the language cookie.

    The header links here instead of posting to `set_language`, so that
    public pages need no CSRF token and stay cacheable; this answer is the
    only one that sets the cookie, and it is never cached.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        with translation.override(language):
            target = reverse("wagtail_serve", args=[""])
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_GET
def page_search(request):
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.page_search(query=query, language=translation.get_language()) if query else []
    response = render(request, "cms/search.html", {"query": query, "results": results})
    return cache_for_reader(request=request, response=response)


def _event_url(event) -> str:
    return event.localized.url or "/"


@login_required
@require_POST
def event_register(request, event_id):
    event = selectors.event_get_for_registration(event_id=event_id)
    try:
        registration = services.event_register(event=event, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_event_url(event))
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("You are registered. Show this code at the entrance."))
    else:
        messages.info(request, _("The event is full: you are on the waiting list."))
    return redirect("cms:registration-detail", registration_id=registration.pk)


def _qr_svg(text: str, label: str) -> str:
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10).to_string(encoding="unicode")
    # Sized by the stylesheet; the CSP forbids inline styles.
    svg = svg.replace('width="', 'data-width="').replace('height="', 'data-height="', 1)
    return svg.replace("<svg ", f'<svg class="qr-code" role="img" aria-label="{escape(label)}" ', 1)


@login_required
@require_GET
def my_registration(request, event_id):
    """Where a message about an event change leads: the reader's own registration, else the event's page."""
    registration = selectors.registration_latest_own(acting_user=request.user, event_id=event_id)
    if registration is not None:
        return redirect("cms:registration-detail", registration_id=registration.pk)
    return redirect(_event_url(selectors.event_get_live(event_id=event_id)))


@login_required
@require_GET
def registration_detail(request, registration_id):
    registration = selectors.registration_get_own(acting_user=request.user, registration_id=registration_id)
    event = registration.event
    context = {"registration": registration, "event": event, "event_url": _event_url(event)}
    if registration.status == RegistrationStatus.CONFIRMED:
        check_in_url = (
            settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("cms:event-check-in", kwargs={"event_id": event.pk})
            + f"?code={registration.code}"
        )
        context["svg"] = _qr_svg(check_in_url, _("Check-in QR code"))
    elif registration.status == RegistrationStatus.WAITLISTED:
        context["waiting_position"] = selectors.waiting_position(registration=registration)
    response = render(request, "cms/registration_detail.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def registration_cancel(request, registration_id):
    registration = selectors.registration_get_own(acting_user=request.user, registration_id=registration_id)
    try:
        services.event_registration_cancel(registration=registration, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cms:registration-detail", registration_id=registration.pk)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(_event_url(registration.event))


@login_required
@require_http_methods(["GET", "POST"])
def event_check_in(request, event_id):
    event = selectors.event_get_for_manager(acting_user=request.user, event_id=event_id)
    # A scanned QR code opens this page with the code in the address; only a POST checks the person in.
    form = CheckInForm(
        request.POST if request.method == "POST" else None, initial={"code": request.GET.get("code", "")}
    )
    code = form["code"].value() or ""
    result = None
    if form.is_bound and not form.is_valid():
        show_form_errors(request, form)
    elif form.is_bound:
        try:
            registration, first_time = services.event_check_in(
                event=event, code=form.cleaned_data["code"], acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            result = {"registration": registration, "first_time": first_time}
            code = ""
    counts = selectors.registration_counts(event=event)
    context = {
        "event": event,
        "code": code,
        "result": result,
        "confirmed_count": counts["confirmed"],
        "checked_in": selectors.registration_list_recent_check_ins(event=event),
        "checked_in_count": event.registrations.filter(checked_in_at__isnull=False).count(),
    }
    response = render(request, "cms/event_check_in.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _export_rows(event):
    yield [
        _("Name"),
        _("E-mail"),
        _("Home region"),
        _("School"),
        _("Title or position"),
        _("Status"),
        _("Registered"),
        _("Check-in code"),
        _("Checked in"),
    ]
    for registration in selectors.registration_list_for_export(event=event):
        person = registration.user
        profile = getattr(person, "profile", None) if hasattr(person, "profile") else None
        yield [
            person.get_full_name(),
            person.email,
            profile.region.localized_name if profile and profile.region else "",
            str(profile.school) if profile and profile.school else "",
            profile.title if profile else "",
            registration.get_status_display(),
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            registration.code,
            timezone.localtime(registration.checked_in_at).strftime("%Y-%m-%d %H:%M")
            if registration.checked_in_at
            else "",
        ]


@login_required
@require_GET
def registrant_export(request, event_id, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    event = selectors.event_get_for_manager(acting_user=request.user, event_id=event_id)
    filename = f"yingzi-event-{event.pk}-registrants.{fmt}"
    audit_personal_data_export(request=request, instance=event, export="event-registrants", fmt=fmt)
    return table_response(rows=_export_rows(event), filename=filename, fmt=fmt, sheet_title=_("Registrants"))


@require_GET
def share_card(request, page_id: int):
    """The picture shown beside a shared link to a public page (og:image): its title and one line under it."""
    from training.share_cards import render_share_card

    from .selectors import share_card_text

    page = selectors.public_page_get(page_id=page_id)
    title, subtitle = share_card_text(page)
    response = HttpResponse(render_share_card(title=title, subtitle=subtitle), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response
