"""The hours ledger (学时): by region for credit mutual recognition (学分互认), and one person's entries."""

import datetime

from ninja import Router

from accounts.audit import audit_personal_data_export
from training import selectors as training_selectors

from .. import schemas as s
from .. import selectors as api_selectors
from ..pagination import page_of, paginate
from ..rendering import rendered_response
from .errors import PROBLEM_RESPONSES

router = Router(tags=["training"])


@router.get("/cohorts/{cohort_id}/hours/", response={200: api_selectors.HoursPage, **PROBLEM_RESPONSES})
def hours_by_region(
    request,
    cohort_id: int,
    region: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """Credited hours of each trainee by source: the credit-bank export, as the CSV page gives it; dates inclusive."""
    cohort = training_selectors.cohort_get_for_overseer(acting_user=request.user, cohort_id=cohort_id)
    page = api_selectors.cohort_hours_page(
        acting_user=request.user,
        cohort=cohort,
        region=region,
        date_from=date_from,
        date_to=date_to,
        cursor=cursor,
        limit=limit,
    )
    # Every read is logged, from the cache or not, answered 304 or not: who exported whose personal data (PIPL).
    audit_personal_data_export(request=request, instance=cohort, export="api.hours", fmt="json", rows=page.rows)
    return rendered_response(page)


@router.get(
    "/cohorts/{cohort_id}/people/{person_id}/hours/",
    response={200: page_of(s.HoursEntryOut, "HoursEntryPage"), **PROBLEM_RESPONSES},
)
def hours_ledger(
    request,
    cohort_id: int,
    person_id: int,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """One trainee's hours ledger in a cohort (mine, or someone the members page shows me), dates inclusive."""
    cohort = training_selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    entries = training_selectors.hours_entries_for_person(
        acting_user=request.user, cohort=cohort, person_id=person_id, date_from=date_from, date_to=date_to
    )
    rows, following = paginate(entries, cursor=cursor, limit=limit, scope=f"ledger:{cohort.pk}:{person_id}")
    return {
        "results": [
            {
                "id": e.pk,
                "source": e.source,
                "hours": e.hours,
                "occurred_on": e.occurred_on,
                "corrects_id": e.corrects_id,
                "note": e.note,
            }
            for e in rows
        ],
        "next_cursor": following,
    }
