"""Records of the credit bank, written from training's signals: certificates, revocations, ledger lines.

Records are written once per source (a signal delivered twice writes one
record) and never edited; a correction is a new record. Each new record gets
its recognitions at once: by the issuing region, and by the home region by
rule or in its queue.
"""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.audit import audit_log
from accounts.models import Region, User

from ..arithmetic import convert
from ..models import (
    DEFAULT_CATEGORY,
    DEFAULT_HOURS_PER_CREDIT,
    CreditCategory,
    CreditKind,
    CreditRecord,
    Recognition,
    RecognitionStatus,
)
from ..sources import describer_for
from .caps import ZERO, YearTotals, people_lock, recognition_fields
from .recognitions import recognitions_notify_decided
from .rules import rule_in_effect


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


def _recognise_new(record: CreditRecord, *, counter: YearTotals) -> list[Recognition]:
    """Recognitions of a new record: issued by its region, and by the home region by rule or in its queue."""
    made = []
    if record.corrects_id:
        # A correction follows what each region decided about the record it corrects.
        for original in Recognition.objects.filter(record_id=record.corrects_id).select_related("rule"):
            fields = {"automatic": True, "rule": original.rule, "reason": original.reason}
            if original.status in RecognitionStatus.counted():
                fields.update(
                    recognition_fields(
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
        **recognition_fields(record, region_id=record.issuing_region_id, rule=issuing_rule, counter=counter),
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
                **recognition_fields(record, region_id=home, rule=rule, counter=counter),
            )
            counter.add(recognition)
            audit_log(
                instance=recognition,
                action="credits.recognition.automatic",
                acting_user=None,
                data={"region_id": home, "record_id": record.pk, "rule_version": rule.version},
            )
            recognitions_notify_decided([recognition])
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
    people_lock([fields["person"].pk])
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
    _recognise_new(record, counter=YearTotals())
    return record


def _correction_write(*, source, original: CreditRecord, hours, note: str) -> CreditRecord | None:
    """A record correcting `original` by `hours`: what it is about, where and when, stay the original's."""
    return _record_write(
        source=source,
        corrects=original,
        person=original.person,
        kind=original.kind,
        category=original.category,
        title=original.title,
        title_en=original.title_en,
        hours=hours,
        occurred_on=original.occurred_on,
        issuing_region=original.issuing_region,
        home_region_id=original.home_region_id,
        note=note[:300],
    )


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
    return _correction_write(
        source=certificate, original=original, hours=-_net_hours(original), note=certificate.revocation_reason or ""
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
        return _correction_write(source=entry, original=original, hours=entry.hours, note=entry.note)
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
