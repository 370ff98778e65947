"""The audit trail: who paired, confirmed, signed off or changed what, and when.

A thin wrapper over Wagtail's audit log (ModelLogEntry for any model), so
that page and domain actions share one log and one admin report. Actions
are named `<app>.<entity>.<verb>`; each app registers labels for its actions
in its `wagtail_hooks.py` with the `register_log_actions` hook.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry


def audit_log(*, instance, action: str, acting_user=None, data: dict | None = None):
    """Record one action on one object in the same transaction as the change.

    The entry Wagtail's `log` writes, in one INSERT. Wagtail's `BaseLogEntry.save()` is `full_clean()`
    then Django's `Model.save()`; the foreign-key checks of `full_clean()` read the content type and
    the acting user back from the database (two SELECTs on every logged API read), though both are in
    hand (the content type from ContentType's cache). So the entry is validated without those two
    checks, then saved with `Model.save()`: one INSERT, no transaction of its own (the manager's
    `bulk_create` would add BEGIN and COMMIT). Pages keep Wagtail's own page log.
    """
    if log_action_registry.get_log_model_for_instance(instance) is not ModelLogEntry:
        return log(instance, action, user=acting_user, data=data or {})
    if instance.pk is None:
        raise ValueError(f"Attempted to log an action for object {instance!r} with empty primary key")
    context = get_active_log_context()
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        label=ModelLogEntry.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        user=acting_user or context.user,
        uuid=context.uuid,
        data=data or {},
    )
    # Everything else Wagtail's save validates still is: the action is a registered one, the label fits.
    entry.full_clean(exclude=["content_type", "user"])
    models.Model.save(entry, force_insert=True)
    return entry


def audit_log_many(*, instances, action: str, acting_user=None, data: dict | None = None) -> int:
    """Record the same action on many objects of one model with one insert (a bulk import, a batch sign-off)."""
    import uuid

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
