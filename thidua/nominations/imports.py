"""Excel import of a nominee list into a dossier: the lists units already keep, in their own column order.

The import runs in steps, and nothing reaches the dossier before the last one:

1. ``nominee_import_start`` keeps the uploaded file as a pending ``NomineeImport`` and proposes a column
   mapping from the headings (accent- and case-insensitive synonyms, see ``FIELDS``);
2. ``nominee_import_map`` stores the mapping the user confirmed or corrected ({field: column letter});
3. ``build_preview`` reads every row with that mapping and matches it: a person by CCCD, else by folded
   name + birth date + unit; a collective by unit name or code in the proposing unit's subtree. Each
   row is ``sure``, ``doubtful`` (a human chooses among the candidates, or skips the row, through
   ``nominee_import_confirm``) or ``none`` (an error: a nominee must be a person already on file). The
   same checks as ``services.nominee_add`` run on every row, set-based;
4. ``nominee_import_apply`` recomputes the preview under the dossier's row lock and, only when every
   doubtful row is decided and no row has an error, creates all nominees in one transaction, audited,
   with an ImportBatch keeping the file.

The preview is always recomputed from the stored file, so a row refused because the person was not on
file passes once the people import has added them, without uploading the list again.
"""

import datetime
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.utils import column_index_from_string

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.imports import (
    DATA_SHEET,
    GUIDE_HEADERS,
    GUIDE_SHEET,
    HEADER_SEARCH_ROWS,
    Column,
    Errors,
    Header,
    ImportFailed,
    RowError,
    batch_note,
    file_error,
    guide_intro,
    heading_key,
    in_chunks,
    new_batch,
    parse_text,
    read_upload,
    record_batch,
    run_writes,
)
from thidua.common.models import AuditAction, ImportBatch, ImportKind
from thidua.common.spreadsheets import (
    SheetRows,
    TemplateColumn,
    cell_date,
    cell_text,
    column_letter,
    is_blank,
    template_bytes,
    whole_number,
)
from thidua.common.text import clean_text, fold
from thidua.nominations.enums import NominationStatus
from thidua.nominations.models import Nomination, Nominee, NomineeImport, NomineeImportStatus
from thidua.organizations.imports import parse_cccd
from thidua.organizations.models import Person, Unit
from thidua.organizations.selectors import people_visible_to
from thidua.rules.models import AwardType

PROPOSE = "nomination.propose"
EDITABLE_STATUSES = (NominationStatus.DRAFT, NominationStatus.RETURNED)
SKIP = "skip"
UNIT_CHOICE_PREFIX = "unit:"
SUMMARY_MAX_LENGTH = 5000  # as the dossier page's form
NAME_QUERY_CHUNK = 100  # names per OR-query when looking people up by folded name

SURE, DOUBTFUL, NONE = "sure", "doubtful", "none"
INDIVIDUAL, COLLECTIVE = "individual", "collective"

# The target fields, with the headings units actually write. Headings are compared folded (no accents,
# no case, no punctuation, text in brackets dropped); a heading that only begins with a synonym
# ("Danh hiệu đề nghị năm 2025") is recognised too, after the exact ones.
FIELDS = (
    Column(
        "full_name",
        gettext_noop("Họ và tên"),
        ("Họ tên", "Họ, tên", "Họ và tên cá nhân", "Tên cá nhân", "Cá nhân", "Họ và tên người được đề nghị"),
    ),
    Column(
        "collective_name",
        gettext_noop("Tên tập thể"),
        ("Tập thể", "Tên tập thể được đề nghị", "Tập thể được đề nghị"),
    ),
    Column(
        "birth_date",
        gettext_noop("Ngày sinh"),
        ("Năm sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày"),
    ),
    Column(
        "cccd",
        gettext_noop("Số CCCD"),
        (
            "CCCD",
            "Số định danh",
            "Số định danh cá nhân",
            "Số căn cước",
            "Số căn cước công dân",
            "CCCD/CMND",
            "CMND/CCCD",
            "Số CMND/CCCD",
        ),
    ),
    Column(
        "unit",
        gettext_noop("Đơn vị"),
        ("Phòng", "Đơn vị công tác", "Phòng, đơn vị", "Phòng/đơn vị", "Nơi công tác", "Cơ quan, đơn vị"),
    ),
    Column("position", gettext_noop("Chức vụ"), ("Chức danh", "Chức vụ, chức danh", "Chức vụ/chức danh")),
    Column(
        "award",
        gettext_noop("Danh hiệu, hình thức"),
        (
            "Danh hiệu",
            "Hình thức khen thưởng",
            "Hình thức",
            "Đề nghị",
            "Danh hiệu đề nghị",
            "Hình thức đề nghị",
            "Đề nghị khen thưởng",
            "Danh hiệu thi đua",
            "Danh hiệu, hình thức đề nghị",
            "Danh hiệu, hình thức khen thưởng",
        ),
    ),
    Column(
        "summary",
        gettext_noop("Tóm tắt thành tích"),
        ("Thành tích", "Thành tích đạt được", "Tóm tắt thành tích chủ yếu", "Thành tích chủ yếu"),
    ),
)
FIELD_KEYS = tuple(column.key for column in FIELDS)
# Headings that are no field but mark their row as the header row.
OTHER_HEADINGS = ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú")

# "(1)", "2": the column numbers some lists print under the headings.
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
# Words a cell may put before the award's name: "Danh hiệu Lao động tiên tiến", "Đề nghị tặng Giấy khen".
_AWARD_PREFIXES = (("danh", "hieu"), ("hinh", "thuc"), ("de", "nghi"), ("tang",))


def _conflict_message() -> str:
    return _("Hồ sơ vừa được người khác thay đổi trong lúc nhập. Hãy xem lại danh sách rồi nhập lại.")


def _not_editable_error() -> ValidationError:
    return ValidationError({"nomination": _("Chỉ sửa được hồ sơ dự thảo hoặc hồ sơ bị trả lại.")})


def check_can_import(actor, nomination: Nomination) -> None:
    """The same conditions as adding one nominee by hand: proposer of the dossier's unit, and a dossier
    still in the proposing unit's hands (draft or returned)."""
    if actor is not None and not scopes.can(actor, PROPOSE, nomination.proposing_unit):
        raise PermissionDenied
    if nomination.status not in EDITABLE_STATUSES:
        raise _not_editable_error()


