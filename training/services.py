"""Writes for training. Other apps credit hours only through `hours_credit`.

Every function here is a transaction: it checks who is acting, changes the
rows, writes the audit entry and queues the notifications together, so a
failure leaves nothing half-done.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_log, audit_log_many
from accounts.models import Profile, Region, User
from accounts.services import user_create
from notifications.services import notification_send_many

from . import events
from .models import (
    Assignment,
    Attendance,
    AttendanceMethod,
    Audience,
    CalendarFeed,
    Certificate,
    CertificateKind,
    Cohort,
    CohortMembership,
    CohortRegion,
    CohortStatus,
    EnrolmentImport,
    HoursEntry,
    HoursSource,
    ImportStatus,
    Invitation,
    InvitationStatus,
    MembershipRole,
    MembershipStatus,
    ReviewerRole,
    ScheduleItem,
    ScheduleItemKind,
    ScheduleItemStatus,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from .overview import overview_invalidate
from .permissions import can_decide_application, can_manage_cohort, is_trainee
from .uploads import check_upload

logger = logging.getLogger(__name__)

SEAT_STATUSES = [MembershipStatus.INVITED, *MembershipStatus.counted_values()]
COHORT_ORDER = [CohortStatus.DRAFT, CohortStatus.RECRUITING, CohortStatus.ACTIVE, CohortStatus.COMPLETED]


def invitation_days() -> int:
    return getattr(settings, "TRAINING_INVITATION_DAYS", 14)


# --- The hours ledger -----------------------------------------------------------


def hours_credit(
    *,
    trainee,
    hours: Decimal,
    source: str,
    occurred_on: datetime.date,
    source_object=None,
    cohort: Cohort | None = None,
    credited_by=None,
    note: str = "",
) -> HoursEntry:
    """Credit hours to a trainee's ledger, once per source object.

    Crediting the same source again returns the existing entry, so a task or
    a double click that repeats the call never counts hours twice.
    """
    if source not in HoursSource.values:
        raise ValueError(f"Unknown hours source {source!r}")
    hours = Decimal(hours)
    source_type = ContentType.objects.get_for_model(source_object) if source_object is not None else None
    source_id = source_object.pk if source_object is not None else None
    if source_object is not None:
        existing = HoursEntry.objects.filter(
            trainee=trainee, source=source, source_type=source_type, source_id=source_id
        ).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            entry = HoursEntry.objects.create(
                trainee=trainee,
                cohort=cohort,
                source=source,
                hours=hours,
                occurred_on=occurred_on,
                source_type=source_type,
                source_id=source_id,
                credited_by=credited_by,
                note=note,
            )
    except IntegrityError:
        # A concurrent call credited the same source first; that entry stands.
        return HoursEntry.objects.get(trainee=trainee, source=source, source_type=source_type, source_id=source_id)
    events.hours_credited.send(sender=HoursEntry, entry=entry)
    return entry


@transaction.atomic
def hours_correct(*, entry: HoursEntry, hours: Decimal, acting_user, note: str) -> HoursEntry:
    """A correction is a new line that offsets the old one; entries are never edited."""
    correction = HoursEntry.objects.create(
        trainee=entry.trainee,
        cohort=entry.cohort,
        source=HoursSource.CORRECTION,
        hours=Decimal(hours),
        occurred_on=entry.occurred_on,
        corrects=entry,
        credited_by=acting_user,
        note=note,
    )
    events.hours_credited.send(sender=HoursEntry, entry=correction)
    audit_log(
        instance=entry,
        action="training.hours.correct",
        acting_user=acting_user,
        data={
            "cohort_id": entry.cohort_id,
            "correction_id": correction.pk,
            "hours": str(correction.hours),
            "note": note,
        },
    )
    return correction


# --- Helpers ----------------------------------------------------------------------


def _require_manager(user, cohort: Cohort) -> None:
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied


def _send_localized(*, recipients, kind: str, target, occasion: str, context, url_name: str = "", url_kwargs=None):
    """Notify many people, each in their own language: context and link are built once per language."""
    by_language = defaultdict(list)
    for person in recipients:
        by_language[person.preferred_language or settings.LANGUAGE_CODE].append(person)
    cohort = _cohort_of(target)
    for language, people in by_language.items():
        with translation.override(language):
            url = reverse(url_name, kwargs=url_kwargs or {}) if url_name else ""
            notification_send_many(
                recipients=people,
                kind=kind,
                target=target,
                context=context(),
                occasion=occasion,
                url=url,
                # The daily digest groups messages by cohort, under the cohort's name in the reader's language.
                group_key=f"cohort-{cohort.pk}" if cohort else "",
                group_label=cohort.localized_name if cohort else "",
            )


def _cohort_of(target) -> Cohort | None:
    if isinstance(target, Cohort):
        return target
    if isinstance(target, Certificate):
        return target.membership.cohort
    if isinstance(target, Submission):
        return target.assignment.cohort
    return getattr(target, "cohort", None)


def _lock_seat(*, cohort: Cohort, region_id: int | None) -> None:
    """Take a trainee seat in a region, or refuse; row locks make concurrent takers queue up."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    link = CohortRegion.objects.select_for_update().filter(cohort=cohort, region_id=region_id).first()
    if region_id is None or link is None:
        raise ValidationError(_("The trainee's region does not take part in this cohort."), code="region")
    taken = CohortMembership.objects.filter(cohort=cohort, role=MembershipRole.TRAINEE, status__in=SEAT_STATUSES)
    if taken.filter(region_id=region_id).count() >= link.quota:
        raise ValidationError(
            _("%(region)s has no seats left in this cohort (quota %(quota)s).")
            % {"region": link.region.localized_name, "quota": link.quota},
            code="quota",
        )
    capacity = Cohort.objects.values_list("capacity", flat=True).get(pk=cohort.pk)
    if capacity and taken.count() >= capacity:
        raise ValidationError(_("The cohort is full (%(capacity)s trainees).") % {"capacity": capacity}, code="full")


def _takes_seat(role: str, status: str) -> bool:
    return role == MembershipRole.TRAINEE and status in SEAT_STATUSES


