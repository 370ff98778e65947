"""Training screens: parse the request, call one selector or service, render; one module per concept.

Access: getters in `selectors` answer 404 for what a person may not see and
403 for what they may see but not change; services check again.
"""

from .applications import application_decide, application_list, cohort_apply
from .assignments import (
    assignment_create,
    assignment_detail,
    assignment_edit,
    assignment_list,
    submission_create,
    submission_file,
    submission_review,
)
from .attendance import attendance, check_in, check_in_code
from .calendar_feeds import calendar_address, calendar_feed, cohort_calendar_feed
from .certificates import (
    certificate_list,
    certificate_lookup,
    certificate_pdf,
    certificate_revoke,
    certificate_share_card,
    certificate_verify,
    sign_off,
)
from .cohorts import audit, cohort_create, cohort_detail, cohort_edit, cohort_list
from .hours import hours_export
from .imports import import_create, import_detail, import_status
from .invitations import invitation_accept, invitation_create, invitation_resend
from .memberships import membership_change, membership_list
from .schedule import schedule, schedule_item_cancel, schedule_item_create, schedule_item_detail, schedule_item_edit

__all__ = [
    "application_decide",
    "application_list",
    "assignment_create",
    "assignment_detail",
    "assignment_edit",
    "assignment_list",
    "attendance",
    "audit",
    "calendar_address",
    "calendar_feed",
    "certificate_list",
    "certificate_lookup",
    "certificate_pdf",
    "certificate_revoke",
    "certificate_share_card",
    "certificate_verify",
    "check_in",
    "check_in_code",
    "cohort_apply",
    "cohort_calendar_feed",
    "cohort_create",
    "cohort_detail",
    "cohort_edit",
    "cohort_list",
    "hours_export",
    "import_create",
    "import_detail",
    "import_status",
    "invitation_accept",
    "invitation_create",
    "invitation_resend",
    "membership_change",
    "membership_list",
    "schedule",
    "schedule_item_cancel",
    "schedule_item_create",
    "schedule_item_detail",
    "schedule_item_edit",
    "sign_off",
    "submission_create",
    "submission_file",
    "submission_review",
]
