"""Reads of the API's own: a person's tokens, and pages of lists kept under their version tokens."""

import datetime
import hashlib

from django.db.models import QuerySet
from django.utils.translation import get_language

import versioned
from accounts.models import Region
from mentorship import selectors as mentorship_selectors
from training import selectors as training_selectors
from training.overview import cohort_token
from training.permissions import visible_region_ids

from . import schemas as s
from .models import ApiToken
from .pagination import page_of, paginate
from .rendering import RenderedPage, render_page

# A kept page follows the ledger, certificates, memberships, pairings and names at once (their writes renew
# the cohort's token); a region's code renamed shows within this.
PAGE_SECONDS = 300

HoursPage = page_of(s.HoursRowOut, "HoursPage")
PairingPage = page_of(s.PairingOut, "PairingPage")


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
) -> RenderedPage:
    """A page of the credit-bank export (`results`, `next_cursor`) as this person may see it, read from the
    database and rendered once per version of the cohort for the same question."""
    regions = visible_region_ids(acting_user, cohort)
    asked = (None if regions is None else sorted(regions), region, date_from, date_to, cursor, limit)
    return _kept_page(
        "api:hours",
        cohort,
        asked,
        HoursPage,
        lambda: _cohort_hours_page(acting_user, cohort, region, date_from, date_to, cursor, limit),
    )


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


def cohort_pairings_page(*, cohort, status: str = "", cursor: str | None = None, limit: int | None = None):
    """A page of a cohort's pairings for its coordinators, read and rendered once per version of the cohort
    (pairings and their people's names renew it) for the same question."""
    return _kept_page(
        "api:pairings",
        cohort,
        (status, cursor, limit),
        PairingPage,
        lambda: _cohort_pairings_page(cohort, status, cursor, limit),
    )


def _cohort_pairings_page(cohort, status, cursor, limit) -> dict:
    pairings = mentorship_selectors.cohort_pairing_rows(cohort=cohort, status=status)
    rows, following = paginate(pairings, cursor=cursor, limit=limit, scope=f"pairings:{cohort.pk}")
    return {"results": rows, "next_cursor": following}


def _kept_page(name: str, cohort, asked: tuple, schema, build) -> RenderedPage:
    """The rendered page for this question, kept under the cohort's token: one cache read when it is there.

    The reader's language is part of the question: an erased person's name is shown in it.
    """
    question = hashlib.sha256(repr((get_language(), *asked)).encode()).hexdigest()[:32]
    slot = f"{name}:{cohort.pk}:{question}"
    found, stamp = versioned.kept(slot, [cohort_token(cohort.pk)])
    if not isinstance(found, RenderedPage):
        found = render_page(schema, build())
        versioned.keep(slot, stamp, found, PAGE_SECONDS)
    return found