def mask_cccd(cccd: str | None) -> str:
    """Only the last 4 digits are shown next to a candidate: enough to tell two people apart."""
    if not cccd:
        return ""
    return "•" * max(len(cccd) - 4, 0) + cccd[-4:]


# ---------------------------------------------------------------- reading the sheet


@dataclass
class SheetLayout:
    """Where the list is: the sheet, its header row (0-based) and the mapping the headings suggest."""

    sheet: SheetRows
    header_row: int
    detected: dict[str, str]

    @property
    def width(self) -> int:
        rows = self.sheet.rows[self.header_row :]
        width = 0
        for row in rows:
            for index in range(len(row) - 1, -1, -1):
                if not is_blank(row[index]):
                    width = max(width, index + 1)
                    break
        return width


@dataclass(frozen=True)
class SheetColumn:
    letter: str
    heading: str
    sample: str


def _heading_lookups() -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    for column in FIELDS:
        for heading in (column.heading, *column.aliases):
            exact[heading_key(heading)] = column.key
    # Longest first, so that "Danh hiệu, hình thức đề nghị …" is read before "Danh hiệu …".
    prefixes = sorted(exact.items(), key=lambda item: -len(item[0]))
    return exact, prefixes


_EXACT_HEADINGS, _PREFIX_HEADINGS = _heading_lookups()
_OTHER_HEADINGS = {heading_key(heading) for heading in OTHER_HEADINGS}


def recognise_headings(row: list[Any]) -> tuple[dict[str, int], int]:
    """({field: 0-based column}, number of other headings recognised) for one row of the sheet."""
    keys = {
        index: heading_key(value)
        for index, value in enumerate(row)
        if isinstance(value, str) and value.strip()
    }
    positions: dict[str, int] = {}
    others = 0
    for index, key in keys.items():
        found = _EXACT_HEADINGS.get(key)
        if found is not None and found not in positions:
            positions[found] = index
        elif found is None and key in _OTHER_HEADINGS:
            others += 1
    taken = set(positions.values())
    for index, key in keys.items():
        if index in taken or key in _EXACT_HEADINGS or key in _OTHER_HEADINGS:
            continue
        for synonym, found in _PREFIX_HEADINGS:
            if found not in positions and key.startswith(synonym + " "):
                positions[found] = index
                taken.add(index)
                break
    return positions, others


def locate_list(sheets: list[SheetRows]) -> SheetLayout:
    """The header row with the most recognised headings, on any sheet (first one wins a tie). A file
    whose headings say nothing known is read from its first non-empty row, left for the user to map."""
    best: tuple[int, SheetRows, int, dict[str, int]] | None = None
    for sheet in sheets:
        for row_index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            positions, others = recognise_headings(row)
            score = len(positions) + others
            if score and (best is None or score > best[0]):
                best = (score, sheet, row_index, positions)
    if best is not None:
        _score, sheet, row_index, positions = best
        return SheetLayout(sheet, row_index, {key: column_letter(index) for key, index in positions.items()})
    for sheet in sheets:
        for row_index, row in enumerate(sheet.rows):
            if any(not is_blank(value) for value in row):
                return SheetLayout(sheet, row_index, {})
    raise file_error(_("Tệp không có dữ liệu."))


def sheet_columns(layout: SheetLayout) -> list[SheetColumn]:
    """Every column of the list: its letter, its heading and the first value below it."""
    header = layout.sheet.rows[layout.header_row]
    columns = []
    for index in range(layout.width):
        heading = cell_text(header[index]) if index < len(header) else ""
        sample = ""
        for row in layout.sheet.rows[layout.header_row + 1 :]:
            if index < len(row) and not is_blank(row[index]):
                sample = cell_text(row[index])
                break
        columns.append(SheetColumn(letter=column_letter(index), heading=heading, sample=sample[:60]))
    return columns


def _read_stored(nominee_import: NomineeImport) -> SheetLayout:
    with nominee_import.file.open("rb") as stored:
        content = stored.read()
    _content, sheets = read_upload(content, nominee_import.original_name)
    return locate_list(sheets)


# ---------------------------------------------------------------- the mapping


def mapping_problems(mapping: dict[str, str], layout: SheetLayout | None = None) -> dict[str, str]:
    """{field: message} for a mapping that cannot be used ("" for the mapping as a whole)."""
    problems: dict[str, str] = {}
    letters = {column_letter(index) for index in range(layout.width)} if layout is not None else None
    used: dict[str, str] = {}
    for key, letter in mapping.items():
        if key not in FIELD_KEYS:
            problems[""] = _("Trường “%(field)s” không có trong danh sách đề nghị.") % {"field": key}
        elif letters is not None and letter not in letters:
            problems[key] = _("Tệp không có cột %(letter)s.") % {"letter": letter}
        elif letter in used:
            problems[key] = _("Cột %(letter)s đã được chọn cho “%(field)s”.") % {
                "letter": letter,
                "field": _(_FIELD_HEADINGS[used[letter]]),
            }
        else:
            used[letter] = key
    if "full_name" not in mapping and "collective_name" not in mapping:
        problems.setdefault(
            "full_name", _("Chọn cột “Họ và tên” (hoặc cột “Tên tập thể” với danh sách tập thể).")
        )
    if "award" not in mapping:
        problems.setdefault("award", _("Chọn cột ghi danh hiệu, hình thức được đề nghị."))
    return problems


_FIELD_HEADINGS = {column.key: column.heading for column in FIELDS}


def _header_for(layout: SheetLayout, mapping: dict[str, str]) -> Header:
    positions = {
        key: column_index_from_string(letter) - 1 for key, letter in mapping.items() if key in FIELD_KEYS
    }
    return Header(sheet=layout.sheet, row_index=layout.header_row, positions=positions)


# ---------------------------------------------------------------- rows


@dataclass
class _ParsedRow:
    row: int
    full_name: str = ""
    collective_name: str = ""
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    cccd: str | None = None
    unit_text: str = ""
    position: str = ""
    award_text: str = ""
    summary: str = ""
    bad: set[str] = field(default_factory=set)

    @property
    def subject(self) -> str:
        return COLLECTIVE if self.collective_name and not self.full_name else INDIVIDUAL

    @property
    def born(self) -> str:
        if self.birth_date:
            return f"{self.birth_date:%d/%m/%Y}"
        return str(self.birth_year) if self.birth_year else ""


