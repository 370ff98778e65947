"""The reader's preferences: cadence per kind and channel, and one-click unsubscribe."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..channels import CHANNELS
from ..kinds import DIGEST_KIND, get_kind, listed_kinds
from ..models import Cadence, NotificationPreference, QuietHours


@transaction.atomic
def notification_preferences_update(
    *,
    acting_user,
    cadences: dict[tuple[str, str], str],
    quiet_hours_enabled: bool | None = None,
    quiet_start: datetime.time | None = None,
    quiet_end: datetime.time | None = None,
) -> None:
    """Save a person's cadence per kind and channel and their quiet hours; mandatory kinds stay on."""
    errors = []
    rows = []
    for (kind_key, channel_key), cadence in cadences.items():
        try:
            kind = get_kind(kind_key)
        except LookupError:
            errors.append(
                ValidationError(_("There is no kind of message called “%(kind)s”."), params={"kind": kind_key})
            )
            continue
        channel = CHANNELS.get(channel_key)
        if channel is None or not channel.outside or not kind.listed:
            errors.append(ValidationError(_("“%(kind)s” cannot be set for this channel."), params={"kind": kind.label}))
            continue
        if cadence not in Cadence.values or (cadence == Cadence.DIGEST and not channel.supports_digest):
            errors.append(
                ValidationError(
                    _("Choose immediately, daily digest or off for “%(kind)s”."), params={"kind": kind.label}
                )
            )
            continue
        if kind.mandatory and cadence != Cadence.IMMEDIATELY:
            errors.append(
                ValidationError(
                    _(
                        "“%(kind)s” cannot be turned off or moved to the digest: it concerns your account or an invitation."
                    ),
                    params={"kind": kind.label},
                )
            )
            continue
        if not kind.mandatory:
            rows.append(NotificationPreference(user=acting_user, kind=kind.key, channel=channel.key, cadence=cadence))
    if quiet_hours_enabled and quiet_start is not None and quiet_start == quiet_end:
        errors.append(ValidationError(_("Quiet hours must end at a different time than they start.")))
    if errors:
        raise ValidationError(errors)
    NotificationPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind", "channel"], update_fields=["cadence"]
    )
    if quiet_hours_enabled is not None:
        QuietHours.objects.update_or_create(
            user=acting_user,
            defaults={
                "enabled": quiet_hours_enabled,
                "start": quiet_start or QuietHours._meta.get_field("start").default,
                "end": quiet_end or QuietHours._meta.get_field("end").default,
            },
        )


@transaction.atomic
def notification_unsubscribe(*, user, kind: str, channel: str = "email") -> list[str]:
    """Turn off e-mail of one kind (or everything in the digest) for the person a signed link names."""
    definition = get_kind(kind)
    if kind == DIGEST_KIND:
        chosen = dict(NotificationPreference.objects.filter(user=user, channel=channel).values_list("kind", "cadence"))
        kinds = [
            listed.key
            for listed in listed_kinds()
            if not listed.mandatory and chosen.get(listed.key, listed.default_cadence) == Cadence.DIGEST
        ]
    elif definition.mandatory:
        raise ValidationError(
            _("“%(kind)s” cannot be turned off: it concerns your account or an invitation."),
            params={"kind": definition.label},
        )
    else:
        kinds = [kind]
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=key, channel=channel, cadence=Cadence.OFF) for key in kinds],
        update_conflicts=True,
        unique_fields=["user", "kind", "channel"],
        update_fields=["cadence"],
    )
    return kinds
