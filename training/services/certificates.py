"""Certificates: trainees' completion, mentors' hosting, and revocation.

Each certificate copies what it certifies at issue, so later renames do not
rewrite it; the public check reads the copy.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log, audit_log_many
from accounts.models import Profile, Region

from .. import events
from ..kinds import cohort_notification_send
from ..models import (
    Attendance,
    Certificate,
    CertificateKind,
    Cohort,
    CohortMembership,
    MembershipRole,
    MembershipStatus,
    ScheduleItemKind,
)
from ..permissions import require_cohort_manager


def _region_names(regions) -> list[dict]:
    return [{"name": region.name, "name_en": region.name_en} for region in regions]


@transaction.atomic
def certificate_issue(*, cohort: Cohort, acting_user, trainee_ids) -> list[Certificate]:
    """Sign off trainees who meet every rule, all at once; if any does not, nobody is signed off."""
    from ..pairings import pairs_for
    from ..progress import cohort_progress

    require_cohort_manager(acting_user, cohort)
    cohort = Cohort.objects.select_related("programme").get(pk=cohort.pk)
    trainee_ids = {int(pk) for pk in trainee_ids}
    if not trainee_ids:
        raise ValidationError(_("Choose at least one trainee to sign off."))
    memberships = list(
        CohortMembership.objects.select_for_update(of=("self",))
        .filter(cohort=cohort, role=MembershipRole.TRAINEE, user_id__in=trainee_ids)
        .select_related("user", "region")
    )
    if len(memberships) != len(trainee_ids):
        raise ValidationError(_("Only trainees of this cohort can be signed off."))
    already = [m for m in memberships if m.status == MembershipStatus.COMPLETED]
    if already:
        raise ValidationError(
            _("Already signed off: %(names)s.") % {"names": "、".join(m.user.get_full_name() for m in already)}
        )
    inactive = [m for m in memberships if m.status not in (MembershipStatus.ACCEPTED, MembershipStatus.ACTIVE)]
    if inactive:
        raise ValidationError(
            _("Not taking part in the cohort: %(names)s.")
            % {"names": "、".join(m.user.get_full_name() for m in inactive)}
        )
    progress = cohort_progress(cohort=cohort, memberships=memberships)
    short = [m for m in memberships if not progress[m.pk].meets_all_rules]
    if short:
        raise ValidationError(
            _("These trainees have not met every completion rule yet: %(names)s. Nobody was signed off.")
            % {"names": "、".join(m.user.get_full_name() for m in short)}
        )
    host_region_ids = defaultdict(set)
    mentor_of = defaultdict(list)
    for pair in pairs_for(cohort_ids=[cohort.pk], trainee_ids=list(trainee_ids)):
        if pair.cohort_id == cohort.pk:
            mentor_of[pair.trainee_id].append(pair.mentor_id)
    mentor_regions = dict(
        Profile.objects.filter(user_id__in={m for ms in mentor_of.values() for m in ms}).values_list(
            "user_id", "region_id"
        )
    )
    for trainee_id, mentor_ids in mentor_of.items():
        host_region_ids[trainee_id].update(mentor_regions.get(mentor_id) for mentor_id in mentor_ids)
    for trainee_id, region_id in (
        Attendance.objects.filter(
            schedule_item__cohort=cohort,
            present=True,
            trainee_id__in=trainee_ids,
            schedule_item__kind=ScheduleItemKind.SHADOWING_BLOCK,
        )
        .values_list("trainee_id", "schedule_item__host_school__region_id")
        .distinct()
    ):
        host_region_ids[trainee_id].add(region_id)
    regions = {region.pk: region for region in Region.objects.all()}
    issuing = _region_names(regions[link.region_id] for link in cohort.cohort_regions.order_by("region__sort_order"))
    now = timezone.now()
    certificates = []
    for membership in memberships:
        hosts = sorted(
            (regions[pk] for pk in host_region_ids.get(membership.user_id, set()) if pk in regions),
            key=lambda region: region.sort_order,
        )
        certificate = Certificate.objects.create(
            **_certificate_snapshot(cohort=cohort, membership=membership, issuing=issuing, now=now, by=acting_user),
            hours=progress[membership.pk].total_hours,
            host_regions=_region_names(hosts),
        )
        membership.status = MembershipStatus.COMPLETED
        membership.save(update_fields=["status", "updated_at"])
        certificates.append(certificate)
    _certificates_issued(certificates, action="training.certificate.issue", acting_user=acting_user, cohort=cohort)
    events.certificate_issued.send(sender=Certificate, certificates=certificates)
    return certificates


def _certificate_snapshot(*, cohort: Cohort, membership: CohortMembership, issuing, now, by) -> dict:
    """What every certificate copies at issue, so later renames do not rewrite it."""
    return {
        "membership": membership,
        "holder_name": membership.user.get_full_name(),
        "programme_title": cohort.programme.title,
        "programme_title_en": cohort.programme.title_en,
        "cohort_name": cohort.name,
        "cohort_name_en": cohort.name_en,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "home_region": membership.region.name if membership.region else "",
        "home_region_en": membership.region.name_en if membership.region else "",
        "issuing_regions": issuing,
        "issued_at": now,
        "issued_by": by,
    }


def _certificates_issued(certificates: list[Certificate], *, action: str, acting_user, cohort: Cohort) -> None:
    """Audit new certificates in one insert and tell each holder, in their language, with the public check."""
    audit_log_many(instances=certificates, action=action, acting_user=acting_user, data={"cohort_id": cohort.pk})
    for certificate in certificates:
        cohort_notification_send(
            cohort=cohort,
            recipients=[certificate.membership.user],
            kind="training.certificate_issued",
            target=certificate,
            occasion="issued",
            context=lambda certificate=certificate: {
                "programme": certificate.localized_programme_title,
                "code": certificate.code,
            },
            url_name="training:certificate-verify",
            url_kwargs={"code": certificate.code},
        )


@dataclass(frozen=True)
class HostingRecord:
    """What a mentor hosted in one cohort, as the app that owns pairings and session logs counts it."""

    mentor_id: int
    hours: Decimal
    sessions: int
    trainee_ids: frozenset


@transaction.atomic
def certificate_issue_for_hosts(*, cohort: Cohort, acting_user, records: list[HostingRecord]) -> list[Certificate]:
    """Give host certificates to mentors of a cohort; if any cannot have one, nobody gets one."""
    require_cohort_manager(acting_user, cohort)
    cohort = Cohort.objects.select_related("programme").get(pk=cohort.pk)
    if not records:
        raise ValidationError(_("Choose at least one mentor."))
    by_mentor = {record.mentor_id: record for record in records}
    memberships = list(
        CohortMembership.objects.select_for_update(of=("self",))
        .filter(cohort=cohort, role=MembershipRole.MENTOR, user_id__in=by_mentor)
        .select_related("user", "region")
    )
    if len(memberships) != len(by_mentor):
        raise ValidationError(_("Only mentors of this cohort can receive a host certificate."))
    inactive = [m for m in memberships if m.status not in MembershipStatus.counted_values()]
    if inactive:
        raise ValidationError(
            _("Not taking part in the cohort: %(names)s.")
            % {"names": "、".join(m.user.get_full_name() for m in inactive)}
        )
    held = set(
        Certificate.objects.filter(membership__in=memberships, revoked_at__isnull=True).values_list(
            "membership_id", flat=True
        )
    )
    already = [m for m in memberships if m.pk in held]
    if already:
        raise ValidationError(
            _("Already holds a host certificate: %(names)s.")
            % {"names": "、".join(m.user.get_full_name() for m in already)}
        )
    unconfirmed = [m for m in memberships if not by_mentor[m.user_id].sessions]
    if unconfirmed:
        raise ValidationError(
            _("No session confirmed by a trainee yet: %(names)s. Nobody received a certificate.")
            % {"names": "、".join(m.user.get_full_name() for m in unconfirmed)}
        )
    trainee_regions = dict(
        CohortMembership.objects.filter(
            cohort=cohort,
            role=MembershipRole.TRAINEE,
            user_id__in={pk for record in records for pk in record.trainee_ids},
        ).values_list("user_id", "region_id")
    )
    regions = {region.pk: region for region in Region.objects.all()}
    issuing = _region_names(regions[link.region_id] for link in cohort.cohort_regions.order_by("region__sort_order"))
    now = timezone.now()
    certificates = []
    for membership in memberships:
        record = by_mentor[membership.user_id]
        came_from = sorted(
            {regions[pk] for pk in (trainee_regions.get(t) for t in record.trainee_ids) if pk in regions},
            key=lambda region: region.sort_order,
        )
        certificates.append(
            Certificate.objects.create(
                **_certificate_snapshot(cohort=cohort, membership=membership, issuing=issuing, now=now, by=acting_user),
                kind=CertificateKind.HOSTING,
                hours=record.hours,
                trainees_supported=len(record.trainee_ids),
                sessions_confirmed=record.sessions,
                host_regions=_region_names(came_from),
            )
        )
    _certificates_issued(
        certificates, action="training.certificate.issue_hosting", acting_user=acting_user, cohort=cohort
    )
    events.certificate_issued.send(sender=Certificate, certificates=certificates)
    return certificates


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, acting_user, reason: str) -> Certificate:
    """Withdraw a certificate with a reason; the public check then says it is revoked."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("membership__cohort", "membership__user")
        .get(pk=certificate.pk)
    )
    require_cohort_manager(acting_user, certificate.membership.cohort)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for revoking the certificate.")})
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = acting_user
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    membership = certificate.membership
    if not certificate.is_hosting:
        # A trainee's completion is undone with the certificate; a mentor's membership never closed.
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status", "updated_at"])
    audit_log(
        instance=certificate,
        action="training.certificate.revoke",
        acting_user=acting_user,
        data={"cohort_id": membership.cohort_id, "reason": reason, "code": certificate.code},
    )
    events.certificate_revoked.send(sender=Certificate, certificate=certificate)
    cohort_notification_send(
        cohort=membership.cohort,
        recipients=[membership.user],
        kind="training.certificate_revoked",
        target=certificate,
        occasion="revoked",
        context=lambda: {"programme": certificate.localized_programme_title, "message": reason},
        url_name="dashboard:home",
    )
    return certificate
