"""Writes of the credit bank: records from training's signals, rules, recognitions, the transcript's address.

Every function is a transaction. Records are written once per source (a signal
delivered twice writes one record) and never edited; recognitions are decided
once. Caps are counted under a lock on the person, so two decisions at once
cannot both take the last credits of a year.
"""

import datetime
import secrets
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_log, audit_log_many
from accounts.models import Region, User
from accounts.permissions import administered_region_ids
from notifications.services import notification_send

from .arithmetic import convert, grant
from .models import (
    DEFAULT_CATEGORY,
    DEFAULT_HOURS_PER_CREDIT,
    CreditCategory,
    CreditKind,
    CreditRecord,
    Recognition,
    RecognitionRule,
    RecognitionStatus,
    TranscriptShare,
)
from .sources import describer_for

ZERO = Decimal("0")


# --- Rules ------------------------------------------------------------------------------


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


# --- Records ----------------------------------------------------------------------------


class _Counter:
    """Credits already counted per (person, region, year, category), read once per key in a transaction."""

    def __init__(self):
        self.totals = {}

    def year(self, *, person_id, region_id, year, category) -> Decimal:
        key = (person_id, region_id, year, category)
        if key not in self.totals:
            self.totals[key] = (
                Recognition.objects.filter(
                    person_id=person_id,
                    region_id=region_id,
                    year=year,
                    category=category,
                    status__in=RecognitionStatus.counted(),
                ).aggregate(total=Sum("credits"))["total"]
                or ZERO
            )
        return self.totals[key]

    def add(self, recognition: Recognition) -> None:
        key = (recognition.person_id, recognition.region_id, recognition.year, recognition.category)
        self.totals[key] = (
            self.year(
                person_id=recognition.person_id,
                region_id=recognition.region_id,
                year=recognition.year,
                category=recognition.category,
            )
            + recognition.credits
        )


def _lock_people(person_ids) -> None:
    list(User.objects.select_for_update().filter(pk__in=sorted(set(person_ids))).values_list("pk", flat=True))


def _granted(record: CreditRecord, *, region_id: int, rule, counter: _Counter, hours_per_credit=None) -> dict:
    """The recognition fields of `record` in a region under `rule` (or the platform default)."""
    if hours_per_credit is None:
        hours_per_credit = rule.conversion(record.kind) if rule else DEFAULT_HOURS_PER_CREDIT
    converted = convert(record.hours, hours_per_credit)
    held = ZERO
    if record.corrects_id:
        held = (
            Recognition.objects.filter(
                Q(record_id=record.corrects_id) | Q(record__corrects_id=record.corrects_id),
                region_id=region_id,
                status__in=RecognitionStatus.counted(),
            ).aggregate(total=Sum("credits"))["total"]
            or ZERO
        )
    credits = grant(
        converted,
        cap=rule.cap(record.category) if rule else None,
        counted_this_year=counter.year(
            person_id=record.person_id, region_id=region_id, year=record.occurred_on.year, category=record.category
        ),
        counted_for_record=held,
    )
    return {"rule": rule, "hours_per_credit": hours_per_credit, "credits_converted": converted, "credits": credits}


def _recognition(record: CreditRecord, *, region_id: int, status: str, **fields) -> Recognition:
    recognition = Recognition.objects.create(
        record=record,
        region_id=region_id,
        status=status,
        person_id=record.person_id,
        year=record.occurred_on.year,
        category=record.category,
        home=region_id == record.home_region_id,
        **fields,
    )
    return recognition


