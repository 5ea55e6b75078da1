"""The machinery every Excel import shares: reading the upload, finding the header row, typed cell
parsers that collect errors by row and column, the all-or-nothing write wrapper, set-based updates, and
the ImportBatch that keeps the file.

An import goes through the same steps whatever it reads (units and people in
thidua.organizations.imports, the evidence in thidua.records.imports):

1. ``read_upload`` checks the extension, the size and that calamine can open the workbook, and
   ``find_header`` finds the header row by its headings (accent- and case-insensitive, any column
   order, unknown columns ignored);
2. each data row (``data_rows``) is turned into typed values by the ``parse_*`` helpers, which record
   a RowError in an ``Errors`` per bad cell;
3. in one transaction the import loads what the rows refer to in a few queries, runs the checks that
   need the database and raises ImportFailed if anything is wrong, before writing anything;
4. it writes with bulk queries, records one audit entry per created or updated object
   (``audit.record_many``) and keeps the uploaded file with an ImportBatch (``new_batch``,
   ``record_batch``); ``run_writes`` removes the stored file when the transaction rolls back.
"""

import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.utils import translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.models import AuditAction, ImportBatch
from thidua.common.spreadsheets import (
    SheetRows,
    UnreadableWorkbook,
    cell_date,
    cell_text,
    column_letter,
    is_blank,
    read_workbook,
)
from thidua.common.text import clean_text, fold

# Errors are collected for the whole file, but a file that is wrong everywhere does not need a
# hundred thousand messages to be fixed.
MAX_ERRORS = 1000
# The header row is looked for among the first rows of each sheet (titles may sit above it).
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number as the user sees it; 0 for a problem with the file as a whole
    column: str  # Excel column letter, "" when the error is about the whole row or file
    message: str
    field: str = ""  # the column's heading
    sheet: str = ""  # the worksheet's name, when an import reads several sheets


class ImportFailed(Exception):
    """Nothing was saved; ``errors`` says why, row by row."""

    def __init__(self, errors: list[RowError], *, truncated: bool = False):
        super().__init__(f"{len(errors)} lỗi")
        self.errors = errors
        # True when more errors existed than MAX_ERRORS: the list shows the first ones.
        self.truncated = truncated


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # Vietnamese, as in the template; matched accent- and case-insensitively
    aliases: tuple[str, ...] = ()
    required: bool = False  # the heading must be present


def heading_key(text: str) -> str:
    """ "Ngày sinh (dd/mm/yyyy) *" and "NGAY SINH" both give "ngay sinh"."""
    folded = fold(text)
    while "(" in folded and ")" in folded.split("(", 1)[1]:
        before, rest = folded.split("(", 1)
        folded = before + " " + rest.split(")", 1)[1]
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


@dataclass
class Header:
    sheet: SheetRows
    row_index: int  # 0-based
    positions: dict[str, int]  # column key → 0-based column index


class Errors:
    """RowErrors in the order found, addressed by column key. ``sheet`` names the worksheet in every
    error, for imports that read several sheets of one workbook."""

    def __init__(self, columns: tuple[Column, ...], header: Header | None = None, *, sheet: str = ""):
        self._columns = {column.key: column for column in columns}
        self._header = header
        self.sheet = sheet
        self.items: list[RowError] = []
        self.keys: list[str] = []  # the column key of each item, to tell which cells of a row failed
        self.truncated = False

    def add(self, row: int, key: str, message: str) -> None:
        if len(self.items) >= MAX_ERRORS:
            self.truncated = True
            return
        letter, heading = "", ""
        if key:
            heading = _(self._columns[key].heading)
            if self._header is not None and key in self._header.positions:
                letter = column_letter(self._header.positions[key])
        self.items.append(RowError(row=row, column=letter, message=message, field=heading, sheet=self.sheet))
        self.keys.append(key)

    def keys_since(self, start: int) -> set[str]:
        return set(self.keys[start:])

    def heading(self, key: str) -> str:
        return _(self._columns[key].heading)

    def has_column(self, key: str) -> bool:
        return self._header is not None and key in self._header.positions

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_ERRORS

    def ordered(self) -> list[RowError]:
        # Cell checks and database checks run in two passes; the user reads them row by row,
        # left to right ("B" before "AA").
        return sorted(self.items, key=lambda error: (error.row, len(error.column), error.column))

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(self.ordered(), truncated=self.truncated)


