"""The inbox, marking read, preferences and the one-click unsubscribe page."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .channels import UNSUBSCRIBE_MAX_AGE, UNSUBSCRIBE_SALT, render_subject
from .forms import MarkReadForm, PreferencesForm
from .kinds import get_kind
from .models import Notification
from .selectors import notification_preferences_for
from .services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
    notification_unsubscribe,
)


@login_required
@require_GET
def inbox(request):
    page = Paginator(Notification.objects.for_inbox(request.user), 25).get_page(request.GET.get("page"))
    items = [(notification, render_subject(notification)) for notification in page.object_list]
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@login_required
@require_POST
def mark_read(request, notification_id: int):
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    notification_mark_read(acting_user=request.user, notification_id=notification.pk)
    target = notification.url
    form = MarkReadForm(request.POST)
    if form.is_valid() and form.cleaned_data["open"] and target:
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            raise Http404
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = notification_mark_all_read(acting_user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = notification_preferences_for(user=request.user)
    form = PreferencesForm(request.POST or None, preferences=current)
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_update(
                acting_user=request.user,
                cadences=form.cadences(),
                quiet_hours_enabled=form.cleaned_data["quiet_hours_enabled"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification preferences have been saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "preferences": current})


def _unsubscribe_target(token: str):
    """(person, kind) a signed link names, or an error message for the page."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired:
        return None, None, _("This unsubscribe link has expired. Sign in to change your e-mail preferences.")
    except signing.BadSignature:
        return None, None, _("This unsubscribe link is not valid. Sign in to change your e-mail preferences.")
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    try:
        kind = get_kind(str(payload.get("k")))
    except LookupError:
        kind = None
    if user is None or kind is None:
        return None, None, _("This unsubscribe link is not valid. Sign in to change your e-mail preferences.")
    return user, kind, ""


# Mail programs send the one-click unsubscribe (RFC 8058) as a POST without
# cookies, so no CSRF token can come with it; the signed token names the
# person and the kind, and GET only shows a confirmation page.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    user, kind, error = _unsubscribe_target(token)
    if error:
        return render(request, "notifications/unsubscribe.html", {"error": error}, status=400)
    context = {"kind": kind, "token": token}
    if request.method == "POST":
        try:
            notification_unsubscribe(user=user, kind=kind.key)
        except ValidationError as refusal:
            return render(
                request, "notifications/unsubscribe.html", {**context, "error": " ".join(refusal.messages)}, status=400
            )
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
