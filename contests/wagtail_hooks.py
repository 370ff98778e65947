"""Labels of the contests' audit actions in Wagtail's log."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = [
    ("contests.entrant.nominate", _("Nominate an entrant"), _("Entrant nominated")),
    ("contests.entrant.sign_up", _("Sign up for a contest"), _("Signed up for the contest")),
    ("contests.entrant.withdraw", _("Withdraw an entrant"), _("Entrant withdrawn")),
    ("contests.submission.save", _("Hand in a contest entry"), _("Contest entry handed in")),
    ("contests.round.assign", _("Assign judges"), _("Judges assigned")),
    ("contests.score.submit", _("Score an entrant"), _("Score submitted")),
    ("contests.score.correct", _("Correct a score"), _("Score corrected")),
    ("contests.round.freeze", _("Freeze a round"), _("Round frozen")),
    ("contests.round.reopen", _("Reopen a round"), _("Round reopened")),
    ("contests.round.submit", _("Submit results for moderation"), _("Results submitted for moderation")),
    ("contests.round.publish", _("Publish results"), _("Results published")),
]


@hooks.register("register_log_actions")
def register_contest_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
