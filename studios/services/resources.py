"""The resource library: members share resources; leaders and coordinators promote accepted submissions, with consent."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from notifications.services import notification_send_localized
from training.models import Submission
from training.permissions import can_manage_cohort
from training.uploads import check_upload

from .. import permissions
from ..models import Resource

FIELDS = (
    "title",
    "kind",
    "description",
    "tags",
    "stage",
    "subject",
    "standard",
    "region",
    "licence",
    "visibility",
    "link",
)


def _clean(fields: dict) -> dict:
    fields = {key: value for key, value in fields.items() if key in FIELDS}
    fields["title"] = (fields.get("title") or "").strip()
    if not fields["title"]:
        raise ValidationError({"title": _("Give the resource a title.")})
    fields["tags"] = ", ".join(
        tag.strip() for tag in (fields.get("tags") or "").replace("，", ",").split(",") if tag.strip()
    )
    return fields


@transaction.atomic
def resource_add(*, acting_user, studio, upload=None, **fields) -> Resource:
    """A member shares a resource: a file (under the same upload rules as submissions) or a link, or both."""
    if not permissions.can_view_studio(acting_user, studio):
        raise PermissionDenied
    fields = _clean(fields)
    file_fields = {}
    if upload is not None:
        try:
            name, content_type = check_upload(upload)
        except ValidationError as error:
            raise ValidationError({"upload": error.messages}) from None
        file_fields = {"file": upload, "original_name": name, "content_type": content_type}
    if upload is None and not fields.get("link"):
        raise ValidationError({"link": _("Attach a file or give a link to the resource.")})
    resource = Resource.objects.create(
        studio=studio, author=acting_user, consented_at=timezone.now(), **fields, **file_fields
    )
    audit_log(instance=resource, action="studios.resource_add", acting_user=acting_user)
    return resource


def can_promote(user, studio, submission: Submission) -> bool:
    """The studio's leaders, or the coordinators of the submission's cohort, promote an accepted submission."""
    return permissions.can_lead_studio(user, studio) or can_manage_cohort(user, submission.assignment.cohort)


@transaction.atomic
def submission_promote(*, acting_user, studio, submission: Submission, **fields) -> Resource:
    """Offer an accepted submission to the library; it is shown only once its author consents."""
    if not can_promote(acting_user, studio, submission):
        raise PermissionDenied
    if submission.status != Submission.Status.ACCEPTED:
        raise ValidationError(_("Only accepted submissions can be added to the library."))
    fields = _clean({"title": submission.assignment.title, **fields})
    first_file = submission.files.order_by("pk").first()
    file_fields = (
        {
            "file": first_file.file.name,
            "original_name": first_file.original_name,
            "content_type": first_file.content_type,
        }
        if first_file
        else {}
    )
    if not first_file and not fields.get("link"):
        fields["description"] = fields.get("description") or submission.text
    try:
        with transaction.atomic():
            resource = Resource.objects.create(
                studio=studio,
                author=submission.trainee,
                submission=submission,
                promoted_by=acting_user,
                **fields,
                **file_fields,
            )
    except IntegrityError:
        raise ValidationError(_("This submission is already in the library.")) from None
    notification_send_localized(
        recipients=[submission.trainee],
        kind="studios.resource_consent",
        target=resource,
        context=lambda: {"title": resource.title, "studio": studio.localized_name},
        url_name="studios:resource",
        url_kwargs={"resource_id": resource.pk},
    )
    audit_log(instance=resource, action="studios.submission_promote", acting_user=acting_user)
    return resource


@transaction.atomic
def resource_consent(*, acting_user, resource_id: int, consent: bool) -> Resource | None:
    """The author agrees (the resource is shown as its visibility says) or declines (the offer is withdrawn)."""
    resource = Resource.objects.select_for_update().filter(pk=resource_id, author=acting_user).first()
    if resource is None or resource.consented_at is not None:
        raise ValidationError(_("There is nothing waiting for your consent here."))
    if consent:
        resource.consented_at = timezone.now()
        resource.save(update_fields=["consented_at"])
        audit_log(instance=resource, action="studios.resource_consent", acting_user=acting_user)
        return resource
    audit_log(instance=resource, action="studios.resource_decline", acting_user=acting_user)
    # The file belongs to the submission: only the library's row goes.
    resource.delete()
    return None
