"""The audit trail: who paired, confirmed, signed off or changed what, and when.

A thin wrapper over Wagtail's audit log (ModelLogEntry for any model), so
that page and domain actions share one log and one admin report. Actions
are named `<app>.<entity>.<verb>`; each app registers labels for its actions
in its `wagtail_hooks.py` with the `register_log_actions` hook.
"""

from django.db.models import QuerySet
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry


def audit_log(*, instance, action: str, acting_user=None, data: dict | None = None):
    """Record one action on one object in the same transaction as the change."""
    return log(instance, action, user=acting_user, data=data or {})


def audit_log_many(*, instances, action: str, acting_user=None, data: dict | None = None) -> int:
    """Record the same action on many objects of one model with one insert (a bulk import, a batch sign-off)."""
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    instances = list(instances)
    if not instances:
        return 0
    content_type = ContentType.objects.get_for_model(instances[0], for_concrete_model=False)
    now = timezone.now()
    batch = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(instance.pk),
                label=str(instance)[:255],
                action=action,
                timestamp=now,
                user=acting_user,
                uuid=batch,
                data=data or {},
            )
            for instance in instances
        ],
        batch_size=1000,
    )
    return len(instances)


def audit_entries_for(*, instances) -> QuerySet[ModelLogEntry]:
    """Log entries of these objects (all of one model), newest first."""
    from django.contrib.contenttypes.models import ContentType

    instances = list(instances)
    if not instances:
        return ModelLogEntry.objects.none()
    content_type = ContentType.objects.get_for_model(instances[0], for_concrete_model=False)
    return (
        ModelLogEntry.objects.filter(content_type=content_type, object_id__in=[str(obj.pk) for obj in instances])
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def audit_personal_data_export(*, request, instance, export: str, fmt: str = "", rows: int | None = None):
    """Who exported whose personal data, and when (PIPL): one entry on the cohort, event or person exported."""
    data = {"export": export, "format": fmt, "path": request.path[:200]}
    if rows is not None:
        data["rows"] = rows
    return audit_log(instance=instance, action="accounts.personal_data.exported", acting_user=request.user, data=data)
