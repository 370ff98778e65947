"""Reads for mentorship screens, with access control built in; one module per concept.

Getters raise 404 for objects a person may not see, so that another
pairing's logs or another cohort's batch never reveal that they exist.
Listings take a fixed number of queries whatever their length. The modules
follow the seams of `mentorship.services` and `mentorship.views`: pairings,
session logs, reflections, follow-up, cohorts (a coordinator's choosers),
matching, hosts and evaluations. The names callers use stay importable from
`mentorship.selectors`.
"""

from .cohorts import cohort_get_for_coordinator, cohort_host_schools, cohort_mentors_for_wishes, cohort_people
from .evaluations import cohort_evaluation_results
from .follow_up import check_in_get_for_user
from .hosts import COUNTED_PAIRINGS, host_certificate_rows, hosting_records, mentor_record
from .matching import batch_get_for_user, batch_list_for_cohort, batch_pins, batch_review
from .pairings import (
    cohort_ids_paired_with,
    cohort_pairing_list,
    cohort_pairing_rows,
    dashboard_membership_annotations,
    dashboard_panel,
    pairing_detail,
    pairing_get_for_user,
    pairing_list_for_user,
    pairing_rows,
    pairs_in_force,
)
from .reflections import reflection_get_for_user
from .session_logs import cohort_disputed_logs, session_log_get_for_user

__all__ = [
    "COUNTED_PAIRINGS",
    "batch_get_for_user",
    "batch_list_for_cohort",
    "batch_pins",
    "batch_review",
    "check_in_get_for_user",
    "cohort_disputed_logs",
    "cohort_evaluation_results",
    "cohort_get_for_coordinator",
    "cohort_host_schools",
    "cohort_ids_paired_with",
    "cohort_mentors_for_wishes",
    "cohort_pairing_list",
    "cohort_pairing_rows",
    "cohort_people",
    "dashboard_membership_annotations",
    "dashboard_panel",
    "host_certificate_rows",
    "hosting_records",
    "mentor_record",
    "pairing_detail",
    "pairing_get_for_user",
    "pairing_list_for_user",
    "pairing_rows",
    "pairs_in_force",
    "reflection_get_for_user",
    "session_log_get_for_user",
]
