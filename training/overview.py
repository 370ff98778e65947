"""The cohort overview: a page of stored progress rows (`ProgressRecord`), filtered and sorted by the database.

Each trainee's figures are stored and kept current by the writes that change them
(`training.stored_progress`), so a look at the overview of 10,000 trainees reads the page on screen in
SQL order plus its counts, and recomputes only the rows a write or the clock made stale since the last look.

The rendered page body (counts, charts, filters, the table's page) is kept in one slot per cohort, viewer's
scope, filters, language, time zone and day (`overview_body_slot`), stamped with the cohort's version token
(`versioned.kept`), which every write touching the cohort renews (declared in `training.renewals` and the
other apps' `renewals`; bulk writes call `overview_invalidate`; every marking of stale rows renews it too).
A warm look is then one cache read. What the clock changes (a flag appearing when a deadline passes) ends
the body's life at the cohort's earliest `valid_until` (`overview_body_seconds`); the look that renders it
afresh first recomputes the rows gone stale (`overview_refresh`).
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min, OrderBy, Q, Value
from django.db.models.functions import Coalesce, Collate, Least, NullIf
from django.utils import timezone
from django.utils.translation import get_language

import versioned
from accounts import sql
from accounts.models import full_name_expression

from .models import (
    Assignment,
    Cohort,
    CohortMembership,
    MembershipRole,
    MembershipStatus,
    ProgressRecord,
    ScheduleItem,
)
from .pairings import pairs_for
from .progress import TraineeProgress, flag_titles_needed, progress_rules, risk_flag, rule_labels
from .stored_progress import cohort_token, hours_of, progress_cohort_changed, progress_refresh_due

# Names and schools sort by code point, as Python compares strings (and as the overview always has).
_BYTES = sql.byte_order_collation()
_NAME = Collate(full_name_expression("trainee"), _BYTES)

# sort key -> the columns it orders by, ascending; the name (then the row) breaks ties.
OVERVIEW_SORTS = {
    "name": [],
    "region": [Coalesce(F("membership__region__sort_order"), Value(99))],
    "school": [Collate(Coalesce(NullIf(F("trainee__profile__school__name"), Value("")), Value("~")), _BYTES)],
    "progress": [F("percent")],
    "hours": [F("total_hours")],
    "flags": [F("flag_count").desc()],
}


def overview_invalidate(*cohort_ids: int | None, progress: bool = True) -> None:
    """A bulk write that sends no signal changed these cohorts: their cached pages go, and (unless it touched
    only what progress does not count, such as pairings) their stored progress is recomputed in the background."""
    if progress:
        progress_cohort_changed(*cohort_ids)
    versioned.renew(*(cohort_token(cohort_id) for cohort_id in cohort_ids))


def overview_refresh(*, cohort: Cohort) -> bool:
    """Recompute the cohort's rows gone stale (one query when none is); whether any was, in which case the
    cohort's token is renewed: the clock changed a flag, and nothing kept may show the old one."""
    if progress_refresh_due(cohort=cohort):
        versioned.renew(cohort_token(cohort.pk))
        return True
    return False


# A kept body lives no longer than this: what no token follows (a school renamed) shows within it.
BODY_SECONDS = 300
# The slot's layout: a new one when the body's template changes, so a deployment shows no body kept before it.
BODY_LAYOUT = 1


def overview_body_slot(*, cohort_id: int, seen_as: str, manages: bool, asked: list) -> tuple[str, list[str]]:
    """Where the body of the overview as this viewer asked for it is kept, and the tokens it is kept under.

    `seen_as` (whose regions the viewer sees) and `manages` decide what a viewer may see, never the person,
    so that one body serves every coordinator; `asked` names the filters, sort and page. The language, time
    zone (the time of the figures) and day (the pace expected today) are part of the slot.
    """
    # Hashed: a search's own words are part of what was asked, and a cache key holds no spaces.
    digest = hashlib.sha256(repr([seen_as, asked]).encode()).hexdigest()[:32]
    zone = timezone.get_current_timezone_name()
    slot = ":".join(
        str(part)
        for part in (
            "training:overview-body",
            BODY_LAYOUT,
            cohort_id,
            int(manages),
            get_language(),
            zone,
            timezone.localdate(),
            digest,
        )
    )
    return slot, [cohort_token(cohort_id)]


