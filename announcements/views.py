"""Composing, previewing and sending announcements, and reading one that reached you."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .audiences import announcement_recipients, can_announce
from .forms import AnnouncementForm


def _require_sender(user):
    # As elsewhere, pages a person may not use do not exist for them.
    if not can_announce(user):
        raise Http404


@login_required
@require_GET
def announcement_list(request):
    _require_sender(request.user)
    announcements = selectors.announcement_list_for_sender(user=request.user)[:100]
    return render(request, "announcements/list.html", {"announcements": announcements})


@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request):
    _require_sender(request.user)
    form = AnnouncementForm(request.POST or None, user=request.user, initial={"audience": request.GET.get("audience")})
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_create(
                acting_user=request.user, data=form.announcement_data(), member_regions=form.chosen_member_regions()
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return redirect("announcements:detail", announcement_id=announcement.pk)
    return render(request, "announcements/form.html", {"form": form})


def _preview(announcement, language: str) -> dict:
    with translation.override(language):
        return {
            "language": language,
            "title": announcement.localized_title,
            "body": announcement.localized_body,
            "falls_back": language == "en" and not announcement.title_en,
        }


@login_required
@require_GET
def announcement_detail(request, announcement_id):
    announcement = selectors.announcement_get_for_sender(user=request.user, announcement_id=announcement_id)
    context = {
        "announcement": announcement,
        "previews": [_preview(announcement, "zh-hans"), _preview(announcement, "en")],
        "figures": selectors.announcement_figures(announcement=announcement),
    }
    if announcement.status == "draft":
        context["audience_size"] = announcement_recipients(announcement).count()
    return render(request, "announcements/detail.html", context)


@login_required
@require_POST
def announcement_send(request, announcement_id):
    announcement = selectors.announcement_get_for_sender(user=request.user, announcement_id=announcement_id)
    try:
        sent = services.announcement_send(announcement=announcement, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if sent.status == "scheduled":
            messages.success(request, _("The announcement will be sent at the time you chose."))
        else:
            messages.success(
                request, _("The announcement has been sent to %(count)d people.") % {"count": sent.recipient_count}
            )
    return redirect("announcements:detail", announcement_id=announcement.pk)


@login_required
@require_POST
def announcement_cancel(request, announcement_id):
    announcement = selectors.announcement_get_for_sender(user=request.user, announcement_id=announcement_id)
    try:
        services.announcement_cancel(announcement=announcement, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The announcement is cancelled and will not be sent."))
    return redirect("announcements:detail", announcement_id=announcement.pk)


@login_required
@require_GET
def announcement_read(request, announcement_id):
    announcement = selectors.announcement_get_for_reader(user=request.user, announcement_id=announcement_id)
    return render(request, "announcements/read.html", {"announcement": announcement})