def _recognise_new(record: CreditRecord, *, counter: _Counter) -> list[Recognition]:
    """Recognitions of a new record: issued by its region, and by the home region by rule or in its queue."""
    made = []
    if record.corrects_id:
        # A correction follows what each region decided about the record it corrects.
        for original in Recognition.objects.filter(record_id=record.corrects_id).select_related("rule"):
            fields = {"automatic": True, "rule": original.rule, "reason": original.reason}
            if original.status in RecognitionStatus.counted():
                fields.update(
                    _granted(
                        record,
                        region_id=original.region_id,
                        rule=original.rule,
                        counter=counter,
                        hours_per_credit=original.hours_per_credit,
                    )
                )
                fields["automatic"] = original.automatic
            recognition = _recognition(record, region_id=original.region_id, status=original.status, **fields)
            counter.add(recognition)
            made.append(recognition)
        return made
    issuing_rule = rule_in_effect(region_id=record.issuing_region_id, on=record.occurred_on)
    issued = _recognition(
        record,
        region_id=record.issuing_region_id,
        status=RecognitionStatus.ISSUED,
        automatic=True,
        **_granted(record, region_id=record.issuing_region_id, rule=issuing_rule, counter=counter),
    )
    counter.add(issued)
    made.append(issued)
    home = record.home_region_id
    if home and home != record.issuing_region_id:
        rule = rule_in_effect(region_id=home, on=record.occurred_on)
        if rule and rule.accepts_automatically(record.kind, record.issuing_region.code):
            recognition = _recognition(
                record,
                region_id=home,
                status=RecognitionStatus.RECOGNISED,
                automatic=True,
                decided_at=timezone.now(),
                **_granted(record, region_id=home, rule=rule, counter=counter),
            )
            counter.add(recognition)
            audit_log(
                instance=recognition,
                action="credits.recognition.automatic",
                acting_user=None,
                data={"region_id": home, "record_id": record.pk, "rule_version": rule.version},
            )
            _notify_decided([recognition])
        else:
            recognition = _recognition(record, region_id=home, status=RecognitionStatus.PENDING)
        made.append(recognition)
    return made


def _record_write(*, source, corrects: CreditRecord | None = None, **fields) -> CreditRecord | None:
    """Write one record for a source once, with its recognitions; a repeated call writes nothing."""
    source_type = ContentType.objects.get_for_model(source)
    lookup = {"source_type": source_type, "source_id": source.pk, "corrects": corrects}
    if CreditRecord.objects.filter(**lookup).exists():
        return None
    _lock_people([fields["person"].pk])
    issuing_rule = rule_in_effect(region_id=fields["issuing_region"].pk, on=fields["occurred_on"])
    fields["credits"] = convert(
        fields["hours"], issuing_rule.conversion(fields["kind"]) if issuing_rule else DEFAULT_HOURS_PER_CREDIT
    )
    try:
        with transaction.atomic():
            record = CreditRecord.objects.create(**lookup, **fields)
    except IntegrityError:
        # The same signal delivered twice at once: the first record stands.
        return None
    _recognise_new(record, counter=_Counter())
    return record


def _certificate_issuer(certificate, cohort_regions: list[Region]) -> Region:
    """The region where the training happened: the first host region taking part in the cohort, else its first region."""
    by_name = {region.name: region for region in cohort_regions}
    for host in certificate.host_regions or ():
        if host.get("name") in by_name:
            return by_name[host["name"]]
    return cohort_regions[0]


@transaction.atomic
def records_from_certificates(*, certificates) -> list[CreditRecord]:
    """One record for each completion or hosting certificate just issued."""
    from training.models import CertificateKind, CohortRegion

    made = []
    for certificate in certificates:
        if (
            certificate.kind not in (CertificateKind.COMPLETION, CertificateKind.HOSTING)
            or not certificate.membership_id
        ):
            continue
        membership = certificate.membership
        regions = [
            link.region
            for link in CohortRegion.objects.filter(cohort_id=membership.cohort_id)
            .select_related("region")
            .order_by("region__sort_order", "region__code")
        ]
        person = User.objects.select_related("profile").get(pk=certificate.holder_id or membership.user_id)
        home_id = membership.region_id or getattr(getattr(person, "profile", None), "region_id", None)
        if not regions:
            if home_id is None:
                continue
            regions = [Region.objects.get(pk=home_id)]
        record = _record_write(
            source=certificate,
            person=person,
            kind=CreditKind.PROGRAMME if certificate.kind == CertificateKind.COMPLETION else CreditKind.HOSTING,
            category=CreditCategory.TRAINING,
            title=f"{certificate.programme_title}（{certificate.cohort_name}）",
            title_en=(
                f"{certificate.programme_title_en} ({certificate.cohort_name_en})"
                if certificate.programme_title_en
                else ""
            ),
            hours=certificate.hours,
            occurred_on=timezone.localdate(certificate.issued_at),
            issuing_region=_certificate_issuer(certificate, regions),
            home_region_id=home_id,
            note=certificate.code,
        )
        if record:
            made.append(record)
    return made


