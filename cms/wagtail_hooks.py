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
