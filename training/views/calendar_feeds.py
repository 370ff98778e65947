"""Calendar feeds (.ics) by secret address, and turning one's address on, over or off."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..forms import ActionForm, show_form_errors
from ..permissions import can_manage_cohort


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Private: a feed is personal even though its address needs no sign-in.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def calendar_feed(request, token):
    from ..calendar import events_for_person, render_ics

    user = selectors.calendar_feed_owner(token=token)
    # A calendar app fetches without the person's session: write the feed in their chosen language.
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        events = events_for_person(user=user)
        content = render_ics(events=events, name=_("Yingzi: my training calendar"))
    return _ics_response(content, "yingzi.ics")


@require_GET
def cohort_calendar_feed(request, token, cohort_id):
    from ..calendar import events_for_person, render_ics

    user = selectors.calendar_feed_owner(token=token)
    cohort = selectors.cohort_get_for_user(acting_user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise Http404
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        events = events_for_person(user=user, cohort=cohort)
        content = render_ics(events=events, name=cohort.localized_name)
    return _ics_response(content, f"yingzi-cohort-{cohort.pk}.ics")


@login_required
@require_POST
def calendar_address(request):
    form = ActionForm(request.POST, actions=["regenerate", "revoke"])
    if not form.is_valid():
        show_form_errors(request, form)
    elif form.cleaned_data["action"] == "revoke":
        services.calendar_feed_revoke(acting_user=request.user)
        messages.success(request, _("Your calendar address has been turned off."))
    else:
        services.calendar_feed_regenerate(acting_user=request.user)
        messages.success(
            request, _("You have a new calendar address. Subscribe to it again; the old address no longer works.")
        )
    return redirect(f"{reverse('dashboard:home')}#calendar")