def _net_hours(record: CreditRecord) -> Decimal:
    return record.hours + (record.corrections.aggregate(total=Sum("hours"))["total"] or ZERO)


@transaction.atomic
def record_from_revocation(*, certificate) -> CreditRecord | None:
    """A revoked certificate takes its hours and credits back with a correcting record."""
    source_type = ContentType.objects.get_for_model(certificate)
    original = CreditRecord.objects.filter(source_type=source_type, source_id=certificate.pk, corrects=None).first()
    if original is None:
        return None
    return _record_write(
        source=certificate,
        corrects=original,
        person=original.person,
        kind=original.kind,
        category=original.category,
        title=original.title,
        title_en=original.title_en,
        hours=-_net_hours(original),
        occurred_on=original.occurred_on,
        issuing_region=original.issuing_region,
        home_region_id=original.home_region_id,
        note=(certificate.revocation_reason or "")[:300],
    )


@transaction.atomic
def record_from_ledger(*, entry) -> CreditRecord | None:
    """One record for a ledger line outside any cohort (an event, a studio, a contest), or its correction."""
    from training.models import HoursEntry, HoursSource

    if entry.cohort_id is not None:
        # A cohort's hours reach the bank through its completion certificate.
        return None
    entry_type = ContentType.objects.get_for_model(HoursEntry)
    if entry.source == HoursSource.CORRECTION:
        original = CreditRecord.objects.filter(
            source_type=entry_type, source_id=entry.corrects_id, corrects=None
        ).first()
        if original is None:
            return None
        return _record_write(
            source=entry,
            corrects=original,
            person=original.person,
            kind=original.kind,
            category=original.category,
            title=original.title,
            title_en=original.title_en,
            hours=entry.hours,
            occurred_on=original.occurred_on,
            issuing_region=original.issuing_region,
            home_region_id=original.home_region_id,
            note=entry.note[:300],
        )
    describe = describer_for(entry.source)
    if describe is None or entry.source_id is None:
        return None
    description = describe([entry.source_id]).get(entry.source_id)
    if description is None:
        return None
    person = User.objects.select_related("profile").get(pk=entry.trainee_id)
    return _record_write(
        source=entry,
        person=person,
        kind=entry.source,
        category=description.category or DEFAULT_CATEGORY[entry.source],
        title=description.title[:300],
        title_en=description.title_en[:300],
        hours=entry.hours,
        occurred_on=entry.occurred_on,
        issuing_region=Region.objects.get(pk=description.issuing_region_id),
        home_region_id=getattr(getattr(person, "profile", None), "region_id", None),
        note=entry.note[:300],
    )


# --- Recognition by the regional office ------------------------------------------------------


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
    _lock_people(recognition.person_id for recognition in chosen)
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
    counter = _Counter()
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
                for name, value in _granted(item.record, region_id=item.region_id, rule=rule, counter=counter).items():
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
    _notify_decided(changed)
    return changed


def _notify_decided(recognitions: list[Recognition]) -> None:
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


# --- The transcript's public address ------------------------------------------------------


@transaction.atomic
def transcript_share_renew(*, acting_user) -> TranscriptShare:
    """Give my transcript a new public address; the old one stops working."""
    share, _created = TranscriptShare.objects.select_for_update().get_or_create(person=acting_user)
    share.token = secrets.token_urlsafe(18)
    share.renewed_at = timezone.now()
    share.save(update_fields=["token", "renewed_at"])
    audit_log(instance=share, action="credits.transcript.share", acting_user=acting_user)
    return share


@transaction.atomic
def transcript_share_disable(*, acting_user) -> None:
    """Turn my transcript's public address off."""
    share = TranscriptShare.objects.select_for_update().filter(person=acting_user).first()
    if share and share.token:
        share.token = None
        share.save(update_fields=["token"])
        audit_log(instance=share, action="credits.transcript.unshare", acting_user=acting_user)
