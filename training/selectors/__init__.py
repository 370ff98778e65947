"""Reads for training screens, with access control built in, one module per concept.

Getters raise 404 for objects a person may not see, so existence does not
leak; those that also need the right to change raise PermissionDenied for
people who may see but not change. The names below are re-exported so that
callers may import from `training.selectors` or from the concept's own module.
"""

from .assignments import (
    assignment_get_for_user,
    assignment_list_due_for_trainee,
    assignment_list_for_cohort,
    submission_file_get_for_user,
    submission_get_for_reviewer,
    submission_list_for_reviewer,
    submission_list_own,
)
from .attendance import AttendanceRow, attendance_sheet
from .calendar_feeds import calendar_feed_get_for_user, calendar_feed_owner
from .certificates import (
    certificate_get_by_code,
    certificate_get_for_user,
    certificate_list_for_cohort,
    certificate_list_for_holder,
    certificate_rows_for_holder,
    certificates_from_rows,
)
from .cohorts import (
    audit_entries_for_cohort,
    cohort_get_for_manager,
    cohort_get_for_overseer,
    cohort_get_for_user,
    cohort_get_open_for_applications,
    cohort_list_for_user,
    id_or_404,
)
from .hours import (
    hours_by_region,
    hours_by_region_streamed,
    hours_entries_for_person,
    hours_membership_rows,
    hours_memberships,
    hours_rows,
    hours_total_for_trainee,
    hours_with_totals,
)
from .invitations import (
    INVITATION_SALT,
    import_get_for_user,
    invitation_get_by_token,
    invitation_list_pending_for_user,
    invitation_token,
)
from .memberships import (
    application_get_for_decider,
    application_get_own,
    application_list_for_cohort,
    membership_get_for_manager,
    membership_list_for_cohort,
    membership_list_for_user,
)
from .overview import (
    OVERVIEW_SORTS,
    OverviewRow,
    cohort_overview,
    cohort_overview_buckets,
    cohort_overview_page,
    cohort_overview_state,
    pairing_flows,
    progress_for_trainee,
)
from .schedule import (
    schedule_calendar_events,
    schedule_calendar_tokens,
    schedule_item_calendar_event,
    schedule_item_get_for_attendance,
    schedule_item_get_for_manager,
    schedule_item_get_for_user,
    schedule_item_list_for_cohort,
    schedule_item_list_upcoming_for_person,
    schedule_items_visible,
    shadowing_blocks_hosted_by,
)

__all__ = [
    "AttendanceRow",
    "INVITATION_SALT",
    "OVERVIEW_SORTS",
    "OverviewRow",
    "application_get_for_decider",
    "application_get_own",
    "application_list_for_cohort",
    "assignment_get_for_user",
    "assignment_list_due_for_trainee",
    "assignment_list_for_cohort",
    "attendance_sheet",
    "audit_entries_for_cohort",
    "calendar_feed_get_for_user",
    "calendar_feed_owner",
    "certificate_get_by_code",
    "certificate_get_for_user",
    "certificate_list_for_cohort",
    "certificate_list_for_holder",
    "certificate_rows_for_holder",
    "certificates_from_rows",
    "cohort_get_for_manager",
    "cohort_get_for_overseer",
    "cohort_get_for_user",
    "cohort_get_open_for_applications",
    "cohort_list_for_user",
    "cohort_overview",
    "cohort_overview_buckets",
    "cohort_overview_page",
    "cohort_overview_state",
    "hours_by_region",
    "hours_by_region_streamed",
    "hours_entries_for_person",
    "hours_membership_rows",
    "hours_memberships",
    "hours_rows",
    "hours_with_totals",
    "hours_total_for_trainee",
    "id_or_404",
    "import_get_for_user",
    "invitation_get_by_token",
    "invitation_list_pending_for_user",
    "invitation_token",
    "membership_get_for_manager",
    "membership_list_for_cohort",
    "membership_list_for_user",
    "pairing_flows",
    "progress_for_trainee",
    "schedule_calendar_events",
    "schedule_calendar_tokens",
    "schedule_item_calendar_event",
    "schedule_item_get_for_attendance",
    "schedule_item_get_for_manager",
    "schedule_item_get_for_user",
    "schedule_item_list_for_cohort",
    "schedule_item_list_upcoming_for_person",
    "shadowing_blocks_hosted_by",
    "schedule_items_visible",
    "submission_file_get_for_user",
    "submission_get_for_reviewer",
    "submission_list_for_reviewer",
    "submission_list_own",
]
