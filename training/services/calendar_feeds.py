"""Each person's private calendar address: made, replaced or turned off."""

from django.db import transaction

from ..models import (
    CalendarFeed,
)


@transaction.atomic
def calendar_feed_regenerate(*, acting_user) -> CalendarFeed:
    """A new secret address for my calendar; the old address stops working at once."""
    CalendarFeed.objects.filter(user=acting_user).delete()
    return CalendarFeed.objects.create(user=acting_user)


@transaction.atomic
def calendar_feed_revoke(*, acting_user) -> None:
    """Turn my calendar address off."""
    CalendarFeed.objects.filter(user=acting_user).delete()
