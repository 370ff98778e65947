"""What the API reads and writes; body schemas refuse unknown fields."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ProgrammeOut(Schema):
    id: int
    code: str
    title: str
    title_en: str
    kind: str
    credit_hours: Decimal


class CohortOut(Schema):
    id: int
    name: str
    name_en: str
    programme_id: int
    programme_code: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    capacity: int


class ScheduleItemOut(Schema):
    id: int
    cohort_id: int
    kind: str
    title: str
    title_en: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    required: bool
    cancelled: bool


class MembershipOut(Schema):
    id: int
    cohort_id: int
    user_id: int
    name: str
    email: str
    role: str
    status: str
    region: str | None


class MembershipRowIn(Strict):
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    role: str = Field(max_length=50)
    region: str = Field(max_length=100)
    school: str = Field(default="", max_length=200)
    stage: str = Field(default="", max_length=200)
    subject: str = Field(default="", max_length=200)


class MembershipBulkIn(Strict):
    rows: list[MembershipRowIn] = Field(min_length=1, max_length=10_000)


class MembershipPatchIn(Strict):
    """What the coordinator's membership page changes; fields left out stay as they are."""

    role: Literal["trainee", "mentor", "coordinator"] | None = None
    status: Literal["invited", "applied", "accepted", "active", "withdrawn", "completed"] | None = None
    region: str | None = Field(default=None, max_length=20, description="Region code, e.g. sh, js, zj, ah")
    note: str = Field(default="", max_length=200, description="Kept in the audit trail")


class WithdrawIn(Strict):
    note: str = Field(default="", max_length=200, description="Kept in the audit trail")


class BulkResultOut(Schema):
    created: int


class PairingOut(Schema):
    id: int
    cohort_id: int
    trainee_id: int
    trainee_name: str
    mentor_id: int
    mentor_name: str
    status: str
    starts_on: datetime.date
    ends_on: datetime.date


class SessionLogIn(Strict):
    occurred_on: datetime.date
    hours: Decimal = Field(gt=0, le=24, max_digits=4, decimal_places=1)
    kind: str = Field(max_length=20)
    went_well: str = Field(default="", max_length=5000)
    challenges: str = Field(default="", max_length=5000)


class SessionLogPatchIn(Strict):
    """Corrections to a log that awaits confirmation; fields left out stay as they are."""

    occurred_on: datetime.date | None = None
    hours: Decimal | None = Field(default=None, gt=0, le=24, max_digits=4, decimal_places=1)
    kind: str | None = Field(default=None, max_length=20)
    went_well: str | None = Field(default=None, max_length=5000)
    challenges: str | None = Field(default=None, max_length=5000)


class DisputeIn(Strict):
    comment: str = Field(min_length=1, max_length=2000)


class SessionLogOut(Schema):
    id: int
    pairing_id: int
    author_id: int
    occurred_on: datetime.date
    hours: Decimal
    kind: str
    status: str


class HoursRowOut(Schema):
    membership_id: int
    user_id: int
    name: str
    email: str
    region: str | None
    by_source: dict[str, Decimal]
    total: Decimal
    certificate_code: str | None


class HoursEntryOut(Schema):
    id: int
    source: str
    hours: Decimal
    occurred_on: datetime.date
    corrects_id: int | None
    note: str


class CertificateOut(Schema):
    code: str
    kind: Literal["completion", "hosting"] = Field(
        description="completion: a trainee finished the programme; hosting: a mentor hosted trainees in it"
    )
    holder_name: str
    programme_title: str
    cohort_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal
    issued_at: datetime.datetime
    valid: bool


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    url: str
    created_at: datetime.datetime
    read: bool


class ReadOut(Schema):
    read: bool


class Problem(Schema):
    type: str = Field(description="A relative URI; open it for a page describing this kind of problem")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict] | None = None