def _is_numbering(value: Any) -> bool:
    if is_blank(value):
        return True
    number = whole_number(value)
    if number is not None:
        return 0 <= number < 100
    return isinstance(value, str) and bool(_NUMBERING.match(value.strip()))


def _parse_birth(errors: Errors, parsed: _ParsedRow, value: Any, today: datetime.date) -> None:
    """A birth date, or only the year (lists headed "Năm sinh" often give just that)."""
    if is_blank(value):
        return
    year = whole_number(value)
    text = cell_text(value)
    if year is None and re.fullmatch(r"\d{4}", text):
        year = int(text)
    if year is not None:
        if 1900 <= year <= today.year:
            parsed.birth_year = year
            return
        errors.add(parsed.row, "birth_date", _("Năm sinh %(year)s không hợp lý.") % {"year": text})
        return
    try:
        day = cell_date(value)
    except ValueError:
        errors.add(
            parsed.row,
            "birth_date",
            _("Ngày sinh “%(value)s” không hợp lệ: ghi dd/mm/yyyy hoặc chỉ ghi năm sinh.") % {"value": text},
        )
        return
    if day is None:
        return
    if day.year < 1900 or day > today:
        errors.add(
            parsed.row, "birth_date", _("Ngày sinh %(day)s không hợp lý.") % {"day": f"{day:%d/%m/%Y}"}
        )
        return
    parsed.birth_date, parsed.birth_year = day, day.year


def _parse_row(errors: Errors, row: int, cells: dict[str, Any], today: datetime.date) -> _ParsedRow:
    start = len(errors.items)
    parsed = _ParsedRow(row=row)
    parsed.full_name = parse_text(errors, row, "full_name", cells.get("full_name"), 200) or ""
    parsed.collective_name = (
        parse_text(errors, row, "collective_name", cells.get("collective_name"), 255) or ""
    )
    parsed.unit_text = cell_text(cells.get("unit"))
    parsed.position = cell_text(cells.get("position"))[:120]
    parsed.award_text = cell_text(cells.get("award"))
    parsed.summary = parse_text(errors, row, "summary", cells.get("summary"), SUMMARY_MAX_LENGTH) or ""
    if "full_name" not in errors.keys_since(start) and "collective_name" not in errors.keys_since(start):
        if parsed.full_name and parsed.collective_name:
            errors.add(
                row,
                "collective_name",
                _("Dòng ghi cả họ tên cá nhân và tên tập thể: mỗi dòng là một cá nhân hoặc một tập thể."),
            )
        elif not parsed.full_name and not parsed.collective_name:
            key = "full_name" if errors.has_column("full_name") else "collective_name"
            errors.add(row, key, _("Thiếu họ và tên (hoặc tên tập thể)."))
    if parsed.subject == INDIVIDUAL:
        _parse_birth(errors, parsed, cells.get("birth_date"), today)
        parsed.cccd = parse_cccd(errors, row, cells.get("cccd"))
    if not parsed.award_text:
        errors.add(row, "award", _("Chưa ghi danh hiệu, hình thức được đề nghị."))
    parsed.bad = errors.keys_since(start)
    return parsed


def _list_rows(header: Header, errors: Errors, today: datetime.date) -> tuple[list[_ParsedRow], list[int]]:
    """The data rows, and the rows ignored at the end of the list: lines with a name but nothing else
    after the last proposal ("Tổng cộng: 16 người", "Người lập biểu", the head's signature)."""
    raw: list[tuple[int, dict[str, Any]]] = []
    for row, cells in _data_cells(header):
        if all(_is_numbering(value) for value in cells.values()):
            continue  # "(1) (2) (3)…" under the headings
        raw.append((row, cells))
    last_with_award = max((row for row, cells in raw if not is_blank(cells.get("award"))), default=0)
    ignored: list[int] = []
    rows: list[_ParsedRow] = []
    for row, cells in raw:
        if row > last_with_award:
            ignored.append(row)
            continue
        rows.append(_parse_row(errors, row, cells, today))
    return rows, ignored


def _data_cells(header: Header):
    for row_index in range(header.row_index + 1, len(header.sheet.rows)):
        row = header.sheet.rows[row_index]
        cells = {
            key: (row[position] if position < len(row) else "") for key, position in header.positions.items()
        }
        if any(not is_blank(value) for value in cells.values()):
            yield row_index + 1, cells


# ---------------------------------------------------------------- awards


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _award_words(text: str) -> list[str]:
    words = _words(text)
    stripped = True
    while stripped:
        stripped = False
        for prefix in _AWARD_PREFIXES:
            if len(words) > len(prefix) and tuple(words[: len(prefix)]) == prefix:
                words = words[len(prefix) :]
                stripped = True
    return words


class AwardLookup:
    """An award cell → one of the round's accepted awards, by code, name or short name ("GIAY_KHEN",
    "Giấy khen", "LĐTT"), then by the initials of the name ("GK", "CSTĐCS"), accent-insensitive."""

    def __init__(self, accepted: Iterable[AwardType], catalog: Iterable[AwardType]):
        self.accepted = list(accepted)
        self._accepted = self._index(self.accepted)
        self._catalog = self._index(catalog)

    @staticmethod
    def _index(awards: Iterable[AwardType]) -> tuple[dict[str, set[AwardType]], dict[str, set[AwardType]]]:
        exact: dict[str, set[AwardType]] = defaultdict(set)
        initials: dict[str, set[AwardType]] = defaultdict(set)
        for award in awards:
            for text in (award.code, award.name, award.short_name):
                words = _award_words(text or "")
                if words:
                    exact["".join(words)].add(award)
                    if len(words) > 1:
                        initials["".join(word[0] for word in words)].add(award)
        return exact, initials

    @staticmethod
    def _find(index, key: str) -> set[AwardType]:
        exact, initials = index
        return exact.get(key) or initials.get(key) or set()

    def accepted_names(self) -> str:
        return "; ".join(
            f"{award.name} ({award.short_name})"
            if award.short_name and award.short_name != award.name
            else award.name
            for award in self.accepted
        )

    def resolve(self, text: str) -> tuple[AwardType | None, str]:
        """(award, "") or (None, the reason in Vietnamese)."""
        key = "".join(_award_words(text))
        found = self._find(self._accepted, key) if key else set()
        if len(found) == 1:
            return next(iter(found)), ""
        if len(found) > 1:
            names = "; ".join(sorted(award.name for award in found))
            return None, _("“%(value)s” có thể là %(names)s; hãy ghi đủ tên danh hiệu, hình thức.") % {
                "value": text,
                "names": names,
            }
        known = self._find(self._catalog, key) if key else set()
        if len(known) == 1:
            return None, _("Đợt xét không nhận đề nghị %(award)s. Đợt xét nhận: %(accepted)s.") % {
                "award": next(iter(known)).name,
                "accepted": self.accepted_names(),
            }
        return None, _("Không nhận ra danh hiệu, hình thức “%(value)s”. Đợt xét nhận: %(accepted)s.") % {
            "value": text,
            "accepted": self.accepted_names(),
        }