def _joined_status(cohort: Cohort) -> str:
    return MembershipStatus.ACTIVE if cohort.status == CohortStatus.ACTIVE else MembershipStatus.ACCEPTED


# --- Cohorts and memberships -------------------------------------------------------


@transaction.atomic
def cohort_create(*, programme, acting_user, data: dict, quotas: dict[int, int]) -> Cohort:
    """Open a cohort; the person who opens it coordinates it."""
    from .permissions import is_staff

    coordinates_any = CohortMembership.objects.filter(
        user=acting_user, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
    ).exists()
    if not (is_staff(acting_user) or coordinates_any):
        raise PermissionDenied
    cohort = Cohort(programme=programme, **data)
    cohort.full_clean()
    cohort.save()
    for region_id, quota in quotas.items():
        if quota:
            CohortRegion.objects.create(cohort=cohort, region_id=region_id, quota=quota)
    CohortMembership.objects.create(
        cohort=cohort, user=acting_user, role=MembershipRole.COORDINATOR, status=MembershipStatus.ACTIVE
    )
    audit_log(instance=cohort, action="training.cohort.create", acting_user=acting_user, data={"cohort_id": cohort.pk})
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, acting_user, data: dict, quotas: dict[int, int] | None = None) -> Cohort:
    """Change a cohort's dates, status, capacity, thresholds and regional quotas."""
    _require_manager(acting_user, cohort)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    before = {key: str(getattr(cohort, key)) for key in data}
    new_status = data.get("status", cohort.status)
    if COHORT_ORDER.index(new_status) < COHORT_ORDER.index(cohort.status) and not (
        cohort.status == CohortStatus.RECRUITING and new_status == CohortStatus.DRAFT
    ):
        raise ValidationError({"status": _("A cohort's status only moves forward.")})
    for key, value in data.items():
        setattr(cohort, key, value)
    cohort.full_clean()
    cohort.save()
    if quotas is not None:
        _quotas_set(cohort=cohort, quotas=quotas)
    if new_status == CohortStatus.ACTIVE and before.get("status") != CohortStatus.ACTIVE:
        CohortMembership.objects.filter(cohort=cohort, status=MembershipStatus.ACCEPTED).update(
            status=MembershipStatus.ACTIVE, updated_at=timezone.now()
        )
        overview_invalidate(cohort.pk)  # a bulk update sends no signal
    changed = {
        key: {"from": before[key], "to": str(getattr(cohort, key))}
        for key in data
        if before[key] != str(getattr(cohort, key))
    }
    audit_log(
        instance=cohort,
        action="training.cohort.update",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "changed": changed, "quotas": {str(k): v for k, v in (quotas or {}).items()}},
    )
    return cohort


def _quotas_set(*, cohort: Cohort, quotas: dict[int, int]) -> None:
    from django.db.models import Count

    taken = dict(
        CohortMembership.objects.filter(cohort=cohort, role=MembershipRole.TRAINEE, status__in=SEAT_STATUSES)
        .values_list("region_id")
        .annotate(count=Count("pk"))
        .values_list("region_id", "count")
    )
    members = set(CohortMembership.objects.filter(cohort=cohort).values_list("region_id", flat=True))
    regions = {region.pk: region for region in Region.objects.filter(pk__in=list(quotas))}
    errors = []
    for region_id, quota in quotas.items():
        if quota < taken.get(region_id, 0):
            errors.append(
                _("%(region)s already has %(taken)s trainees; its quota cannot be lower.")
                % {"region": regions[region_id].localized_name, "taken": taken[region_id]}
            )
    if errors:
        raise ValidationError(errors)
    for region_id, quota in quotas.items():
        if quota == 0 and region_id not in members:
            CohortRegion.objects.filter(cohort=cohort, region_id=region_id).delete()
        elif quota or region_id in members:
            CohortRegion.objects.update_or_create(cohort=cohort, region_id=region_id, defaults={"quota": quota})


COORDINATOR_STATUSES = [MembershipStatus.ACCEPTED, MembershipStatus.ACTIVE, MembershipStatus.WITHDRAWN]


@transaction.atomic
def membership_change(
    *,
    membership: CohortMembership,
    acting_user,
    status: str | None = None,
    role: str | None = None,
    region=None,
    note: str = "",
) -> CohortMembership:
    """A coordinator changes someone's role, status or region in their cohort; every change is audited."""
    _require_manager(acting_user, membership.cohort)
    membership = CohortMembership.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=membership.pk)
    before = {"role": membership.role, "status": membership.status, "region_id": membership.region_id}
    new_role = role or membership.role
    new_status = status or membership.status
    new_region_id = region.pk if region is not None else membership.region_id
    if status and status != membership.status and status not in COORDINATOR_STATUSES:
        raise ValidationError(
            {"status": _("Invitations, applications and completion change this status; choose another.")}
        )
    if (
        new_role != membership.role
        and CohortMembership.objects.filter(cohort=membership.cohort, user=membership.user, role=new_role).exists()
    ):
        raise ValidationError({"role": _("This person already has that role in this cohort.")})
    if _takes_seat(new_role, new_status) and (
        not _takes_seat(membership.role, membership.status) or new_region_id != membership.region_id
    ):
        _lock_seat(cohort=membership.cohort, region_id=new_region_id)
    membership.role, membership.status, membership.region_id = new_role, new_status, new_region_id
    membership.save()
    if new_status == MembershipStatus.WITHDRAWN:
        membership.invitations.filter(status=InvitationStatus.PENDING).update(status=InvitationStatus.REVOKED)
    after = {"role": membership.role, "status": membership.status, "region_id": membership.region_id}
    if after != before:
        audit_log(
            instance=membership,
            action="training.membership.change",
            acting_user=acting_user,
            data={"cohort_id": membership.cohort_id, "before": before, "after": after, "note": note},
        )
    return membership


# --- Invitations -------------------------------------------------------------------


def _invitation_context(cohort: Cohort, role: str):
    def context():
        return {
            "cohort": cohort.localized_name,
            "programme": cohort.programme.localized_title,
            "role": str(dict(MembershipRole.choices)[role]),
            "days": invitation_days(),
        }

    return context


