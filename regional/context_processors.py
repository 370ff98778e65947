from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from .signals import office_key


def office(request):
    """Whether the header links to a regional office's home: read once, then kept in the cache (no query a page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def has_office() -> bool:
        key = office_key(user.pk)
        value = cache.get(key)
        if value is None:
            from accounts.permissions import administered_region_ids, is_joint_office

            value = bool(administered_region_ids(user)) or is_joint_office(user)
            cache.set(key, value, 3600)
        return value

    return {"has_region_office": SimpleLazyObject(has_office)}
