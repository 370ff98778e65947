"""Reads of the credit bank, with access control: a person's transcript, a region's queue, the records API.

A person sees their own account; a regional office sees the people whose home
region it administers (as on the pages it already has); the joint office and
staff see everyone. Getters raise 404 for what a person may not see.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404

from accounts.models import Region, User
from accounts.permissions import administered_region_ids, is_joint_office

from .models import CreditCategory, CreditRecord, Recognition, RecognitionRule, RecognitionStatus, TranscriptShare

ZERO = Decimal("0")


@dataclass
class Transcript:
    person: User
    home_region: Region | None
    regions: list[Region]
    records: list[CreditRecord]
    # year -> category -> credits counted in the home region (or where issued, without a home region)
    by_year: list[dict] = field(default_factory=list)
    categories: list[tuple[str, str]] = field(default_factory=list)
    region_totals: list[dict] = field(default_factory=list)
    hours_total: Decimal = ZERO
    credits_total: Decimal = ZERO


def transcript_for_person(*, person: User) -> Transcript:
    """A person's whole credit history with each region's decision and totals, in five queries whatever its length."""
    person = User.objects.select_related("profile__region").get(pk=person.pk)
    home = getattr(getattr(person, "profile", None), "region", None)
    regions = list(Region.objects.order_by("sort_order", "code"))
    records = list(
        CreditRecord.objects.filter(person=person)
        .select_related("issuing_region", "corrects")
        .prefetch_related(Prefetch("recognitions", queryset=Recognition.objects.order_by("region__sort_order")))
        .order_by("-occurred_on", "-pk")
    )
    for record in records:
        record.by_region = {r.region_id: r for r in record.recognitions.all()}
        record.home_recognition = record.by_region.get(home.pk) if home else None
    transcript = Transcript(person=person, home_region=home, regions=regions, records=records)
    transcript.categories = list(CreditCategory.choices)
    totals = (
        Recognition.objects.filter(person=person, status__in=RecognitionStatus.counted())
        .values("region_id", "year", "category")
        .annotate(total=Sum("credits"))
        .order_by()
    )
    per_year = defaultdict(lambda: defaultdict(lambda: ZERO))
    per_region = defaultdict(lambda: ZERO)
    for row in totals:
        per_region[row["region_id"]] += row["total"]
        if home and row["region_id"] == home.pk:
            per_year[row["year"]][row["category"]] += row["total"]
    if home is None:
        # Without a home region, the account is what each issuing region granted.
        for row in totals:
            per_year[row["year"]][row["category"]] += row["total"]
    transcript.by_year = [
        {
            "year": year,
            "cells": [per_year[year][value] for value, _label in transcript.categories],
            "total": sum(per_year[year].values(), ZERO),
        }
        for year in sorted(per_year, reverse=True)
    ]
    transcript.credits_total = sum((row["total"] for row in transcript.by_year), ZERO)
    transcript.region_totals = [{"region": region, "credits": per_region[region.pk]} for region in regions]
    transcript.hours_total = sum((record.hours for record in records), ZERO)
    return transcript


def transcript_share_for(*, person: User) -> TranscriptShare | None:
    return TranscriptShare.objects.filter(person=person).first()


def person_get_by_share_token(*, token: str) -> User | None:
    """The person whose transcript this public address shows, or None (never existed, renewed or turned off)."""
    token = (token or "").strip()
    if not token or len(token) > 40:
        return None
    share = TranscriptShare.objects.filter(token=token).select_related("person").first()
    return share.person if share else None


# --- Who sees whose account -------------------------------------------------------------------


def visible_home_region_ids(user) -> frozenset[int] | None:
    """Whose accounts this person may read besides their own: None for everyone (joint office, staff)."""
    if is_joint_office(user):
        return None
    return administered_region_ids(user)


def person_get_for_user(*, acting_user, person_id) -> User:
    """A person whose credit account this user may read (themselves, their region's people), or 404."""
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < person_id < 2**63:
        raise Http404
    person = User.objects.select_related("profile").filter(pk=person_id).first()
    if person is None:
        raise Http404
    if person.pk == acting_user.pk:
        return person
    regions = visible_home_region_ids(acting_user)
    home = getattr(getattr(person, "profile", None), "region_id", None)
    if regions is None or (home is not None and home in regions):
        return person
    raise Http404


def record_list_for_person(*, acting_user, person_id) -> QuerySet[CreditRecord]:
    """A person's records, newest first, with each region's decision: for them and their region's office."""
    person = person_get_for_user(acting_user=acting_user, person_id=person_id)
    return (
        CreditRecord.objects.filter(person=person)
        .select_related("issuing_region", "home_region")
        .prefetch_related(Prefetch("recognitions", queryset=Recognition.objects.select_related("region")))
    )


def queue_region_ids(user) -> frozenset[int] | None:
    """Whose queues this person sees: their regions', or every region (None) for the joint office and staff."""
    return visible_home_region_ids(user)


def queue_for_user(*, acting_user, region_id=None, status: str = RecognitionStatus.PENDING) -> QuerySet[Recognition]:
    """Records waiting for (or decided by) the regions this person's office acts for, oldest first."""
    regions = queue_region_ids(acting_user)
    queue = Recognition.objects.filter(record__corrects__isnull=True)
    if status:
        queue = queue.filter(status=status)
    if regions is not None:
        queue = queue.filter(region_id__in=regions)
    if region_id is not None:
        queue = queue.filter(region_id=region_id)
    return queue.select_related("record", "record__issuing_region", "person", "region", "person__profile__school")


def queue_decidable_by(user) -> frozenset[int] | None:
    """The regions whose queue this person decides: their own regions' offices, or staff everywhere (None)."""
    if user.is_staff or user.is_superuser:
        return None
    return administered_region_ids(user)


def rule_list_for_region(*, region_id: int) -> list[RecognitionRule]:
    return list(RecognitionRule.objects.filter(region_id=region_id).order_by("-effective_from"))
