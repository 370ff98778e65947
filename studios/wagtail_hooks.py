from django.utils.translation import gettext_lazy as _
from wagtail import hooks

# (action, label in the log's filter, message in the log)
ACTIONS = [
    ("studios.studio_create", _("Open a studio"), _("Studio opened")),
    ("studios.apply", _("Apply to a studio"), _("Applied to the studio")),
    ("studios.invite", _("Invite to a studio"), _("Invited to the studio")),
    ("studios.invitation_respond", _("Answer a studio invitation"), _("Studio invitation answered")),
    ("studios.application_decide", _("Decide a studio application"), _("Studio application decided")),
    ("studios.co_leader_set", _("Change a studio role"), _("Studio role changed")),
    ("studios.plan_themes_set", _("Set a studio's themes"), _("Studio themes set")),
    ("studios.plan_activity_add", _("Plan a studio activity"), _("Studio activity planned")),
    ("studios.resource_add", _("Share a resource"), _("Resource shared")),
    ("studios.submission_promote", _("Offer a submission to the library"), _("Submission offered to the library")),
    ("studios.resource_consent", _("Consent to sharing a resource"), _("Author consented to sharing")),
    ("studios.resource_decline", _("Decline sharing a resource"), _("Author declined sharing")),
    ("studios.thread_moderate", _("Moderate a studio thread"), _("Studio thread moderated")),
    ("studios.post_hide", _("Hide a studio message"), _("Studio message hidden")),
    ("studios.template_create", _("Create an observation sheet"), _("Observation sheet created")),
    ("studios.template_item_add", _("Add an observation item"), _("Observation item added")),
    ("studios.template_item_remove", _("Remove an observation item"), _("Observation item removed")),
    ("studios.template_update", _("Change an observation sheet"), _("Observation sheet changed")),
    ("studios.template_copy", _("Copy an observation sheet"), _("Observation sheet copied")),
    ("studios.template_items_set", _("Edit observation items"), _("Observation items edited")),
    ("studios.template_item_move", _("Reorder observation items"), _("Observation items reordered")),
    ("studios.cycle_start", _("Start a lesson-study cycle"), _("Lesson-study cycle started")),
    ("studios.plan_version_add", _("Add a lesson plan version"), _("Lesson plan version added")),
    ("studios.lesson_schedule", _("Schedule a lesson"), _("Lesson scheduled")),
    ("studios.lesson_recording", _("Add a lesson's recording"), _("Lesson recording added")),
    ("studios.lesson_check_in", _("Check someone in at a lesson"), _("Checked in at the lesson")),
    ("studios.sheet_submit", _("Submit an observation sheet"), _("Observation sheet submitted")),
    ("studios.cycle_close", _("Close a lesson-study cycle"), _("Lesson-study cycle closed")),
]


@hooks.register("register_log_actions")
def register_studios_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
