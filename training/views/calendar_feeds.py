"""Calendar feeds (.ics) by secret address, and turning one's address on, over or off."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_POST

from .. import selectors, services
from ..calendar import FEED_SECONDS, RenderedFeed, feed_rendered
from ..forms import ActionForm, show_form_errors
from ..permissions import can_manage_cohort


def _ics_response(request, feed: RenderedFeed, filename: str) -> HttpResponse:
    """The feed, or 304 Not Modified when the calendar client's copy (by ETag or date) is still this one."""

    @condition(etag_func=lambda request: feed.etag, last_modified_func=lambda request: feed.rendered_at)
    def answer(request):
        response = HttpResponse(feed.content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    response = answer(request)
    # Private: a feed is personal even though its address needs no sign-in.
    response["Cache-Control"] = f"private, max-age={FEED_SECONDS}"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def calendar_feed(request, token):
    user = selectors.calendar_feed_owner(token=token)
    # A calendar app fetches without the person's session: write the feed in their chosen language.
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        feed = feed_rendered(user=user, name=_("Yingzi: my training calendar"))
    return _ics_response(request, feed, "yingzi.ics")


@require_GET
def cohort_calendar_feed(request, token, cohort_id):
    user = selectors.calendar_feed_owner(token=token)
    cohort = selectors.cohort_get_for_user(acting_user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise Http404
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        feed = feed_rendered(user=user, cohort=cohort, name=cohort.localized_name)
    return _ics_response(request, feed, f"yingzi-cohort-{cohort.pk}.ics")


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
