"""What mentors hosted: a mentor's record cohort by cohort, and a cohort's hosting for its certificates."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from training.models import Certificate, CertificateKind, Cohort, CohortMembership, MembershipRole, MembershipStatus
from training.services.certificates import HostingRecord

from ..models import Pairing, PairingStatus, SessionLog, SessionLogStatus

COUNTED_PAIRINGS = [PairingStatus.AGREED, PairingStatus.ACTIVE, PairingStatus.COMPLETED, PairingStatus.ENDED]


def mentor_record(*, mentor) -> dict:
    """Hours hosted, sessions logged and trainees supported, cohort by cohort."""
    counted = COUNTED_PAIRINGS
    rows = list(
        Cohort.objects.filter(pairings__mentor=mentor, pairings__status__in=counted)
        .annotate(
            trainees=Count("pairings__trainee", filter=Q(pairings__mentor=mentor), distinct=True),
            hours=Sum(
                "pairings__session_logs__hours",
                filter=Q(pairings__mentor=mentor, pairings__session_logs__status=SessionLogStatus.CONFIRMED),
            ),
            sessions=Count(
                "pairings__session_logs",
                filter=Q(pairings__mentor=mentor, pairings__session_logs__status=SessionLogStatus.CONFIRMED),
            ),
        )
        .select_related("programme")
        .order_by("-starts_on")
    )
    return {
        "cohorts": rows,
        "hours": sum((row.hours or Decimal(0) for row in rows), Decimal(0)),
        "sessions": sum(row.sessions for row in rows),
        "trainees": Pairing.objects.filter(mentor=mentor, status__in=counted).values("trainee").distinct().count(),
    }


def hosting_records(*, cohort: Cohort, mentor_ids=None) -> dict:
    """mentor id -> what they hosted in this cohort (confirmed hours and sessions, trainees), in two queries."""
    pairings = Pairing.objects.filter(cohort=cohort, status__in=COUNTED_PAIRINGS)
    if mentor_ids is not None:
        pairings = pairings.filter(mentor_id__in=mentor_ids)
    trainees: dict[int, set] = {}
    for mentor_id, trainee_id in pairings.values_list("mentor_id", "trainee_id"):
        trainees.setdefault(mentor_id, set()).add(trainee_id)
    confirmed = {
        row["pairing__mentor_id"]: (row["hours"], row["sessions"])
        for row in SessionLog.objects.filter(pairing__in=pairings, status=SessionLogStatus.CONFIRMED)
        .values("pairing__mentor_id")
        .annotate(hours=Sum("hours"), sessions=Count("pk"))
    }
    return {
        mentor_id: HostingRecord(
            mentor_id=mentor_id,
            hours=confirmed.get(mentor_id, (Decimal(0), 0))[0] or Decimal(0),
            sessions=confirmed.get(mentor_id, (Decimal(0), 0))[1],
            trainee_ids=frozenset(trainee_ids),
        )
        for mentor_id, trainee_ids in trainees.items()
    }


def host_certificate_rows(*, cohort: Cohort) -> list[dict]:
    """Each mentor of the cohort with what they hosted and their host certificate, if any, for the sign-off page."""
    memberships = list(
        CohortMembership.objects.filter(
            cohort=cohort, role=MembershipRole.MENTOR, status__in=MembershipStatus.counted_values()
        )
        .select_related("user", "region")
        .order_by("user__display_name", "user__email")
    )
    records = hosting_records(cohort=cohort)
    held = {
        certificate.membership_id: certificate
        for certificate in Certificate.objects.filter(
            membership__in=memberships, kind=CertificateKind.HOSTING, revoked_at__isnull=True
        )
    }
    return [
        {
            "membership": membership,
            "record": records.get(membership.user_id),
            "certificate": held.get(membership.pk),
        }
        for membership in memberships
    ]
