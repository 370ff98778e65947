"""The credit bank in the API: a person's records, a region's recognition queue and decisions, indicators.

A django-ninja `Router` mounted by `api.v1` (`api/v1/__init__.py`). Every operation reads through the
selectors the pages use (`credits.selectors`, `regional.selectors`,
`regional.indicators`) and decides through `credits.services.recognition_decide`,
so the API shows and changes exactly what the pages do. Decisions are POSTs that
take an `Idempotency-Key` (replayed by `api.middleware`).
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router
from pydantic import Field, create_model

from credits import selectors as credit_selectors
from credits.models import CreditRecord, Recognition
from credits.services import recognition_decide
from regional import indicators as figures
from regional import selectors as regional_selectors

from .. import schemas as s
from ..pagination import paginate

router = Router(tags=["credits"])

PROBLEMS = dict.fromkeys((400, 401, 403, 404, 422, 429), s.Problem)


class RecognitionOut(s.Schema):
    id: int
    region: str = Field(description="Code of the recognising region")
    status: Literal["issued", "pending", "recognised", "refused"] = Field(
        description="issued: the region issued the record; pending: in its office's queue; recognised or refused"
    )
    automatic: bool = Field(description="Decided by the region's rule rather than by its office")
    rule_version: int | None
    hours_per_credit: Decimal | None
    credits: Decimal = Field(description="Credits the region counts (after its yearly cap)")
    reason: str
    decided_at: datetime.datetime | None


class CreditRecordOut(s.Schema):
    id: int
    person_id: int
    kind: str
    category: str
    title: str
    title_en: str
    hours: Decimal
    credits: Decimal = Field(description="Credits under the issuing region's rule")
    occurred_on: datetime.date
    issuing_region: str
    home_region: str | None
    corrects_id: int | None
    recognitions: list[RecognitionOut]


class QueueItemOut(s.Schema):
    id: int
    status: str
    region: str
    person_id: int
    person_name: str
    record: CreditRecordOut


class RefuseIn(s.Strict):
    reason: str = Field(min_length=1, max_length=500)


class DecisionsIn(s.Strict):
    ids: list[int] = Field(min_length=1, max_length=200)
    decision: Literal["recognise", "refuse"]
    reason: str = Field("", max_length=500)


class IndicatorOut(s.Schema):
    region: str
    year: int
    scope: Literal["region", "school", "stage"]
    group: str | None = Field(description="School id or stage code; null for the whole region")
    trainees: int
    cross_province: int
    completed: int
    completion_rate: Decimal | None
    credited_teachers: int
    hours: Decimal
    credits: Decimal
    hours_per_teacher: Decimal | None
    credits_per_teacher: Decimal | None


def _page(item, name):
    # As `api.v1.page_of`, kept here so that the router does not import the package that mounts it.
    return create_model(name, __base__=s.Schema, results=(list[item], ...), next_cursor=(str | None, None))


def _recognition_out(recognition: Recognition, codes: dict) -> dict:
    return {
        "id": recognition.pk,
        "region": codes[recognition.region_id],
        "status": recognition.status,
        "automatic": recognition.automatic,
        "rule_version": recognition.rule.version if recognition.rule_id else None,
        "hours_per_credit": recognition.hours_per_credit,
        "credits": recognition.credits,
        "reason": recognition.reason,
        "decided_at": recognition.decided_at,
    }


def _record_out(record, codes: dict) -> dict:
    return {
        "id": record.pk,
        "person_id": record.person_id,
        "kind": record.kind,
        "category": record.category,
        "title": record.title,
        "title_en": record.title_en,
        "hours": record.hours,
        "credits": record.credits,
        "occurred_on": record.occurred_on,
        "issuing_region": codes[record.issuing_region_id],
        "home_region": codes.get(record.home_region_id),
        "corrects_id": record.corrects_id,
        "recognitions": [_recognition_out(r, codes) for r in record.recognitions.all()],
    }


def _codes() -> dict:
    from accounts.models import Region

    return dict(Region.objects.values_list("pk", "code"))


@router.get(
    "/people/{person_id}/credit-records/",
    response={200: _page(CreditRecordOut, "CreditRecordPage"), **PROBLEMS},
)
def credit_record_list(request, person_id: int, cursor: str | None = None, limit: int | None = None):
    """A person's credit records with each region's decision: my own, or my region's people (joint office: anyone)."""
    records = credit_selectors.record_list_for_person(acting_user=request.user, person_id=person_id).prefetch_related(
        "recognitions__rule"
    )
    rows, following = paginate(records, cursor=cursor, limit=limit, scope=f"credits:{person_id}", descending=True)
    codes = _codes()
    return {"results": [_record_out(record, codes) for record in rows], "next_cursor": following}


