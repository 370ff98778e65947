"""Programmes and cohorts I may see."""

import datetime

from ninja import Router

from training import selectors as training_selectors
from training.models import Cohort, Programme

from .. import schemas as s
from ..pagination import page_of, paginate
from .errors import PROBLEM_RESPONSES

router = Router(tags=["training"])


def _cohort_out(cohort: Cohort) -> dict:
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "name_en": cohort.name_en,
        "programme_id": cohort.programme_id,
        "programme_code": cohort.programme.code,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "status": cohort.status,
        "capacity": cohort.capacity,
    }


@router.get("/programmes/", response={200: page_of(s.ProgrammeOut, "ProgrammePage"), **PROBLEM_RESPONSES})
def programme_list(request, cursor: str | None = None, limit: int | None = None):
    """Programmes of the cohorts I may see."""
    visible = training_selectors.cohort_list_for_user(acting_user=request.user).values("programme_id")
    rows, following = paginate(Programme.objects.filter(pk__in=visible), cursor=cursor, limit=limit, scope="programmes")
    return {"results": [_programme_out(p) for p in rows], "next_cursor": following}


def _programme_out(programme: Programme) -> dict:
    return {
        "id": programme.pk,
        "code": programme.code,
        "title": programme.title,
        "title_en": programme.title_en,
        "kind": programme.kind,
        "credit_hours": programme.credit_hours,
    }


@router.get("/cohorts/", response={200: page_of(s.CohortOut, "CohortPage"), **PROBLEM_RESPONSES})
def cohort_list(
    request,
    status: str | None = None,
    region: str | None = None,
    starts_after: datetime.date | None = None,
    starts_before: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """Cohorts I belong to, coordinate or oversee; filter by status, region code and start date."""
    cohorts = training_selectors.cohort_list_for_user(acting_user=request.user)
    if status:
        cohorts = cohorts.filter(status=status)
    if region:
        cohorts = cohorts.filter(cohort_regions__region__code=region)
    if starts_after:
        cohorts = cohorts.filter(starts_on__gte=starts_after)
    if starts_before:
        cohorts = cohorts.filter(starts_on__lte=starts_before)
    rows, following = paginate(cohorts, cursor=cursor, limit=limit, scope="cohorts")
    return {"results": [_cohort_out(c) for c in rows], "next_cursor": following}


@router.get("/cohorts/{cohort_id}/", response={200: s.CohortOut, **PROBLEM_RESPONSES})
def cohort_detail(request, cohort_id: int):
    """One cohort I may see, or 404."""
    return _cohort_out(training_selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id))