def _person_for_invitation(*, email: str, display_name: str, region=None, school=None, stages=(), subjects=()):
    """The account of this address; a new one (no password yet) if there is none."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    return user_create(
        email=email,
        password=None,
        display_name=display_name,
        region=region,
        school=school,
        stages=list(stages),
        subjects=list(subjects),
    )


@transaction.atomic
def invitation_create(
    *,
    cohort: Cohort,
    acting_user,
    email: str,
    display_name: str,
    role: str,
    region=None,
    school=None,
    stages=(),
    subjects=(),
) -> Invitation:
    """Invite one person by e-mail; the signed link expires, and a new invitation replaces the old link."""
    _require_manager(acting_user, cohort)
    email = email.strip().lower()
    user = _person_for_invitation(
        email=email, display_name=display_name, region=region, school=school, stages=stages, subjects=subjects
    )
    region = region or getattr(getattr(user, "profile", None), "region", None)
    if role == MembershipRole.TRAINEE and region is None:
        raise ValidationError({"region": _("Choose the region the trainee comes from.")})
    membership = CohortMembership.objects.select_for_update().filter(cohort=cohort, user=user, role=role).first()
    if membership is not None and membership.status in MembershipStatus.counted_values():
        raise ValidationError(
            {
                "email": _("%(email)s is already in this cohort as %(role)s.")
                % {"email": email, "role": membership.get_role_display()}
            }
        )
    if membership is not None and membership.status == MembershipStatus.APPLIED:
        raise ValidationError(
            {"email": _("%(email)s has applied; accept or decline the application instead.") % {"email": email}}
        )
    previous_status = membership.status if membership else None
    if role == MembershipRole.TRAINEE and (
        previous_status != MembershipStatus.INVITED or (membership and membership.region_id != region.pk)
    ):
        _lock_seat(cohort=cohort, region_id=region.pk)
    if membership is None:
        membership = CohortMembership.objects.create(
            cohort=cohort, user=user, role=role, status=MembershipStatus.INVITED, region=region
        )
    else:
        membership.status = MembershipStatus.INVITED
        membership.region = region
        membership.save(update_fields=["status", "region", "updated_at"])
    membership.invitations.filter(status=InvitationStatus.PENDING).update(status=InvitationStatus.REVOKED)
    invitation = Invitation.objects.create(
        membership=membership,
        email=user.email,
        expires_at=timezone.now() + datetime.timedelta(days=invitation_days()),
        invited_by=acting_user,
    )
    audit_log(
        instance=membership,
        action="training.membership.invite",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "role": role, "email": user.email, "previous_status": previous_status},
    )
    _send_localized(
        recipients=[user],
        kind="training.invitation",
        target=cohort,
        occasion=f"invitation-{invitation.pk}",
        context=_invitation_context(cohort, role),
        url_name="dashboard:home",
    )
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, acting_user) -> Invitation:
    """Send a fresh link with a new expiry; the old link stops working."""
    membership = invitation.membership
    _require_manager(acting_user, membership.cohort)
    if membership.status != MembershipStatus.INVITED:
        raise ValidationError(_("This person is no longer waiting for an invitation."))
    membership.invitations.filter(status=InvitationStatus.PENDING).update(status=InvitationStatus.REVOKED)
    fresh = Invitation.objects.create(
        membership=membership,
        email=membership.user.email,
        expires_at=timezone.now() + datetime.timedelta(days=invitation_days()),
        invited_by=acting_user,
    )
    audit_log(
        instance=membership,
        action="training.membership.invite",
        acting_user=acting_user,
        data={
            "cohort_id": membership.cohort_id,
            "role": membership.role,
            "email": membership.user.email,
            "resend": True,
        },
    )
    _send_localized(
        recipients=[membership.user],
        kind="training.invitation",
        target=membership.cohort,
        occasion=f"invitation-{fresh.pk}",
        context=_invitation_context(membership.cohort, membership.role),
        url_name="dashboard:home",
    )
    return fresh


def _invitation_usable(invitation: Invitation) -> None:
    if invitation.status == InvitationStatus.ACCEPTED:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.status == InvitationStatus.REVOKED or invitation.membership.status == MembershipStatus.WITHDRAWN:
        raise ValidationError(_("This invitation has been withdrawn or replaced by a newer one."), code="revoked")
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation expired on %(date)s. Ask the coordinator to send a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")},
            code="expired",
        )
    if invitation.membership.status != MembershipStatus.INVITED:
        raise ValidationError(_("This invitation has already been used."), code="used")


@transaction.atomic
def invitation_accept(*, invitation: Invitation, acting_user) -> CohortMembership:
    """The invited person takes up their membership; the seat was reserved when they were invited."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("membership__cohort").get(pk=invitation.pk)
    )
    _invitation_usable(invitation)
    membership = invitation.membership
    if membership.user_id != acting_user.pk:
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            code="other_person",
        )
    membership.status = _joined_status(membership.cohort)
    membership.save(update_fields=["status", "updated_at"])
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    _email_verified(acting_user, invitation.email)
    audit_log(
        instance=membership,
        action="training.invitation.accept",
        acting_user=acting_user,
        data={"cohort_id": membership.cohort_id, "role": membership.role, "invitation_id": invitation.pk},
    )
    return membership


@transaction.atomic
def invitation_accept_new_account(
    *, invitation: Invitation, display_name: str, preferred_language: str, password: str
) -> CohortMembership:
    """A person invited without an account names themselves and sets a password; the link proved the e-mail."""
    user = invitation.membership.user
    if user.has_usable_password():
        raise ValidationError(_("This account already has a password. Sign in to accept the invitation."))
    _invitation_usable(invitation)
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.set_password(password)
    user.save(update_fields=["display_name", "preferred_language", "password"])
    return invitation_accept(invitation=invitation, acting_user=user)


def _email_verified(user, email: str) -> None:
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user, email=email.lower(), verified=True, primary=not EmailAddress.objects.filter(user=user).exists()
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