# ---------------------------------------------------------------- units of the proposing unit


class UnitLookup:
    """The proposing unit and its subtree, to read the "Đơn vị" cell of a row and the name of a
    collective: by name, short name or code, accent-insensitive."""

    def __init__(self, root: Unit):
        self.root = root
        self.units = list(Unit.objects.filter(path__startswith=root.path).order_by("path"))
        self._by_key: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.units:
            for text in {unit.name, unit.short_name, unit.code}:
                key = " ".join(_words(text or ""))
                if key and unit not in self._by_key[key]:
                    self._by_key[key].append(unit)
        self._paths_cache: dict[str, list[str]] = {}

    def named(self, text: str) -> list[Unit]:
        """Units whose name, short name or code is the text."""
        return list(self._by_key.get(" ".join(_words(text)), []))

    def paths_for(self, text: str) -> list[str]:
        """Paths of the units a row's "Đơn vị" cell may mean: named exactly, or whose name begins with
        the cell's words or begins the cell ("Văn phòng" for "Văn phòng Sở", "Văn phòng Sở KH&CN")."""
        key = " ".join(_words(text))
        if key not in self._paths_cache:
            found = self.named(text)
            if not found:
                words = key.split()
                for unit in self.units:
                    name = _words(unit.name)
                    common = min(len(words), len(name))
                    if common >= 2 and name[:common] == words[:common]:
                        found.append(unit)
            self._paths_cache[key] = [unit.path for unit in found]
        return self._paths_cache[key]

    def contains(self, unit: Unit | None) -> bool:
        return unit is not None and unit.path.startswith(self.root.path)


# ---------------------------------------------------------------- the preview


@dataclass(frozen=True)
class Candidate:
    value: str  # the confirmation value: the person id, or "unit:<id>"
    name: str
    born: str = ""
    unit: str = ""
    cccd: str = ""  # masked
    position: str = ""


@dataclass
class PreviewRow:
    row: int
    subject: str
    name: str
    born: str
    cccd: str  # masked
    unit_text: str
    position: str
    award_text: str
    summary: str
    award: AwardType | None = None
    match: str = NONE
    reason: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    choice: str = ""  # the confirmation stored for a doubtful row
    person: Person | None = None
    unit: Unit | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return self.match == DOUBTFUL and self.choice == SKIP

    @property
    def matched(self) -> "Candidate | None":
        """Who the row will propose, for the human to check (the sure match or the confirmed choice)."""
        if self.person is not None:
            return _person_candidate(self.person)
        if self.unit is not None:
            return _unit_candidate(self.unit)
        return None

    @property
    def subject_label(self) -> str:
        if self.person is not None:
            return self.person.full_name
        if self.unit is not None:
            return self.unit.name
        return ""


@dataclass
class Preview:
    layout: SheetLayout
    rows: list[PreviewRow]
    errors: list[RowError]
    ignored_rows: list[int]
    truncated: bool = False

    @property
    def sure_count(self) -> int:
        return sum(1 for row in self.rows if row.match == SURE)

    @property
    def doubtful_count(self) -> int:
        return sum(1 for row in self.rows if row.match == DOUBTFUL)

    @property
    def unconfirmed(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.match == DOUBTFUL and not row.choice]

    @property
    def skipped_count(self) -> int:
        return sum(1 for row in self.rows if row.skipped)

    @property
    def to_create(self) -> list[PreviewRow]:
        return [
            row for row in self.rows if not row.skipped and (row.person is not None or row.unit is not None)
        ]

    @property
    def ready(self) -> bool:
        return not self.errors and not self.unconfirmed and bool(self.to_create)


def _person_candidate(person: Person) -> Candidate:
    return Candidate(
        value=str(person.pk),
        name=person.full_name,
        born=f"{person.birth_date:%d/%m/%Y}" if person.birth_date else "",
        unit=person.current_unit.name if person.current_unit_id else "",
        cccd=mask_cccd(person.cccd),
        position=person.current_position,
    )


def _unit_candidate(unit: Unit) -> Candidate:
    return Candidate(value=f"{UNIT_CHOICE_PREFIX}{unit.pk}", name=unit.name, unit=unit.code)


class _People:
    """The people the rows may name, in a few queries: by CCCD (anyone, to tell "someone outside your
    sight" from "nobody"), and by folded full name among the people the user may see."""

    def __init__(self, actor, rows: list[_ParsedRow]):
        self.actor = actor
        cccds = {row.cccd for row in rows if row.cccd}
        self.by_cccd = {
            person.cccd: person
            for person in in_chunks(Person.objects.select_related("current_unit"), "cccd", cccds)
        }
        names = sorted({fold(row.full_name) for row in rows if row.subject == INDIVIDUAL and row.full_name})
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        visible = people_visible_to(actor).select_related("current_unit").order_by("sort_key", "id")
        for start in range(0, len(names), NAME_QUERY_CHUNK):
            chunk = names[start : start + NAME_QUERY_CHUNK]
            # search_text is " " + folded name (+ " " + CCCD): the name's own text, not a word search.
            condition = Q()
            for name in chunk:
                condition |= Q(search_text=" " + name) | Q(search_text__startswith=" " + name + " ")
            wanted = set(chunk)
            for person in visible.filter(condition):
                key = fold(person.full_name)
                if key in wanted:
                    self.by_name[key].append(person)

        self.by_pk = {person.pk: person for person in self.by_cccd.values()}
        self.by_pk.update((person.pk, person) for group in self.by_name.values() for person in group)

    def visible(self, person: Person) -> bool:
        return self.actor is None or scopes.can_on_person(self.actor, "person.view", person)