def _region(request, code: str):
    region = regional_selectors.region_get_for_office(acting_user=request.user, code=code)
    if region is None:
        raise Http404
    return region


@router.get(
    "/regions/{code}/recognition-queue/",
    response={200: _page(QueueItemOut, "RecognitionQueuePage"), **PROBLEMS},
)
def recognition_queue(
    request,
    code: str,
    status: Literal["pending", "recognised", "refused"] = "pending",
    cursor: str | None = None,
    limit: int | None = None,
):
    """A region's recognition queue (its office's, or any region's for the joint office), oldest first."""
    region = _region(request, code)
    items = credit_selectors.queue_for_user(
        acting_user=request.user, region_id=region.pk, status=status
    ).select_related("rule")
    rows, following = paginate(items, cursor=cursor, limit=limit, scope=f"queue:{region.pk}:{status}")
    codes = _codes()
    records = {
        record.pk: record
        for record in CreditRecord.objects.filter(pk__in=[r.record_id for r in rows]).prefetch_related(
            "recognitions__rule"
        )
    }
    return {
        "results": [
            {
                "id": item.pk,
                "status": item.status,
                "region": codes[item.region_id],
                "person_id": item.person_id,
                "person_name": item.person.get_full_name(),
                "record": _record_out(records[item.record_id], codes),
            }
            for item in rows
        ],
        "next_cursor": following,
    }


def _decide(request, ids: list[int], recognise: bool, reason: str = "") -> list[Recognition]:
    if any(not 0 < pk < 2**63 for pk in ids):
        raise Http404
    visible = credit_selectors.queue_for_user(acting_user=request.user, status="").filter(pk__in=ids)
    if visible.count() != len(set(ids)):
        raise Http404
    if credit_selectors.queue_decidable_by(request.user) == frozenset():
        raise PermissionDenied
    return recognition_decide(acting_user=request.user, recognition_ids=ids, recognise=recognise, reason=reason)


@router.post("/recognitions/{recognition_id}/recognise/", response={200: RecognitionOut, **PROBLEMS})
def recognition_recognise(request, recognition_id: int):
    """Recognise one record waiting in my region's queue under the rule in force on its date."""
    (recognition,) = _decide(request, [recognition_id], True)
    return _recognition_out(Recognition.objects.select_related("rule").get(pk=recognition.pk), _codes())


@router.post("/recognitions/{recognition_id}/refuse/", response={200: RecognitionOut, **PROBLEMS})
def recognition_refuse(request, recognition_id: int, payload: RefuseIn):
    """Refuse one record waiting in my region's queue, with the reason the person will read."""
    (recognition,) = _decide(request, [recognition_id], False, payload.reason)
    return _recognition_out(Recognition.objects.select_related("rule").get(pk=recognition.pk), _codes())


@router.post("/recognitions/decisions/", response={200: list[RecognitionOut], **PROBLEMS})
def recognition_decide_many(request, payload: DecisionsIn):
    """Recognise or refuse several records of my region's queue at once: all or none."""
    decided = _decide(request, payload.ids, payload.decision == "recognise", payload.reason)
    codes = _codes()
    return [
        _recognition_out(r, codes)
        for r in Recognition.objects.filter(pk__in=[d.pk for d in decided]).select_related("rule").order_by("pk")
    ]


@router.get("/regions/{code}/indicators/", response={200: list[IndicatorOut], **PROBLEMS})
def region_indicators(
    request, code: str, year: int | None = None, scope: Literal["region", "school", "stage"] = "region"
):
    """A region's indicators by year (optionally by school or stage), as on its office's home."""
    region = _region(request, code)
    rows = figures.for_region(figures.all_indicators(), region.pk, scope, year)
    return [
        {
            "region": region.code,
            "year": row["year"],
            "scope": scope,
            "group": None if row["key"] is None else str(row["key"]),
            **{
                key: row[key]
                for key in (
                    "trainees",
                    "cross_province",
                    "completed",
                    "completion_rate",
                    "credited_teachers",
                    "hours",
                    "credits",
                    "hours_per_teacher",
                    "credits_per_teacher",
                )
            },
        }
        for row in sorted(rows, key=lambda row: (-row["year"], str(row["key"])))
    ]