# --- Applications ----------------------------------------------------------------


@transaction.atomic
def application_submit(*, cohort: Cohort, acting_user, statement: str) -> CohortMembership:
    """Apply from a programme page; the coordinator of the applicant's region decides."""
    if cohort.status != CohortStatus.RECRUITING:
        raise ValidationError(_("This cohort is not taking applications."))
    profile = Profile.objects.filter(user=acting_user).select_related("region").first()
    region = profile.region if profile else None
    if region is None:
        raise ValidationError(_("Set your home region in your profile before you apply."))
    link = cohort.cohort_regions.filter(region=region).first()
    if link is None:
        raise ValidationError(_("%(region)s does not take part in this cohort.") % {"region": region.localized_name})
    existing = (
        CohortMembership.objects.select_for_update()
        .filter(cohort=cohort, user=acting_user, role=MembershipRole.TRAINEE)
        .first()
    )
    if existing is not None and existing.status != MembershipStatus.WITHDRAWN:
        raise ValidationError(_("You have already applied to or joined this cohort."))
    if not statement.strip():
        raise ValidationError({"statement": _("Tell the coordinators why you are applying.")})
    if existing is None:
        membership = CohortMembership.objects.create(
            cohort=cohort,
            user=acting_user,
            role=MembershipRole.TRAINEE,
            status=MembershipStatus.APPLIED,
            region=region,
            statement=statement,
        )
    else:
        membership = existing
        membership.status = MembershipStatus.APPLIED
        membership.region = region
        membership.statement = statement
        membership.decided_by, membership.decided_at, membership.decision_note = None, None, ""
        membership.save()
    audit_log(
        instance=membership,
        action="training.application.submit",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "region_id": region.pk},
    )
    coordinators = [
        coordinator.user
        for coordinator in CohortMembership.objects.filter(
            cohort=cohort, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
        ).select_related("user")
        if coordinator.region_id in (None, region.pk)
    ]
    _send_localized(
        recipients=coordinators,
        kind="training.application_received",
        target=membership,
        occasion="submitted",
        context=lambda: {
            "cohort": cohort.localized_name,
            "name": acting_user.get_full_name(),
            "region": region.localized_name,
        },
        url_name="training:application-list",
        url_kwargs={"cohort_id": cohort.pk},
    )
    return membership


@transaction.atomic
def application_decide(*, membership: CohortMembership, acting_user, accept: bool, note: str = "") -> CohortMembership:
    """Accept (within the region's quota) or decline an application."""
    if not can_decide_application(acting_user, membership):
        raise PermissionDenied
    membership = (
        CohortMembership.objects.select_for_update(of=("self",)).select_related("cohort", "user").get(pk=membership.pk)
    )
    if membership.status != MembershipStatus.APPLIED:
        raise ValidationError(_("This application has already been decided."))
    if accept:
        _lock_seat(cohort=membership.cohort, region_id=membership.region_id)
        membership.status = _joined_status(membership.cohort)
    else:
        membership.status = MembershipStatus.WITHDRAWN
    membership.decided_by = acting_user
    membership.decided_at = timezone.now()
    membership.decision_note = note
    membership.save()
    audit_log(
        instance=membership,
        action="training.application.decide",
        acting_user=acting_user,
        data={"cohort_id": membership.cohort_id, "accepted": accept, "note": note},
    )
    cohort = membership.cohort
    _send_localized(
        recipients=[membership.user],
        kind="training.application_accepted" if accept else "training.application_declined",
        target=membership,
        occasion=f"decided-{membership.decided_at.isoformat()}",
        context=lambda: {"cohort": cohort.localized_name, "message": note},
        url_name="dashboard:home",
    )
    return membership


# --- Bulk import ---------------------------------------------------------------------

IMPORT_STALE_AFTER = datetime.timedelta(minutes=10)


@transaction.atomic
def enrolment_import_create(*, cohort: Cohort, acting_user, upload) -> EnrolmentImport:
    """Store an uploaded spreadsheet and queue it; the rows are checked and imported in the background."""
    from .imports import ALLOWED_SUFFIXES, MAX_BYTES

    _require_manager(acting_user, cohort)
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(MAX_BYTES)}})
    record = EnrolmentImport.objects.create(
        cohort=cohort, uploaded_by=acting_user, filename=name, content=upload.read()
    )
    enrolment_import_enqueue_after_commit(import_id=record.pk)
    return record


def enrolment_import_enqueue_after_commit(*, import_id: int) -> None:
    """Queue the import once the upload is committed; a broker outage leaves it pending for a retry."""

    def publish_import():
        from .tasks import import_enrolment_task

        try:
            import_enrolment_task.delay(import_id)
        except Exception:
            logger.warning("Could not queue enrolment import %s; it stays pending.", import_id, exc_info=True)

    transaction.on_commit(publish_import, robust=True)


def enrolment_import_claim(*, import_id: int) -> EnrolmentImport | None:
    """Take an import for processing; a second worker, or a repeat, finds nothing to do."""
    now = timezone.now()
    stale = Q(status__in=[ImportStatus.VALIDATING, ImportStatus.IMPORTING], started_at__lt=now - IMPORT_STALE_AFTER)
    claimed = EnrolmentImport.objects.filter(Q(status=ImportStatus.PENDING) | stale, pk=import_id).update(
        status=ImportStatus.VALIDATING, started_at=now, processed_rows=0
    )
    if not claimed:
        return None
    return EnrolmentImport.objects.select_related("cohort", "cohort__programme", "uploaded_by").get(pk=import_id)


