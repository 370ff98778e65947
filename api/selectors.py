"""Reads of the API's own: a person's tokens, and pages of lists kept under their version tokens."""

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import QuerySet

import versioned
from accounts.models import Region
from training import selectors as training_selectors
from training.overview import cohort_token
from training.permissions import visible_region_ids

from .models import ApiToken
from .pagination import paginate

# A page of hours follows the ledger, certificates, memberships and names at once (their writes renew the
# cohort's token); a region's code renamed shows within this.
HOURS_PAGE_SECONDS = 300


def api_token_list_for_user(*, user) -> QuerySet[ApiToken]:
    """My tokens, newest first, revoked ones included so I can see what stopped working."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")


def cohort_hours_page(
    *,
    acting_user,
    cohort,
    region: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> dict:
    """A page of the credit-bank export (`results`, `next_cursor`) as this person may see it, read from the
    database once per version of the cohort for the same question."""
    regions = visible_region_ids(acting_user, cohort)
    asked = repr((None if regions is None else sorted(regions), region, date_from, date_to, cursor, limit))
    key = versioned.key(
        "api:hours", [cohort_token(cohort.pk)], cohort.pk, hashlib.sha256(asked.encode()).hexdigest()[:32]
    )
    found = cache.get(key)
    if found is None:
        found = _cohort_hours_page(acting_user, cohort, region, date_from, date_to, cursor, limit)
        cache.set(key, found, HOURS_PAGE_SECONDS)
    return found


def _cohort_hours_page(acting_user, cohort, region, date_from, date_to, cursor, limit) -> dict:
    region_id = None
    if region:
        region_id = Region.objects.filter(code=region).values_list("pk", flat=True).first()
        if region_id is None:
            return {"results": [], "next_cursor": None}
    memberships = training_selectors.hours_membership_rows(acting_user=acting_user, cohort=cohort, region_id=region_id)
    page, following = paginate(memberships, cursor=cursor, limit=limit, scope=f"hours:{cohort.pk}")
    rows = training_selectors.hours_with_totals(cohort=cohort, rows=page, date_from=date_from, date_to=date_to)
    return {"results": rows, "next_cursor": following}