def _match_person(
    parsed: _ParsedRow, result: PreviewRow, people: _People, units: UnitLookup, errors: Errors
) -> None:
    name_key = fold(parsed.full_name)
    candidates: list[Person] = []
    if parsed.cccd:
        owner = people.by_cccd.get(parsed.cccd)
        if owner is not None:
            if not people.visible(owner):
                errors.add(
                    parsed.row,
                    "cccd",
                    _(
                        "Số CCCD %(cccd)s là của một người ngoài phạm vi bạn được xem; không đề nghị được người này."
                    )
                    % {"cccd": mask_cccd(parsed.cccd)},
                )
                result.match = NONE
                return
            if fold(owner.full_name) == name_key:
                result.match, result.person = SURE, owner
                return
            result.reason = _("Số CCCD trong tệp là của %(name)s, khác họ tên ghi trong tệp.") % {
                "name": owner.full_name
            }
            candidates.append(owner)

    # A "Đơn vị" cell naming no unit of the subtree (a unit not on file, the parent agency's name) says
    # nothing: the person must then simply work somewhere in the proposing unit.
    unit_paths = (units.paths_for(parsed.unit_text) if parsed.unit_text else []) or [units.root.path]

    def birth_fits(person: Person) -> bool:
        if parsed.birth_date is not None:
            return person.birth_date == parsed.birth_date
        return (
            parsed.birth_year is not None
            and person.birth_date is not None
            and person.birth_date.year == parsed.birth_year
        )

    def unit_fits(person: Person) -> bool:
        unit = person.current_unit
        return units.contains(unit) and any(unit.path.startswith(path) for path in unit_paths)

    by_name = people.by_name.get(name_key, [])
    # As PersonMatcher: when the row's CCCD is on nobody's record, only someone recorded without a CCCD
    # can be the one; a person with another CCCD is someone else (shown, not chosen).
    full = [
        person
        for person in by_name
        if birth_fits(person) and unit_fits(person) and (not parsed.cccd or person.cccd is None)
    ]
    if not candidates and len(full) == 1:
        result.match, result.person = SURE, full[0]
        return
    ranked = sorted(
        by_name,
        key=lambda person: (
            not (birth_fits(person) and unit_fits(person)),
            not birth_fits(person),
            not unit_fits(person),
        ),
    )
    candidates += [person for person in ranked if person not in candidates]
    if not candidates:
        born = " (" + _("sinh %(born)s") % {"born": parsed.born} + ")" if parsed.born else ""
        errors.add(
            parsed.row,
            "full_name",
            _(
                "Không tìm thấy “%(name)s”%(born)s trong danh sách cá nhân bạn quản lý. Người được đề nghị phải có hồ sơ cá nhân: hãy nhập người này trước (Nhập Excel › Nhập danh sách cá nhân), hoặc sửa họ tên, ngày sinh, Số CCCD trong tệp."
            )
            % {"name": parsed.full_name, "born": born},
        )
        result.match = NONE
        return
    result.match = DOUBTFUL
    result.candidates = [_person_candidate(person) for person in candidates]
    if result.reason:
        return
    if len(full) > 1:
        result.reason = _("Có %(count)d người trùng họ tên, ngày sinh và đơn vị.") % {"count": len(full)}
    elif parsed.cccd and any(birth_fits(person) and unit_fits(person) for person in by_name):
        result.reason = _(
            "Trùng họ tên, ngày sinh và đơn vị nhưng hồ sơ cá nhân có Số CCCD khác với trong tệp."
        )
    elif not parsed.born:
        result.reason = _("Tệp không ghi ngày sinh: chỉ đối chiếu được theo họ tên.")
    elif any(birth_fits(person) for person in by_name):
        result.reason = _("Trùng họ tên và ngày sinh nhưng khác đơn vị.")
    elif any(unit_fits(person) for person in by_name):
        result.reason = _("Trùng họ tên và đơn vị nhưng khác ngày sinh.")
    else:
        result.reason = _("Chỉ trùng họ tên; ngày sinh và đơn vị khác.")


def _match_collective(parsed: _ParsedRow, result: PreviewRow, units: UnitLookup, errors: Errors) -> None:
    found = units.named(parsed.collective_name)
    if len(found) == 1:
        result.match, result.unit = SURE, found[0]
        return
    if not found:
        errors.add(
            parsed.row,
            "collective_name",
            _(
                "Không có tập thể “%(name)s” thuộc %(unit)s. Ghi đúng tên hoặc mã đơn vị như trong danh sách đơn vị."
            )
            % {"name": parsed.collective_name, "unit": units.root.name},
        )
        result.match = NONE
        return
    result.match = DOUBTFUL
    result.reason = _("Có %(count)d đơn vị cùng tên.") % {"count": len(found)}
    result.candidates = [_unit_candidate(unit) for unit in found]


def _apply_choice(
    result: PreviewRow, choice: Any, people_by_pk: dict[int, Person], units_by_pk: dict[int, Unit]
) -> None:
    """A stored confirmation counts only if it is still one of the row's options."""
    value = str(choice) if choice is not None else ""
    if value == SKIP:
        result.choice = SKIP
        return
    if value not in {candidate.value for candidate in result.candidates}:
        return
    result.choice = value
    if value.startswith(UNIT_CHOICE_PREFIX):
        result.unit = units_by_pk[int(value.removeprefix(UNIT_CHOICE_PREFIX))]
    else:
        result.person = people_by_pk[int(value)]


