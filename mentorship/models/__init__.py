"""Mentorship's models, one module per concept: focus areas, hosts, matching, pairings, session logs,
reflections, evaluations and follow-up.

Every model is importable from `mentorship.models`, as before the split; migrations name the same classes.
"""

from .evaluations import Evaluation, EvaluationKind, EvaluationStage, MentorQuality
from .focus_areas import FocusArea
from .follow_up import ActionPlan, CheckIn
from .hosts import DoNotMatch, HostProfile, HostWindow, MatchingPreference
from .matching import BatchStatus, MatchingBatch, PairingPin, PairingProposal
from .pairings import ApprovalParty, Pairing, PairingApproval, PairingQuerySet, PairingStatus
from .reflections import Reflection, ReflectionComment
from .session_logs import SessionKind, SessionLog, SessionLogStatus

__all__ = [
    "ActionPlan",
    "ApprovalParty",
    "BatchStatus",
    "CheckIn",
    "DoNotMatch",
    "Evaluation",
    "EvaluationKind",
    "EvaluationStage",
    "FocusArea",
    "HostProfile",
    "HostWindow",
    "MatchingBatch",
    "MatchingPreference",
    "MentorQuality",
    "Pairing",
    "PairingApproval",
    "PairingPin",
    "PairingProposal",
    "PairingQuerySet",
    "PairingStatus",
    "Reflection",
    "ReflectionComment",
    "SessionKind",
    "SessionLog",
    "SessionLogStatus",
]
