"""The speakers' snippet viewset and the labels of the site's audit actions."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Speaker


class SpeakerViewSet(SnippetViewSet):
    model = Speaker
    icon = "user"
    menu_label = _("Speakers")
    add_to_admin_menu = True
    list_display = ["name", "name_en", "affiliation"]
    search_fields = ["name", "name_en", "affiliation"]


register_snippet(SpeakerViewSet)

# (action, label in the log's filter, message in the log)
ACTIONS = [
    ("cms.registration.create", _("Register for an event"), _("Registered for the event")),
    ("cms.registration.cancel", _("Cancel an event registration"), _("Event registration cancelled")),
    ("cms.registration.promote", _("Move off an event's waiting list"), _("Moved off the waiting list")),
    ("cms.registration.check_in", _("Check in at an event"), _("Checked in at the event")),
    ("cms.event.change", _("Tell registrants of an event change"), _("Registrants told of a change to the event")),
]


@hooks.register("register_log_actions")
def register_cms_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)


# --- QR posters: an A4 PDF per event or programme, from the page's header in the admin ---


def poster_download(request, page_id: int):
    """The poster of a page the editor may edit; others get 404, as the admin's own page views do."""
    from django.http import Http404, HttpResponse
    from wagtail.models import Page

    from .models import EventPage, ProgrammePage
    from .posters import page_poster_pdf

    page = Page.objects.filter(pk=page_id).specific().first()
    if page is None or not isinstance(page, EventPage | ProgrammePage):
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise Http404
    response = HttpResponse(page_poster_pdf(page), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="yingzi-poster-{page.pk}.pdf"'
    return response


@hooks.register("register_admin_urls")
def register_poster_url():
    from django.urls import path

    return [path("posters/<int:page_id>.pdf", poster_download, name="cms_page_poster")]


@hooks.register("register_page_header_buttons")
def poster_button(page, user, view_name, next_url=None):
    from django.urls import reverse
    from wagtail.admin.widgets import Button

    from .models import EventPage, ProgrammePage

    if isinstance(page.specific_deferred, EventPage | ProgrammePage):
        yield Button(
            _("QR poster (A4 PDF)"),
            reverse("cms_page_poster", kwargs={"page_id": page.pk}),
            icon_name="download",
            priority=80,
        )
