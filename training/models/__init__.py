"""Training's models, one module per concept: programmes, cohorts and their members, the hours ledger (学时),
invitations, imports, the schedule and attendance, calendar feeds, assignments, certificates and reminder marks.

Every model is importable from `training.models`, as before the split; migrations name the same classes.
"""

from .assignments import (
    Assignment,
    AssignmentKind,
    ReviewerRole,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    submission_upload_to,
)
from .attendance import Attendance, AttendanceMethod
from .calendar_feeds import CalendarFeed, new_feed_token
from .certificates import CODE_ALPHABET, Certificate, CertificateKind, new_verification_code
from .cohorts import (
    Cohort,
    CohortMembership,
    CohortQuerySet,
    CohortRegion,
    CohortStatus,
    MembershipRole,
    MembershipStatus,
)
from .hours import HoursEntry, HoursSource
from .imports import EnrolmentImport, ImportStatus
from .invitations import Invitation, InvitationStatus, new_invitation_nonce
from .programmes import Programme, ProgrammeKind
from .progress import ProgressRecord
from .reminders import ReminderMark
from .schedule import (
    Audience,
    ScheduleItem,
    ScheduleItemKind,
    ScheduleItemQuerySet,
    ScheduleItemStatus,
    new_checkin_secret,
)

__all__ = [
    "Assignment",
    "AssignmentKind",
    "Attendance",
    "AttendanceMethod",
    "Audience",
    "CODE_ALPHABET",
    "CalendarFeed",
    "Certificate",
    "CertificateKind",
    "Cohort",
    "CohortMembership",
    "CohortQuerySet",
    "CohortRegion",
    "CohortStatus",
    "EnrolmentImport",
    "HoursEntry",
    "HoursSource",
    "ImportStatus",
    "Invitation",
    "InvitationStatus",
    "MembershipRole",
    "MembershipStatus",
    "Programme",
    "ProgressRecord",
    "ProgrammeKind",
    "ReminderMark",
    "ReviewerRole",
    "ScheduleItem",
    "ScheduleItemKind",
    "ScheduleItemQuerySet",
    "ScheduleItemStatus",
    "Submission",
    "SubmissionFile",
    "SubmissionStatus",
    "new_checkin_secret",
    "new_feed_token",
    "new_invitation_nonce",
    "new_verification_code",
    "submission_upload_to",
]

# Migration 0002 names the field defaults by their old paths; these keep them importable.
_new_nonce = new_invitation_nonce
_new_secret = new_checkin_secret
_new_feed_token = new_feed_token