def build_preview(*, actor, nominee_import: NomineeImport, nomination: Nomination | None = None) -> Preview:
    """Every row of the stored file read with the stored mapping, matched, confirmed where the user has
    chosen, and checked as ``services.nominee_add`` checks one nominee. Writes nothing."""
    nomination = nomination or nominee_import.nomination
    layout = _read_stored(nominee_import)
    mapping = dict(nominee_import.mapping or {})
    problems = mapping_problems(mapping, layout)
    if problems:
        # The view sends the user to the mapping step first; this keeps apply from reading a bad mapping.
        errors = [RowError(row=0, column="", message=message) for message in problems.values()]
        return Preview(layout=layout, rows=[], errors=errors, ignored_rows=[])
    header = _header_for(layout, mapping)
    errors = Errors(FIELDS, header)
    today = timezone.localdate()
    parsed_rows, ignored = _list_rows(header, errors, today)
    if not parsed_rows:
        errors.add(
            layout.header_row + 1,
            "",
            _("Không có dòng đề nghị nào dưới dòng tiêu đề (mỗi dòng cần có danh hiệu, hình thức)."),
        )

    round_ = nomination.round
    awards = AwardLookup(
        round_.accepted_awards.order_by("precedence", "name"),
        AwardType.objects.order_by("precedence", "name"),
    )
    units = UnitLookup(nomination.proposing_unit)
    people = _People(actor, parsed_rows)
    units_by_pk = {unit.pk: unit for unit in units.units}
    confirmations = {str(key): value for key, value in (nominee_import.confirmations or {}).items()}

    results: list[PreviewRow] = []
    for parsed in parsed_rows:
        result = PreviewRow(
            row=parsed.row,
            subject=parsed.subject,
            name=parsed.full_name or parsed.collective_name,
            born=parsed.born,
            cccd=mask_cccd(parsed.cccd),
            unit_text=parsed.unit_text,
            position=parsed.position,
            award_text=parsed.award_text,
            summary=parsed.summary,
        )
        results.append(result)
        if parsed.award_text:
            result.award, problem = awards.resolve(parsed.award_text)
            if problem:
                errors.add(parsed.row, "award", problem)
        if parsed.bad & {"full_name", "collective_name", "cccd"}:
            continue  # the key of the match is unreadable: its error says why
        if parsed.subject == INDIVIDUAL:
            _match_person(parsed, result, people, units, errors)
        else:
            _match_collective(parsed, result, units, errors)
        if result.match == DOUBTFUL:
            _apply_choice(result, confirmations.get(str(parsed.row)), people.by_pk, units_by_pk)

    _check_rows(results, nomination, errors)
    skipped = {result.row for result in results if result.skipped}
    all_errors = [error for error in errors.ordered() if error.row not in skipped]
    by_row: dict[int, list[RowError]] = defaultdict(list)
    for error in all_errors:
        by_row[error.row].append(error)
    for result in results:
        result.errors = by_row.get(result.row, [])
    return Preview(
        layout=layout, rows=results, errors=all_errors, ignored_rows=ignored, truncated=errors.truncated
    )


def _check_rows(results: list[PreviewRow], nomination: Nomination, errors: Errors) -> None:
    """The checks of ``services.nominee_add`` on every row with a subject and an award, set-based:
    the award fits the subject, the subject is not already proposed for that award in the round (in
    a dossier not withdrawn; in this dossier or another), and the subject belongs to the proposing unit.
    Two rows of the file proposing the same subject for the same award are refused too."""
    live = [row for row in results if not row.skipped and row.award is not None and (row.person or row.unit)]
    person_ids = {row.person.pk for row in live if row.person}
    unit_ids = {row.unit.pk for row in live if row.unit}
    award_ids = {row.award.pk for row in live}
    existing: dict[tuple[str, int, int], Nomination] = {}
    if live:
        proposed = (
            Nominee.objects.filter(nomination__round=nomination.round, award__in=award_ids, household_name="")
            .filter(Q(person__in=person_ids) | Q(unit__in=unit_ids))
            .exclude(nomination__status=NominationStatus.WITHDRAWN)
            .select_related("nomination__proposing_unit")
            .order_by("id")
        )
        for nominee in proposed:
            key = (
                ("p", nominee.person_id, nominee.award_id)
                if nominee.person_id
                else ("u", nominee.unit_id, nominee.award_id)
            )
            existing.setdefault(key, nominee.nomination)
    first_row: dict[tuple[str, int, int], int] = {}
    root_path = nomination.proposing_unit.path
    for row in live:
        award = row.award
        subject = INDIVIDUAL if row.person is not None else COLLECTIVE
        key_column = "full_name" if subject == INDIVIDUAL else "collective_name"
        if subject not in award.subjects:
            errors.add(
                row.row,
                "award",
                _("%(award)s không dành cho %(subject)s.")
                % {"award": award.name, "subject": _("cá nhân") if subject == INDIVIDUAL else _("tập thể")},
            )
            continue
        key = ("p", row.person.pk, award.pk) if row.person is not None else ("u", row.unit.pk, award.pk)
        first = first_row.setdefault(key, row.row)
        if first != row.row:
            errors.add(
                row.row,
                key_column,
                _("Trùng với dòng %(row)d: cùng %(subject)s, cùng đề nghị %(award)s.")
                % {"row": first, "subject": row.subject_label, "award": award.name},
            )
            continue
        other = existing.get(key)
        if other is not None and other.pk == nomination.pk:
            errors.add(
                row.row,
                key_column,
                _("%(subject)s đã có trong hồ sơ này với đề nghị %(award)s.")
                % {"subject": row.subject_label, "award": award.name},
            )
        elif other is not None:
            errors.add(
                row.row,
                "award",
                _("%(subject)s đã được đề nghị %(award)s trong đợt này (hồ sơ của %(unit)s).")
                % {"subject": row.subject_label, "award": award.name, "unit": other.proposing_unit.name},
            )
        subject_unit = row.unit if row.unit is not None else row.person.current_unit
        # As nominee_add: a person with no current unit is not refused on this ground.
        if subject_unit is not None and not subject_unit.path.startswith(root_path):
            errors.add(
                row.row,
                key_column,
                _(
                    "%(subject)s (%(unit)s) không thuộc %(proposing)s: chỉ đề nghị cá nhân, tập thể thuộc đơn vị đề nghị."
                )
                % {
                    "subject": row.subject_label,
                    "unit": subject_unit.name,
                    "proposing": nomination.proposing_unit.name,
                },
            )


# ---------------------------------------------------------------- the steps


@transaction.atomic
def _locked(nominee_import: NomineeImport) -> tuple[NomineeImport, Nomination]:
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("proposing_unit", "round")
        .get(pk=nominee_import.nomination_id)
    )
    locked = NomineeImport.objects.select_for_update().get(pk=nominee_import.pk)
    locked.nomination = nomination
    return locked, nomination


def _check_pending(nominee_import: NomineeImport) -> None:
    if nominee_import.status != NomineeImportStatus.PENDING:
        message = (
            _("Danh sách này đã được nhập vào hồ sơ.")
            if nominee_import.status == NomineeImportStatus.APPLIED
            else _("Danh sách này đã được hủy.")
        )
        raise ValidationError({"status": message})