def file_error(message: str) -> ImportFailed:
    return ImportFailed([RowError(row=0, column="", message=message)])


def read_upload(uploaded_file: Any, filename: str) -> tuple[bytes, list[SheetRows]]:
    name = clean_text(filename) or "tep.xlsx"
    if not name.lower().endswith(".xlsx"):
        raise file_error(
            _(
                "Tệp “%(name)s” không phải tệp Excel .xlsx. Hãy dùng tệp mẫu, lưu bằng Excel dạng “Excel Workbook (.xlsx)”."
            )
            % {"name": name}
        )
    limit = settings.IMPORT_MAX_BYTES
    too_big = file_error(
        _("Tệp lớn hơn giới hạn %(size)s MB. Hãy chia danh sách thành nhiều tệp.")
        % {"size": f"{limit / 1048576:g}"}
    )
    if isinstance(uploaded_file, bytes | bytearray):
        content = bytes(uploaded_file)
    else:
        size = getattr(uploaded_file, "size", None)
        if size is not None and size > limit:
            raise too_big
        if hasattr(uploaded_file, "seek"):
            uploaded_file.seek(0)
        content = uploaded_file.read(limit + 1)
    if len(content) > limit:
        raise too_big
    if not content:
        raise file_error(_("Tệp “%(name)s” rỗng.") % {"name": name})
    try:
        sheets = read_workbook(content)
    except UnreadableWorkbook:
        raise file_error(
            _(
                "Không đọc được tệp “%(name)s” như một bảng tính Excel (.xlsx). Hãy mở tệp bằng Excel và lưu lại dạng “Excel Workbook (.xlsx)”."
            )
            % {"name": name}
        ) from None
    return content, sheets


def sheet_header(
    sheet: SheetRows,
    columns: tuple[Column, ...],
    *,
    extra_heading: Callable[[Any], str | None] | None = None,
) -> Header | None:
    """The row of the sheet (among its first rows) with the most recognised headings, or None.

    ``extra_heading`` recognises headings that are not fixed columns (years heading the columns of a
    wide table): it gets the raw cell and returns a column key or None.
    """
    lookup: dict[str, str] = {}
    for column in columns:
        for heading in (column.heading, *column.aliases):
            lookup[heading_key(heading)] = column.key
    best: Header | None = None
    for row_index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        for column_index, value in enumerate(row):
            key = None
            if isinstance(value, str) and value.strip():
                key = lookup.get(heading_key(value))
            if key is None and extra_heading is not None and not is_blank(value):
                key = extra_heading(value)
            if key is not None and key not in positions:
                positions[key] = column_index
        if positions and (best is None or len(positions) > len(best.positions)):
            best = Header(sheet=sheet, row_index=row_index, positions=positions)
    return best


def find_header(sheets: list[SheetRows], columns: tuple[Column, ...]) -> Header:
    """The header row of the workbook: the row, on any sheet, with the most recognised headings.
    Raises ImportFailed when there is none or when a required heading is missing."""
    best: Header | None = None
    for sheet in sheets:
        candidate = sheet_header(sheet, columns)
        if candidate is not None and (best is None or len(candidate.positions) > len(best.positions)):
            best = candidate
    required = [column for column in columns if column.required]
    if best is None or not best.positions:
        raise ImportFailed(
            [
                RowError(
                    row=1,
                    column="",
                    message=_(
                        "Không tìm thấy dòng tiêu đề. Dòng tiêu đề cần có các cột: %(headings)s (xem tệp mẫu)."
                    )
                    % {"headings": ", ".join(f"“{_(column.heading)}”" for column in required)},
                )
            ]
        )
    missing = [column for column in required if column.key not in best.positions]
    if missing:
        raise ImportFailed(
            [
                RowError(
                    row=best.row_index + 1,
                    column="",
                    message=_("Thiếu cột bắt buộc: %(headings)s. Tên cột phải giống tệp mẫu.")
                    % {"headings": ", ".join(f"“{_(column.heading)}”" for column in missing)},
                )
            ]
        )
    return best


