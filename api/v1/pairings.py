"""Pairings: a cohort's, my own, one."""

from ninja import Router

from mentorship import selectors as mentorship_selectors

from .. import schemas as s
from .. import selectors as api_selectors
from ..pagination import page_of, paginate
from ..rendering import rendered_response
from .errors import PROBLEM_RESPONSES

router = Router(tags=["mentorship"])


def _pairing_out(pairing) -> dict:
    return {
        "id": pairing.pk,
        "cohort_id": pairing.cohort_id,
        "trainee_id": pairing.trainee_id,
        "trainee_name": pairing.trainee.get_full_name(),
        "mentor_id": pairing.mentor_id,
        "mentor_name": pairing.mentor.get_full_name(),
        "status": pairing.status,
        "starts_on": pairing.starts_on,
        "ends_on": pairing.ends_on,
    }


@router.get("/cohorts/{cohort_id}/pairings/", response={200: api_selectors.PairingPage, **PROBLEM_RESPONSES})
def cohort_pairing_list(
    request, cohort_id: int, status: str | None = None, cursor: str | None = None, limit: int | None = None
):
    """A cohort's pairings, for its coordinators (the pairings page); everyone else 404."""
    cohort = mentorship_selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    page = api_selectors.cohort_pairings_page(cohort=cohort, status=status or "", cursor=cursor, limit=limit)
    return rendered_response(page)


@router.get("/pairings/", response={200: page_of(s.PairingOut, "MyPairingPage"), **PROBLEM_RESPONSES})
def pairing_list(
    request, cohort: int | None = None, status: str | None = None, cursor: str | None = None, limit: int | None = None
):
    """Pairings I may see: mine as trainee or mentor, my cohorts' as coordinator, my region's as regional admin."""
    pairings = mentorship_selectors.pairing_list_for_user(acting_user=request.user)
    if cohort is not None:
        pairings = pairings.filter(cohort_id=cohort)
    if status:
        pairings = pairings.filter(status=status)
    rows, following = paginate(
        mentorship_selectors.pairing_rows(pairings), cursor=cursor, limit=limit, scope="my-pairings"
    )
    return {"results": rows, "next_cursor": following}


@router.get("/pairings/{pairing_id}/", response={200: s.PairingOut, **PROBLEM_RESPONSES})
def pairing_detail(request, pairing_id: int):
    """A pairing I am part of or coordinate, or 404."""
    return _pairing_out(mentorship_selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id))