def overview_body_seconds(*, cohort: Cohort, now: datetime.datetime | None = None) -> int:
    """How long a body rendered now may be kept: until the cohort's first row falls due (a required session
    ending unattended, a grace running out), never beyond BODY_SECONDS. One query."""
    now = now or timezone.now()
    first_due = ProgressRecord.objects.filter(cohort=cohort).aggregate(first=Min("valid_until"))["first"]
    seconds = BODY_SECONDS
    if first_due is not None:
        seconds = min(seconds, int((first_due - now).total_seconds()) + 1)
    return max(seconds, 1)


def overview_queryset(
    *,
    cohort: Cohort,
    regions=None,
    region_id=None,
    flagged: bool = False,
    status: str = "",
    query: str = "",
    sort: str = "name",
    descending: bool = False,
):
    """The stored rows one person may see and asked for, in the order they asked for."""
    rows = ProgressRecord.objects.filter(cohort=cohort, membership__role=MembershipRole.TRAINEE)
    if regions is not None:
        rows = rows.filter(membership__region_id__in=regions)
    if status:
        rows = rows.filter(membership__status=status)
    else:
        # Applicants are not trainees yet; they wait in the applications list.
        rows = rows.exclude(membership__status__in=[MembershipStatus.WITHDRAWN, MembershipStatus.APPLIED])
    if region_id:
        rows = rows.filter(membership__region_id=region_id)
    if query:
        rows = rows.annotate(shown_name=full_name_expression("trainee")).filter(
            Q(shown_name__icontains=query) | Q(trainee__email__icontains=query)
        )
    if flagged:
        rows = rows.filter(flag_count__gt=0)
    order = []
    for term in [*OVERVIEW_SORTS.get(sort, OVERVIEW_SORTS["name"]), _NAME, F("membership_id")]:
        expression, down = (term.expression, term.descending) if isinstance(term, OrderBy) else (term, False)
        order.append(expression.desc() if down != descending else expression.asc())
    return rows.order_by(*order)


@dataclass
class OverviewCounts:
    count: int
    flagged: int
    computed_at: datetime.datetime | None


def overview_counts(rows) -> OverviewCounts:
    """How many rows match, how many of them are at risk, and when the newest was computed: one query."""
    found = rows.order_by().aggregate(
        count=Count("pk"), flagged=Count("pk", filter=Q(flag_count__gt=0)), computed_at=Max("computed_at")
    )
    return OverviewCounts(found["count"], found["flagged"], found["computed_at"])


# As long as the cached table: a change renews the cohort's token before then.
COUNTS_SECONDS = 300


def overview_counts_kept(rows, *, cohort_id: int, parts: list) -> OverviewCounts:
    """`overview_counts`, read once per version of the cohort for the same filters (`parts` name them and who
    looks): counting 10,000 rows is the page's largest read once its table is cached."""
    # Hashed: a search's own words are part of the filters, and a cache key holds no spaces.
    asked = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = versioned.key("training:overview-counts", [cohort_token(cohort_id)], cohort_id, asked)
    found = cache.get(key)
    if found is None:
        found = overview_counts(rows)
        cache.set(key, found, COUNTS_SECONDS)
    return found


def overview_page(rows, *, page: str, page_size: int, count: int):
    """(page number, that page's slice of a filtered and sorted queryset whose size is known), unevaluated.

    The page's rows are chosen by a narrow subquery (the filters and sort keys alone), and only those are
    joined to what a row shows: sorting 10,000 rows with their people, profiles and schools costs three times
    as much. One query all the same.
    """
    number = Paginator(range(count), page_size).get_page(page).number
    start = (number - 1) * page_size
    return number, rows.filter(pk__in=rows.values("pk")[start : start + page_size])


def overview_buckets(rows) -> tuple[list[int], list[int]]:
    """Trainees and trainees at risk per tenth of progress (0–9 %, …, 90–100 %): one query."""
    buckets, flagged = [0] * 10, [0] * 10
    for bucket, count, at_risk in (
        rows.order_by()
        .annotate(bucket=Least(F("percent") / 10, Value(9)))
        .values("bucket")
        .annotate(count=Count("pk"), at_risk=Count("pk", filter=Q(flag_count__gt=0)))
        .values_list("bucket", "count", "at_risk")
    ):
        buckets[bucket] = count
        flagged[bucket] = at_risk
    return buckets, flagged


