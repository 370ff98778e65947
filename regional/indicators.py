"""A region's yearly indicators, aggregated in the database and kept in the cache for five minutes.

For a region R and a year Y (the year a cohort starts, or a credited activity's year):

- trainees: people with a trainee membership from R (the membership's region, as
  on the cohort pages) in a cohort starting in Y, not counting invitations and
  applications;
- cross-province: those of them paired (agreed, active or completed) with a host
  school in another region in that cohort;
- completed, and the completion rate = completed / trainees;
- credited teachers: R's own people (home region R) with credit counted by R in Y;
  hours and credits: the hours of those records and the credits R counts for them;
  per teacher: divided by the credited teachers.

Every figure is a GROUP BY query over all regions and years (the memberships once
more by school and by stage; the credits by all three in one query of GROUPING
SETS); nothing loops over rows in Python. The result is a plain
dict kept under a version token that each credit decision renews
(`indicators_invalidate`); memberships and pairings reach it within five minutes.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

import versioned
from accounts import sql
from accounts.models import Profile, School
from credits.models import CreditRecord, Recognition, RecognitionStatus
from mentorship.models import Pairing, PairingStatus
from training.models import CohortMembership, MembershipRole, MembershipStatus

INDICATORS = "regional-indicators"
SECONDS = 300
HOSTED = [PairingStatus.AGREED, PairingStatus.ACTIVE, PairingStatus.COMPLETED]
TAKING_PART = [*MembershipStatus.counted_values(), MembershipStatus.WITHDRAWN]

# scope: the membership grouping (the credit figures are grouped the same way in `_credits`)
SCOPES = {
    "region": (),
    "school": ("user__profile__school_id",),
    "stage": ("user__profile__school__stage",),
}


def indicators_invalidate() -> None:
    versioned.renew(INDICATORS)


def indicators_version() -> str:
    return versioned.token(INDICATORS)


def _ratio(numerator, denominator, places="0.1") -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _memberships(group: tuple) -> dict:
    rows = (
        CohortMembership.objects.filter(role=MembershipRole.TRAINEE, status__in=TAKING_PART, region__isnull=False)
        .annotate(year=ExtractYear("cohort__starts_on"))
        .values("region_id", "year", *group)
        .annotate(
            trainees=Count("user_id", distinct=True),
            completed=Count("user_id", filter=Q(status=MembershipStatus.COMPLETED), distinct=True),
        )
        .order_by()
    )
    found = {(row["region_id"], row["year"], *(row[g] for g in group)): row for row in rows}
    # Trained across provinces: a pairing whose host school lies outside the trainee's membership region,
    # the membership joined on (cohort, person) in the same query.
    pairing_group = tuple(g.replace("user__", "trainee__", 1) for g in group)
    crossing = (
        Pairing.objects.filter(
            status__in=HOSTED,
            cohort__memberships__user_id=F("trainee_id"),
            cohort__memberships__role=MembershipRole.TRAINEE,
            cohort__memberships__status__in=TAKING_PART,
            cohort__memberships__region__isnull=False,
        )
        .annotate(home_id=F("cohort__memberships__region_id"), year=ExtractYear("cohort__starts_on"))
        .exclude(host_school__region_id=F("home_id"))
        .values("home_id", "year", *pairing_group)
        .annotate(cross_province=Count("trainee_id", distinct=True))
        .order_by()
    )
    for row in crossing:
        key = (row["home_id"], row["year"], *(row[g] for g in pairing_group))
        if key in found:
            found[key]["cross_province"] = row["cross_province"]
    return found


def _credits() -> dict[str, dict]:
    """{scope: {(region, year[, key]): {"people", "hours", "credits"}}} for the three scopes, in one query.

    Each person's hours and credits counted by their home region are summed per
    region and year first (so that a person is one row, and counting people needs
    no DISTINCT over every recognition); the three groupings are then one pass of
    GROUPING SETS over those rows: at 100,000 people and 1.7 million recognitions
    this is one scan instead of three, each with a sort for its distinct count.
    """
    recognition, record = Recognition._meta.db_table, CreditRecord._meta.db_table
    profile, school = Profile._meta.db_table, School._meta.db_table
    per_person = f"""
        WITH per_person AS (
            SELECT r.region_id, r.year, r.person_id, SUM(c.hours) AS hours, SUM(r.credits) AS credits
            FROM {recognition} r JOIN {record} c ON c.id = r.record_id
            WHERE r.home AND {sql.is_one_of("r.status")}
            GROUP BY r.region_id, r.year, r.person_id
        )
    """  # noqa: S608 -- table names from the models, values as parameters
    joined = f"""
        FROM per_person pp
        LEFT JOIN {profile} p ON p.user_id = pp.person_id
        LEFT JOIN {school} s ON s.id = p.school_id
    """
    figures = "COUNT(*) AS people, SUM(pp.hours) AS hours, SUM(pp.credits) AS credits"
    if sql.on_postgres():
        query = f"""{per_person}
            SELECT GROUPING(p.school_id, s.stage) AS grouping, pp.region_id, pp.year, p.school_id, s.stage, {figures}
            {joined}
            GROUP BY GROUPING SETS ((pp.region_id, pp.year), (pp.region_id, pp.year, p.school_id),
                                   (pp.region_id, pp.year, s.stage))
        """  # noqa: S608 -- table names from the models, values as parameters
    else:
        # SQLite has no GROUPING SETS: the same three groupings, one after the other.
        query = per_person + " UNION ALL ".join(
            f"SELECT {mask}, pp.region_id, pp.year, {school_column}, {stage_column}, {figures} {joined} "
            f"GROUP BY pp.region_id, pp.year{extra}"
            for mask, school_column, stage_column, extra in (
                (3, "NULL", "NULL", ""),
                (1, "p.school_id", "NULL", ", p.school_id"),
                (2, "NULL", "s.stage", ", s.stage"),
            )
        )
    # GROUPING(school, stage) is a bit mask of the columns left out: 3 both (the region), 1 the stage
    # (grouped by school), 2 the school (grouped by stage).
    scopes = {3: "region", 1: "school", 2: "stage"}
    found: dict[str, dict] = {scope: {} for scope in SCOPES}
    with connection.cursor() as cursor:
        cursor.execute(query, [sql.values_param(RecognitionStatus.counted())])
        for grouping, region_id, year, school_id, stage, people, hours, credits in cursor.fetchall():
            hours, credits = _decimal(hours), _decimal(credits)  # SQLite sums as floats
            scope = scopes[grouping]
            key = (region_id, year) + {"region": (), "school": (school_id,), "stage": (stage,)}[scope]
            found[scope][key] = {"people": people, "hours": hours, "credits": credits}
    return found


def _decimal(value) -> Decimal | None:
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def _rows(scope: str, credit_figures: dict) -> list[dict]:
    members = _memberships(SCOPES[scope])
    credits = credit_figures[scope]
    rows = []
    for key in sorted(set(members) | set(credits), key=lambda k: tuple("" if v is None else str(v) for v in k)):
        member = members.get(key, {})
        credit = credits.get(key, {})
        trainees = member.get("trainees", 0)
        people = credit.get("people", 0)
        hours = credit.get("hours") or Decimal("0")
        total = credit.get("credits") or Decimal("0")
        rows.append(
            {
                "region_id": key[0],
                "year": key[1],
                "key": key[2] if len(key) > 2 else None,
                "trainees": trainees,
                "cross_province": member.get("cross_province", 0),
                "completed": member.get("completed", 0),
                "completion_rate": _ratio(100 * member.get("completed", 0), trainees),
                "credited_teachers": people,
                "hours": hours,
                "credits": total,
                "hours_per_teacher": _ratio(hours, people),
                "credits_per_teacher": _ratio(total, people),
            }
        )
    return rows


def _flows() -> list[dict]:
    """Pairings from each trainee's home region to the host school's region, over all cohorts and years."""
    return list(
        Pairing.objects.filter(status__in=HOSTED, trainee__profile__region__isnull=False)
        .values(source=F("trainee__profile__region_id"), target=F("host_school__region_id"))
        .annotate(count=Count("id"))
        .order_by()
    )


def all_indicators() -> dict:
    """{"computed_at", "region": rows, "school": rows, "stage": rows, "flows": [...]} for every region and year."""
    key = f"regional:indicators:{indicators_version()}:{timezone.localdate()}"
    found = cache.get(key)
    if found is not None:
        return found
    credit_figures = _credits()
    result = {scope: _rows(scope, credit_figures) for scope in SCOPES}
    result["flows"] = _flows()
    result["computed_at"] = timezone.now()
    cache.set(key, result, SECONDS)
    return result


def for_region(indicators: dict, region_id: int, scope: str = "region", year: int | None = None) -> list[dict]:
    rows = [row for row in indicators[scope] if row["region_id"] == region_id]
    if year is not None:
        rows = [row for row in rows if row["year"] == year]
    return rows


def years(indicators: dict) -> list[int]:
    found = {row["year"] for row in indicators["region"] if row["year"]}
    return sorted(found or {timezone.localdate().year}, reverse=True)


def by_region_and_year(indicators: dict) -> dict:
    table = defaultdict(dict)
    for row in indicators["region"]:
        table[row["year"]][row["region_id"]] = row
    return table
