"""The one way a table leaves the platform as a spreadsheet (CSV or XLSX).

Every export (cohort overview, hours, registrants, regional indicators, the
personal-data archive) writes through here, so that no cell a person typed
can become a formula on the reader's computer (CSV injection): a trainee who
names themselves "=HYPERLINK(...)" gets a text cell starting with an
apostrophe, in CSV and XLSX alike. tests/quality/test_export_formulas.py
walks every export URL with hostile names and checks every cell.

A long CSV export (the hours of a 10,000-trainee cohort) streams: `csv_stream`
writes the same bytes as `csv_text`, a block of lines at a time, so the
response starts before the last row is read and memory stays flat.
"""

import csv
import datetime
import decimal
import io

from django.http import HttpResponse, StreamingHttpResponse

# What Excel, LibreOffice and Google Sheets evaluate at the start of a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def spreadsheet_cell(value):
    """A value safe to put in a cell: numbers, dates and booleans as they are, any text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date | datetime.datetime):
        return value
    # Lazy translations, model instances and anything else become text first, then are checked.
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def guarded_rows(rows):
    for row in rows:
        yield [spreadsheet_cell(value) for value in row]


def csv_text(rows) -> str:
    """CSV with a byte-order mark, which Excel needs to read UTF-8."""
    return "".join(csv_stream(rows))


class _Lines:
    """A file for `csv.writer` that hands each written line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_stream(rows, *, block: int = 500):
    """`csv_text(rows)` in pieces of `block` lines, byte-order mark first, through the same formula guard."""
    writer = csv.writer(_Lines())
    piece = ["\ufeff"]
    for row in guarded_rows(rows):
        piece.append(writer.writerow(row))
        if len(piece) >= block:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)


def xlsx_bytes(rows, *, sheet_title: str = "") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(str(sheet_title) or "Sheet")[:31])
    for row in guarded_rows(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(*, rows, filename: str, fmt: str, sheet_title: str = "") -> HttpResponse:
    """An attachment holding `rows` (header first) as CSV or XLSX."""
    if fmt == "csv":
        response = HttpResponse(csv_text(rows), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, sheet_title=sheet_title), content_type=XLSX_TYPE)
    else:
        raise ValueError(fmt)
    return _attachment(response, filename)


def csv_streaming_response(*, rows, filename: str) -> StreamingHttpResponse:
    """A CSV attachment written while `rows` (header first, any iterable) are read: for exports too long to hold."""
    return _attachment(StreamingHttpResponse(csv_stream(rows), content_type=CSV_TYPE), filename)


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
