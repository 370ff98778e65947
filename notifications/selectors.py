"""Reads for the notification screens."""

from dataclasses import dataclass

from .channels import Channel, outside_channels
from .kinds import NotificationKind, listed_kinds
from .models import Cadence, NotificationPreference, QuietHours


@dataclass(frozen=True)
class PreferenceRow:
    kind: NotificationKind
    cadences: list[tuple[Channel, str]]


@dataclass(frozen=True)
class Preferences:
    rows: list[PreferenceRow]
    mandatory: list[NotificationKind]
    channels: list[Channel]
    quiet_hours: QuietHours


def notification_preferences_for(*, user) -> Preferences:
    """A person's cadence for every kind they can choose, their mandatory kinds and quiet hours."""
    chosen = {
        (kind, channel): cadence
        for kind, channel, cadence in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "channel", "cadence"
        )
    }
    channels = outside_channels()
    # Each audience is asked once, however many kinds share it.
    audiences = {}
    for kind in listed_kinds():
        if kind.audience is not None and kind.audience not in audiences:
            audiences[kind.audience] = bool(kind.audience(user))
    kinds = sorted(
        (kind for kind in listed_kinds() if kind.audience is None or audiences[kind.audience]),
        key=lambda kind: str(kind.label),
    )
    rows = [
        PreferenceRow(
            kind=kind,
            cadences=[(channel, chosen.get((kind.key, channel.key), kind.default_cadence)) for channel in channels],
        )
        for kind in kinds
        if not kind.mandatory
    ]
    quiet_hours = QuietHours.objects.filter(user=user).first() or QuietHours(user=user)
    return Preferences(
        rows=rows,
        mandatory=[kind for kind in kinds if kind.mandatory],
        channels=channels,
        quiet_hours=quiet_hours,
    )


def cadence_choices(channel: Channel) -> list[tuple[str, str]]:
    if channel.supports_digest:
        return list(Cadence.choices)
    return [(value, label) for value, label in Cadence.choices if value != Cadence.DIGEST]


def delivery_problem_counts() -> dict[str, int]:
    """How many deliveries are failing and retrying, and how many gave up (dead), in one query."""
    from django.db.models import Count

    from .models import Delivery, DeliveryStatus

    counts = {DeliveryStatus.FAILED.value: 0, DeliveryStatus.DEAD.value: 0}
    # Through the (status, due_at) index: the sent rows, nearly all of them, are never read.
    rows = Delivery.objects.filter(status__in=list(counts)).values_list("status").annotate(count=Count("pk"))
    counts.update(dict(rows.order_by()))
    return counts