def nominee_import_start(*, actor, nomination: Nomination, uploaded_file, filename: str) -> NomineeImport:
    """Keep the uploaded list as a pending import of the dossier, with the mapping its headings suggest.
    Raises ImportFailed for a file that is not a readable .xlsx or has no rows."""
    check_can_import(actor, nomination)
    content, sheets = read_upload(uploaded_file, filename)
    layout = locate_list(sheets)
    if not any(True for _row in _all_columns(layout)):
        raise ImportFailed(
            [
                RowError(
                    row=layout.header_row + 1,
                    column="",
                    message=_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."),
                )
            ]
        )
    original_name = clean_text(filename)[:255] or "danh-sach.xlsx"
    created: list[NomineeImport] = []

    def write() -> NomineeImport:
        with transaction.atomic():
            locked = (
                Nomination.objects.select_for_update(of=("self",))
                .select_related("proposing_unit")
                .get(pk=nomination.pk)
            )
            check_can_import(actor, locked)
            nominee_import = NomineeImport(
                nomination=locked,
                original_name=original_name,
                sha256=hashlib.sha256(content).hexdigest(),
                mapping=layout.detected,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            nominee_import.file.save(
                get_valid_filename(original_name) or "danh-sach.xlsx", ContentFile(content), save=False
            )
            created.append(nominee_import)
            nominee_import.save()
            changes = audit.created(nominee_import)
            changes["file"] = [None, nominee_import.file.name]
            audit.record(actor=actor, action=AuditAction.CREATE, obj=nominee_import, changes=changes)
            return nominee_import

    try:
        return write()
    except BaseException:
        for nominee_import in created:
            if nominee_import.file.name:
                nominee_import.file.storage.delete(nominee_import.file.name)
        raise


def _all_columns(layout: SheetLayout):
    header = Header(layout.sheet, layout.header_row, {str(index): index for index in range(layout.width)})
    return _data_cells(header)


def import_layout(nominee_import: NomineeImport) -> SheetLayout:
    return _read_stored(nominee_import)


@transaction.atomic
def nominee_import_map(*, actor, nominee_import: NomineeImport, mapping: dict[str, str]) -> NomineeImport:
    """Store the column mapping. Choices made for doubtful rows were made on the rows as read with the
    old mapping, so a changed mapping clears them."""
    nominee_import, nomination = _locked(nominee_import)
    check_can_import(actor, nomination)
    _check_pending(nominee_import)
    cleaned = {key: letter.strip().upper() for key, letter in mapping.items() if letter and letter.strip()}
    problems = mapping_problems(cleaned, _read_stored(nominee_import))
    if problems:
        raise ValidationError({key or "__all__": message for key, message in problems.items()})
    before = audit.snapshot(nominee_import, fields=("mapping", "confirmations"))
    if cleaned != nominee_import.mapping:
        nominee_import.mapping = cleaned
        nominee_import.confirmations = {}
        nominee_import.save(update_fields=["mapping", "confirmations"])
    changes = audit.diff(before, audit.snapshot(nominee_import, fields=("mapping", "confirmations")))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=nominee_import, changes=changes)
    return nominee_import


@transaction.atomic
def nominee_import_confirm(*, actor, nominee_import: NomineeImport, choices: dict[Any, str]) -> NomineeImport:
    """Record the user's choice for doubtful rows: one of the row's candidates, or "skip". Rows not in
    ``choices`` keep their earlier choice."""
    nominee_import, nomination = _locked(nominee_import)
    check_can_import(actor, nomination)
    _check_pending(nominee_import)
    preview = build_preview(actor=actor, nominee_import=nominee_import, nomination=nomination)
    doubtful = {row.row: row for row in preview.rows if row.match == DOUBTFUL}
    confirmations = dict(nominee_import.confirmations or {})
    problems = []
    for row_key, value in choices.items():
        value = str(value or "").strip()
        if not value:
            continue
        try:
            row = doubtful[int(row_key)]
        except (KeyError, ValueError, TypeError):
            problems.append(_("Dòng %(row)s không cần xác nhận.") % {"row": row_key})
            continue
        if value != SKIP and value not in {candidate.value for candidate in row.candidates}:
            problems.append(
                _("Lựa chọn ở dòng %(row)d không có trong danh sách người, tập thể gợi ý.") % {"row": row.row}
            )
            continue
        confirmations[str(row.row)] = (
            SKIP if value == SKIP else (value if value.startswith(UNIT_CHOICE_PREFIX) else int(value))
        )
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(nominee_import, fields=("confirmations",))
    if confirmations != nominee_import.confirmations:
        nominee_import.confirmations = confirmations
        nominee_import.save(update_fields=["confirmations"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=nominee_import,
            changes=audit.diff(before, audit.snapshot(nominee_import, fields=("confirmations",))),
        )
    return nominee_import


@transaction.atomic
def nominee_import_cancel(*, actor, nominee_import: NomineeImport) -> NomineeImport:
    nominee_import, nomination = _locked(nominee_import)
    if actor is not None and not scopes.can(actor, PROPOSE, nomination.proposing_unit):
        raise PermissionDenied
    _check_pending(nominee_import)
    nominee_import.status = NomineeImportStatus.CANCELLED
    nominee_import.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=nominee_import,
        changes={"status": [NomineeImportStatus.PENDING.value, NomineeImportStatus.CANCELLED.value]},
    )
    return nominee_import


