"""Labels of accounts' audit actions in Wagtail's log: personal data rights and exports of personal data."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = [
    ("accounts.personal_data.export_request", _("Ask for my data"), _("Archive of personal data requested")),
    ("accounts.personal_data.export_ready", _("Archive ready"), _("Archive of personal data built")),
    ("accounts.personal_data.export_download", _("Download my data"), _("Archive of personal data downloaded")),
    ("accounts.personal_data.erasure_request", _("Ask for erasure"), _("Erasure of personal data requested")),
    ("accounts.personal_data.erase", _("Erase personal data"), _("Personal data erased")),
    ("accounts.personal_data.exported", _("Export personal data"), _("Personal data exported")),
]


@hooks.register("register_log_actions")
def register_accounts_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
