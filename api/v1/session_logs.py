"""Session logs: written, corrected, confirmed or disputed through the same services as the pages."""

from ninja import Router, Status

from mentorship import selectors as mentorship_selectors
from mentorship import services as mentorship_services
from mentorship.models import SessionLog

from .. import schemas as s
from .errors import PROBLEM_RESPONSES

router = Router(tags=["mentorship"])


def _log_out(log: SessionLog) -> dict:
    return {
        "id": log.pk,
        "pairing_id": log.pairing_id,
        "author_id": log.author_id,
        "occurred_on": log.occurred_on,
        "hours": log.hours,
        "kind": log.kind,
        "status": log.status,
    }


@router.post("/pairings/{pairing_id}/session-logs/", response={201: s.SessionLogOut, **PROBLEM_RESPONSES})
def session_log_create(request, pairing_id: int, payload: s.SessionLogIn):
    """A party to the pairing logs a session; the other party is asked to confirm it."""
    pairing = mentorship_selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    log = mentorship_services.session_log_create(
        acting_user=request.user,
        pairing=pairing,
        occurred_on=payload.occurred_on,
        hours=payload.hours,
        kind=payload.kind,
        went_well=payload.went_well,
        challenges=payload.challenges,
    )
    return Status(201, _log_out(log))


@router.patch("/session-logs/{log_id}/", response={200: s.SessionLogOut, **PROBLEM_RESPONSES})
def session_log_update(request, log_id: int, payload: s.SessionLogPatchIn):
    """The author corrects a log while it awaits confirmation, under the rules of a new log."""
    log = mentorship_selectors.session_log_get_for_user(acting_user=request.user, log_id=log_id)
    changes = {field: value for field, value in payload.model_dump(exclude_unset=True).items() if value is not None}
    return _log_out(mentorship_services.session_log_update(acting_user=request.user, session_log=log, changes=changes))


@router.post("/session-logs/{log_id}/confirm/", response={200: s.SessionLogOut, **PROBLEM_RESPONSES})
def session_log_confirm(request, log_id: int):
    """The other party confirms a log; only then are its hours credited."""
    log = mentorship_selectors.session_log_get_for_user(acting_user=request.user, log_id=log_id)
    return _log_out(mentorship_services.session_log_confirm(acting_user=request.user, session_log=log))


@router.post("/session-logs/{log_id}/dispute/", response={200: s.SessionLogOut, **PROBLEM_RESPONSES})
def session_log_dispute(request, log_id: int, payload: s.DisputeIn):
    """The other party disputes a log with a comment; the coordinators decide."""
    log = mentorship_selectors.session_log_get_for_user(acting_user=request.user, log_id=log_id)
    return _log_out(
        mentorship_services.session_log_dispute(acting_user=request.user, session_log=log, comment=payload.comment)
    )
