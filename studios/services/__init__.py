from .discussion import post_hide, post_reply, post_report, thread_moderate, thread_start
from .memberships import (
    application_decide,
    co_leader_set,
    invitation_respond,
    studio_apply,
    studio_create,
    studio_invite,
)
from .plans import plan_activity_add, plan_themes_set
from .resources import resource_add, resource_consent, submission_promote

__all__ = [
    "post_hide",
    "post_reply",
    "post_report",
    "thread_moderate",
    "thread_start",
    "resource_add",
    "resource_consent",
    "submission_promote",
    "application_decide",
    "co_leader_set",
    "invitation_respond",
    "plan_activity_add",
    "plan_themes_set",
    "studio_apply",
    "studio_create",
    "studio_invite",
]