def nominee_import_apply(*, actor, nominee_import: NomineeImport) -> ImportBatch:
    """Create every nominee of the list in one transaction. Side effects, in order:

    1. lock the dossier (a nominee added by hand meanwhile waits, or is seen) and the import;
    2. check the actor and the dossier as ``services.nominee_add`` does, and that the import is pending;
    3. rebuild the preview from the stored file; any row error or undecided doubtful row raises
       ImportFailed, nothing written;
    4. create the nominees (bulk), keep the file with an ImportBatch of kind NOMINEES, one audit entry
       per nominee (action ``import``, the batch's note) and one for the batch;
    5. mark the import applied, linked to its batch, audited.
    """
    holder: list[ImportBatch] = []

    def write() -> ImportBatch:
        with transaction.atomic():
            locked, nomination = _locked(nominee_import)
            check_can_import(actor, nomination)
            _check_pending(locked)
            preview = build_preview(actor=actor, nominee_import=locked, nomination=nomination)
            if preview.errors:
                raise ImportFailed(preview.errors, truncated=preview.truncated)
            header = _header_for(preview.layout, locked.mapping or {})
            if preview.unconfirmed:
                errors = Errors(FIELDS, header)
                for row in preview.unconfirmed:
                    key = "full_name" if row.subject == INDIVIDUAL else "collective_name"
                    errors.add(
                        row.row,
                        key,
                        _("Chưa xác nhận “%(name)s” là ai: chọn một người gợi ý hoặc bỏ qua dòng này.")
                        % {"name": row.name},
                    )
                errors.raise_if_any()
            rows = preview.to_create
            if not rows:
                raise file_error(_("Không còn dòng nào để nhập: mọi dòng đều bị bỏ qua."))
            nominees = []
            for row in rows:
                nominee = Nominee(
                    nomination=nomination,
                    award=row.award,
                    person=row.person,
                    unit=row.unit,
                    summary=row.summary.strip(),
                )
                nominee.full_clean(
                    exclude=["nomination", "person", "unit", "award", "decided_by", "source_nominee"],
                    validate_constraints=False,
                )
                nominees.append(nominee)
            Nominee.objects.bulk_create(nominees)
            with locked.file.open("rb") as stored:
                content = stored.read()
            batch = new_batch(
                actor=actor,
                kind=ImportKind.NOMINEES,
                content=content,
                filename=locked.original_name,
                unit_path=nomination.proposing_unit.path,
                counts={
                    "row_count": len(preview.rows),
                    "created_count": len(nominees),
                    "updated_count": 0,
                    "unchanged_count": preview.skipped_count,
                },
            )
            holder.append(batch)
            audit.record_many(
                actor=actor,
                action=AuditAction.IMPORT,
                objects=nominees,
                changes_by_pk={nominee.pk: audit.created(nominee) for nominee in nominees},
                note=batch_note(batch),
            )
            record_batch(actor, batch)
            locked.status = NomineeImportStatus.APPLIED
            locked.batch = batch
            locked.save(update_fields=["status", "batch"])
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                changes={
                    "status": [NomineeImportStatus.PENDING.value, NomineeImportStatus.APPLIED.value],
                    "batch": [None, batch.pk],
                },
                note=batch_note(batch),
            )
            return batch

    return run_writes(write, holder, conflict_message=_conflict_message())


def imported_nominees(nominee_import: NomineeImport):
    """The nominees an applied import created (read back from their audit entries), still in the dossier."""
    from django.contrib.contenttypes.models import ContentType

    from thidua.common.models import AuditEntry

    if nominee_import.batch_id is None:
        return Nominee.objects.none()
    ids = AuditEntry.objects.filter(
        action=AuditAction.IMPORT,
        content_type=ContentType.objects.get_for_model(Nominee),
        note=batch_note(nominee_import.batch),
    ).values_list("object_id", flat=True)
    return (
        Nominee.objects.filter(nomination=nominee_import.nomination_id, pk__in=[int(pk) for pk in ids])
        .select_related("person__current_unit", "unit", "award")
        .order_by("id")
    )


# ---------------------------------------------------------------- the template

# Headings are part of the file format: Vietnamese whatever the interface language.


def nominees_template_columns(nomination: Nomination | None = None) -> list[TemplateColumn]:
    awards = (
        tuple(award.name for award in nomination.round.accepted_awards.order_by("precedence", "name"))
        if nomination
        else ()
    )
    return [
        TemplateColumn("STT", 6),
        TemplateColumn(
            _FIELD_HEADINGS["full_name"],
            26,
            required=True,
            guide=_("Họ, tên đệm và tên của cá nhân được đề nghị. Để trống ở dòng đề nghị tập thể."),
        ),
        TemplateColumn(
            _FIELD_HEADINGS["birth_date"],
            13,
            cell_format="date",
            guide=_("dd/mm/yyyy, hoặc chỉ ghi năm sinh."),
        ),
        TemplateColumn(
            _FIELD_HEADINGS["cccd"],
            16,
            cell_format="text",
            guide=_("12 chữ số, định dạng Text (Văn bản). Có Số CCCD thì nhận ra người chắc chắn nhất."),
        ),
        TemplateColumn(
            _FIELD_HEADINGS["unit"],
            24,
            guide=_("Tên, tên viết tắt hoặc mã phòng, đơn vị nơi người đó đang công tác."),
        ),
        TemplateColumn(_FIELD_HEADINGS["position"], 20, guide=_("Chỉ để đối chiếu, không được lưu.")),
        TemplateColumn(
            _FIELD_HEADINGS["award"],
            28,
            required=True,
            choices=awards,
            guide=_(
                "Tên, tên viết tắt hoặc mã danh hiệu, hình thức mà đợt xét nhận (ví dụ: Lao động tiên tiến, LĐTT, Giấy khen, GK)."
            ),
        ),
        TemplateColumn(_FIELD_HEADINGS["summary"], 50),
        TemplateColumn(
            _FIELD_HEADINGS["collective_name"],
            28,
            guide=_(
                "Chỉ ở dòng đề nghị tập thể: tên hoặc mã đơn vị thuộc đơn vị đề nghị; để trống cột Họ và tên."
            ),
        ),
    ]


def nominees_template_bytes(nomination: Nomination | None = None) -> bytes:
    columns = nominees_template_columns(nomination)
    accepted = list(nomination.round.accepted_awards.order_by("precedence", "name")) if nomination else []
    individual = next((award.name for award in accepted if award.for_individual), "Lao động tiên tiến")
    collective = next(
        (award.name for award in accepted if award.for_collective), "Tập thể lao động tiên tiến"
    )
    unit_name = nomination.proposing_unit.name if nomination else "Văn phòng Sở"
    examples = [
        [
            1,
            "Nguyễn Thị Minh Khai",
            datetime.date(1985, 3, 15),
            "082185000123",
            unit_name,
            "Chuyên viên",
            individual,
            "Hoàn thành xuất sắc nhiệm vụ năm.",
            None,
        ],
        [2, None, None, None, None, None, collective, "Tập thể hoàn thành tốt nhiệm vụ năm.", unit_name],
    ]
    return template_bytes(
        sheet_title=DATA_SHEET,
        columns=columns,
        example_rows=examples,
        guide_title=GUIDE_SHEET,
        guide_headers=[_(heading) for heading in GUIDE_HEADERS],
        guide_intro=guide_intro(
            _("Hướng dẫn nhập danh sách đề nghị khen thưởng"),
            _(
                "Người được đề nghị phải đã có hồ sơ cá nhân: được nhận ra theo Số CCCD, không có thì theo họ tên, ngày sinh và đơn vị. Trường hợp chưa chắc chắn được hiện ra để bạn chọn đúng người trước khi nhập."
            ),
        ),
    )
