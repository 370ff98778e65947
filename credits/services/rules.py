"""A region's recognition rules: versions in force by date, how many hours make a credit, yearly caps, accepted regions."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import Region
from accounts.permissions import administered_region_ids

from ..models import CreditCategory, CreditKind, RecognitionRule


def rule_in_effect(*, region_id: int, on: datetime.date) -> RecognitionRule | None:
    """The version of a region's rules in force for an activity on this day, if any."""
    return (
        RecognitionRule.objects.filter(region_id=region_id, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .first()
    )


def _can_manage_region(user, region_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_staff or user.is_superuser or region_id in administered_region_ids(user)
    )


def _decimal_map(values: dict, *, allowed, field: str, positive: bool) -> dict[str, str]:
    clean = {}
    for key, value in (values or {}).items():
        if value in (None, ""):
            continue
        if key not in allowed:
            raise ValidationError({field: _("Unknown kind or category: %(key)s.") % {"key": key}})
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise ValidationError({field: _("Enter a number.")}) from None
        if not number.is_finite() or number > Decimal("100000"):
            raise ValidationError({field: _("Enter a number.")})
        if positive and number <= 0:
            raise ValidationError({field: _("Hours per credit must be more than zero.")})
        if not positive and number < 0:
            raise ValidationError({field: _("A cap cannot be below zero.")})
        clean[key] = str(number.quantize(Decimal("0.1")))
    return clean


@transaction.atomic
def rule_create(
    *,
    acting_user,
    region: Region,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    hours_per_credit: dict | None = None,
    yearly_caps: dict | None = None,
    accepts: dict | None = None,
    note: str = "",
) -> RecognitionRule:
    """Add a version of a region's rules; it takes over from the open-ended version before it, and never overlaps another."""
    if not _can_manage_region(acting_user, region.pk):
        raise PermissionDenied
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError({"effective_to": _("The rule cannot end before it starts.")})
    conversions = _decimal_map(hours_per_credit, allowed=CreditKind.values, field="hours_per_credit", positive=True)
    caps = _decimal_map(yearly_caps, allowed=CreditCategory.values, field="yearly_caps", positive=False)
    codes = set(Region.objects.values_list("code", flat=True))
    accepted = {}
    for kind, regions in (accepts or {}).items():
        if kind not in CreditKind.values:
            raise ValidationError({"accepts": _("Unknown kind or category: %(key)s.") % {"key": kind}})
        unknown = set(regions) - codes
        if unknown:
            raise ValidationError({"accepts": _("Unknown region: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}})
        if regions:
            accepted[kind] = sorted(set(regions))
    # Versions of one region are added one at a time.
    Region.objects.select_for_update().get(pk=region.pk)
    versions = list(RecognitionRule.objects.filter(region=region).order_by("effective_from"))
    superseded = None
    for version in versions:
        if version.effective_to is None and version.effective_from < effective_from:
            superseded = version
    ends = {
        v.pk: (effective_from - datetime.timedelta(days=1) if v is superseded else v.effective_to) for v in versions
    }
    for version in versions:
        end = ends[version.pk]
        if version.effective_from <= (effective_to or datetime.date.max) and effective_from <= (
            end or datetime.date.max
        ):
            raise ValidationError(
                {
                    "effective_from": _(
                        "These dates overlap version %(version)s (from %(start)s until %(end)s). Nothing was changed."
                    )
                    % {
                        "version": version.version,
                        "start": version.effective_from,
                        "end": end or _("further notice"),
                    }
                }
            )
    if superseded is not None:
        superseded.effective_to = ends[superseded.pk]
        superseded.save(update_fields=["effective_to"])
    rule = RecognitionRule.objects.create(
        region=region,
        version=max((v.version for v in versions), default=0) + 1,
        effective_from=effective_from,
        effective_to=effective_to,
        hours_per_credit=conversions,
        yearly_caps=caps,
        accepts=accepted,
        note=note[:300],
        created_by=acting_user,
    )
    audit_log(
        instance=rule,
        action="credits.rule.create",
        acting_user=acting_user,
        data={"region_id": region.pk, "version": rule.version, "superseded": getattr(superseded, "version", None)},
    )
    return rule