def overview_flows(*, cohort: Cohort, regions=None) -> dict:
    """(trainee region, host region) -> pairings, over the trainees this person may see."""
    trainees = CohortMembership.objects.filter(cohort=cohort, role=MembershipRole.TRAINEE)
    if regions is not None:
        trainees = trainees.filter(region_id__in=regions)
    trainee_regions = dict(trainees.values_list("user_id", "region_id"))
    mentor_regions = dict(
        CohortMembership.objects.filter(cohort=cohort, role=MembershipRole.MENTOR).values_list("user_id", "region_id")
    )
    counts = defaultdict(int)
    seen = set()
    for pair in pairs_for(cohort_ids=[cohort.pk]):
        if pair.cohort_id != cohort.pk or pair.trainee_id not in trainee_regions:
            continue
        if (pair.trainee_id, pair.mentor_id) in seen:
            continue
        seen.add((pair.trainee_id, pair.mentor_id))
        counts[(trainee_regions[pair.trainee_id], mentor_regions.get(pair.mentor_id))] += 1
    return counts


def overview_rows(records, row_class, *, cohort: Cohort) -> list:
    """Model-backed rows (membership, progress, mentors) for stored rows: a page, or all for an export."""
    from accounts.models import User

    records = list(records)
    if not records:
        return []
    trainee_ids = [record.trainee_id for record in records]
    mentors_of = defaultdict(list)
    # A page names its trainees; an export of the whole cohort reads its pairings without a list of ids.
    pairs = pairs_for(cohort_ids=[cohort.pk], trainee_ids=trainee_ids if len(trainee_ids) <= 500 else None)
    for pair in pairs:
        if pair.cohort_id == cohort.pk and pair.mentor_id not in mentors_of[pair.trainee_id]:
            mentors_of[pair.trainee_id].append(pair.mentor_id)
    mentor_ids = {pk for pks in mentors_of.values() for pk in pks}
    mentors = User.objects.select_related("profile__region").in_bulk(mentor_ids) if mentor_ids else {}
    item_ids, assignment_ids = flag_titles_needed(fact for record in records for fact in record.flags)
    titles = {}
    if item_ids:
        for item in ScheduleItem.objects.filter(pk__in=item_ids).only("pk", "title", "title_en"):
            titles[("item", item.pk)] = item.localized_title
    if assignment_ids:
        for assignment in Assignment.objects.filter(pk__in=assignment_ids).only("pk", "title", "title_en"):
            titles[("assignment", assignment.pk)] = assignment.localized_title
    labels = rule_labels()
    rows = []
    for record in records:
        membership = record.membership
        progress = stored_trainee_progress(record, membership=membership, cohort=cohort, labels=labels)
        progress.flags = [risk_flag(fact, titles) for fact in record.flags]
        rows.append(
            row_class(
                membership=membership,
                progress=progress,
                mentors=[mentors[pk] for pk in mentors_of.get(record.trainee_id, ()) if pk in mentors],
            )
        )
    return rows


def stored_trainee_progress(record: ProgressRecord, *, membership, cohort: Cohort, labels: dict) -> TraineeProgress:
    """A stored row as the `TraineeProgress` the pages and exports read (flags still to be worded)."""
    progress = TraineeProgress(
        membership=membership,
        sessions_attended=record.sessions_attended,
        assignments_accepted=record.assignments_accepted,
        mentoring_hours=record.mentoring_hours,
        total_hours=record.total_hours,
        hours_by_source=hours_of(record),
        last_mentoring_on=record.last_mentoring_on,
        flag_facts=record.flags,
        valid_until=record.valid_until,
    )
    progress.rules = progress_rules(programme=cohort.programme, progress=progress, labels=labels)
    return progress


ROW_RELATED = ("membership__user__profile__school", "membership__region")


def overview_records(rows):
    """The stored rows with what a table row shows of the membership, in the queryset's order."""
    return rows.select_related(*ROW_RELATED)
