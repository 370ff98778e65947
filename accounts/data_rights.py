"""Personal data rights (PIPL): a person's archive of their data, and erasure on request.

The archive is built by a Celery task (`accounts.tasks.data_export_build_task`)
that records its progress on the DataExport row; the download link works for
the owner only, until `YINGZI_DATA_EXPORT_DAYS` days after it was built.
Erasure is asked for by the person and confirmed by a platform administrator
(Django admin, "Erasure requests"). It anonymises in place rather than
deleting the user row: hours entries, credit records and certificates are
PROTECTed references that the ledger's totals, partner regions' recognitions
and public verification depend on.
"""

import io
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal_data
from .audit import audit_log
from .models import DataExport, DataExportStatus, ErasureRequest, ErasureStatus, Profile, User
from .spreadsheets import csv_text

EXPORT_DAYS_DEFAULT = 7


def export_days() -> int:
    return int(getattr(settings, "YINGZI_DATA_EXPORT_DAYS", EXPORT_DAYS_DEFAULT))


def data_export_request(*, acting_user: User) -> DataExport:
    """Ask for a new archive; one being prepared is returned instead of starting a second."""
    if acting_user.erased_at:
        raise PermissionDenied
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=acting_user.pk).first()
        running = DataExport.objects.filter(
            user=acting_user, status__in=[DataExportStatus.PENDING, DataExportStatus.RUNNING]
        ).first()
        if running:
            return running
        export = DataExport.objects.create(user=acting_user)
        audit_log(instance=acting_user, action="accounts.personal_data.export_request", acting_user=acting_user)

        def enqueue():
            from .tasks import data_export_build_task

            data_export_build_task.delay(export.pk)

        transaction.on_commit(enqueue)
    return export


def _set_progress(export: DataExport, percent: int) -> None:
    DataExport.objects.filter(pk=export.pk).update(progress=min(99, max(0, percent)))


