"""Labels of the API's audit actions in Wagtail's log."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = [
    ("api.token.create", _("Create an API token"), _("API token created")),
    ("api.token.revoke", _("Revoke an API token"), _("API token revoked")),
]


@hooks.register("register_log_actions")
def register_api_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