def enrolment_import_run(*, import_id: int) -> EnrolmentImport | None:
    """Check every row, then invite everyone in one transaction, or nobody if any row is wrong."""
    from .imports import FileError, RowChecker, read_table

    record = enrolment_import_claim(import_id=import_id)
    if record is None:
        return None
    try:
        rows = read_table(filename=record.filename, content=bytes(record.content))
    except FileError as problem:
        return _import_finish(record, status=ImportStatus.FAILED, errors=[problem.error.as_dict()])
    EnrolmentImport.objects.filter(pk=record.pk).update(total_rows=len(rows))
    record.total_rows = len(rows)

    def progress(done: int) -> None:
        EnrolmentImport.objects.filter(pk=record.pk).update(processed_rows=done)

    clean, errors = RowChecker(cohort=record.cohort).check(rows, progress=progress)
    if errors:
        return _import_finish(record, status=ImportStatus.FAILED, errors=[error.as_dict() for error in errors])
    EnrolmentImport.objects.filter(pk=record.pk).update(status=ImportStatus.IMPORTING)
    try:
        with transaction.atomic():
            created = _import_rows(record, clean)
            return _import_finish(record, status=ImportStatus.DONE, created=created)
    except _SeatsTaken as taken:
        return _import_finish(record, status=ImportStatus.FAILED, errors=taken.errors)


class _SeatsTaken(Exception):
    def __init__(self, errors):
        super().__init__("seats taken")
        self.errors = errors


def _import_finish(record: EnrolmentImport, *, status: str, errors=(), created: int = 0) -> EnrolmentImport:
    EnrolmentImport.objects.filter(pk=record.pk).update(
        status=status,
        errors=list(errors),
        created_count=created,
        finished_at=timezone.now(),
        processed_rows=record.total_rows,
        # Personal data is kept no longer than needed: the file goes once it is processed.
        content=b"",
    )
    record.refresh_from_db()
    return record


def _import_rows(record: EnrolmentImport, clean) -> int:
    from django.contrib.auth.hashers import make_password

    from .imports import RowChecker

    cohort = Cohort.objects.select_for_update().get(pk=record.cohort_id)
    list(CohortRegion.objects.select_for_update().filter(cohort=cohort))
    # Seats may have gone to invitations or applications since the rows were checked.
    seat_errors = RowChecker(cohort=cohort)._check_seats(clean)
    if seat_errors:
        raise _SeatsTaken([error.as_dict() for error in seat_errors])
    emails = [row.email for row in clean]
    users = {}
    for start in range(0, len(emails), 2000):
        for user in User.objects.filter(email__in=emails[start : start + 2000]):
            users[user.email] = user
    new_rows = [row for row in clean if row.email not in users]
    User.objects.bulk_create(
        [
            User(
                email=row.email,
                display_name=row.name,
                password=make_password(None),
                preferred_language=settings.LANGUAGE_CODE,
            )
            for row in new_rows
        ],
        batch_size=1000,
    )
    new_emails = [row.email for row in new_rows]
    for start in range(0, len(new_emails), 2000):
        for user in User.objects.filter(email__in=new_emails[start : start + 2000]):
            users[user.email] = user
    Profile.objects.bulk_create(
        [
            Profile(
                user=users[row.email],
                region=row.region,
                school=row.school,
                stages=[str(stage) for stage in row.stages],
                subjects=[str(subject) for subject in row.subjects],
            )
            for row in new_rows
        ],
        batch_size=1000,
    )
    withdrawn = {
        (membership.user_id, membership.role): membership
        for membership in CohortMembership.objects.filter(
            cohort=cohort, user__email__in=emails, status=MembershipStatus.WITHDRAWN
        )
    }
    fresh, revived = [], []
    for row in clean:
        user = users[row.email]
        membership = withdrawn.get((user.pk, row.role))
        if membership is not None:
            membership.status, membership.region = MembershipStatus.INVITED, row.region
            revived.append(membership)
        else:
            fresh.append(
                CohortMembership(
                    cohort=cohort, user=user, role=row.role, status=MembershipStatus.INVITED, region=row.region
                )
            )
    CohortMembership.objects.bulk_create(fresh, batch_size=1000)
    CohortMembership.objects.bulk_update(revived, ["status", "region"], batch_size=1000)
    overview_invalidate(cohort.pk)  # bulk writes send no signal
    wanted = {(users[row.email].pk, row.role) for row in clean}
    memberships = [
        membership
        for membership in CohortMembership.objects.filter(
            cohort=cohort, status=MembershipStatus.INVITED, user__email__in=emails
        ).select_related("user", "cohort")
        if (membership.user_id, membership.role) in wanted
    ]
    Invitation.objects.filter(membership__in=memberships, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED
    )
    expires_at = timezone.now() + datetime.timedelta(days=invitation_days())
    Invitation.objects.bulk_create(
        [
            Invitation(
                membership=membership, email=membership.user.email, expires_at=expires_at, invited_by=record.uploaded_by
            )
            for membership in memberships
        ],
        batch_size=1000,
    )
    audit_log_many(
        instances=memberships,
        action="training.membership.invite",
        acting_user=record.uploaded_by,
        data={"cohort_id": cohort.pk, "import_id": record.pk},
    )
    by_role = defaultdict(list)
    for membership in memberships:
        by_role[membership.role].append(membership.user)
    for role, people in by_role.items():
        _send_localized(
            recipients=people,
            kind="training.invitation",
            target=cohort,
            occasion=f"import-{record.pk}",
            context=_invitation_context(cohort, role),
            url_name="dashboard:home",
        )
    audit_log(
        instance=record,
        action="training.import.complete",
        acting_user=record.uploaded_by,
        data={"cohort_id": cohort.pk, "rows": len(clean), "filename": record.filename},
    )
    return len(memberships)


# --- Schedule ------------------------------------------------------------------------

SCHEDULE_FIELDS = [
    "kind",
    "title",
    "title_en",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "host_school",
    "audience",
    "required",
    "credit_hours",
]
# A change to any of these is a move: people are told and their calendars update.
MOVING_FIELDS = ["starts_at", "ends_at", "location", "online_url"]
CALENDAR_FIELDS = [*MOVING_FIELDS, "title", "title_en", "description", "host_school"]