def data_export_build(*, export_id: int) -> DataExport | None:
    """Write the ZIP: one JSON and one CSV file per table, the person's uploaded files, and a README."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id).select_related("user").first()
        if export is None or export.status not in (DataExportStatus.PENDING, DataExportStatus.RUNNING):
            return export
        export.status = DataExportStatus.RUNNING
        export.save(update_fields=["status"])
    person = export.user
    try:
        _set_progress(export, 5)
        sections = personal_data.person_sections(
            person, progress=lambda done, total: _set_progress(export, 5 + 60 * done // max(total, 1))
        )
        files = personal_data.person_files(person)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", _readme(person, sections))
            for name, rows in sections.items():
                archive.writestr(f"json/{name}.json", personal_data.archive_json(rows))
                archive.writestr(f"csv/{name}.csv", csv_text(personal_data.archive_table(rows)))
            for done, (path, field_file) in enumerate(files, start=1):
                try:
                    with field_file.open("rb") as handle:
                        archive.writestr(f"files/{path}", handle.read())
                except OSError:
                    archive.writestr(f"files/{path}.missing.txt", _("This file could not be read."))
                _set_progress(export, 65 + 30 * done // max(len(files), 1))
        now = timezone.now()
        export.archive.save(f"yingzi-my-data-{now:%Y%m%d-%H%M}.zip", ContentFile(buffer.getvalue()), save=False)
        export.status = DataExportStatus.READY
        export.progress = 100
        export.finished_at = now
        export.expires_at = now + timedelta(days=export_days())
        export.save(update_fields=["archive", "status", "progress", "finished_at", "expires_at"])
        audit_log(instance=person, action="accounts.personal_data.export_ready", data={"export": export.pk})
    except Exception:
        DataExport.objects.filter(pk=export.pk).update(status=DataExportStatus.FAILED, finished_at=timezone.now())
        raise
    return export


def _readme(person, sections) -> str:
    lines = [
        _("Everything Yingzi holds about %(name)s, as of %(when)s.")
        % {"name": person.get_full_name(), "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        _("Each table is in json/ and csv/ under the same name; your uploaded files are in files/."),
        "",
    ]
    lines += [f"{name}: {len(rows)}" for name, rows in sections.items()]
    return "\n".join(lines) + "\n"


def data_exports_of(*, acting_user: User):
    return DataExport.objects.filter(user=acting_user)[:5]


def data_export_for_download(*, acting_user: User, export_id: int) -> DataExport:
    """The owner's ready archive; anyone else's, an unfinished or an expired one is not found."""
    export = DataExport.objects.filter(pk=export_id, user=acting_user, status=DataExportStatus.READY).first()
    if export is None or not export.archive or (export.expires_at and export.expires_at <= timezone.now()):
        raise Http404
    audit_log(
        instance=acting_user,
        action="accounts.personal_data.export_download",
        acting_user=acting_user,
        data={"export": export.pk},
    )
    return export


def data_exports_sweep() -> int:
    """Queue again archives the broker missed; delete archives whose link has expired (the rows stay)."""
    from .tasks import data_export_build_task

    stale = timezone.now() - timedelta(minutes=2)
    for export_id in DataExport.objects.filter(status=DataExportStatus.PENDING, created_at__lte=stale).values_list(
        "pk", flat=True
    ):
        data_export_build_task.delay(export_id)
    swept = 0
    for export in DataExport.objects.filter(expires_at__lte=timezone.now()).exclude(archive=""):
        export.archive.delete(save=False)
        export.archive = ""
        export.save(update_fields=["archive"])
        swept += 1
    return swept


# --- Erasure -------------------------------------------------------------------


def erasure_request(*, acting_user: User, reason: str = "") -> ErasureRequest:
    if acting_user.erased_at:
        raise PermissionDenied
    if ErasureRequest.objects.filter(user=acting_user, status=ErasureStatus.REQUESTED).exists():
        raise ValidationError(_("You have already asked for erasure; a platform administrator will confirm it."))
    with transaction.atomic():
        request = ErasureRequest.objects.create(user=acting_user, reason=(reason or "").strip()[:2000])
        audit_log(instance=acting_user, action="accounts.personal_data.erasure_request", acting_user=acting_user)
    return request


def erasure_withdraw(*, acting_user: User) -> int:
    return ErasureRequest.objects.filter(user=acting_user, status=ErasureStatus.REQUESTED).update(
        status=ErasureStatus.WITHDRAWN, decided_at=timezone.now()
    )


def erasure_confirm(*, acting_user: User, request: ErasureRequest) -> User:
    """A platform administrator confirms: the person's personal data is anonymised at once."""
    if not (acting_user.is_active and acting_user.is_superuser):
        raise PermissionDenied
    if request.status != ErasureStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    if request.user_id == acting_user.pk:
        raise ValidationError(_("Another administrator must confirm your own erasure."))
    with transaction.atomic():
        person = person_erase(person=request.user, acting_user=acting_user)
        request.status = ErasureStatus.ERASED
        request.decided_at = timezone.now()
        request.decided_by = acting_user
        request.reason = ""
        request.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    return person


def person_erase(*, person: User, acting_user: User | None = None) -> User:
    """Anonymise one person in every app; rows the ledger and other people need stay, without the person."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        for eraser in personal_data.ERASERS:
            eraser(person)
        _erase_account(person)
        audit_log(instance=person, action="accounts.personal_data.erase", acting_user=acting_user)
    return person


def _erase_account(person: User) -> None:
    from django.apps import apps

    for export in DataExport.objects.filter(user=person):
        if export.archive:
            export.archive.delete(save=False)
    DataExport.objects.filter(user=person).delete()
    # Region and school stay: the regional offices' figures count people by them, and without a
    # name, e-mail or title they no longer point at one person.
    Profile.objects.filter(user=person).update(title="", subjects=[], stages=[], years_of_experience=None)
    person.region_roles.all().delete()
    person.groups.clear()
    person.user_permissions.clear()
    for label in (
        "account.EmailAddress",
        "socialaccount.SocialAccount",
        "mfa.Authenticator",
        "usersessions.UserSession",
    ):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._default_manager.filter(user=person).delete()
    # Models of apps accounts may not import (notifications, api): found through the app registry.
    for label in ("notifications.Notification", "api.ApiToken"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        field = "recipient" if label.startswith("notifications") else "user"
        model._default_manager.filter(**{field: person}).delete()
    person.email = f"erased-{person.pk}@erased.invalid"
    person.display_name = ""
    person.first_name = ""
    person.last_name = ""
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.set_unusable_password()
    person.erased_at = timezone.now()
    person.save()
