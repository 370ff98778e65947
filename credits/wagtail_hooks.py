from django.utils.translation import gettext_lazy as _
from wagtail import hooks

# (action, label in the log's filter, message in the log)
ACTIONS = [
    ("credits.rule.create", _("Add a recognition rule"), _("Recognition rule added")),
    ("credits.recognition.automatic", _("Recognise credit by rule"), _("Credit recognised by rule")),
    ("credits.recognition.recognise", _("Recognise credit"), _("Credit recognised")),
    ("credits.recognition.refuse", _("Refuse credit"), _("Credit refused")),
    ("credits.transcript.share", _("Share a transcript"), _("Transcript address renewed")),
    ("credits.transcript.unshare", _("Stop sharing a transcript"), _("Transcript address turned off")),
]


@hooks.register("register_log_actions")
def register_credits_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