def _schedule_item_check(item: ScheduleItem, participants) -> None:
    errors = {}
    if item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    if item.kind == ScheduleItemKind.SHADOWING_BLOCK and item.host_school_id is None:
        errors["host_school"] = _("A shadowing block takes place at a host school; choose it.")
    if item.audience == Audience.NAMED and not participants:
        errors["participants"] = _("Choose the people this item is for.")
    if participants and any(member.cohort_id != item.cohort_id for member in participants):
        errors["participants"] = _("Only people in this cohort can be chosen.")
    if item.starts_at and not (item.location or item.online_url):
        errors["location"] = _("Give a place or an online link.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def schedule_item_create(*, cohort: Cohort, acting_user, data: dict) -> ScheduleItem:
    """Add an item to the cohort's plan; it appears in everyone's calendar feed."""
    _require_manager(acting_user, cohort)
    participants = list(data.get("participants") or [])
    item = ScheduleItem(
        cohort=cohort, created_by=acting_user, **{key: data[key] for key in SCHEDULE_FIELDS if key in data}
    )
    _schedule_item_check(item, participants)
    item.full_clean(exclude=["participants"])
    item.save()
    if item.audience == Audience.NAMED:
        item.participants.set(participants)
    audit_log(
        instance=item,
        action="training.schedule_item.create",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "title": item.title, "starts_at": item.starts_at.isoformat()},
    )
    return item


def schedule_item_recipients(item: ScheduleItem) -> list:
    """Everyone the item concerns: its audience, through memberships that grant access."""
    memberships = CohortMembership.objects.filter(
        cohort_id=item.cohort_id, status__in=MembershipStatus.counted_values()
    ).select_related("user")
    if item.audience == Audience.TRAINEES:
        memberships = memberships.filter(role__in=[MembershipRole.TRAINEE, MembershipRole.COORDINATOR])
    elif item.audience == Audience.MENTORS:
        memberships = memberships.filter(role__in=[MembershipRole.MENTOR, MembershipRole.COORDINATOR])
    elif item.audience == Audience.NAMED:
        memberships = memberships.filter(Q(pk__in=item.participants.values("pk")) | Q(role=MembershipRole.COORDINATOR))
    people = {}
    for membership in memberships:
        people[membership.user_id] = membership.user
    return list(people.values())


def _schedule_context(item: ScheduleItem, reason: str = ""):
    def context():
        start = timezone.localtime(item.starts_at)
        end = timezone.localtime(item.ends_at)
        return {
            "title": item.localized_title,
            "cohort": item.cohort.localized_name,
            "when": f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}",
            "where": item.location or item.online_url,
            "message": reason,
        }

    return context


@transaction.atomic
def schedule_item_update(*, item: ScheduleItem, acting_user, data: dict) -> ScheduleItem:
    """Change an item; a move raises its SEQUENCE and tells everyone concerned, with an updated .ics."""
    _require_manager(acting_user, item.cohort)
    item = ScheduleItem.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=item.pk)
    if item.is_cancelled:
        raise ValidationError(_("A cancelled item cannot be changed."))
    before = {key: getattr(item, key) for key in SCHEDULE_FIELDS}
    participants = list(data.get("participants") or []) if "participants" in data else list(item.participants.all())
    for key in SCHEDULE_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    _schedule_item_check(item, participants)
    item.full_clean(exclude=["participants"])
    changed = [key for key in SCHEDULE_FIELDS if before[key] != getattr(item, key)]
    moved = [key for key in changed if key in MOVING_FIELDS]
    if any(key in CALENDAR_FIELDS for key in changed):
        item.sequence += 1
    item.save()
    if "participants" in data:
        item.participants.set(participants if item.audience == Audience.NAMED else [])
    audit_log(
        instance=item,
        action="training.schedule_item.move" if moved else "training.schedule_item.update",
        acting_user=acting_user,
        data={
            "cohort_id": item.cohort_id,
            "changed": {key: {"from": str(before[key]), "to": str(getattr(item, key))} for key in changed},
            "sequence": item.sequence,
        },
    )
    if moved:
        _send_localized(
            recipients=[person for person in schedule_item_recipients(item) if person.pk != acting_user.pk],
            kind="training.schedule_item_changed",
            target=item,
            occasion=f"sequence-{item.sequence}",
            context=_schedule_context(item),
            url_name="training:schedule-item-detail",
            url_kwargs={"item_id": item.pk},
        )
    return item


@transaction.atomic
def schedule_item_cancel(*, item: ScheduleItem, acting_user, reason: str = "") -> ScheduleItem:
    """Cancel an item; it stays in calendars marked cancelled, and everyone concerned is told."""
    _require_manager(acting_user, item.cohort)
    item = ScheduleItem.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=item.pk)
    if item.is_cancelled:
        raise ValidationError(_("This item is already cancelled."))
    item.status = ScheduleItemStatus.CANCELLED
    item.sequence += 1
    item.save(update_fields=["status", "sequence", "updated_at"])
    audit_log(
        instance=item,
        action="training.schedule_item.cancel",
        acting_user=acting_user,
        data={"cohort_id": item.cohort_id, "reason": reason, "sequence": item.sequence},
    )
    _send_localized(
        recipients=[person for person in schedule_item_recipients(item) if person.pk != acting_user.pk],
        kind="training.schedule_item_cancelled",
        target=item,
        occasion=f"sequence-{item.sequence}",
        context=_schedule_context(item, reason),
        url_name="training:schedule-item-detail",
        url_kwargs={"item_id": item.pk},
    )
    return item


# --- Attendance --------------------------------------------------------------------


def _attendance_set(
    *, item: ScheduleItem, trainee_id: int, day: datetime.date, present: bool, method: str, acting_user
):
    """Record presence for one day; the ledger gets a credit, or a correction when it flips back."""
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        schedule_item=item,
        trainee_id=trainee_id,
        day=day,
        defaults={"present": present, "method": method, "recorded_by": acting_user},
    )
    if not created:
        if attendance.present == present:
            return attendance, False
        attendance.present = present
        attendance.method = method
        attendance.recorded_by = acting_user
        attendance.recorded_at = timezone.now()
    if present and not attendance.credited and item.credit_hours > 0:
        if attendance.hours_entry_id is None:
            attendance.hours_entry = hours_credit(
                trainee=attendance.trainee,
                hours=item.credit_hours,
                source=HoursSource.ATTENDANCE,
                occurred_on=day,
                source_object=attendance,
                cohort=item.cohort,
                credited_by=acting_user,
                note=item.title[:200],
            )
        else:
            hours_correct(
                entry=attendance.hours_entry,
                hours=attendance.hours_entry.hours,
                acting_user=acting_user,
                note=_("Marked present again"),
            )
        attendance.credited = True
    elif not present and attendance.credited:
        hours_correct(
            entry=attendance.hours_entry,
            hours=-attendance.hours_entry.hours,
            acting_user=acting_user,
            note=_("Marked absent after being marked present"),
        )
        attendance.credited = False
    attendance.save()
    return attendance, True


