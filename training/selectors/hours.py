"""The hours ledger (学时) read back: by region for credit mutual recognition (学分互认), by person, in total."""

import datetime
from collections import defaultdict

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import full_name_expression

from ..models import (
    Certificate,
    Cohort,
    CohortMembership,
    HoursEntry,
    HoursSource,
    MembershipRole,
    MembershipStatus,
)
from ..permissions import (
    can_oversee_cohort,
)
from .cohorts import id_or_404
from .memberships import membership_list_for_cohort


def hours_by_region(
    *, acting_user, cohort: Cohort, region_id=None, date_from: datetime.date | None = None, date_to=None
) -> list[dict]:
    """Credited hours of each trainee by source, for credit mutual recognition (学分互认); optionally within dates."""
    memberships = hours_memberships(acting_user=acting_user, cohort=cohort, region_id=region_id)
    return hours_rows(cohort=cohort, memberships=list(memberships), date_from=date_from, date_to=date_to)


def hours_by_region_streamed(*, acting_user, cohort: Cohort, region_id=None, chunk_size: int = 1000):
    """`hours_by_region`'s rows in the same order, read a chunk of memberships at a time (three queries a chunk),
    for an export that streams instead of holding a 10,000-trainee cohort in memory."""
    memberships = hours_memberships(acting_user=acting_user, cohort=cohort, region_id=region_id)
    chunk = []
    for membership in memberships.iterator(chunk_size=chunk_size):
        chunk.append(membership)
        if len(chunk) == chunk_size:
            yield from hours_rows(cohort=cohort, memberships=chunk)
            chunk = []
    if chunk:
        yield from hours_rows(cohort=cohort, memberships=chunk)


def hours_memberships(*, acting_user, cohort: Cohort, region_id=None) -> QuerySet[CohortMembership]:
    """The trainees whose hours this person may export (a page of them at a time for the API)."""
    return membership_list_for_cohort(
        acting_user=acting_user, cohort=cohort, role=MembershipRole.TRAINEE, region_id=region_id
    ).exclude(status__in=[MembershipStatus.INVITED, MembershipStatus.APPLIED])


def hours_membership_rows(*, acting_user, cohort: Cohort, region_id=None):
    """The same trainees as `hours_memberships`, as rows shaped by the database, for the API's pages."""
    return (
        hours_memberships(acting_user=acting_user, cohort=cohort, region_id=region_id)
        .order_by()
        .values(
            "id", "user_id", email=F("user__email"), name=full_name_expression("user"), region_code=F("region__code")
        )
    )


def hours_with_totals(*, cohort: Cohort, rows: list[dict], date_from: datetime.date | None = None, date_to=None):
    """Add hours by source, total and valid certificate code to a page of `hours_membership_rows`, in two queries."""
    entries = HoursEntry.objects.filter(cohort=cohort, trainee_id__in=[row["user_id"] for row in rows])
    if date_from:
        entries = entries.filter(occurred_on__gte=date_from)
    if date_to:
        entries = entries.filter(occurred_on__lte=date_to)
    totals = defaultdict(dict)
    for line in (
        entries.annotate(bucket=Coalesce("corrects__source", "source"))
        .values("trainee_id", "bucket")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        totals[line["trainee_id"]][line["bucket"]] = line["total"]
    codes = dict(
        Certificate.objects.filter(membership_id__in=[row["id"] for row in rows], revoked_at__isnull=True)
        .order_by()
        .values_list("membership_id", "code")
    )
    sources = [source for source in HoursSource.values if source != HoursSource.CORRECTION]
    for row in rows:
        hours = totals.get(row["user_id"], {})
        row["membership_id"] = row["id"]
        row["by_source"] = {source: hours.get(source, 0) for source in sources}
        row["total"] = sum(hours.values(), 0)
        row["certificate_code"] = codes.get(row["id"])
        row["region"] = row.pop("region_code")
    return rows


def hours_rows(
    *, cohort: Cohort, memberships: list, date_from: datetime.date | None = None, date_to=None
) -> list[dict]:
    """Hours by source, total and valid certificate of these memberships, in two queries."""
    entries = HoursEntry.objects.filter(cohort=cohort)
    if date_from:
        entries = entries.filter(occurred_on__gte=date_from)
    if date_to:
        entries = entries.filter(occurred_on__lte=date_to)
    totals = defaultdict(dict)
    for row in (
        entries.filter(trainee_id__in=[m.user_id for m in memberships])
        .annotate(bucket=Coalesce("corrects__source", "source"))
        .values("trainee_id", "bucket")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        totals[row["trainee_id"]][row["bucket"]] = row["total"]
    certificates = {
        certificate.membership_id: certificate
        for certificate in Certificate.objects.filter(membership__in=memberships, revoked_at__isnull=True)
    }
    rows = []
    for membership in memberships:
        hours = totals.get(membership.user_id, {})
        rows.append(
            {
                "membership": membership,
                "by_source": {
                    source: hours.get(source, 0) for source in HoursSource.values if source != HoursSource.CORRECTION
                },
                "total": sum(hours.values(), 0),
                "certificate": certificates.get(membership.pk),
            }
        )
    return rows


def hours_entries_for_person(
    *, acting_user, cohort: Cohort, person_id, date_from: datetime.date | None = None, date_to=None
) -> QuerySet[HoursEntry]:
    """One trainee's ledger in a cohort: for themselves, and for whoever sees them on the members page; else 404."""
    person_id = id_or_404(person_id)
    if person_id != acting_user.pk:
        if not can_oversee_cohort(acting_user, cohort):
            raise Http404
        visible = membership_list_for_cohort(acting_user=acting_user, cohort=cohort, role=MembershipRole.TRAINEE)
        if not visible.filter(user_id=person_id).exists():
            raise Http404
    entries = HoursEntry.objects.filter(cohort=cohort, trainee_id=person_id)
    if date_from:
        entries = entries.filter(occurred_on__gte=date_from)
    if date_to:
        entries = entries.filter(occurred_on__lte=date_to)
    return entries


def hours_total_for_trainee(*, trainee, cohort: Cohort | None = None):
    """Credited hours from the ledger, the single source of progress."""
    entries = HoursEntry.objects.filter(trainee=trainee)
    if cohort is not None:
        entries = entries.filter(cohort=cohort)
    return entries.aggregate(total=Sum("hours"))["total"] or 0
