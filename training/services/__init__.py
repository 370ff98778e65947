"""Writes for training, one module per concept. Other apps credit hours only through `hours_credit`.

Every service is a transaction: it checks who is acting, changes the rows,
writes the audit entry and queues the notifications together, so a failure
leaves nothing half-done. The names below are re-exported so that callers may
import from `training.services` or from the concept's own module.
"""

from .applications import application_decide, application_submit
from .assignments import (
    ASSIGNMENT_FIELDS,
    assignment_create,
    assignment_update,
    submission_create,
    submission_review,
)
from .attendance import CHECKIN_EARLY, attendance_check_in, attendance_mark, attendance_trainees, checkin_code
from .calendar_feeds import calendar_feed_regenerate, calendar_feed_revoke
from .certificates import HostingRecord, certificate_issue, certificate_issue_for_hosts, certificate_revoke
from .cohorts import COHORT_ORDER, cohort_create, cohort_update
from .hours import hours_correct, hours_credit
from .imports import (
    IMPORT_STALE_AFTER,
    enrolment_import_claim,
    enrolment_import_create,
    enrolment_import_enqueue_after_commit,
    enrolment_import_run,
    enrolment_import_stop,
    enrolment_rows_import,
)
from .invitations import (
    invitation_accept,
    invitation_accept_new_account,
    invitation_check_usable,
    invitation_create,
    invitation_days,
    invitation_message_context,
    invitation_resend,
)
from .memberships import COORDINATOR_STATUSES, membership_change, membership_joined_status
from .schedule import (
    CALENDAR_FIELDS,
    MOVING_FIELDS,
    SCHEDULE_FIELDS,
    schedule_item_cancel,
    schedule_item_create,
    schedule_item_message_context,
    schedule_item_recipients,
    schedule_item_update,
)

__all__ = [
    "ASSIGNMENT_FIELDS",
    "CALENDAR_FIELDS",
    "CHECKIN_EARLY",
    "COHORT_ORDER",
    "COORDINATOR_STATUSES",
    "HostingRecord",
    "IMPORT_STALE_AFTER",
    "MOVING_FIELDS",
    "SCHEDULE_FIELDS",
    "application_decide",
    "application_submit",
    "assignment_create",
    "assignment_update",
    "attendance_check_in",
    "attendance_mark",
    "attendance_trainees",
    "calendar_feed_regenerate",
    "calendar_feed_revoke",
    "certificate_issue",
    "certificate_issue_for_hosts",
    "certificate_revoke",
    "checkin_code",
    "cohort_create",
    "cohort_update",
    "enrolment_import_claim",
    "enrolment_import_create",
    "enrolment_import_enqueue_after_commit",
    "enrolment_import_run",
    "enrolment_import_stop",
    "enrolment_rows_import",
    "hours_correct",
    "hours_credit",
    "invitation_accept",
    "invitation_accept_new_account",
    "invitation_check_usable",
    "invitation_create",
    "invitation_days",
    "invitation_message_context",
    "invitation_resend",
    "membership_change",
    "membership_joined_status",
    "schedule_item_cancel",
    "schedule_item_create",
    "schedule_item_message_context",
    "schedule_item_recipients",
    "schedule_item_update",
    "submission_create",
    "submission_review",
]