def attendance_trainees(item: ScheduleItem):
    """Trainee memberships an item's attendance is taken for."""
    memberships = CohortMembership.objects.filter(
        cohort_id=item.cohort_id, role=MembershipRole.TRAINEE, status__in=MembershipStatus.counted_values()
    )
    if item.audience == Audience.MENTORS:
        return memberships.none()
    if item.audience == Audience.NAMED:
        memberships = memberships.filter(pk__in=item.participants.values("pk"))
    return memberships


@transaction.atomic
def attendance_mark(*, item: ScheduleItem, acting_user, day: datetime.date, present_ids, trainee_ids) -> int:
    """A coordinator marks who was there on one day; returns how many marks changed."""
    _require_manager(acting_user, item.cohort)
    if item.is_cancelled:
        raise ValidationError(_("Attendance cannot be taken for a cancelled item."))
    if day not in item.days:
        raise ValidationError(_("%(day)s is not a day of this item.") % {"day": day.isoformat()})
    if day > timezone.localdate():
        raise ValidationError(_("Attendance can be taken from the day itself, not before."))
    allowed = set(attendance_trainees(item).values_list("user_id", flat=True))
    trainee_ids = [int(pk) for pk in trainee_ids]
    present_ids = {int(pk) for pk in present_ids}
    if not set(trainee_ids) <= allowed or not present_ids <= set(trainee_ids):
        raise ValidationError(_("Only trainees this item is for can be marked."))
    item = ScheduleItem.objects.select_related("cohort").get(pk=item.pk)
    changes = {"present": [], "absent": []}
    for trainee_id in trainee_ids:
        present = trainee_id in present_ids
        _attendance, changed = _attendance_set(
            item=item,
            trainee_id=trainee_id,
            day=day,
            present=present,
            method=AttendanceMethod.COORDINATOR,
            acting_user=acting_user,
        )
        if changed:
            changes["present" if present else "absent"].append(trainee_id)
    if changes["present"] or changes["absent"]:
        audit_log(
            instance=item,
            action="training.attendance.mark",
            acting_user=acting_user,
            data={"cohort_id": item.cohort_id, "day": day.isoformat(), **changes},
        )
    return len(changes["present"]) + len(changes["absent"])


def checkin_code(*, item: ScheduleItem, day: datetime.date) -> str:
    """Today's code for an item: yesterday's photo of the QR code does not work today."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("training.checkin", f"{item.pk}:{item.checkin_secret}:{day.isoformat()}").hexdigest()[:20]


CHECKIN_EARLY = datetime.timedelta(hours=1)


@transaction.atomic
def attendance_check_in(
    *, item: ScheduleItem, acting_user, code: str, now: datetime.datetime | None = None
) -> Attendance:
    """A trainee on site checks in with the item's QR code, once per day of the item."""
    from django.utils.crypto import constant_time_compare

    now = now or timezone.now()
    today = timezone.localdate(now)
    if item.is_cancelled:
        raise ValidationError(_("This item has been cancelled."))
    if today not in item.days or not (item.starts_at - CHECKIN_EARLY <= now <= item.ends_at + CHECKIN_EARLY):
        raise ValidationError(_("Check-in is open only during the item, from an hour before it starts."))
    if not constant_time_compare(code, checkin_code(item=item, day=today)):
        raise ValidationError(_("This check-in code is not valid today. Scan the code shown on site."))
    if not attendance_trainees(item).filter(user=acting_user).exists():
        raise PermissionDenied
    existing = Attendance.objects.filter(schedule_item=item, trainee=acting_user, day=today, present=True).first()
    if existing is not None:
        raise ValidationError(_("You have already checked in today."), code="already")
    attendance, _changed = _attendance_set(
        item=item,
        trainee_id=acting_user.pk,
        day=today,
        present=True,
        method=AttendanceMethod.QR,
        acting_user=acting_user,
    )
    audit_log(
        instance=item,
        action="training.attendance.check_in",
        acting_user=acting_user,
        data={"cohort_id": item.cohort_id, "day": today.isoformat(), "present": [acting_user.pk]},
    )
    return attendance


# --- Calendar feeds ----------------------------------------------------------------


@transaction.atomic
def calendar_feed_regenerate(*, acting_user) -> CalendarFeed:
    """A new secret address for my calendar; the old address stops working at once."""
    CalendarFeed.objects.filter(user=acting_user).delete()
    return CalendarFeed.objects.create(user=acting_user)


@transaction.atomic
def calendar_feed_revoke(*, acting_user) -> None:
    """Turn my calendar address off."""
    CalendarFeed.objects.filter(user=acting_user).delete()


# --- Assignments ---------------------------------------------------------------------

ASSIGNMENT_FIELDS = ["kind", "title", "title_en", "instructions", "due_at", "reviewer", "required", "credit_hours"]


@transaction.atomic
def assignment_create(*, cohort: Cohort, acting_user, data: dict) -> Assignment:
    """Set an assignment for the cohort's trainees."""
    _require_manager(acting_user, cohort)
    assignment = Assignment(
        cohort=cohort, created_by=acting_user, **{key: data[key] for key in ASSIGNMENT_FIELDS if key in data}
    )
    assignment.full_clean()
    assignment.save()
    audit_log(
        instance=assignment,
        action="training.assignment.create",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "title": assignment.title, "due_at": assignment.due_at.isoformat()},
    )
    return assignment


