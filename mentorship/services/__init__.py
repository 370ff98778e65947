"""Writes for mentorship, one module per concept: hosts, matching, pairings, session logs, reflections,
evaluations, follow-up and host certificates.

Confirmed session logs credit training's ledger through `training.services.hours_credit`;
messages about a pairing are filed under its cohort (`training.kinds.cohort_notification_send`).
The names below are re-exported so that callers may import from `mentorship.services`
or from the concept's own module.
"""

from .certificates import host_certificate_issue
from .evaluations import evaluation_author_may, evaluation_submit, rubric_items
from .follow_up import CHECK_IN_MONTHS, action_plan_save, check_in_record, check_ins_schedule
from .hosts import host_profile_save, host_window_create, matching_preference_save
from .inputs import RICH_TEXT_TAGS, clean_text, focus_areas_checked, plain_text
from .matching import (
    STALE_RUN_AFTER,
    batch_proposal_remove,
    batch_proposals_swap,
    matching_batch_publish,
    matching_batch_run,
    matching_batch_start,
    pairing_pin,
    pairing_unpin,
)
from .pair_rules import (
    cohort_windows,
    matching_input_build,
    pair_rule_check,
    pair_rule_refuse,
    pairing_period,
    trainee_region_id,
)
from .pairings import (
    pairing_agreement_update,
    pairing_approve,
    pairing_complete,
    pairing_end,
    pairing_locked,
    pairing_missing_parties,
    pairing_names,
    pairing_reassign,
    pairing_regions,
    pairing_start,
)
from .reflections import reflection_comment_add, reflection_create
from .session_logs import (
    session_log_confirm,
    session_log_create,
    session_log_dispute,
    session_log_resolve,
    session_log_update,
)

__all__ = [
    "CHECK_IN_MONTHS",
    "RICH_TEXT_TAGS",
    "STALE_RUN_AFTER",
    "action_plan_save",
    "batch_proposal_remove",
    "batch_proposals_swap",
    "check_in_record",
    "check_ins_schedule",
    "clean_text",
    "cohort_windows",
    "evaluation_author_may",
    "evaluation_submit",
    "focus_areas_checked",
    "host_certificate_issue",
    "host_profile_save",
    "host_window_create",
    "matching_batch_publish",
    "matching_batch_run",
    "matching_batch_start",
    "matching_input_build",
    "matching_preference_save",
    "pair_rule_check",
    "pair_rule_refuse",
    "pairing_agreement_update",
    "pairing_approve",
    "pairing_complete",
    "pairing_end",
    "pairing_locked",
    "pairing_missing_parties",
    "pairing_names",
    "pairing_period",
    "pairing_pin",
    "pairing_reassign",
    "pairing_regions",
    "pairing_start",
    "pairing_unpin",
    "plain_text",
    "reflection_comment_add",
    "reflection_create",
    "rubric_items",
    "session_log_confirm",
    "session_log_create",
    "session_log_dispute",
    "session_log_resolve",
    "session_log_update",
    "trainee_region_id",
]
