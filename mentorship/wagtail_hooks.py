"""Labels of mentorship's audit actions in Wagtail's log."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = [
    ("mentorship.host_profile.save", _("Save host profile"), _("Host profile saved")),
    ("mentorship.window.create", _("Open shadowing window"), _("Shadowing window opened")),
    ("mentorship.batch.start", _("Start matching"), _("Matching started")),
    ("mentorship.batch.remove", _("Remove proposal"), _("Proposal removed")),
    ("mentorship.batch.swap", _("Swap hosts"), _("Hosts swapped")),
    ("mentorship.batch.publish", _("Publish matching"), _("Matching published")),
    ("mentorship.pin.create", _("Pin pair"), _("Pair pinned")),
    ("mentorship.pin.delete", _("Unpin pair"), _("Pair unpinned")),
    ("mentorship.pairing.propose", _("Propose pairing"), _("Pairing proposed")),
    ("mentorship.pairing.approve", _("Approve pairing"), _("Pairing approved")),
    ("mentorship.pairing.agree", _("Agree pairing"), _("Pairing agreed by everyone")),
    ("mentorship.pairing.agreement", _("Edit agreement"), _("Agreement edited")),
    ("mentorship.pairing.start", _("Start pairing"), _("Pairing started")),
    ("mentorship.pairing.complete", _("Complete pairing"), _("Pairing completed")),
    ("mentorship.pairing.end", _("End pairing"), _("Pairing ended early")),
    ("mentorship.pairing.reassign", _("Reassign trainee"), _("Trainee reassigned")),
    ("mentorship.session_log.create", _("Log session"), _("Session logged")),
    ("mentorship.session_log.update", _("Change session log"), _("Session log changed")),
    ("mentorship.session_log.confirm", _("Confirm session"), _("Session confirmed")),
    ("mentorship.session_log.dispute", _("Dispute session"), _("Session disputed")),
    ("mentorship.session_log.resolve", _("Decide disputed session"), _("Disputed session decided")),
    ("mentorship.reflection.create", _("Write reflection"), _("Reflection written")),
    ("mentorship.reflection.comment", _("Comment on reflection"), _("Reflection commented")),
    ("mentorship.evaluation.submit", _("Submit evaluation"), _("Evaluation submitted")),
    ("mentorship.action_plan.save", _("Save action plan"), _("Action plan saved")),
    ("mentorship.check_in.record", _("Record check-in"), _("Check-in recorded")),
]


@hooks.register("register_log_actions")
def register_mentorship_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
