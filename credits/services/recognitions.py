"""A regional office recognises or refuses the records waiting in its queue; each person is told in their language."""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_log_many
from accounts.models import Region, User
from accounts.permissions import administered_region_ids
from notifications.services import notification_send

from ..models import Recognition, RecognitionStatus
from .caps import YearTotals, people_lock, recognition_fields
from .rules import rule_in_effect


@transaction.atomic
def recognition_decide(*, acting_user, recognition_ids, recognise: bool, reason: str = "") -> list[Recognition]:
    """Recognise or refuse records waiting in a region's queue, one or many at once; all or none."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied
    ids = set()
    for value in recognition_ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 0 < number < 2**63:
            raise ValidationError(_("Choose records from your region's queue."))
        ids.add(number)
    if not ids:
        raise ValidationError(_("Choose at least one record."))
    reason = (reason or "").strip()
    if not recognise and not reason:
        raise ValidationError({"reason": _("Give the reason for refusing; the person will read it.")})
    chosen = Recognition.objects.select_for_update(of=("self",)).filter(pk__in=ids, record__corrects__isnull=True)
    if not (acting_user.is_staff or acting_user.is_superuser):
        chosen = chosen.filter(region_id__in=administered_region_ids(acting_user))
    chosen = list(chosen.select_related("record", "record__issuing_region").order_by("record__occurred_on", "pk"))
    if len(chosen) != len(ids):
        raise ValidationError(
            _(
                "Some of the chosen records are not in your region's queue: they belong to another region's people. Nothing was changed."
            )
        )
    decided = [recognition for recognition in chosen if recognition.status != RecognitionStatus.PENDING]
    if decided:
        raise ValidationError(
            _("Already decided: %(titles)s. Nothing was changed.")
            % {"titles": "、".join(recognition.record.localized_title for recognition in decided[:5])}
        )
    people_lock(recognition.person_id for recognition in chosen)
    followers = defaultdict(list)
    for follower in (
        Recognition.objects.select_for_update(of=("self",))
        .filter(
            record__corrects_id__in=[r.record_id for r in chosen],
            region_id__in={r.region_id for r in chosen},
            status=RecognitionStatus.PENDING,
        )
        .select_related("record")
        .order_by("record__created_at", "pk")
    ):
        followers[(follower.record.corrects_id, follower.region_id)].append(follower)
    counter = YearTotals()
    now = timezone.now()
    changed = []
    for recognition in chosen:
        group = [recognition, *followers.get((recognition.record_id, recognition.region_id), [])]
        rule = rule_in_effect(region_id=recognition.region_id, on=recognition.record.occurred_on) if recognise else None
        for item in group:
            item.status = RecognitionStatus.RECOGNISED if recognise else RecognitionStatus.REFUSED
            item.automatic = False
            item.decided_by = acting_user
            item.decided_at = now
            item.reason = "" if recognise else reason[:500]
            if recognise:
                for name, value in recognition_fields(
                    item.record, region_id=item.region_id, rule=rule, counter=counter
                ).items():
                    setattr(item, name, value)
            item.save(
                update_fields=[
                    "status",
                    "automatic",
                    "decided_by",
                    "decided_at",
                    "reason",
                    "rule",
                    "hours_per_credit",
                    "credits_converted",
                    "credits",
                ]
            )
            if recognise:
                counter.add(item)
        changed.append(recognition)
    audit_log_many(
        instances=changed,
        action="credits.recognition.recognise" if recognise else "credits.recognition.refuse",
        acting_user=acting_user,
        data={"reason": reason[:500]} if not recognise else {},
    )
    recognitions_notify_decided(changed)
    return changed


def recognitions_notify_decided(recognitions: list[Recognition]) -> None:
    """Tell each person, in their language, that a region recognised or refused one of their records."""
    people = {u.pk: u for u in User.objects.filter(pk__in={r.person_id for r in recognitions})}
    regions = {r.pk: r for r in Region.objects.filter(pk__in={r.region_id for r in recognitions})}
    for recognition in recognitions:
        person = people[recognition.person_id]
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            region = regions[recognition.region_id].localized_name
            title = recognition.record.localized_title
            if recognition.status == RecognitionStatus.REFUSED:
                message = _("%(region)s did not recognise “%(title)s”: %(reason)s") % {
                    "region": region,
                    "title": title,
                    "reason": recognition.reason,
                }
            else:
                message = _("%(region)s recognised “%(title)s” as %(credits)s credits.") % {
                    "region": region,
                    "title": title,
                    "credits": f"{recognition.credits:.1f}",
                }
            notification_send(
                recipient=person,
                kind="credits.recognition_decided",
                target=recognition,
                occasion=recognition.status,
                context={"title": title, "region": region, "message": message},
                url=reverse("credits:transcript"),
            )