@transaction.atomic
def assignment_update(*, assignment: Assignment, acting_user, data: dict) -> Assignment:
    """Change an assignment's text, due date or reviewer."""
    _require_manager(acting_user, assignment.cohort)
    for key in ASSIGNMENT_FIELDS:
        if key in data:
            setattr(assignment, key, data[key])
    assignment.full_clean()
    assignment.save()
    audit_log(
        instance=assignment,
        action="training.assignment.update",
        acting_user=acting_user,
        data={"cohort_id": assignment.cohort_id, "due_at": assignment.due_at.isoformat()},
    )
    return assignment


@transaction.atomic
def submission_create(*, assignment: Assignment, acting_user, text: str, files=()) -> Submission:
    """A trainee submits, or resubmits after a return; after the due date it is accepted and marked late."""
    from .uploads import max_upload_files

    if not is_trainee(acting_user, assignment.cohort):
        raise PermissionDenied
    files = list(files)
    if not text.strip() and not files:
        raise ValidationError({"text": _("Write your answer or attach a file.")})
    if len(files) > max_upload_files():
        raise ValidationError({"files": _("Attach at most %(count)s files.") % {"count": max_upload_files()}})
    checked = []
    problems = []
    for upload in files:
        try:
            checked.append((upload, *check_upload(upload)))
        except ValidationError as problem:
            problems.extend(problem.messages)
    if problems:
        raise ValidationError({"files": problems})
    previous = (
        Submission.objects.select_for_update()
        .filter(assignment=assignment, trainee=acting_user)
        .order_by("-attempt")
        .first()
    )
    if previous is not None and previous.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Your submission is waiting for review; you can resubmit if it is returned."))
    if previous is not None and previous.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("This assignment has already been accepted."))
    now = timezone.now()
    submission = Submission.objects.create(
        assignment=assignment,
        trainee=acting_user,
        attempt=(previous.attempt + 1) if previous else 1,
        text=text,
        submitted_at=now,
        is_late=now > assignment.due_at,
    )
    for upload, name, content_type in checked:
        SubmissionFile.objects.create(
            submission=submission, file=upload, original_name=name, size=upload.size, content_type=content_type
        )
    return submission


def can_review_submission(user, submission: Submission) -> bool:
    """Coordinators review everything in their cohort; mentors review their own mentees' work when asked to."""
    from .pairings import is_paired

    cohort = submission.assignment.cohort
    if can_manage_cohort(user, cohort):
        return True
    from .permissions import is_mentor

    return (
        submission.assignment.reviewer == ReviewerRole.MENTOR
        and is_mentor(user, cohort)
        and is_paired(cohort_id=cohort.pk, trainee_id=submission.trainee_id, mentor_id=user.pk)
    )


@transaction.atomic
def submission_review(*, submission: Submission, acting_user, accept: bool, comment: str = "") -> Submission:
    """Accept a submission (crediting its hours) or return it with comments for another attempt."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment__cohort", "trainee")
        .get(pk=submission.pk)
    )
    if not can_review_submission(acting_user, submission):
        raise PermissionDenied
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("This submission has already been reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what to change when you return a submission.")})
    assignment = submission.assignment
    submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    submission.reviewed_by = acting_user
    submission.reviewed_at = timezone.now()
    submission.review_comment = comment
    submission.save()
    if accept and assignment.credit_hours > 0:
        hours_credit(
            trainee=submission.trainee,
            hours=assignment.credit_hours,
            source=HoursSource.ASSIGNMENT,
            occurred_on=timezone.localdate(submission.reviewed_at),
            source_object=submission,
            cohort=assignment.cohort,
            credited_by=acting_user,
            note=assignment.title[:200],
        )
    audit_log(
        instance=submission,
        action="training.submission.review",
        acting_user=acting_user,
        data={"cohort_id": assignment.cohort_id, "accepted": accept, "attempt": submission.attempt},
    )
    _send_localized(
        recipients=[submission.trainee],
        kind="training.submission_accepted" if accept else "training.submission_returned",
        target=submission,
        occasion="reviewed",
        context=lambda: {"title": assignment.localized_title, "message": comment},
        url_name="training:assignment-detail",
        url_kwargs={"assignment_id": assignment.pk},
    )
    return submission


# --- Completion ------------------------------------------------------------------------


def _region_names(regions) -> list[dict]:
    return [{"name": region.name, "name_en": region.name_en} for region in regions]


@transaction.atomic
def certificate_issue(*, cohort: Cohort, acting_user, trainee_ids) -> list[Certificate]:
    """Sign off trainees who meet every rule, all at once; if any does not, nobody is signed off."""
    from .pairings import pairs_for
    from .progress import cohort_progress

    _require_manager(acting_user, cohort)
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
        _send_localized(
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
    _require_manager(acting_user, cohort)
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
    _require_manager(acting_user, certificate.membership.cohort)
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
    _send_localized(
        recipients=[membership.user],
        kind="training.certificate_revoked",
        target=certificate,
        occasion="revoked",
        context=lambda: {"programme": certificate.localized_programme_title, "message": reason},
        url_name="dashboard:home",
    )
    return certificate


def enrolment_rows_import(*, cohort: Cohort, acting_user, rows: list[dict]) -> tuple[int, list[dict]]:
    """Invite people sent as rows (the API's bulk create): the file import's checks, all rows or none.

    Answers (people invited, row errors); with any error nothing is written.
    """
    from .imports import RowChecker, _norm

    _require_manager(acting_user, cohort)
    rows = [{key: _norm(value) for key, value in row.items()} for row in rows]
    clean, errors = RowChecker(cohort=cohort).check(rows)
    if errors:
        return 0, [error.as_dict() for error in errors]
    try:
        with transaction.atomic():
            record = EnrolmentImport.objects.create(
                cohort=cohort,
                uploaded_by=acting_user,
                filename="api",
                status=ImportStatus.IMPORTING,
                total_rows=len(rows),
                started_at=timezone.now(),
            )
            created = _import_rows(record, clean)
            _import_finish(record, status=ImportStatus.DONE, created=created)
    except _SeatsTaken as taken:
        return 0, list(taken.errors)
    return created, []
