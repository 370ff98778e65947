"""Certificates: the public check by code, a holder's own, a cohort's."""

from decimal import Decimal

from django.db.models.expressions import RawSQL
from django.http import Http404

from accounts import sql

from ..models import (
    Certificate,
    Cohort,
    CohortMembership,
)
from ..permissions import (
    visible_region_ids,
)
from .cohorts import id_or_404


def certificate_get_by_code(*, code: str) -> Certificate | None:
    """The certificate a verification code names, or None; the public check shows no more than it must."""
    code = (code or "").strip().upper()
    # A NUL byte names no certificate, and PostgreSQL refuses it in any text it compares.
    if not code or len(code) > 20 or "\x00" in code:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_get_for_user(*, acting_user, certificate_id) -> Certificate:
    """A certificate for its holder and the cohort's coordinators (and the holder's regional admin), or 404."""
    try:
        certificate = Certificate.objects.select_related("membership", "membership__cohort", "membership__user").get(
            pk=id_or_404(certificate_id)
        )
    except Certificate.DoesNotExist:
        raise Http404 from None
    membership = certificate.membership
    if membership.user_id == acting_user.pk:
        return certificate
    regions = visible_region_ids(acting_user, membership.cohort)
    if regions is None or membership.region_id in regions:
        return certificate
    raise Http404


def certificate_list_for_holder(*, user) -> list[Certificate]:
    """My certificates, newest first, revoked ones included so that a holder sees why one no longer counts."""
    return list(
        Certificate.objects.filter(membership__user=user)
        .order_by("-issued_at")
        .only(
            "pk",
            "kind",
            "code",
            "holder_name",
            "programme_title",
            "programme_title_en",
            "cohort_name",
            "cohort_name_en",
            "hours",
            "issued_at",
            "revoked_at",
            "membership_id",
        )
    )


def certificate_rows_for_holder(*, user_column: str) -> RawSQL:
    """The certificates `certificate_list_for_holder` lists, as rows read with a query about the holder.

    `user_column` names the holder's id in that query (such as `accounts_user.id`); the dashboard reads
    its holder's certificates with their profile, not in a query of their own.
    `certificates_from_rows` makes them certificates again.
    """
    certificate = sql.object_of(
        "'pk', c.id, 'membership_id', c.membership_id, 'kind', c.kind, 'code', c.code",
        "'holder_name', c.holder_name, 'programme_title', c.programme_title",
        "'programme_title_en', c.programme_title_en, 'cohort_name', c.cohort_name",
        "'cohort_name_en', c.cohort_name_en, 'hours', CAST(c.hours AS TEXT), 'issued_at', c.issued_at",
        "'revoked_at', c.revoked_at",
    )
    return RawSQL(  # noqa: S611 -- table names from the models, no values
        sql.rows_of(
            f"""SELECT {certificate} AS v
            FROM "{Certificate._meta.db_table}" c JOIN "{CohortMembership._meta.db_table}" m ON m.id = c.membership_id
            WHERE m.user_id = {user_column}
            ORDER BY c.issued_at DESC"""  # noqa: S608
        ),
        (),
        output_field=sql.rows_field(),
    )


def certificates_from_rows(rows) -> list[Certificate]:
    """The certificates read by `certificate_rows_for_holder`, with the fields `certificate_list_for_holder` loads."""
    return [
        Certificate(
            pk=row["pk"],
            membership_id=row["membership_id"],
            kind=row["kind"],
            code=row["code"],
            holder_name=row["holder_name"],
            programme_title=row["programme_title"],
            programme_title_en=row["programme_title_en"],
            cohort_name=row["cohort_name"],
            cohort_name_en=row["cohort_name_en"],
            hours=Decimal(row["hours"]),
            issued_at=sql.moment(row["issued_at"]),
            revoked_at=sql.moment(row["revoked_at"]),
        )
        for row in rows or ()
    ]


def certificate_list_for_cohort(*, acting_user, cohort: Cohort) -> list[Certificate]:
    """A cohort's certificates, valid and revoked, as this person may see them."""
    certificates = Certificate.objects.filter(membership__cohort=cohort).select_related(
        "membership__user", "membership__region"
    )
    regions = visible_region_ids(acting_user, cohort)
    if regions is not None:
        certificates = certificates.filter(membership__region_id__in=regions)
    return list(certificates.order_by("-issued_at", "holder_name"))
