"""Private calendar addresses: mine, and whose a secret address is."""

from django.http import Http404

from accounts.models import User

from ..models import (
    CalendarFeed,
)


def calendar_feed_get_for_user(*, user) -> CalendarFeed | None:
    """My calendar address, if I have turned it on."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_owner(*, token: str) -> User:
    """Whose feed a secret address belongs to, or 404 for a revoked or made-up address."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user
