"""Which offices a person acts for is kept in the cache (`selectors.office_scope`); changes of role forget it."""

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import RegionalAdministrator, User


def office_key(user_id: int) -> str:
    return f"regional:office:{user_id}"


def _admin_changed(sender, instance, **kwargs):
    cache.delete(office_key(instance.user_id))


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) & {"is_staff", "is_superuser"}:
        return
    cache.delete(office_key(instance.pk))


def _groups_changed(sender, instance, action, pk_set=None, reverse=False, **kwargs):
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:
        cache.delete(office_key(instance.pk))
    elif pk_set:
        cache.delete_many([office_key(pk) for pk in pk_set])
    elif action == "pre_clear":
        cache.delete_many([office_key(pk) for pk in instance.user_set.values_list("pk", flat=True)])


def _credits_changed(sender, **kwargs):
    from .indicators import indicators_invalidate

    indicators_invalidate()


def connect() -> None:
    from credits.models import Recognition

    post_save.connect(_credits_changed, sender=Recognition, dispatch_uid="regional-recognition-saved")
    post_save.connect(_admin_changed, sender=RegionalAdministrator, dispatch_uid="regional-admin-saved")
    # Staff count as the joint office: a change of the flag shows at once.
    post_save.connect(_user_changed, sender=User, dispatch_uid="regional-user-saved")
    post_delete.connect(_admin_changed, sender=RegionalAdministrator, dispatch_uid="regional-admin-deleted")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="regional-groups")
