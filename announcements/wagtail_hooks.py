"""The labels of the announcements' audit actions, as the audit log shows them."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = [
    ("announcements.create", _("Write an announcement"), _("Announcement written")),
    ("announcements.schedule", _("Schedule an announcement"), _("Announcement scheduled")),
    ("announcements.send", _("Send an announcement"), _("Announcement sent")),
    ("announcements.cancel", _("Cancel an announcement"), _("Announcement cancelled")),
]


@hooks.register("register_log_actions")
def register_announcement_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
