"""No spreadsheet the platform writes carries a formula (issue 14, item 4).

Every declared URL is fetched by a role allowed to read it; each answer that
is a CSV or XLSX file, in both formats, is opened and every cell checked,
after the people, their titles, schools and the cohort were given names that
a spreadsheet would evaluate.
"""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from accounts.models import Profile, School
from accounts.spreadsheets import CSV_TYPE, XLSX_TYPE

from .conftest import sign_in_as
from .url_access import MATRIX, SIGNED_IN

pytestmark = pytest.mark.django_db

HOSTILE = {
    "name": "=cmd|' /C calc'!A0",
    "title": '+HYPERLINK("http://evil.example")',
    "school": "@SUM(1+1)*cmd|' /C calc'!A0",
    "cohort": "-2+3+cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "return": "\r=1+1",
}
HOSTILE_STARTS = tuple(HOSTILE.values()) + ("\r=1",)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
APPS = (
    "accounts",
    "announcements",
    "api",
    "cms",
    "credits",
    "dashboard",
    "mentorship",
    "notifications",
    "regional",
    "training",
)
EXPORTS = {
    "dashboard:cohort-overview-export",
    "training:hours-export",
    "cms:registrant-export",
    "regional:indicators-export",
}


def make_hostile(world):
    User = get_user_model()
    trainee = world.person("trainee")
    outsider = User.objects.get(email="outsider@example.com")
    for person, name in ((trainee, HOSTILE["name"]), (outsider, HOSTILE["tab"]), (world.person("mentor"), "\r=1")):
        person.display_name = name
        person.save(update_fields=["display_name"])
    Profile.objects.filter(user__in=[trainee, outsider]).update(title=HOSTILE["title"])
    for n, school in enumerate(School.objects.all()):
        school.name = f"{HOSTILE['school']}{n}"
        school.save(update_fields=["name"])
    world.cohort.name = HOSTILE["cohort"]
    world.cohort.save(update_fields=["name"])


def cells_of(response) -> list:
    content_type = response["Content-Type"]
    if content_type == CSV_TYPE:
        text = response.getvalue().decode("utf-8-sig")  # the hours export streams
        return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    workbook = load_workbook(io.BytesIO(response.content))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value!r}"
                cells.append(cell.value)
    return cells


def reader_of(access) -> str | None:
    """The role that reads this URL: staff when allowed, else the first signed-in role answered 200."""
    allowed = [role for role in SIGNED_IN if access.expect.get(role) == 200]
    return "staff" if "staff" in allowed else (allowed[0] if allowed else None)


def test_every_export_neutralises_formula_cells(client, declared_world):
    world = declared_world
    make_hostile(world)
    found = set()
    neutralised = set()
    for name, access in MATRIX.items():
        role = reader_of(access)
        if access.method != "get" or role is None:
            continue
        path = access.path(world)
        paths = [path]
        if path.endswith((".csv", ".xlsx")):
            stem = path.rsplit(".", 1)[0]
            paths = [stem + ".csv", stem + ".xlsx"]
        sign_in_as(client, world, role)
        for each in paths:
            response = client.get(each)
            if response.status_code != 200 or response.get("Content-Type") not in (CSV_TYPE, XLSX_TYPE):
                continue
            found.add(name)
            for value in cells_of(response):
                if isinstance(value, str) and not NUMBER.match(value):
                    assert not value.startswith(FORMULA_START), f"{each}: {value!r}"
                    if value.startswith("'") and value[1:].startswith(HOSTILE_STARTS):
                        neutralised.add(name)
    assert EXPORTS <= found, f"exports not reached: {EXPORTS - found}"
    # The hostile text did reach the files that carry people, as inert text.
    assert {"dashboard:cohort-overview-export", "training:hours-export", "cms:registrant-export"} <= neutralised


def test_the_guard_keeps_numbers_and_dates_and_neutralises_text():
    import datetime
    import decimal

    from accounts.spreadsheets import spreadsheet_cell

    assert spreadsheet_cell(-3.5) == -3.5
    assert spreadsheet_cell(decimal.Decimal("-1.5")) == decimal.Decimal("-1.5")
    assert spreadsheet_cell(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
    assert spreadsheet_cell(None) == ""
    for text in HOSTILE.values():
        assert spreadsheet_cell(text) == "'" + text
    assert spreadsheet_cell("学员甲") == "学员甲"


def test_nobody_writes_a_spreadsheet_beside_the_guarded_writer():
    """A new export that writes CSV or XLSX itself would bypass the guard."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = re.compile(r"csv\.writer|csv\.DictWriter|Workbook\(|text/csv")
    offenders = []
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if path.name == "spreadsheets.py" and path.parent.name == "accounts":
                continue
            if writers.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
