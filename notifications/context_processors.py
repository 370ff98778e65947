"""The unread count every page's header shows."""

from .models import Notification


def inbox(request):
    """The unread count for the header: one query, and none for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread_count():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    # Lazy, so pages that do not show the header (feeds, JSON) pay nothing.
    from django.utils.functional import SimpleLazyObject

    return {"inbox_unread_count": SimpleLazyObject(unread_count)}
