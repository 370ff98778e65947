"""Tables that leave the platform as CSV or XLSX files (cohort overview, hours, registrants)."""

import csv
import io

from django.http import HttpResponse

# A cell a spreadsheet would evaluate: a trainee who names themselves "=HYPERLINK(...)" must not
# run a formula on the coordinator's computer (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_response(*, rows, filename: str, fmt: str, sheet_title: str = "") -> HttpResponse:
    """An attachment holding `rows` (header first) as CSV (UTF-8 with BOM, which Excel needs) or XLSX."""
    safe_rows = ([spreadsheet_cell(value) for value in row] for row in rows)
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerows(safe_rows)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=(sheet_title or "Sheet")[:31])
        for row in safe_rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        raise ValueError(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
