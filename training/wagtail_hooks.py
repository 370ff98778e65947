"""Labels of training's audit actions in Wagtail's log."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

# (action, label in the log's filter, message in the log)
ACTIONS = [
    ("training.hours.correct", _("Correct hours"), _("Hours corrected")),
    ("training.cohort.create", _("Open a cohort"), _("Cohort opened")),
    ("training.cohort.update", _("Change a cohort"), _("Cohort changed")),
    ("training.membership.invite", _("Invite to a cohort"), _("Invited to the cohort")),
    ("training.membership.change", _("Change a membership"), _("Membership changed")),
    ("training.invitation.accept", _("Accept an invitation"), _("Invitation accepted")),
    ("training.application.submit", _("Apply to a cohort"), _("Application sent")),
    ("training.application.decide", _("Decide an application"), _("Application decided")),
    ("training.import.complete", _("Import people"), _("People imported")),
    ("training.schedule_item.create", _("Add a schedule item"), _("Schedule item added")),
    ("training.schedule_item.update", _("Change a schedule item"), _("Schedule item changed")),
    ("training.schedule_item.move", _("Move a schedule item"), _("Schedule item moved")),
    ("training.schedule_item.cancel", _("Cancel a schedule item"), _("Schedule item cancelled")),
    ("training.attendance.mark", _("Take attendance"), _("Attendance taken")),
    ("training.attendance.check_in", _("Check in"), _("Checked in")),
    ("training.assignment.create", _("Set an assignment"), _("Assignment set")),
    ("training.assignment.update", _("Change an assignment"), _("Assignment changed")),
    ("training.submission.review", _("Review a submission"), _("Submission reviewed")),
    ("training.certificate.issue", _("Sign off"), _("Signed off; certificate issued")),
    ("training.certificate.revoke", _("Revoke a certificate"), _("Certificate revoked")),
]


@hooks.register("register_log_actions")
def register_training_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
