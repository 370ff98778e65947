"""Bulk enrolment: a stored spreadsheet (or the API's rows) checked row by row and written in one transaction.

Reading and checking the rows is `training.imports`; this module stores the
upload, runs it in the background and writes everyone, or nobody.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log, audit_log_many
from accounts.models import Profile, User

from ..kinds import cohort_notification_send
from ..models import (
    Cohort,
    CohortMembership,
    CohortRegion,
    EnrolmentImport,
    ImportStatus,
    Invitation,
    InvitationStatus,
    MembershipStatus,
)
from ..overview import overview_invalidate
from ..permissions import require_cohort_manager
from ..seats import seat_errors_for_rows
from .invitations import invitation_days, invitation_message_context

logger = logging.getLogger(__name__)


IMPORT_STALE_AFTER = datetime.timedelta(minutes=10)


@transaction.atomic
def enrolment_import_create(*, cohort: Cohort, acting_user, upload) -> EnrolmentImport:
    """Store an uploaded spreadsheet and queue it; the rows are checked and imported in the background."""
    from ..imports import ALLOWED_SUFFIXES, MAX_BYTES

    require_cohort_manager(acting_user, cohort)
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
        from ..tasks import import_enrolment_task

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
    from ..imports import FileError, RowChecker, read_table

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


def enrolment_import_stop(*, import_id: int, minutes: int) -> None:
    """Mark an import its task's time limit stopped as failed, so nobody waits on it; its rows rolled back."""
    from ..imports import RowError

    record = EnrolmentImport.objects.filter(
        pk=import_id, status__in=[ImportStatus.VALIDATING, ImportStatus.IMPORTING]
    ).first()
    if record is not None:
        error = RowError(row=1, field="file", code="too_slow", params={"minutes": minutes})
        _import_finish(record, status=ImportStatus.FAILED, errors=[error.as_dict()])


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

    cohort = Cohort.objects.select_for_update().get(pk=record.cohort_id)
    list(CohortRegion.objects.select_for_update().filter(cohort=cohort))
    # Seats may have gone to invitations or applications since the rows were checked.
    seat_errors = seat_errors_for_rows(cohort=cohort, rows=clean)
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
        cohort_notification_send(
            cohort=cohort,
            recipients=people,
            kind="training.invitation",
            target=cohort,
            occasion=f"import-{record.pk}",
            context=invitation_message_context(cohort, role),
            url_name="dashboard:home",
        )
    audit_log(
        instance=record,
        action="training.import.complete",
        acting_user=record.uploaded_by,
        data={"cohort_id": cohort.pk, "rows": len(clean), "filename": record.filename},
    )
    return len(memberships)


def enrolment_rows_import(*, cohort: Cohort, acting_user, rows: list[dict]) -> tuple[int, list[dict]]:
    """Invite people sent as rows (the API's bulk create): the file import's checks, all rows or none.

    Answers (people invited, row errors); with any error nothing is written.
    """
    from ..imports import RowChecker, cell_text

    require_cohort_manager(acting_user, cohort)
    rows = [{key: cell_text(value) for key, value in row.items()} for row in rows]
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
