from django.utils.functional import SimpleLazyObject


def office(request):
    """Whether the header links to a regional office's home: read once, then kept in the cache (no query a page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def has_office() -> bool:
        from .selectors import office_scope

        joint, region_ids = office_scope(user)
        return joint or bool(region_ids)

    return {"has_region_office": SimpleLazyObject(has_office)}
