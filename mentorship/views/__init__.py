"""Mentorship screens, thin: parse, call one selector or service, render or redirect; one module per concept."""

from .evaluations import cohort_evaluations, evaluation_form
from .follow_up import action_plan, check_in_record
from .hosts import host_certificates, host_profile, mentor_record, preferences
from .matching import batch_detail, matching
from .pairings import (
    cohort_pairings,
    pairing_agreement,
    pairing_approve,
    pairing_detail,
    pairing_redirect,
    pairing_status,
)
from .reflections import reflection_create, reflection_detail
from .session_logs import session_log_create, session_log_review

__all__ = [
    "action_plan",
    "batch_detail",
    "check_in_record",
    "cohort_evaluations",
    "cohort_pairings",
    "evaluation_form",
    "host_certificates",
    "host_profile",
    "matching",
    "mentor_record",
    "pairing_agreement",
    "pairing_approve",
    "pairing_detail",
    "pairing_redirect",
    "pairing_status",
    "preferences",
    "reflection_create",
    "reflection_detail",
    "session_log_create",
    "session_log_review",
]
