"""Reading and checking a spreadsheet of people to enrol (CSV or XLSX).

Every row is checked before anything is written; errors are stored as codes
with their values and rendered in the reader's language, so a coordinator in
Shanghai and an office in Hangzhou read the same report each in their own.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, School, Stage, Subject

from .models import Cohort, CohortMembership, MembershipRole, MembershipStatus
from .seats import seat_errors_for_rows

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".xlsx")

# Column headers a coordinator may use, in either language.
HEADERS = {
    "name": ["name", "姓名", "名字", "display name"],
    "email": ["email", "e-mail", "e-mail address", "邮箱", "电子邮箱", "电子邮件"],
    "role": ["role", "角色"],
    "region": ["region", "地区", "省市", "所在地区"],
    "school": ["school", "学校", "单位"],
    "stage": ["stage", "学段"],
    "subject": ["subject", "subjects", "学科"],
}
REQUIRED_COLUMNS = ["name", "email", "role", "region"]

ROLE_WORDS = {
    MembershipRole.TRAINEE: ["trainee", "学员", "影子校长", "影子教师", "shadow principal", "shadow teacher"],
    MembershipRole.MENTOR: ["mentor", "导师", "名校长", "名师", "host"],
    MembershipRole.COORDINATOR: ["coordinator", "协调员", "项目协调员", "班主任"],
}

MESSAGES = {
    "bad_file": _("The file could not be read as CSV or XLSX."),
    "too_slow": _(
        "The import took longer than %(minutes)s minutes and was stopped; nobody was invited. "
        "Upload the file again in smaller parts."
    ),
    "empty_file": _("The file has no rows below the header."),
    "too_many_rows": _("The file has %(count)s rows; at most %(limit)s can be imported at once."),
    "missing_columns": _("Columns missing from the header: %(columns)s."),
    "required": _("This value is required."),
    "too_long": _("At most %(limit)s characters."),
    "invalid_email": _("“%(value)s” is not a valid e-mail address."),
    "duplicate_email": _("%(value)s also appears in row %(other)s."),
    "unknown_role": _("Unknown role “%(value)s”: use trainee, mentor or coordinator."),
    "unknown_region": _("Unknown region “%(value)s”."),
    "region_not_in_cohort": _("%(value)s does not take part in this cohort."),
    "unknown_school": _("No school called “%(value)s” in %(region)s."),
    "unknown_stage": _("Unknown stage “%(value)s”."),
    "unknown_subject": _("Unknown subject “%(value)s”."),
    "already_member": _("%(value)s is already in this cohort as %(role)s."),
    "quota_exceeded": _("%(region)s has %(left)s seats left in this cohort; this row would exceed its quota."),
    "capacity_exceeded": _("The cohort has %(left)s trainee places left; this row would exceed its capacity."),
}


@dataclass
class RowError:
    row: int
    field: str
    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "code": self.code, "params": self.params}


def error_message(error: dict) -> str:
    """The message of a stored error, in the active language."""
    template = MESSAGES.get(error.get("code"), _("This row is not valid."))
    params = dict(error.get("params") or {})
    if error.get("code") == "already_member":
        params["role"] = dict(MembershipRole.choices).get(params.get("role"), params.get("role"))
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def field_label(name: str) -> str:
    labels = {
        "name": _("Name"),
        "email": _("E-mail"),
        "role": _("Role"),
        "region": _("Region"),
        "school": _("School"),
        "stage": _("Stage"),
        "subject": _("Subject"),
        "file": _("File"),
    }
    return str(labels.get(name, name))


def cell_text(value) -> str:
    """A cell as trimmed text; a whole number read as a float loses its `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _key(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().lower())


class FileError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.error = RowError(row=1, field="file", code=code, params=params)


def read_table(*, filename: str, content: bytes) -> list[dict]:
    """Rows as dicts keyed by our column names; raises FileError when the file itself is unusable."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            raw_rows = _xlsx_rows(content)
        elif name.endswith(".csv"):
            raw_rows = _csv_rows(content)
        else:
            raise FileError("bad_file")
    except FileError:
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds of errors on a damaged file
        raise FileError("bad_file") from exc
    rows = [row for row in raw_rows if any(cell_text(cell) for cell in row)]
    if not rows:
        raise FileError("empty_file")
    header = [_key(cell_text(cell)) for cell in rows[0]]
    columns: dict[str, int] = {}
    for column, aliases in HEADERS.items():
        for index, title in enumerate(header):
            if title in aliases:
                columns[column] = index
                break
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise FileError("missing_columns", columns=", ".join(missing))
    body = rows[1:]
    if not body:
        raise FileError("empty_file")
    if len(body) > MAX_ROWS:
        raise FileError("too_many_rows", count=len(body), limit=MAX_ROWS)
    return [
        {column: cell_text(row[index]) if index < len(row) else "" for column, index in columns.items()} for row in body
    ]


def _csv_rows(content: bytes) -> list[list]:
    # Excel in China saves CSV as GB18030 unless told otherwise; try UTF-8 (with BOM) first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError("bad_file")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


@dataclass
class CleanRow:
    row: int
    name: str
    email: str
    role: str
    region: Region
    school: School | None
    stages: list[str]
    subjects: list[str]


def _choice_lookup(choices) -> dict[str, str]:
    from django.utils import translation

    lookup = {}
    for value, label in choices:
        lookup[_key(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[_key(str(label))] = value
    return lookup


class RowChecker:
    """Checks rows against the cohort with a fixed number of queries, whatever the file size."""

    def __init__(self, *, cohort: Cohort):
        self.cohort = cohort
        self.cohort_regions = {link.region_id: link for link in cohort.cohort_regions.select_related("region")}
        self.regions: dict[str, Region] = {}
        for region in Region.objects.all():
            for word in (region.code, region.name, region.name_en, region.name.rstrip("省市")):
                if word:
                    self.regions[_key(word)] = region
        self.schools: dict[tuple[int, str], School] = {}
        for school in School.objects.filter(region_id__in=list(self.cohort_regions)):
            for word in (school.name, school.name_en):
                if word:
                    self.schools[(school.region_id, _key(word))] = school
        self.roles = {_key(word): role for role, words in ROLE_WORDS.items() for word in words}
        self.stages = _choice_lookup(Stage.choices)
        self.subjects = _choice_lookup(Subject.choices)

    def check(self, rows: list[dict], *, progress: Callable[[int], None] | None = None):
        """(clean rows, errors). Row numbers count the header as row 1, as spreadsheets do."""
        errors: list[RowError] = []
        clean: list[CleanRow] = []
        first_row_of: dict[str, int] = {}
        existing = self._existing_memberships({values.get("email", "").lower() for values in rows} - {""})
        for index, values in enumerate(rows, start=2):
            row_errors: list[RowError] = []
            name = values.get("name", "")
            if not name:
                row_errors.append(RowError(index, "name", "required"))
            elif len(name) > 100:
                row_errors.append(RowError(index, "name", "too_long", {"limit": 100}))
            email = values.get("email", "").lower()
            if not email:
                row_errors.append(RowError(index, "email", "required"))
            else:
                try:
                    validate_email(email)
                except ValidationError:
                    row_errors.append(RowError(index, "email", "invalid_email", {"value": values["email"]}))
                else:
                    if email in first_row_of:
                        row_errors.append(
                            RowError(index, "email", "duplicate_email", {"value": email, "other": first_row_of[email]})
                        )
                    else:
                        first_row_of[email] = index
            role = self.roles.get(_key(values.get("role", "")))
            if not values.get("role"):
                row_errors.append(RowError(index, "role", "required"))
            elif role is None:
                row_errors.append(RowError(index, "role", "unknown_role", {"value": values["role"]}))
            region = None
            if not values.get("region"):
                row_errors.append(RowError(index, "region", "required"))
            else:
                region = self.regions.get(_key(values["region"]))
                if region is None:
                    row_errors.append(RowError(index, "region", "unknown_region", {"value": values["region"]}))
                elif region.pk not in self.cohort_regions:
                    row_errors.append(RowError(index, "region", "region_not_in_cohort", {"value": region.name}))
                    region = None
            school = None
            if values.get("school") and region is not None:
                school = self.schools.get((region.pk, _key(values["school"])))
                if school is None:
                    row_errors.append(
                        RowError(index, "school", "unknown_school", {"value": values["school"], "region": region.name})
                    )
            stages = []
            for word in _split(values.get("stage", "")):
                stage = self.stages.get(_key(word))
                if stage is None:
                    row_errors.append(RowError(index, "stage", "unknown_stage", {"value": word}))
                else:
                    stages.append(stage)
            subjects = []
            for word in _split(values.get("subject", "")):
                subject = self.subjects.get(_key(word))
                if subject is None:
                    row_errors.append(RowError(index, "subject", "unknown_subject", {"value": word}))
                else:
                    subjects.append(subject)
            if email and role and (email, role) in existing:
                row_errors.append(RowError(index, "email", "already_member", {"value": email, "role": role}))
            if row_errors:
                errors.extend(row_errors)
            else:
                clean.append(CleanRow(index, name, email, role, region, school, stages, subjects))
            if progress is not None and (index - 1) % 500 == 0:
                progress(index - 1)
        if not errors:
            errors.extend(seat_errors_for_rows(cohort=self.cohort, rows=clean))
        if progress is not None:
            progress(len(rows))
        return clean, errors

    def _existing_memberships(self, emails: set[str]) -> set[tuple[str, str]]:
        found = set()
        lowered = list(emails)
        for start in range(0, len(lowered), 2000):
            chunk = lowered[start : start + 2000]
            for email, role in (
                CohortMembership.objects.filter(cohort=self.cohort, user__email__in=chunk)
                .exclude(status=MembershipStatus.WITHDRAWN)
                .values_list("user__email", "role")
            ):
                found.add((email.lower(), role))
        return found


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,，、;；/]", value or "") if part.strip()]
