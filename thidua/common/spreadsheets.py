"""Excel helpers shared by every export and import."""

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from thidua.common.text import clean_text

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


# ---------------------------------------------------------------- templates for imports


@dataclass(frozen=True)
class TemplateColumn:
    """One column of an import template: its heading and how Excel should treat its cells."""

    heading: str
    width: int = 18
    required: bool = False
    # "text" keeps leading zeros (CCCD, phone, codes); "date" shows dd/mm/yyyy.
    cell_format: str = "general"
    # Allowed values, offered as a drop-down list taken from the guide sheet.
    choices: tuple[str, ...] = ()
    guide: str = ""


_CELL_FORMATS = {"text": "@", "date": "DD/MM/YYYY"}
# How many rows get the drop-down lists: more than any real list.
_TEMPLATE_ROWS = 20000


@dataclass(frozen=True)
class TemplateSheet:
    """One data sheet of an import template: its name, its columns and example rows."""

    title: str
    columns: Sequence[TemplateColumn]
    example_rows: Sequence[Sequence[Any]] = ()


def template_bytes(
    *,
    sheet_title: str,
    columns: Sequence[TemplateColumn],
    example_rows: Iterable[Sequence[Any]],
    guide_title: str,
    guide_headers: Sequence[str],
    guide_intro: Sequence[str] = (),
) -> bytes:
    """An import template: a data sheet (headings, example rows, columns pre-formatted so that Excel
    keeps leading zeros and dates) and a guide sheet describing each column and listing its allowed
    values, which also feed the drop-down lists of the data sheet."""
    return template_workbook_bytes(
        sheets=[TemplateSheet(sheet_title, columns, list(example_rows))],
        guide_title=guide_title,
        guide_headers=guide_headers,
        guide_intro=guide_intro,
    )


def template_workbook_bytes(
    *,
    sheets: Sequence[TemplateSheet],
    guide_title: str,
    guide_headers: Sequence[str],
    guide_intro: Sequence[str] = (),
) -> bytes:
    """An import template with one or more data sheets and one guide sheet (see template_bytes).
    With several data sheets, the guide describes the columns sheet by sheet under the sheet's name."""
    workbook = Workbook()
    data_sheets = []
    for position, template_sheet in enumerate(sheets):
        sheet = workbook.active if position == 0 else workbook.create_sheet()
        sheet.title = template_sheet.title[:31]
        data_sheets.append(sheet)
    guide = workbook.create_sheet(guide_title[:31])

    for sheet, template_sheet in zip(data_sheets, sheets, strict=True):
        columns = template_sheet.columns
        sheet.append([column.heading for column in columns])
        for row in template_sheet.example_rows:
            sheet.append(list(row))
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True, color="B42318" if column.required else None)
            cell.fill = PatternFill("solid", fgColor="F0F2F4")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            dimension = sheet.column_dimensions[letter]
            dimension.width = column.width
            number_format = _CELL_FORMATS.get(column.cell_format)
            if number_format:
                # The column style applies to the cells the user types in later; the example cells
                # already exist, so they get the format themselves.
                dimension.number_format = number_format
                for (example_cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    example_cell.number_format = number_format
        sheet.freeze_panes = "A2"

    row_number = 1
    for line in guide_intro:
        guide.cell(row=row_number, column=1, value=line)
        row_number += 1
    if guide_intro:
        guide.cell(row=1, column=1).font = Font(bold=True, size=13)
        row_number += 1
    header_row = row_number
    for offset, heading in enumerate(guide_headers, start=1):
        cell = guide.cell(row=header_row, column=offset, value=heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F2F4")
    row_number = header_row + 1
    for template_sheet in sheets:
        if len(sheets) > 1:
            guide.cell(row=row_number, column=1, value=template_sheet.title).font = Font(bold=True)
            row_number += 1
        for column in template_sheet.columns:
            values = [column.heading, "✔" if column.required else "", column.guide, "; ".join(column.choices)]
            for offset, value in enumerate(values, start=1):
                guide.cell(row=row_number, column=offset, value=value).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
            row_number += 1
    for letter, width in zip("ABCD", (24, 10, 70, 50), strict=True):
        guide.column_dimensions[letter].width = width

    # The allowed values again, one list per column further right: the drop-downs point at them.
    list_column = len(guide_headers) + 2
    sources: dict[tuple[str, tuple[str, ...]], str] = {}
    for sheet, template_sheet in zip(data_sheets, sheets, strict=True):
        for index, column in enumerate(template_sheet.columns, start=1):
            if not column.choices:
                continue
            source = sources.get((column.heading, column.choices))
            if source is None:
                letter = get_column_letter(list_column)
                guide.cell(row=header_row, column=list_column, value=column.heading).font = Font(bold=True)
                for offset, choice in enumerate(column.choices, start=1):
                    guide.cell(row=header_row + offset, column=list_column, value=choice)
                guide.column_dimensions[letter].width = max(
                    16, max(len(choice) for choice in column.choices) + 2
                )
                source = (
                    f"'{guide.title}'!${letter}${header_row + 1}:${letter}${header_row + len(column.choices)}"
                )
                sources[(column.heading, column.choices)] = source
                list_column += 1
            # Not strict: a value typed by hand is checked (with a clear message) by the import itself.
            validation = DataValidation(
                type="list", formula1=source, allow_blank=True, showErrorMessage=False
            )
            data_letter = get_column_letter(index)
            validation.add(f"{data_letter}2:{data_letter}{_TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading


class UnreadableWorkbook(Exception):
    """The bytes are not a workbook calamine can open."""


@dataclass
class SheetRows:
    name: str
    # Every row from A1, so that rows[i][j] is Excel row i + 1, column j + 1.
    rows: list[list[Any]]


def read_workbook(content: bytes) -> list[SheetRows]:
    """The visible worksheets of an .xlsx file, cell values as python-calamine gives them: str,
    float (also for whole numbers), bool, datetime.date/datetime/time/timedelta, "" for empty."""
    if not content.startswith(b"PK"):
        # .xlsx is a zip archive; anything else (an .xls or a renamed file) is refused before parsing.
        raise UnreadableWorkbook("not a zip archive")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets = []
        for metadata in workbook.sheets_metadata:
            if metadata.typ != SheetTypeEnum.WorkSheet or metadata.visible != SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_name(metadata.name)
            sheets.append(SheetRows(name=metadata.name, rows=sheet.to_python(skip_empty_area=False)))
        workbook.close()
    except CalamineError as error:
        raise UnreadableWorkbook(str(error)) from error
    except (ValueError, OSError) as error:  # broken zip members, bad XML inside the archive
        raise UnreadableWorkbook(str(error)) from error
    return sheets


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    return get_column_letter(index + 1)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def whole_number(value: Any) -> int | None:
    """A numeric cell holding a whole number (calamine gives floats), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and (not value.is_integer() or abs(value) >= 2**53):
        return None
    return int(value)


def cell_text(value: Any) -> str:
    """A cell as the text the user sees: whole numbers without ".0", NFC, trimmed."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    number = whole_number(value)
    if number is not None:
        return str(number)
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return clean_text(str(value))


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def cell_date(value: Any) -> datetime.date | None:
    """A date cell, or text written dd/mm/yyyy (also with - or .) or yyyy-mm-dd; None when blank.

    Raises ValueError for anything else, including impossible days such as 31/02/1980 and bare
    numbers (a date typed into a column formatted as number would otherwise become a serial)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = clean_text(value)
        match = _DAY_MONTH_YEAR.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        match = _ISO_DATE.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    raise ValueError(f"not a date: {value!r}")