def data_rows(header: Header) -> Iterator[tuple[int, dict[str, Any]]]:
    """(Excel row number, {column key: raw value}) for every row below the header with some value."""
    for row_index in range(header.row_index + 1, len(header.sheet.rows)):
        row = header.sheet.rows[row_index]
        cells = {
            key: (row[position] if position < len(row) else "") for key, position in header.positions.items()
        }
        if all(is_blank(value) for value in cells.values()):
            continue
        yield row_index + 1, cells


# ---------------------------------------------------------------- cell parsers
# Each returns the typed value (None for a blank cell) or records an error and returns None.


def parse_text(errors: Errors, row: int, key: str, value: Any, max_length: int) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    if len(text) > max_length:
        errors.add(
            row,
            key,
            _("“%(heading)s” dài %(length)d ký tự, tối đa %(max)d ký tự.")
            % {"heading": errors.heading(key), "length": len(text), "max": max_length},
        )
        return None
    return text


def parse_date(
    errors: Errors, row: int, key: str, value: Any, *, not_after: datetime.date | None = None
) -> datetime.date | None:
    try:
        day = cell_date(value)
    except ValueError:
        errors.add(
            row,
            key,
            _("%(heading)s “%(value)s” không hợp lệ (dd/mm/yyyy).")
            % {"heading": errors.heading(key), "value": cell_text(value)},
        )
        return None
    if day is None:
        return None
    if day.year < 1900:
        errors.add(
            row,
            key,
            _("%(heading)s %(day)s không hợp lý (trước năm 1900).")
            % {"heading": errors.heading(key), "day": f"{day:%d/%m/%Y}"},
        )
        return None
    if not_after is not None and day > not_after:
        errors.add(
            row,
            key,
            _("%(heading)s %(day)s ở sau ngày hôm nay.")
            % {"heading": errors.heading(key), "day": f"{day:%d/%m/%Y}"},
        )
        return None
    return day


@functools.cache
def choice_labels(choices: type) -> tuple[str, ...]:
    """The labels in Vietnamese, the language of the file format (msgids are Vietnamese)."""
    with translation.override("vi"):
        return tuple(str(label) for label in choices.labels)


@functools.cache
def choice_lookup(choices: type, language: str | None) -> dict[str, str]:
    """Folded label (Vietnamese and the interface language) or code → code."""
    lookup: dict[str, str] = {}
    for (code, label), label_vi in zip(choices.choices, choice_labels(choices), strict=True):
        lookup[fold(code)] = code
        lookup[fold(str(label))] = code
        lookup[fold(label_vi)] = code
    return lookup


