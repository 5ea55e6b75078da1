"""Excel helpers shared by every export and import."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(
    *, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None
) -> bytes:
    """One sheet: an optional title line, a bold header row (frozen), then the rows. Dates stay dates."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    if title:
        sheet.append([title])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.append(list(headers))
    header_row = sheet.max_row
    for column, _ in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F2F4")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [max(10, min(len(str(header)) + 4, 40)) for header in headers]
    for row in rows:
        sheet.append(list(row))
        for index, value in enumerate(row):
            if value is not None and index < len(widths):
                widths[index] = min(max(widths[index], len(str(value)) + 2), 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        if sheet.max_row > header_row:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                if hasattr(cell.value, "year") and not hasattr(cell.value, "hour"):
                    cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
