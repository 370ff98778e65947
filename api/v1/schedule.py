"""A cohort's plan as I may see it."""

import datetime

from ninja import Router

from training import selectors as training_selectors

from .. import schemas as s
from ..pagination import page_of, paginate
from .errors import PROBLEM_RESPONSES

router = Router(tags=["training"])


@router.get(
    "/cohorts/{cohort_id}/schedule/", response={200: page_of(s.ScheduleItemOut, "SchedulePage"), **PROBLEM_RESPONSES}
)
def schedule(
    request,
    cohort_id: int,
    starts_after: datetime.date | None = None,
    starts_before: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """The cohort's plan as I may see it: everything for coordinators, my own items for members."""
    cohort = training_selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    items = training_selectors.schedule_items_visible(acting_user=request.user, cohort=cohort)
    if starts_after:
        items = items.filter(starts_at__date__gte=starts_after)
    if starts_before:
        items = items.filter(starts_at__date__lte=starts_before)
    rows, following = paginate(items, cursor=cursor, limit=limit, scope=f"schedule:{cohort.pk}")
    return {
        "results": [
            {
                "id": item.pk,
                "cohort_id": item.cohort_id,
                "kind": item.kind,
                "title": item.title,
                "title_en": item.title_en,
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                "location": item.location,
                "required": item.required,
                "cancelled": item.is_cancelled,
            }
            for item in rows
        ],
        "next_cursor": following,
    }