def parse_choice(errors: Errors, row: int, key: str, value: Any, choices: type) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    code = choice_lookup(choices, translation.get_language()).get(fold(text))
    if code is not None:
        return code
    vietnamese = choice_labels(choices)
    errors.add(
        row,
        key,
        _("%(heading)s “%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
        % {"heading": errors.heading(key), "value": text, "allowed": "; ".join(vietnamese)},
    )
    return None


# ---------------------------------------------------------------- batches and writes


def batch_unit_path(actor, permission: str, unit_paths: list[str]) -> str:
    """The importer's outermost scope (for the permission the import needs) that contains what was
    imported, so that the batch is listed to the people who could have run it."""
    paths = scopes.scope_paths(actor, permission)
    first = unit_paths[0] if unit_paths else ""
    if paths is None:
        # Unrestricted users: file it under the root of the tree it touched.
        segment = first.find("/")
        return first[: segment + 1] if segment >= 0 else ""
    for path in paths:
        if first.startswith(path):
            return path
    return paths[0] if paths else ""


def new_batch(
    *, actor, kind: str, content: bytes, filename: str, unit_path: str, counts: dict[str, int]
) -> ImportBatch:
    original_name = clean_text(filename)[:255] or "tep.xlsx"
    batch = ImportBatch(
        kind=kind,
        original_name=original_name,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        unit_path=unit_path,
        **counts,
    )
    batch.file.save(get_valid_filename(original_name) or "tep.xlsx", ContentFile(content), save=False)
    batch.save()
    return batch


def batch_note(batch: ImportBatch) -> str:
    # Stored in the site's language, whatever the importer's, so that batch_changes can find it again.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Nhập Excel lần #%(id)s, tệp “%(name)s”") % {"id": batch.pk, "name": batch.original_name}


def record_batch(actor, batch: ImportBatch) -> None:
    # The file is logged by its stored name: audit.snapshot knows no file values.
    fields = (
        "kind",
        "original_name",
        "sha256",
        "row_count",
        "created_count",
        "updated_count",
        "unchanged_count",
    )
    changes = {key: [None, value] for key, value in audit.snapshot(batch, fields=fields).items()}
    changes["file"] = [None, batch.file.name]
    audit.record(actor=actor, action=AuditAction.IMPORT, obj=batch, changes=changes, note=batch_note(batch))


def run_writes(
    write: Callable[[], ImportBatch], holder: list[ImportBatch], *, conflict_message: str
) -> ImportBatch:
    """Run the write phase (its own atomic block). When it fails, the batch row is rolled back, so
    the file stored for it is removed; a unique-constraint conflict can only come from someone else
    writing the same record meanwhile, and is reported with ``conflict_message``."""
    try:
        return write()
    except BaseException as error:
        for batch in holder:
            if batch.file.name:
                batch.file.storage.delete(batch.file.name)
        if isinstance(error, IntegrityError):
            raise file_error(conflict_message) from None
        raise


# A field whose new values take at most this many distinct values is written with one UPDATE per value
# (a move of everyone into ten offices: ten UPDATEs); above it, with bulk_update's CASE expressions.
GROUPED_UPDATE_MAX_VALUES = 50
CHUNK = 2000


def save_changed_fields(model, changes: list[tuple[Any, Iterable[str]]], now: datetime.datetime) -> None:
    """Write, for objects already in the database, only the fields that changed.

    bulk_update builds a CASE WHEN per row and field, which Django assembles slowly in Python (about
    0.1 ms each); most import updates set few distinct values (a unit, an end date), so those go out
    as plain UPDATE … WHERE id IN (…) statements instead.
    """
    if not changes:
        return
    values_by_field: dict[str, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(list))
    objects_by_field: dict[str, list] = defaultdict(list)
    for obj, fields in changes:
        for name in fields:
            attname = model._meta.get_field(name).attname
            values_by_field[attname][getattr(obj, attname)].append(obj.pk)
            objects_by_field[attname].append(obj)
    for attname, groups in values_by_field.items():
        if len(groups) <= GROUPED_UPDATE_MAX_VALUES:
            for value, pks in groups.items():
                for start in range(0, len(pks), CHUNK):
                    model.objects.filter(pk__in=pks[start : start + CHUNK]).update(**{attname: value})
        else:
            model.objects.bulk_update(objects_by_field[attname], [attname], batch_size=1000)
    pks = [obj.pk for obj, _fields in changes]
    for obj, _fields in changes:
        obj.updated_at = now
    for start in range(0, len(pks), CHUNK):
        model.objects.filter(pk__in=pks[start : start + CHUNK]).update(updated_at=now)


def in_chunks(queryset, lookup: str, values, size: int = CHUNK) -> Iterator:
    """queryset.filter(<lookup>__in=values) without exceeding SQLite's limit on query parameters."""
    values = list(values)
    for start in range(0, len(values), size):
        yield from queryset.filter(**{f"{lookup}__in": values[start : start + size]})


# ---------------------------------------------------------------- templates

DATA_SHEET = "Danh sách"
GUIDE_SHEET = "Hướng dẫn"
GUIDE_HEADERS = (
    gettext_noop("Cột"),
    gettext_noop("Bắt buộc"),
    gettext_noop("Cách ghi"),
    gettext_noop("Giá trị hợp lệ"),
)


def guide_intro(title: str, matching: str) -> list[str]:
    return [
        title,
        _(
            "Mỗi dòng của trang “Danh sách” là một bản ghi. Giữ nguyên tên các cột ở dòng tiêu đề; có thể đổi thứ tự cột, bỏ cột không bắt buộc hoặc thêm cột khác (cột lạ được bỏ qua)."
        ),
        _(
            "Xóa các dòng ví dụ trước khi nhập. Cột có dấu ✔ là bắt buộc. Ngày ghi theo dạng dd/mm/yyyy hoặc dùng ô kiểu ngày của Excel."
        ),
        matching,
        _(
            "Nếu có bất kỳ lỗi nào, không dữ liệu nào được lưu: sửa các ô được báo lỗi (theo dòng và cột) rồi nhập lại cả tệp."
        ),
    ]
