"""Demo notifications: two cohort announcements, and for the demo coordinator and trainee today's digest.

The domain events seeded elsewhere (pairing agreed, logs confirmed, ...)
already fill the inboxes through the services. Here the demo coordinator
and trainee read announcements in the daily digest, so the inbox shows a
digest and the console (or the mail server) receives one e-mail of it.
Every message has a fixed occasion: running the seed again adds nothing.
"""

from collections import defaultdict

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications import clock
from notifications.digests import digest_send
from notifications.models import Cadence, Delivery, DeliveryStatus
from notifications.services import notification_preferences_update, notification_send_many
from training.models import Cohort, CohortMembership, MembershipStatus

DIGEST_READERS = ("coordinator", "trainee")


def _announcements(cohort: Cohort) -> list[tuple[str, str]]:
    """(occasion, title) in the active language."""
    return [
        (
            "demo-welcome",
            _("Welcome to %(cohort)s: the first workshop is on your calendar") % {"cohort": cohort.localized_name},
        ),
        ("demo-reading-list", _("The reading list for the first module is online")),
    ]


def seed_notifications(*, cohort: Cohort, users: dict) -> int:
    """Announce to the demo cohort in each reader's language and send today's digest to the digest readers."""
    for key in DIGEST_READERS:
        notification_preferences_update(acting_user=users[key], cadences={("announcement", "email"): Cadence.DIGEST})
    members = [
        membership.user
        for membership in CohortMembership.objects.filter(
            cohort=cohort, status__in=MembershipStatus.counted_values()
        ).select_related("user")
    ]
    by_language = defaultdict(list)
    for person in members:
        by_language[person.preferred_language or "zh-hans"].append(person)
    sent = 0
    for language, people in sorted(by_language.items()):
        with translation.override(language):
            label = cohort.localized_name
            url = reverse("training:cohort-detail", args=[cohort.pk])
            for occasion, title in _announcements(cohort):
                sent += len(
                    notification_send_many(
                        recipients=people,
                        kind="announcement",
                        occasion=occasion,
                        context={"title": title},
                        url=url,
                        group_key=f"cohort:{cohort.pk}",
                        group_label=label,
                    )
                )
    # Beat sends the digest at 08:00; the demo shows today's at once.
    now = clock.now()
    for key in DIGEST_READERS:
        Delivery.objects.filter(notification__recipient=users[key], status=DeliveryStatus.DIGEST).update(due_at=now)
        digest_send(recipient_id=users[key].pk, now=now)
    return sent
