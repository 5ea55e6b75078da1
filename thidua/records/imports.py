"""Excel import of the evidence: annual ratings, initiatives and research, the register of past awards,
discipline and pending matters.

The same rules as the import of people and units (thidua.common.imports): headings found in any order,
every row checked with Vietnamese messages by row and column, all-or-nothing in one transaction (not
even the batch is kept when a row is wrong), a fixed number of queries whatever the number of rows,
one audit entry per created or updated record, the file kept with its ImportBatch.

People are found like the people import finds them (organizations.imports.PersonMatcher): by CCCD,
else by full name, birth date and unit code when exactly one person fits. A person or unit outside the
importer's ``records.manage`` scope gets the same message as one that does not exist, so that a file
tells nothing about other units.

Re-importing a file updates what it imported instead of adding duplicates: a rating is the same when
it is for the same person (or unit) and year; an initiative when its title, recognition date and
decision number are the same; a past award when recipient, award and achievement period are the same;
a discipline when person, start date and measure are the same. Blank optional cells keep what is
recorded.
"""

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import Case, F, QuerySet, When
from django.db.models.functions import Left, Length
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.imports import (
    DATA_SHEET,
    GUIDE_HEADERS,
    GUIDE_SHEET,
    Column,
    Errors,
    Header,
    ImportFailed,
    RowError,
    batch_note,
    batch_unit_path,
    data_rows,
    find_header,
    guide_intro,
    in_chunks,
    new_batch,
    parse_date,
    parse_text,
    read_upload,
    record_batch,
    run_writes,
    save_changed_fields,
    sheet_header,
)
from thidua.common.models import AuditAction, ImportBatch, ImportKind
from thidua.common.spreadsheets import (
    TemplateColumn,
    TemplateSheet,
    cell_text,
    is_blank,
    template_workbook_bytes,
    whole_number,
)
from thidua.common.text import fold
from thidua.organizations.imports import (
    PEOPLE_COLUMNS,
    PersonMatcher,
    batch_changes,
    parse_cccd,
    parse_unit_code,
)
from thidua.organizations.models import Person, Unit
from thidua.organizations.services import search_text_for
from thidua.records.enums import (
    AwardSource,
    DisciplineLevel,
    InitiativeKind,
    PendingMatterKind,
    Rating,
    Scope,
)
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative, InitiativeAuthor
from thidua.records.selectors import initiatives_visible_to
from thidua.records.services import MIN_YEAR
from thidua.rules.enums import Subject
from thidua.rules.models import AwardType

RECORDS_PERMISSION = "records.manage"
RECORD_KINDS = (ImportKind.RATINGS, ImportKind.INITIATIVES, ImportKind.AWARDS, ImportKind.DISCIPLINES)


def _conflict_message() -> str:
    return _("Dữ liệu vừa được người khác thay đổi trong lúc nhập. Hãy nhập lại tệp.")


# ---------------------------------------------------------------- columns

# The columns that say who a row is about, as the people import names them (same aliases).
_PEOPLE = {column.key: column for column in PEOPLE_COLUMNS}
PERSON_COLUMNS = (
    replace(_PEOPLE["full_name"], required=False),
    _PEOPLE["cccd"],
    _PEOPLE["birth_date"],
    replace(_PEOPLE["unit_code"], required=False),
)
_IDENTITY_KEYS = {"full_name", "cccd", "birth_date", "unit_code"}
_NOTE = Column("note", gettext_noop("Ghi chú"))

RATING_COLUMNS = (
    *PERSON_COLUMNS,
    Column("unit_name", gettext_noop("Tên đơn vị")),
    Column("year", gettext_noop("Năm"), ("Năm đánh giá", "Năm xếp loại", "Năm đánh giá, xếp loại")),
    Column(
        "rating",
        gettext_noop("Xếp loại"),
        (
            "Kết quả xếp loại",
            "Mức xếp loại",
            "Xếp loại chất lượng",
            "Đánh giá, xếp loại",
            "Kết quả đánh giá, xếp loại",
            "Mức xếp loại chất lượng",
        ),
    ),
    _NOTE,
)

INITIATIVE_COLUMNS = (
    Column(
        "title",
        gettext_noop("Tên"),
        ("Tên sáng kiến", "Tên đề tài", "Tên sáng kiến, đề tài", "Tên sáng kiến/đề tài", "Tên đề tài, đề án"),
        required=True,
    ),
    Column("kind", gettext_noop("Loại"), ("Loại sáng kiến, đề tài", "Sáng kiến/Đề tài")),
    Column(
        "authors",
        gettext_noop("Tác giả"),
        ("Các tác giả", "Tác giả, đồng tác giả", "Tác giả/đồng tác giả"),
        True,
    ),
    Column("scope", gettext_noop("Phạm vi"), ("Phạm vi ảnh hưởng", "Phạm vi áp dụng", "Cấp công nhận")),
    Column("recognized_on", gettext_noop("Ngày công nhận"), required=True),
    Column(
        "decision",
        gettext_noop("Số quyết định công nhận"),
        ("Quyết định công nhận", "Số quyết định", "Số QĐ công nhận", "Số QĐ"),
    ),
    Column("body", gettext_noop("Cơ quan công nhận"), ("Cấp công nhận (cơ quan)", "Đơn vị công nhận")),
    Column("applied", gettext_noop("Đã áp dụng"), ("Áp dụng",)),
    Column("effective", gettext_noop("Có hiệu quả"), ("Hiệu quả",)),
    Column("unit_code", gettext_noop("Mã đơn vị")),
    Column("summary", gettext_noop("Tóm tắt"), ("Nội dung tóm tắt",)),
)

AWARD_COLUMNS = (
    Column("subject", gettext_noop("Đối tượng"), ("Loại đối tượng",)),
    *PERSON_COLUMNS,
    Column("household", gettext_noop("Hộ gia đình"), ("Tên hộ gia đình", "Hộ")),
    Column(
        "award",
        gettext_noop("Danh hiệu/Hình thức"),
        (
            "Danh hiệu, hình thức",
            "Danh hiệu",
            "Hình thức",
            "Hình thức khen thưởng",
            "Danh hiệu thi đua",
            "Danh hiệu/hình thức khen thưởng",
            "Mã danh hiệu",
        ),
        required=True,
    ),
    Column("year", gettext_noop("Năm"), ("Năm thành tích", "Năm đạt")),
    Column("period_start", gettext_noop("Từ năm")),
    Column("period_end", gettext_noop("Đến năm")),
    Column("decision_number", gettext_noop("Số quyết định"), ("Số QĐ", "Quyết định số"), required=True),
    Column(
        "decision_date", gettext_noop("Ngày quyết định"), ("Ngày QĐ", "Ngày ký quyết định", "Ngày ký"), True
    ),
    Column("issuer", gettext_noop("Cơ quan quyết định"), ("Cơ quan ra quyết định", "Cấp quyết định")),
    Column("register_number", gettext_noop("Số sổ"), ("Số sổ vàng", "Số vào sổ")),
    _NOTE,
)

DISCIPLINE_COLUMNS = (
    *PERSON_COLUMNS,
    Column("level", gettext_noop("Hình thức kỷ luật"), ("Kỷ luật",)),
    Column("pending_kind", gettext_noop("Vụ việc đang xem xét"), ("Vụ việc", "Đang xem xét")),
    Column("start", gettext_noop("Từ ngày"), required=True),
    Column("end", gettext_noop("Đến ngày")),
    Column("decision", gettext_noop("Số quyết định"), ("Quyết định", "Số QĐ")),
    _NOTE,
)


# ---------------------------------------------------------------- cell parsers


def _compact(text: str) -> str:
    """Folded, letters and digits only: "HT XS-NV" and "htxsnv" compare equal."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


@functools.cache
def _vietnamese_labels(choices: type) -> tuple[str, ...]:
    with translation.override("vi"):
        return tuple(str(label) for label in choices.labels)


@functools.cache
def _lookup_table(
    choices: type, synonyms: tuple[tuple[str, str], ...], language: str | None
) -> dict[str, str]:
    """Compact code, Vietnamese label, label in the interface language and synonyms → code."""
    table: dict[str, str] = {}
    for (code, label), label_vi in zip(choices.choices, _vietnamese_labels(choices), strict=True):
        for text in (code, str(label), label_vi):
            table[_compact(text)] = code
    for text, code in synonyms:
        table[_compact(text)] = code
    return table


def _choice(
    errors: Errors, row: int, key: str, value: Any, choices: type, synonyms: tuple[tuple[str, str], ...] = ()
) -> str | None:
    """A value from a TextChoices, by code, label or synonym, ignoring case, accents and punctuation."""
    text = cell_text(value)
    if not text:
        return None
    code = _lookup_table(choices, synonyms, translation.get_language()).get(_compact(text))
    if code is not None:
        return code
    errors.add(
        row,
        key,
        _("%(heading)s “%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
        % {"heading": errors.heading(key), "value": text, "allowed": "; ".join(_vietnamese_labels(choices))},
    )
    return None


_RATING_SYNONYMS = (
    ("Hoàn thành xuất sắc", Rating.EXCELLENT),
    ("Hoàn thành tốt", Rating.GOOD),
    ("Hoàn thành", Rating.DONE),
    ("Không hoàn thành", Rating.NOT_DONE),
)


def _rating(errors: Errors, row: int, key: str, value: Any) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    code = _lookup_table(Rating, _RATING_SYNONYMS, translation.get_language()).get(_compact(text))
    if code is None:
        errors.add(
            row,
            key,
            _(
                "Xếp loại “%(value)s” không hợp lệ; ghi HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ (ví dụ “Hoàn thành tốt nhiệm vụ”)."
            )
            % {"value": text},
        )
    return code


_YEAR_TEXT = re.compile(r"^\d{4}$")


def _year(errors: Errors, row: int, key: str, value: Any, this_year: int) -> int | None:
    if is_blank(value):
        return None
    number = whole_number(value)
    text = cell_text(value)
    if number is None and _YEAR_TEXT.match(text):
        number = int(text)
    if number is None or not MIN_YEAR <= number <= this_year:
        errors.add(
            row,
            key,
            _("%(heading)s “%(value)s” không hợp lệ: ghi năm bằng 4 chữ số, từ %(min)d đến %(max)d.")
            % {"heading": errors.heading(key), "value": text, "min": MIN_YEAR, "max": this_year},
        )
        return None
    return number


_YES = {"co", "x", "1", "true", "yes", "da", "daapdung", "cohieuqua", "dung"}
_NO = {"khong", "0", "false", "no", "chua", "chuaapdung", "khonghieuqua", "sai"}


def _yes_no(errors: Errors, row: int, key: str, value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    compact = _compact(text) or text.strip()
    if compact in _YES or text.strip() in {"✔", "✓"}:
        return True
    if compact in _NO:
        return False
    errors.add(
        row,
        key,
        _("%(heading)s “%(value)s” không hợp lệ; ghi Có hoặc Không.")
        % {"heading": errors.heading(key), "value": text},
    )
    return None


def _required(errors: Errors, row: int, key: str, value: Any, parsed: Any) -> None:
    """An error for a blank required cell (a wrong one has its own message already)."""
    if parsed is None and is_blank(value):
        errors.add(row, key, _("%(heading)s không được để trống.") % {"heading": errors.heading(key)})


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# ---------------------------------------------------------------- who a row is about


@dataclass
class _Subject:
    """The person (or unit) a row names, and what was found in the database."""

    row: int
    full_name: str = ""
    cccd: str | None = None
    birth_date: datetime.date | None = None
    unit_code: str | None = None
    bad: set[str] = field(default_factory=set)  # identity cells that failed their checks
    person: Person | None = field(default=None, repr=False)
    unit: Unit | None = field(default=None, repr=False)

    @property
    def key(self) -> tuple[str, int] | None:
        if self.person is not None:
            return ("person", self.person.pk)
        if self.unit is not None:
            return ("unit", self.unit.pk)
        return None

    @property
    def label(self) -> str:
        return self.person.full_name if self.person is not None else str(self.unit)


def _parse_person_cells(
    errors: Errors, row: int, cells: dict[str, Any], today: datetime.date, *, required: bool = True
) -> _Subject:
    """The identity cells of a person row. ``required`` False leaves a row without any of them to the
    caller (the award register tells people from units and households)."""
    start = len(errors.items)
    subject = _Subject(
        row=row,
        full_name=cell_text(cells.get("full_name")),
        cccd=parse_cccd(errors, row, cells.get("cccd")),
        birth_date=parse_date(errors, row, "birth_date", cells.get("birth_date"), not_after=today),
        unit_code=parse_unit_code(errors, row, "unit_code", cells.get("unit_code")),
    )
    subject.bad = errors.keys_since(start)
    has_cccd_cell = not is_blank(cells.get("cccd"))
    if not subject.full_name and not has_cccd_cell:
        if required:
            errors.add(row, "full_name", _("Cần ghi họ và tên hoặc Số CCCD để biết là ai."))
            subject.bad.add("full_name")
    elif not has_cccd_cell and is_blank(cells.get("unit_code")):
        errors.add(
            row,
            "unit_code",
            _("Không có Số CCCD thì cần ghi mã đơn vị (cùng họ tên, ngày sinh) để tìm người."),
        )
        subject.bad.add("unit_code")
    return subject


def _units_by_code(codes: Iterable[str]) -> dict[str, Unit]:
    return {
        unit.code: unit for unit in in_chunks(Unit.objects.all(), "code", {code for code in codes if code})
    }


def _unit_not_found(code: str) -> str:
    # Same words as the people import, whether the unit is missing or outside the scope.
    return _("Không có đơn vị mã “%(code)s” trong phạm vi bạn được nhập dữ liệu.") % {"code": code}


def _unit_in_scope(
    actor, errors: Errors, row: int, key: str, code: str, units: dict[str, Unit]
) -> Unit | None:
    unit = units.get(code)
    if unit is None or not scopes.can(actor, RECORDS_PERMISSION, unit):
        errors.add(row, key, _unit_not_found(code))
        return None
    return unit


def _person_not_found(cccd: str) -> str:
    return _("Không có người có Số CCCD %(cccd)s trong phạm vi bạn được nhập dữ liệu.") % {"cccd": cccd}


def _find_people(actor, errors: Errors, subjects: list[_Subject], units: dict[str, Unit]) -> None:
    """Set ``person`` on every subject that names exactly one person in the actor's scope, and report
    the others. Two queries at most (PersonMatcher)."""
    for subject in subjects:
        if subject.unit_code and "unit_code" not in subject.bad:
            subject.unit = _unit_in_scope(actor, errors, subject.row, "unit_code", subject.unit_code, units)
            if subject.unit is None:
                subject.bad.add("unit_code")
    matcher = PersonMatcher()
    matcher.load_cccds(subject.cccd for subject in subjects if subject.cccd and not subject.bad)
    by_name: list[_Subject] = []
    for subject in subjects:
        if subject.bad:
            continue  # a wrong identity cell is reported already
        if subject.cccd:
            person = matcher.with_cccd(subject.cccd)
            if person is not None:
                if not scopes.can_on_person(actor, RECORDS_PERMISSION, person):
                    errors.add(subject.row, "cccd", _person_not_found(subject.cccd))
                elif subject.full_name and fold(subject.full_name) != fold(person.full_name):
                    errors.add(
                        subject.row,
                        "full_name",
                        _("Số CCCD %(cccd)s là của %(name)s, không phải “%(written)s”.")
                        % {"cccd": subject.cccd, "name": person.full_name, "written": subject.full_name},
                    )
                else:
                    subject.person = person
                continue
        if subject.full_name and subject.unit is not None:
            by_name.append(subject)  # no CCCD, or one not on file: someone recorded without it
        elif subject.cccd:
            errors.add(subject.row, "cccd", _person_not_found(subject.cccd))
    matcher.load_units(subject.unit.pk for subject in by_name)
    for subject in by_name:
        candidates = matcher.by_name(
            subject.full_name, subject.birth_date, subject.unit.pk, has_cccd=bool(subject.cccd)
        )
        unit = subject.unit
        subject.unit = None  # the unit only helped to find the person
        if len(candidates) == 1:
            subject.person = candidates[0]
        elif candidates:
            errors.add(
                subject.row,
                "cccd" if errors.has_column("cccd") else "full_name",
                _(
                    "Có %(count)d người tên “%(name)s” cùng ngày sinh ở đơn vị %(code)s. Hãy ghi Số CCCD để biết là người nào."
                )
                % {"count": len(candidates), "name": candidates[0].full_name, "code": unit.code},
            )
        elif subject.cccd:
            errors.add(subject.row, "cccd", _person_not_found(subject.cccd))
        else:
            born = f" ({subject.birth_date:%d/%m/%Y})" if subject.birth_date else ""
            errors.add(
                subject.row,
                "full_name",
                _(
                    "Không tìm thấy “%(name)s”%(born)s ở đơn vị %(code)s. Hãy kiểm tra họ tên, ngày sinh, mã đơn vị hoặc ghi Số CCCD."
                )
                % {"name": subject.full_name, "born": born, "code": unit.code},
            )
    for subject in subjects:
        if subject.person is not None:
            subject.unit = None


def _person_path(person: Person) -> str:
    return person.current_unit.path if person.current_unit_id else ""


# ---------------------------------------------------------------- shared steps


def _raise_if_any(all_errors: list[Errors]) -> None:
    if any(errors.items for errors in all_errors):
        ordered = [error for errors in all_errors for error in errors.ordered()]
        raise ImportFailed(ordered, truncated=any(errors.truncated for errors in all_errors))


def _rows_of(header: Header, errors: Errors, parse: Callable[[int, dict[str, Any]], Any]) -> tuple[list, int]:
    """Parse every data row below the header; stop collecting once the error list is full."""
    parsed_rows = []
    row_count = 0
    for row, cells in data_rows(header):
        row_count += 1
        if errors.full:
            errors.truncated = True
            break
        parsed_rows.append(parse(row, cells))
    return parsed_rows, row_count


def _no_rows(errors: Errors, header: Header) -> None:
    errors.add(header.row_index + 1, "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))


def _finish(
    *,
    actor,
    kind: str,
    content: bytes,
    filename: str,
    holder: list[ImportBatch],
    row_count: int,
    created: list,
    updated: list,
    changes_by_pk: dict[int, dict],
    unchanged: int,
    unit_paths: list[str],
) -> ImportBatch:
    """Keep the file with its batch, then one audit entry per created or updated record and one for
    the batch, all in the import's transaction."""
    batch = new_batch(
        actor=actor,
        kind=kind,
        content=content,
        filename=filename,
        unit_path=batch_unit_path(actor, RECORDS_PERMISSION, unit_paths),
        counts={
            "row_count": row_count,
            "created_count": len(created),
            "updated_count": len(updated),
            "unchanged_count": unchanged,
        },
    )
    holder.append(batch)
    audit.record_many(
        actor=actor,
        action=AuditAction.IMPORT,
        objects=[*created, *updated],
        changes_by_pk={**{obj.pk: audit.created(obj) for obj in created}, **changes_by_pk},
        note=batch_note(batch),
    )
    record_batch(actor, batch)
    return batch


def _apply(obj, values: dict[str, Any]) -> dict[str, list]:
    """Set the values on a loaded record and return what changed, audit-style."""
    before = audit.snapshot(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    return audit.diff(before, audit.snapshot(obj))


def _run(
    actor, uploaded_file, filename: str, prepare: Callable[[bytes, list], Callable[[list], ImportBatch]]
) -> ImportBatch:
    """Common frame: permission, reading, then the write phase in one transaction."""
    scopes.require(actor, RECORDS_PERMISSION)
    content, sheets = read_upload(uploaded_file, filename)
    write_rows = prepare(content, sheets)
    holder: list[ImportBatch] = []

    def write() -> ImportBatch:
        with transaction.atomic():
            return write_rows(holder)

    return run_writes(write, holder, conflict_message=_conflict_message())


# ---------------------------------------------------------------- ratings


_WIDE_YEAR = re.compile(r"^(?:[a-z ]*\bnam )?(\d{4})$")


def _year_heading(value: Any) -> str | None:
    """A heading that is a year (2023, "2023", "Năm 2023", "Xếp loại năm 2023") heads a column of
    ratings in the wide layout units keep: one row per person, one column per year."""
    number = whole_number(value)
    if number is None and isinstance(value, str):
        match = _WIDE_YEAR.match(" ".join(fold(value).replace(":", " ").split()))
        number = int(match.group(1)) if match else None
    if number is not None and MIN_YEAR <= number <= 2100:
        return f"year:{number}"
    return None


@dataclass
class _RatingEntry:
    subject: _Subject
    year: int
    rating: str
    note: str | None
    year_key: str  # the cell to blame for a problem with the year ("year" or "year:2023")


@dataclass
class _RatingSheet:
    header: Header
    errors: Errors
    for_people: bool
    wide_years: dict[str, int]  # column key → year, in the wide layout
    entries: list[_RatingEntry] = field(default_factory=list)
    subjects: list[_Subject] = field(default_factory=list)
    row_count: int = 0


def _rating_sheets(sheets) -> list[_RatingSheet]:
    """Every sheet whose header names people (Họ và tên, Số CCCD) or units (Mã đơn vị) together with
    ratings (Năm and Xếp loại, or year columns). Other sheets (the guide, notes) are left alone."""
    found: list[tuple[Header, bool]] = []
    for sheet in sheets:
        header = sheet_header(sheet, RATING_COLUMNS, extra_heading=_year_heading)
        if header is None or len(header.positions) < 2:
            continue
        keys = set(header.positions)
        for_people = bool(keys & {"full_name", "cccd"})
        if not for_people and "unit_code" not in keys:
            continue
        if not keys & {"year", "rating"} and not any(key.startswith("year:") for key in keys):
            continue
        found.append((header, for_people))
    if not found:
        raise ImportFailed(
            [
                RowError(
                    row=1,
                    column="",
                    message=_(
                        "Không tìm thấy dòng tiêu đề. Trang kết quả xếp loại cá nhân cần các cột “Họ và tên” (hoặc “Số CCCD”), “Năm”, “Xếp loại”; trang của tập thể cần “Mã đơn vị”, “Năm”, “Xếp loại”; hoặc mỗi năm một cột (2021, 2022…) thay cho “Năm” và “Xếp loại” (xem tệp mẫu)."
                    ),
                )
            ]
        )
    result = []
    for header, for_people in found:
        wide_years = {key: int(key.split(":", 1)[1]) for key in header.positions if key.startswith("year:")}
        columns = RATING_COLUMNS + tuple(Column(key, str(year)) for key, year in wide_years.items())
        errors = Errors(columns, header, sheet=header.sheet.name if len(found) > 1 else "")
        result.append(
            _RatingSheet(header=header, errors=errors, for_people=for_people, wide_years=wide_years)
        )
    return result


def _check_rating_layout(sheet: _RatingSheet) -> bool:
    keys = set(sheet.header.positions)
    row = sheet.header.row_index + 1
    if sheet.wide_years:
        if keys & {"year", "rating"}:
            sheet.errors.add(
                row,
                "",
                _(
                    "Dòng tiêu đề vừa có cột “Năm”, “Xếp loại” vừa có các cột năm (%(years)s). Hãy dùng một trong hai cách ghi."
                )
                % {"years": ", ".join(str(year) for year in sorted(sheet.wide_years.values()))},
            )
            return False
        return True
    missing = [heading for key, heading in (("year", "Năm"), ("rating", "Xếp loại")) if key not in keys]
    if missing:
        sheet.errors.add(
            row,
            "",
            _(
                "Thiếu cột bắt buộc: %(headings)s (hoặc mỗi năm một cột: 2021, 2022…). Tên cột phải giống tệp mẫu."
            )
            % {"headings": ", ".join(f"“{_(heading)}”" for heading in missing)},
        )
        return False
    return True


def _parse_rating_row(sheet: _RatingSheet, row: int, cells: dict[str, Any], today: datetime.date) -> None:
    errors = sheet.errors
    if sheet.for_people:
        subject = _parse_person_cells(errors, row, cells, today)
    else:
        start = len(errors.items)
        subject = _Subject(
            row=row, unit_code=parse_unit_code(errors, row, "unit_code", cells.get("unit_code"))
        )
        _required(errors, row, "unit_code", cells.get("unit_code"), subject.unit_code)
        subject.bad = errors.keys_since(start)
    sheet.subjects.append(subject)
    note = parse_text(errors, row, "note", cells.get("note"), _max_length(AnnualRating, "note"))
    if sheet.wide_years:
        for key, year in sheet.wide_years.items():
            value = cells.get(key)
            if is_blank(value):
                continue
            if year > today.year:
                errors.add(
                    row,
                    key,
                    _("Năm %(year)d chưa kết thúc nên chưa có xếp loại.") % {"year": year},
                )
                continue
            rating = _rating(errors, row, key, value)
            if rating is not None:
                sheet.entries.append(_RatingEntry(subject, year, rating, note, key))
        return
    year = _year(errors, row, "year", cells.get("year"), today.year)
    _required(errors, row, "year", cells.get("year"), year)
    rating = _rating(errors, row, "rating", cells.get("rating"))
    _required(errors, row, "rating", cells.get("rating"), rating)
    if year is not None and rating is not None:
        sheet.entries.append(_RatingEntry(subject, year, rating, note, "year"))


def import_ratings(*, actor, uploaded_file, filename: str) -> ImportBatch:
    """Import annual ratings of people and of units (see RATING_COLUMNS), in the long layout (one row
    per person and year) or the wide one (one column per year), from every sheet that has them.

    A rating for the same person (or unit) and year replaces the recorded one; a blank note keeps the
    recorded note. Raises ImportFailed with every error found, having written nothing."""

    def prepare(content: bytes, sheets) -> Callable[[list], ImportBatch]:
        today = timezone.localdate()
        rating_sheets = _rating_sheets(sheets)
        all_errors = [sheet.errors for sheet in rating_sheets]
        if not all([_check_rating_layout(sheet) for sheet in rating_sheets]):
            _raise_if_any(all_errors)
        for sheet in rating_sheets:
            _rows, sheet.row_count = _rows_of(
                sheet.header,
                sheet.errors,
                lambda row, cells, sheet=sheet: _parse_rating_row(sheet, row, cells, today),
            )
        row_count = sum(sheet.row_count for sheet in rating_sheets)
        if row_count == 0:
            # One sheet of the template left empty is fine; a file without any row is not.
            _no_rows(rating_sheets[0].errors, rating_sheets[0].header)
        if row_count == 0 or any(sheet.errors.full for sheet in rating_sheets):
            _raise_if_any(all_errors)
        # Rows with bad cells still go through the database checks: every error comes at once.
        return lambda holder: _write_ratings(actor, rating_sheets, row_count, content, filename, holder)

    return _run(actor, uploaded_file, filename, prepare)


def _write_ratings(
    actor, rating_sheets: list[_RatingSheet], row_count: int, content: bytes, filename: str, holder: list
) -> ImportBatch:
    # -- load and check: units by code (one query), then people (two at most)
    units = _units_by_code(subject.unit_code for sheet in rating_sheets for subject in sheet.subjects)
    for sheet in rating_sheets:
        if sheet.for_people:
            _find_people(actor, sheet.errors, sheet.subjects, units)
            continue
        for subject in sheet.subjects:
            if subject.unit_code and not subject.bad:
                subject.unit = _unit_in_scope(
                    actor, sheet.errors, subject.row, "unit_code", subject.unit_code, units
                )
    first_row: dict[tuple, tuple[_RatingSheet, int]] = {}
    entries: list[_RatingEntry] = []
    for sheet in rating_sheets:
        for entry in sheet.entries:
            subject = entry.subject
            if subject.key is None:
                continue
            unit = subject.unit
            if unit is not None and not _unit_existed_in(unit, entry.year):
                sheet.errors.add(
                    subject.row,
                    entry.year_key,
                    _("Đơn vị %(code)s không hoạt động trong năm %(year)d (hiệu lực %(period)s).")
                    % {"code": unit.code, "year": entry.year, "period": _validity(unit)},
                )
                continue
            key = (subject.key, entry.year)
            seen = first_row.setdefault(key, (sheet, subject.row))
            if seen != (sheet, subject.row):
                where = (
                    _("dòng %(row)d") % {"row": seen[1]}
                    if seen[0] is sheet
                    else _("dòng %(row)d trang “%(sheet)s”")
                    % {"row": seen[1], "sheet": seen[0].header.sheet.name}
                )
                sheet.errors.add(
                    subject.row,
                    entry.year_key,
                    _("Kết quả năm %(year)d của %(name)s đã có ở %(where)s.")
                    % {"year": entry.year, "name": subject.label, "where": where},
                )
                continue
            entries.append(entry)
    _raise_if_any([sheet.errors for sheet in rating_sheets])

    # -- plan: what is recorded for those people, units and years (locked)
    person_ids = {entry.subject.person.pk for entry in entries if entry.subject.person is not None}
    unit_ids = {entry.subject.unit.pk for entry in entries if entry.subject.unit is not None}
    years = {entry.year for entry in entries}
    existing: dict[tuple, AnnualRating] = {}
    recorded = AnnualRating.objects.select_for_update().filter(year__in=years)
    for rating in in_chunks(recorded, "person", person_ids):
        existing[(("person", rating.person_id), rating.year)] = rating
    for rating in in_chunks(recorded, "unit", unit_ids):
        existing[(("unit", rating.unit_id), rating.year)] = rating
    created: list[AnnualRating] = []
    updated: list[AnnualRating] = []
    changes_by_pk: dict[int, dict] = {}
    unchanged = 0
    for entry in entries:
        subject = entry.subject
        rating = existing.get((subject.key, entry.year))
        if rating is None:
            created.append(
                AnnualRating(
                    person=subject.person,
                    unit=subject.unit,
                    year=entry.year,
                    rating=entry.rating,
                    note=entry.note or "",
                )
            )
            continue
        # The loaded objects give the audit entry its label and unit.
        if subject.person is not None:
            rating.person = subject.person
        else:
            rating.unit = subject.unit
        values: dict[str, Any] = {"rating": entry.rating}
        if entry.note is not None:
            values["note"] = entry.note
        changes = _apply(rating, values)
        if changes:
            updated.append(rating)
            changes_by_pk[rating.pk] = changes
        else:
            unchanged += 1

    # -- write
    AnnualRating.objects.bulk_create(created, batch_size=1000)
    save_changed_fields(
        AnnualRating, [(rating, changes_by_pk[rating.pk].keys()) for rating in updated], timezone.now()
    )
    first = entries[0].subject if entries else None
    paths = []
    if first is not None:
        paths = [_person_path(first.person) if first.person is not None else first.unit.path]
    return _finish(
        actor=actor,
        kind=ImportKind.RATINGS,
        content=content,
        filename=filename,
        holder=holder,
        row_count=row_count,
        created=created,
        updated=updated,
        changes_by_pk=changes_by_pk,
        unchanged=unchanged,
        unit_paths=paths,
    )


def _unit_existed_in(unit: Unit, year: int) -> bool:
    return (unit.valid_from is None or unit.valid_from.year <= year) and (
        unit.valid_to is None or unit.valid_to.year >= year
    )


def _validity(unit: Unit) -> str:
    since = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else "…"
    until = f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else "…"
    return f"{since}–{until}"


# ---------------------------------------------------------------- initiatives and research

_KIND_SYNONYMS = tuple(
    (text, InitiativeKind.RESEARCH)
    for text in (
        "Đề tài",
        "Đề án",
        "Đề tài, đề án",
        "Đề tài khoa học",
        "Đề án khoa học",
        "Nhiệm vụ khoa học",
        "Nhiệm vụ khoa học và công nghệ",
    )
)
_SCOPE_SYNONYMS = (
    ("Cấp cơ sở", Scope.BASE),
    ("Tỉnh", Scope.PROVINCE),
    ("Cấp tỉnh", Scope.PROVINCE),
    ("Bộ, ngành", Scope.PROVINCE),
    ("Cấp bộ", Scope.PROVINCE),
    ("Cấp ngành", Scope.PROVINCE),
    ("Cấp toàn quốc", Scope.NATIONAL),
    ("Quốc gia", Scope.NATIONAL),
    ("Cấp quốc gia", Scope.NATIONAL),
    ("Cấp nhà nước", Scope.NATIONAL),
)
_AUTHOR_SEPARATORS = re.compile(r"[;,\n]")
_DIGITS = re.compile(r"^[\d .]+$")


@dataclass
class _Author:
    text: str  # as written in the cell
    cccd: str | None = None
    name_text: str = ""  # the person's search text without its CCCD (see _people_by_name)


@dataclass
class _InitiativeRow:
    row: int
    title: str | None
    kind: str | None
    scope: str | None
    recognized_on: datetime.date | None
    decision: str | None
    body: str | None
    applied: bool | None
    effective: bool | None
    unit_code: str | None
    summary: str | None
    authors: list[_Author]
    bad: set[str] = field(default_factory=set)
    unit: Unit | None = field(default=None, repr=False)
    people: list[Person] = field(default_factory=list, repr=False)

    @property
    def key(self) -> tuple:
        return _initiative_key(self.title or "", self.recognized_on, self.decision or "")


def _initiative_key(title: str, recognized_on: datetime.date | None, decision: str) -> tuple:
    return (" ".join(fold(title).split()), recognized_on, _compact(decision))


def _parse_authors(errors: Errors, row: int, value: Any) -> list[_Author]:
    if is_blank(value):
        return []
    number = whole_number(value)
    if number is not None:
        # One CCCD typed into a number cell: its leading zeros are gone.
        texts = [f"{number:012d}" if 10**9 <= number < 10**12 else str(number)]
    else:
        texts = [cell_text(part) for part in _AUTHOR_SEPARATORS.split(str(value))]
    authors = []
    for text in texts:
        if not text:
            continue
        if _DIGITS.match(text):
            digits = "".join(ch for ch in text if ch.isdigit())
            if len(digits) != 12:
                errors.add(
                    row,
                    "authors",
                    _("Số CCCD “%(value)s” của tác giả phải gồm đúng 12 chữ số.") % {"value": text},
                )
                continue
            authors.append(_Author(text=text, cccd=digits))
        else:
            authors.append(_Author(text=text, name_text=search_text_for(text, None)))
    return authors


def _parse_initiative_row(
    errors: Errors, row: int, cells: dict[str, Any], today: datetime.date
) -> _InitiativeRow:
    start = len(errors.items)
    parsed = _InitiativeRow(
        row=row,
        title=parse_text(errors, row, "title", cells.get("title"), _max_length(Initiative, "title")),
        kind=_choice(errors, row, "kind", cells.get("kind"), InitiativeKind, _KIND_SYNONYMS),
        scope=_choice(errors, row, "scope", cells.get("scope"), Scope, _SCOPE_SYNONYMS),
        recognized_on=parse_date(errors, row, "recognized_on", cells.get("recognized_on"), not_after=today),
        decision=parse_text(
            errors, row, "decision", cells.get("decision"), _max_length(Initiative, "recognizing_decision")
        ),
        body=parse_text(errors, row, "body", cells.get("body"), _max_length(Initiative, "recognizing_body")),
        applied=_yes_no(errors, row, "applied", cells.get("applied")),
        effective=_yes_no(errors, row, "effective", cells.get("effective")),
        unit_code=parse_unit_code(errors, row, "unit_code", cells.get("unit_code")),
        summary=parse_text(errors, row, "summary", cells.get("summary"), 5000),
        authors=_parse_authors(errors, row, cells.get("authors")),
    )
    for key, value in (
        ("title", parsed.title),
        ("kind", parsed.kind),
        ("scope", parsed.scope),
        ("recognized_on", parsed.recognized_on),
    ):
        _required(errors, row, key, cells.get(key), value)
    if is_blank(cells.get("authors")):
        errors.add(row, "authors", _("Cần ít nhất một tác giả."))
    parsed.bad = errors.keys_since(start)
    return parsed


def _people_by_name(actor, name_texts: set[str]) -> dict[str, list[Person]]:
    """The people in the actor's scope whose folded full name is one of ``name_texts``, in one query.
    A person's search text is their folded name followed, when they have one, by their CCCD: cutting
    the CCCD off gives the form search_text_for(name, None) produces for a name typed in a file."""
    people = (
        Person.objects.select_related("current_unit")
        .filter(scopes.person_scope_q(actor, RECORDS_PERMISSION))
        .annotate(
            name_text=Case(
                When(cccd__isnull=True, then=F("search_text")),
                default=Left("search_text", Length("search_text") - Length("cccd") - 1),
            )
        )
    )
    found: dict[str, list[Person]] = defaultdict(list)
    for person in in_chunks(people, "name_text", name_texts):
        found[person.name_text].append(person)
    return found


def _find_authors(actor, errors: Errors, rows: list[_InitiativeRow]) -> None:
    cccds = {author.cccd for parsed in rows for author in parsed.authors if author.cccd}
    by_cccd = {
        person.cccd: person
        for person in in_chunks(Person.objects.select_related("current_unit"), "cccd", cccds)
    }
    names = {author.name_text for parsed in rows for author in parsed.authors if author.name_text}
    by_name = _people_by_name(actor, names) if names else {}
    for parsed in rows:
        people: list[Person] = []
        for author in parsed.authors:
            if author.cccd:
                person = by_cccd.get(author.cccd)
                if person is None or not scopes.can_on_person(actor, RECORDS_PERMISSION, person):
                    errors.add(
                        parsed.row,
                        "authors",
                        _("Tác giả có Số CCCD %(cccd)s không có trong phạm vi bạn được nhập dữ liệu.")
                        % {"cccd": author.cccd},
                    )
                    continue
            else:
                candidates = by_name.get(author.name_text, [])
                if len(candidates) > 1 and parsed.unit is not None:
                    # Namesakes elsewhere: the initiative's unit tells which one is meant.
                    candidates = [
                        person
                        for person in candidates
                        if person.current_unit_id and person.current_unit.path.startswith(parsed.unit.path)
                    ] or candidates
                if not candidates:
                    errors.add(
                        parsed.row,
                        "authors",
                        _("Tác giả “%(name)s” không có trong phạm vi bạn được nhập dữ liệu.")
                        % {"name": author.text},
                    )
                    continue
                if len(candidates) > 1:
                    errors.add(
                        parsed.row,
                        "authors",
                        _(
                            "Có %(count)d người tên “%(name)s” trong phạm vi bạn được nhập dữ liệu; hãy ghi Số CCCD của tác giả này thay cho tên."
                        )
                        % {"count": len(candidates), "name": author.text},
                    )
                    continue
                person = candidates[0]
            if any(other.pk == person.pk for other in people):
                errors.add(
                    parsed.row,
                    "authors",
                    _("Tác giả %(name)s được ghi hai lần.") % {"name": person.full_name},
                )
                continue
            people.append(person)
        parsed.people = people


def import_initiatives(*, actor, uploaded_file, filename: str) -> ImportBatch:
    """Import recognised initiatives and research tasks (see INITIATIVE_COLUMNS) with their authors.

    Every author must be exactly one person in the actor's scope, named or given by CCCD. A row with
    the title, recognition date and decision number of a recorded initiative updates it (authors
    included). Raises ImportFailed with every error found, having written nothing."""

    def prepare(content: bytes, sheets) -> Callable[[list], ImportBatch]:
        today = timezone.localdate()
        header = find_header(sheets, INITIATIVE_COLUMNS)
        errors = Errors(INITIATIVE_COLUMNS, header)
        rows, row_count = _rows_of(
            header, errors, lambda row, cells: _parse_initiative_row(errors, row, cells, today)
        )
        if row_count == 0:
            _no_rows(errors, header)
        if row_count == 0 or errors.full:
            errors.raise_if_any()
        return lambda holder: _write_initiatives(actor, errors, rows, row_count, content, filename, holder)

    return _run(actor, uploaded_file, filename, prepare)


def _write_initiatives(
    actor,
    errors: Errors,
    rows: list[_InitiativeRow],
    row_count: int,
    content: bytes,
    filename: str,
    holder: list,
) -> ImportBatch:
    units = _units_by_code(parsed.unit_code for parsed in rows if "unit_code" not in parsed.bad)
    for parsed in rows:
        if parsed.unit_code and "unit_code" not in parsed.bad:
            parsed.unit = _unit_in_scope(actor, errors, parsed.row, "unit_code", parsed.unit_code, units)
    _find_authors(actor, errors, rows)
    first_row: dict[tuple, int] = {}
    for parsed in rows:
        if {"title", "recognized_on", "decision"} & parsed.bad:
            continue
        first = first_row.setdefault(parsed.key, parsed.row)
        if first != parsed.row:
            errors.add(
                parsed.row,
                "title",
                _("Trùng tên, ngày công nhận và số quyết định với dòng %(row)d.") % {"row": first},
            )
    errors.raise_if_any()

    # -- the recorded initiatives these rows may update: visible to the actor, same recognition dates
    dates = {parsed.recognized_on for parsed in rows}
    visible = initiatives_visible_to(actor, RECORDS_PERMISSION).filter(recognized_on__in=dates).values("pk")
    recorded = list(
        Initiative.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk__in=visible)
        .order_by("id")
    )
    existing: dict[tuple, Initiative] = {}
    for initiative in recorded:
        existing.setdefault(
            _initiative_key(initiative.title, initiative.recognized_on, initiative.recognizing_decision),
            initiative,
        )
    authors_of: dict[int, list[int]] = defaultdict(list)
    links = InitiativeAuthor.objects.filter(initiative__in=[initiative.pk for initiative in recorded])
    for initiative_id, person_id in links.order_by("initiative_id", "order", "id").values_list(
        "initiative_id", "person_id"
    ):
        authors_of[initiative_id].append(person_id)

    created: list[Initiative] = []
    created_authors: list[list[Person]] = []
    updated: list[Initiative] = []
    new_authors: dict[int, list[Person]] = {}
    changes_by_pk: dict[int, dict] = {}
    unchanged = 0
    for parsed in rows:
        unit = parsed.unit or (parsed.people[0].current_unit if parsed.unit_code is None else None)
        initiative = existing.get(parsed.key)
        if initiative is None:
            created.append(
                Initiative(
                    title=parsed.title,
                    kind=parsed.kind,
                    scope=parsed.scope,
                    recognized_on=parsed.recognized_on,
                    recognizing_decision=parsed.decision or "",
                    recognizing_body=parsed.body or "",
                    applied=bool(parsed.applied),
                    effective=bool(parsed.effective),
                    unit=unit,
                    summary=parsed.summary or "",
                )
            )
            created_authors.append(parsed.people)
            continue
        values: dict[str, Any] = {"title": parsed.title, "kind": parsed.kind, "scope": parsed.scope}
        for name, value in (
            ("recognizing_body", parsed.body),
            ("applied", parsed.applied),
            ("effective", parsed.effective),
            ("summary", parsed.summary),
        ):
            if value is not None:
                values[name] = value
        if parsed.unit is not None:
            values["unit"] = parsed.unit
        changes = _apply(initiative, values)
        before_authors = authors_of.get(initiative.pk, [])
        after_authors = [person.pk for person in parsed.people]
        if after_authors != before_authors:
            changes["authors"] = [before_authors, after_authors]
            new_authors[initiative.pk] = parsed.people
        if changes:
            updated.append(initiative)
            changes_by_pk[initiative.pk] = changes
        else:
            unchanged += 1

    # -- write
    Initiative.objects.bulk_create(created, batch_size=1000)
    save_changed_fields(
        Initiative,
        [(initiative, changes_by_pk[initiative.pk].keys() - {"authors"}) for initiative in updated],
        timezone.now(),
    )
    for start in range(0, len(new_authors), 2000):
        InitiativeAuthor.objects.filter(initiative__in=list(new_authors)[start : start + 2000]).delete()
    links = [
        InitiativeAuthor(initiative=initiative, person=person, order=order)
        for initiative, people in [
            *zip(created, created_authors, strict=True),
            *[(i, new_authors[i.pk]) for i in updated if i.pk in new_authors],
        ]
        for order, person in enumerate(people, start=1)
    ]
    InitiativeAuthor.objects.bulk_create(links, batch_size=1000)
    for initiative, people in zip(created, created_authors, strict=True):
        changes = audit.created(initiative)
        changes["authors"] = [None, [person.pk for person in people]]
        changes_by_pk[initiative.pk] = changes
    first = rows[0]
    path = first.unit.path if first.unit else _person_path(first.people[0]) if first.people else ""
    return _finish(
        actor=actor,
        kind=ImportKind.INITIATIVES,
        content=content,
        filename=filename,
        holder=holder,
        row_count=row_count,
        created=created,
        updated=updated,
        changes_by_pk=changes_by_pk,
        unchanged=unchanged,
        unit_paths=[path],
    )


# ---------------------------------------------------------------- the award register

_SUBJECT_SYNONYMS = (
    ("Tập thể, đơn vị", Subject.COLLECTIVE),
    ("Đơn vị", Subject.COLLECTIVE),
    ("Hộ", Subject.HOUSEHOLD),
    ("Gia đình", Subject.HOUSEHOLD),
)
_SUBJECT_WORDS = {
    Subject.INDIVIDUAL: gettext_noop("cá nhân"),
    Subject.COLLECTIVE: gettext_noop("tập thể"),
    Subject.HOUSEHOLD: gettext_noop("hộ gia đình"),
}
_PERIOD_TEXT = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")


@dataclass
class _AwardRow:
    row: int
    who: _Subject
    subject: str | None  # Subject value
    household: str | None
    award: AwardType | None
    period_start: int | None
    period_end: int | None
    decision_number: str | None
    decision_date: datetime.date | None
    issuer: str | None
    register_number: str | None
    note: str | None
    bad: set[str] = field(default_factory=set)
    issuing_unit: Unit | None = field(default=None, repr=False)

    def recipient_key(self) -> tuple | None:
        if self.subject == Subject.HOUSEHOLD:
            if self.issuing_unit is None or not self.household:
                return None
            return ("household", " ".join(fold(self.household).split()), self.issuing_unit.pk)
        return self.who.key


def _award_catalog() -> dict[str, AwardType | None]:
    """Compact code, name and short name → award (None when two awards share the text)."""
    catalog: dict[str, AwardType | None] = {}
    for award in AwardType.objects.all():
        for text in {_compact(award.code), _compact(award.name), _compact(award.short_name)}:
            if not text:
                continue
            if text in catalog and catalog[text] is not None and catalog[text].pk != award.pk:
                catalog[text] = None
            else:
                catalog.setdefault(text, award)
    return catalog


def _award(errors: Errors, row: int, value: Any, catalog: dict[str, AwardType | None]) -> AwardType | None:
    text = cell_text(value)
    if not text:
        return None
    key = _compact(text)
    if key in catalog and catalog[key] is None:
        errors.add(
            row,
            "award",
            _("“%(value)s” khớp với nhiều danh hiệu, hình thức trong danh mục; hãy ghi mã (ví dụ LDTT).")
            % {"value": text},
        )
        return None
    award = catalog.get(key)
    if award is None:
        errors.add(
            row,
            "award",
            _(
                "Danh hiệu/hình thức “%(value)s” không có trong danh mục khen thưởng; ghi mã (ví dụ LDTT) hoặc tên, tên viết tắt như trong danh mục."
            )
            % {"value": text},
        )
    return award


def _period(errors: Errors, row: int, cells: dict[str, Any], this_year: int) -> tuple[int | None, int | None]:
    """The achievement period: “Năm” (a year, or “2021-2023”), or “Từ năm” and “Đến năm”."""
    year_value = cells.get("year")
    start = end = None
    text = cell_text(year_value)
    match = _PERIOD_TEXT.match(text) if isinstance(year_value, str) else None
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        for year in (start, end):
            if not MIN_YEAR <= year <= this_year:
                errors.add(
                    row,
                    "year",
                    _("%(heading)s “%(value)s” không hợp lệ: ghi năm bằng 4 chữ số, từ %(min)d đến %(max)d.")
                    % {"heading": errors.heading("year"), "value": text, "min": MIN_YEAR, "max": this_year},
                )
                return None, None
        if end < start:
            errors.add(row, "year", _("Thời gian “%(value)s”: năm cuối trước năm đầu.") % {"value": text})
            return None, None
    else:
        start = end = _year(errors, row, "year", year_value, this_year)
    has_year = not is_blank(year_value)
    from_year = _year(errors, row, "period_start", cells.get("period_start"), this_year)
    to_year = _year(errors, row, "period_end", cells.get("period_end"), this_year)
    has_span = not is_blank(cells.get("period_start")) or not is_blank(cells.get("period_end"))
    if has_year and has_span:
        errors.add(
            row,
            "year",
            _("Ghi “Năm” hoặc “Từ năm”, “Đến năm”, không ghi cả hai."),
        )
        return None, None
    if has_span:
        start, end = from_year or to_year, to_year or from_year
        if from_year and to_year and to_year < from_year:
            errors.add(
                row,
                "period_end",
                _("Đến năm %(end)d trước từ năm %(start)d.") % {"end": to_year, "start": from_year},
            )
            return None, None
    if not has_year and not has_span:
        errors.add(
            row,
            "year" if errors.has_column("year") or not errors.has_column("period_start") else "period_start",
            _("Thiếu năm đạt thành tích: ghi “Năm”, hoặc “Từ năm” và “Đến năm”."),
        )
    return start, end


def _parse_award_row(
    errors: Errors, row: int, cells: dict[str, Any], today: datetime.date, catalog: dict
) -> _AwardRow:
    start = len(errors.items)
    who = _Subject(
        row=row,
        full_name=cell_text(cells.get("full_name")),
        cccd=parse_cccd(errors, row, cells.get("cccd")),
        birth_date=parse_date(errors, row, "birth_date", cells.get("birth_date"), not_after=today),
        unit_code=parse_unit_code(errors, row, "unit_code", cells.get("unit_code")),
    )
    household = parse_text(
        errors, row, "household", cells.get("household"), _max_length(AwardRecord, "household_name")
    )
    subject = _choice(errors, row, "subject", cells.get("subject"), Subject, _SUBJECT_SYNONYMS)
    has_person = bool(who.full_name) or not is_blank(cells.get("cccd"))
    if subject is None and is_blank(cells.get("subject")):
        if has_person:
            subject = Subject.INDIVIDUAL
        elif not is_blank(cells.get("household")):
            subject = Subject.HOUSEHOLD
        elif not is_blank(cells.get("unit_code")):
            subject = Subject.COLLECTIVE
        else:
            errors.add(
                row,
                "subject" if errors.has_column("subject") else "",
                _(
                    "Không rõ đối tượng được khen: ghi họ tên hoặc Số CCCD (cá nhân), mã đơn vị (tập thể) hoặc tên hộ gia đình."
                ),
            )
    if subject == Subject.INDIVIDUAL:
        if not has_person:
            errors.add(row, "full_name", _("Cá nhân cần có họ và tên hoặc Số CCCD."))
        elif is_blank(cells.get("cccd")) and is_blank(cells.get("unit_code")):
            errors.add(
                row,
                "unit_code",
                _("Không có Số CCCD thì cần ghi mã đơn vị (cùng họ tên, ngày sinh) để tìm người."),
            )
    elif subject == Subject.COLLECTIVE:
        _required(errors, row, "unit_code", cells.get("unit_code"), who.unit_code)
    elif subject == Subject.HOUSEHOLD:
        _required(errors, row, "household", cells.get("household"), household)
    award = _award(errors, row, cells.get("award"), catalog)
    _required(errors, row, "award", cells.get("award"), award)
    if award is not None and subject is not None and subject not in award.subjects:
        errors.add(
            row,
            "award",
            _("%(award)s không dành cho %(subject)s.")
            % {"award": award.name, "subject": _(_SUBJECT_WORDS[subject])},
        )
    period_start, period_end = _period(errors, row, cells, today.year)
    decision_number = parse_text(
        errors,
        row,
        "decision_number",
        cells.get("decision_number"),
        _max_length(AwardRecord, "decision_number"),
    )
    _required(errors, row, "decision_number", cells.get("decision_number"), decision_number)
    decision_date = parse_date(errors, row, "decision_date", cells.get("decision_date"), not_after=today)
    _required(errors, row, "decision_date", cells.get("decision_date"), decision_date)
    if decision_date and period_start and decision_date.year < period_start:
        errors.add(
            row,
            "decision_date",
            _("Ngày quyết định %(day)s trước năm đạt thành tích %(year)d.")
            % {"day": f"{decision_date:%d/%m/%Y}", "year": period_start},
        )
    parsed = _AwardRow(
        row=row,
        who=who,
        subject=subject,
        household=household,
        award=award,
        period_start=period_start,
        period_end=period_end,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=parse_text(
            errors, row, "issuer", cells.get("issuer"), _max_length(AwardRecord, "issuer_name")
        ),
        register_number=parse_text(
            errors,
            row,
            "register_number",
            cells.get("register_number"),
            _max_length(AwardRecord, "register_number"),
        ),
        note=parse_text(errors, row, "note", cells.get("note"), _max_length(AwardRecord, "note")),
    )
    parsed.bad = errors.keys_since(start)
    who.bad = parsed.bad & _IDENTITY_KEYS
    return parsed


def import_awards(*, actor, uploaded_file, filename: str) -> ImportBatch:
    """Import past awards into the register (see AWARD_COLUMNS): a person, a unit or a household, an
    award of the catalog that fits that recipient, the achievement period and the decision.

    A row with the recipient, award and period of a recorded award updates it. Households are filed
    under the unit that decided (its code in “Cơ quan quyết định”), which must be in the actor's scope.
    Raises ImportFailed with every error found, having written nothing."""

    def prepare(content: bytes, sheets) -> Callable[[list], ImportBatch]:
        today = timezone.localdate()
        header = find_header(sheets, AWARD_COLUMNS)
        errors = Errors(AWARD_COLUMNS, header)
        if not header.positions.keys() & {"year", "period_start", "period_end"}:
            raise ImportFailed(
                [
                    RowError(
                        row=header.row_index + 1,
                        column="",
                        message=_("Thiếu cột năm đạt thành tích: “Năm”, hoặc “Từ năm” và “Đến năm”."),
                    )
                ]
            )
        catalog = _award_catalog()
        rows, row_count = _rows_of(
            header, errors, lambda row, cells: _parse_award_row(errors, row, cells, today, catalog)
        )
        if row_count == 0:
            _no_rows(errors, header)
        if row_count == 0 or errors.full:
            errors.raise_if_any()
        return lambda holder: _write_awards(actor, errors, rows, row_count, content, filename, holder)

    return _run(actor, uploaded_file, filename, prepare)


def _write_awards(
    actor, errors: Errors, rows: list[_AwardRow], row_count: int, content: bytes, filename: str, holder: list
) -> ImportBatch:
    units = _units_by_code(
        [parsed.who.unit_code or "" for parsed in rows] + [parsed.issuer or "" for parsed in rows]
    )
    people_rows = [parsed for parsed in rows if parsed.subject == Subject.INDIVIDUAL]
    _find_people(actor, errors, [parsed.who for parsed in people_rows], units)
    for parsed in rows:
        if parsed.subject == Subject.COLLECTIVE and parsed.who.unit_code and not parsed.who.bad:
            parsed.who.unit = _unit_in_scope(
                actor, errors, parsed.row, "unit_code", parsed.who.unit_code, units
            )
        if parsed.issuer:
            # A unit code names the unit that decided; other text is kept as written.
            parsed.issuing_unit = units.get(parsed.issuer)
        if parsed.subject == Subject.HOUSEHOLD and "issuer" not in parsed.bad:
            if parsed.issuing_unit is None or not scopes.can(actor, RECORDS_PERMISSION, parsed.issuing_unit):
                parsed.issuing_unit = None
                errors.add(
                    parsed.row,
                    "issuer",
                    _(
                        "Khen thưởng hộ gia đình cần ghi ở cột “Cơ quan quyết định” mã của đơn vị ra quyết định, thuộc phạm vi bạn được nhập dữ liệu."
                    ),
                )
    first_row: dict[tuple, int] = {}
    keyed: list[tuple[_AwardRow, tuple]] = []
    for parsed in rows:
        recipient = parsed.recipient_key()
        if recipient is None or parsed.award is None or parsed.period_start is None:
            continue
        key = (recipient, parsed.award.pk, parsed.period_start, parsed.period_end)
        first = first_row.setdefault(key, parsed.row)
        if first != parsed.row:
            errors.add(
                parsed.row,
                "award",
                _("Trùng đối tượng, danh hiệu và thời gian đạt thành tích với dòng %(row)d.")
                % {"row": first},
            )
            continue
        keyed.append((parsed, key))
    if errors.items:
        errors.raise_if_any()

    # -- the recorded awards of these recipients (locked)
    recorded = AwardRecord.objects.select_for_update().filter(revoked=False)
    person_ids = {parsed.who.person.pk for parsed, _key in keyed if parsed.who.person is not None}
    unit_ids = {parsed.who.unit.pk for parsed, _key in keyed if parsed.who.unit is not None}
    issuer_ids = {parsed.issuing_unit.pk for parsed, _key in keyed if parsed.subject == Subject.HOUSEHOLD}
    existing: dict[tuple, AwardRecord] = {}
    for record in [
        *in_chunks(recorded, "person", person_ids),
        *in_chunks(recorded, "unit", unit_ids),
        *in_chunks(recorded.filter(person__isnull=True, unit__isnull=True), "issuing_unit", issuer_ids),
    ]:
        if record.person_id:
            recipient = ("person", record.person_id)
        elif record.unit_id:
            recipient = ("unit", record.unit_id)
        else:
            recipient = ("household", " ".join(fold(record.household_name).split()), record.issuing_unit_id)
        existing.setdefault((recipient, record.award_id, record.period_start, record.period_end), record)
    for parsed, key in keyed:
        record = existing.get(key)
        if record is not None and record.source == AwardSource.DECISION:
            errors.add(
                parsed.row,
                "award",
                _(
                    "Khen thưởng này đã được ghi theo quyết định ban hành trên hệ thống; không sửa được bằng nhập Excel."
                ),
            )
    errors.raise_if_any()

    created: list[AwardRecord] = []
    updated: list[AwardRecord] = []
    changes_by_pk: dict[int, dict] = {}
    unchanged = 0
    for parsed, key in keyed:
        issuer_values: dict[str, Any] = {}
        if parsed.issuer:
            issuer_values = (
                {"issuing_unit": parsed.issuing_unit, "issuer_name": ""}
                if parsed.issuing_unit is not None
                else {"issuing_unit": None, "issuer_name": parsed.issuer}
            )
        record = existing.get(key)
        if record is None:
            created.append(
                AwardRecord(
                    person=parsed.who.person,
                    unit=parsed.who.unit,
                    household_name=parsed.household if parsed.subject == Subject.HOUSEHOLD else "",
                    award=parsed.award,
                    period_start=parsed.period_start,
                    period_end=parsed.period_end,
                    decision_number=parsed.decision_number,
                    decision_date=parsed.decision_date,
                    register_number=parsed.register_number or "",
                    note=parsed.note or "",
                    source=AwardSource.IMPORTED,
                    **issuer_values,
                )
            )
            continue
        # Loaded objects give the audit entry its label and unit.
        record.award = parsed.award
        record.person, record.unit = parsed.who.person, parsed.who.unit
        if parsed.subject == Subject.HOUSEHOLD:
            record.issuing_unit = parsed.issuing_unit
        values: dict[str, Any] = {
            "decision_number": parsed.decision_number,
            "decision_date": parsed.decision_date,
            **issuer_values,
        }
        for name, value in (("register_number", parsed.register_number), ("note", parsed.note)):
            if value is not None:
                values[name] = value
        changes = _apply(record, values)
        if changes:
            updated.append(record)
            changes_by_pk[record.pk] = changes
        else:
            unchanged += 1

    AwardRecord.objects.bulk_create(created, batch_size=1000)
    save_changed_fields(
        AwardRecord, [(record, changes_by_pk[record.pk].keys()) for record in updated], timezone.now()
    )
    first = keyed[0][0]
    if first.who.person is not None:
        path = _person_path(first.who.person)
    elif first.who.unit is not None:
        path = first.who.unit.path
    else:
        path = first.issuing_unit.path
    return _finish(
        actor=actor,
        kind=ImportKind.AWARDS,
        content=content,
        filename=filename,
        holder=holder,
        row_count=row_count,
        created=created,
        updated=updated,
        changes_by_pk=changes_by_pk,
        unchanged=unchanged,
        unit_paths=[path],
    )


# ---------------------------------------------------------------- discipline and pending matters

_PENDING_SYNONYMS = (
    ("Xem xét kỷ luật", PendingMatterKind.DISCIPLINE),
    ("Đang xem xét kỷ luật", PendingMatterKind.DISCIPLINE),
    ("Điều tra", PendingMatterKind.INVESTIGATION),
    ("Đang bị điều tra", PendingMatterKind.INVESTIGATION),
    ("Thanh tra", PendingMatterKind.INVESTIGATION),
    ("Kiểm tra", PendingMatterKind.INVESTIGATION),
    ("Khiếu nại", PendingMatterKind.COMPLAINT),
    ("Tố cáo", PendingMatterKind.COMPLAINT),
    ("Khiếu nại, tố cáo", PendingMatterKind.COMPLAINT),
)


@dataclass
class _DisciplineRow:
    row: int
    who: _Subject
    level: str | None
    pending_kind: str | None
    start: datetime.date | None
    end: datetime.date | None
    decision: str | None
    note: str | None
    bad: set[str] = field(default_factory=set)

    def key(self) -> tuple | None:
        if self.who.person is None or self.start is None:
            return None
        return (self.who.person.pk, self.start, self.level or "", self.pending_kind or "")


def _parse_discipline_row(
    errors: Errors, row: int, cells: dict[str, Any], today: datetime.date
) -> _DisciplineRow:
    start = len(errors.items)
    who = _parse_person_cells(errors, row, cells, today)
    level = _choice(errors, row, "level", cells.get("level"), DisciplineLevel)
    pending_kind = _choice(
        errors, row, "pending_kind", cells.get("pending_kind"), PendingMatterKind, _PENDING_SYNONYMS
    )
    if is_blank(cells.get("level")) and is_blank(cells.get("pending_kind")):
        errors.add(
            row,
            "level" if errors.has_column("level") else "pending_kind",
            _("Cần ghi hình thức kỷ luật hoặc vụ việc đang xem xét."),
        )
    elif not is_blank(cells.get("level")) and not is_blank(cells.get("pending_kind")):
        errors.add(
            row,
            "pending_kind",
            _("Ghi hình thức kỷ luật hoặc vụ việc đang xem xét, không ghi cả hai trên một dòng."),
        )
    start_day = parse_date(errors, row, "start", cells.get("start"))
    _required(errors, row, "start", cells.get("start"), start_day)
    end_day = parse_date(errors, row, "end", cells.get("end"))
    if start_day and end_day and end_day < start_day:
        errors.add(
            row,
            "end",
            _("Đến ngày %(end)s trước từ ngày %(start)s.")
            % {"end": f"{end_day:%d/%m/%Y}", "start": f"{start_day:%d/%m/%Y}"},
        )
    parsed = _DisciplineRow(
        row=row,
        who=who,
        level=level,
        pending_kind=pending_kind,
        start=start_day,
        end=end_day,
        decision=parse_text(
            errors, row, "decision", cells.get("decision"), _max_length(Discipline, "decision")
        ),
        note=parse_text(errors, row, "note", cells.get("note"), 2000),
    )
    parsed.bad = errors.keys_since(start) | who.bad
    return parsed


def import_disciplines(*, actor, uploaded_file, filename: str) -> ImportBatch:
    """Import disciplinary measures and pending matters (see DISCIPLINE_COLUMNS): one of the two per
    row, with its period. A row for the same person, start date and measure updates the recorded one
    (end date, decision, note). Raises ImportFailed with every error found, having written nothing."""

    def prepare(content: bytes, sheets) -> Callable[[list], ImportBatch]:
        today = timezone.localdate()
        header = find_header(sheets, DISCIPLINE_COLUMNS)
        errors = Errors(DISCIPLINE_COLUMNS, header)
        if not header.positions.keys() & {"level", "pending_kind"}:
            raise ImportFailed(
                [
                    RowError(
                        row=header.row_index + 1,
                        column="",
                        message=_("Thiếu cột “Hình thức kỷ luật” hoặc “Vụ việc đang xem xét”."),
                    )
                ]
            )
        rows, row_count = _rows_of(
            header, errors, lambda row, cells: _parse_discipline_row(errors, row, cells, today)
        )
        if row_count == 0:
            _no_rows(errors, header)
        if row_count == 0 or errors.full:
            errors.raise_if_any()
        return lambda holder: _write_disciplines(actor, errors, rows, row_count, content, filename, holder)

    return _run(actor, uploaded_file, filename, prepare)


def _write_disciplines(
    actor,
    errors: Errors,
    rows: list[_DisciplineRow],
    row_count: int,
    content: bytes,
    filename: str,
    holder: list,
) -> ImportBatch:
    units = _units_by_code(parsed.who.unit_code or "" for parsed in rows)
    _find_people(actor, errors, [parsed.who for parsed in rows], units)
    first_row: dict[tuple, int] = {}
    keyed: list[tuple[_DisciplineRow, tuple]] = []
    for parsed in rows:
        key = parsed.key()
        if key is None or parsed.bad:
            continue
        first = first_row.setdefault(key, parsed.row)
        if first != parsed.row:
            errors.add(
                parsed.row,
                "start",
                _("Trùng người, ngày bắt đầu và hình thức với dòng %(row)d.") % {"row": first},
            )
            continue
        keyed.append((parsed, key))
    errors.raise_if_any()

    recorded = Discipline.objects.select_for_update().filter(
        start__in={parsed.start for parsed, _key in keyed}
    )
    existing: dict[tuple, Discipline] = {}
    for discipline in in_chunks(recorded, "person", {key[0] for _parsed, key in keyed}):
        existing.setdefault(
            (
                discipline.person_id,
                discipline.start,
                discipline.level,
                discipline.pending_kind if discipline.pending else "",
            ),
            discipline,
        )
    created: list[Discipline] = []
    updated: list[Discipline] = []
    changes_by_pk: dict[int, dict] = {}
    unchanged = 0
    for parsed, key in keyed:
        discipline = existing.get(key)
        if discipline is None:
            created.append(
                Discipline(
                    person=parsed.who.person,
                    level=parsed.level or "",
                    pending=parsed.pending_kind is not None,
                    pending_kind=parsed.pending_kind or "",
                    start=parsed.start,
                    end=parsed.end,
                    decision=parsed.decision or "",
                    note=parsed.note or "",
                )
            )
            continue
        discipline.person = parsed.who.person
        values = {
            name: value
            for name, value in (("end", parsed.end), ("decision", parsed.decision), ("note", parsed.note))
            if value is not None
        }
        changes = _apply(discipline, values)
        if changes:
            updated.append(discipline)
            changes_by_pk[discipline.pk] = changes
        else:
            unchanged += 1

    Discipline.objects.bulk_create(created, batch_size=1000)
    save_changed_fields(Discipline, [(row, changes_by_pk[row.pk].keys()) for row in updated], timezone.now())
    return _finish(
        actor=actor,
        kind=ImportKind.DISCIPLINES,
        content=content,
        filename=filename,
        holder=holder,
        row_count=row_count,
        created=created,
        updated=updated,
        changes_by_pk=changes_by_pk,
        unchanged=unchanged,
        unit_paths=[_person_path(keyed[0][0].who.person)],
    )


# ---------------------------------------------------------------- batches


BATCH_MODELS = {
    ImportKind.RATINGS: AnnualRating,
    ImportKind.INITIATIVES: Initiative,
    ImportKind.AWARDS: AwardRecord,
    ImportKind.DISCIPLINES: Discipline,
}


def record_batches_visible_to(user) -> QuerySet[ImportBatch]:
    """The evidence imports filed under a unit where the user may manage the evidence."""
    return (
        ImportBatch.objects.filter(kind__in=RECORD_KINDS)
        .filter(scopes.scope_q(user, RECORDS_PERMISSION, path_field="unit_path"))
        .select_related("uploaded_by")
    )


def record_batch_changes(batch: ImportBatch, *, limit: int = 200):
    """The records an evidence import created or updated, read back from its audit entries."""
    return batch_changes(batch, limit=limit, model=BATCH_MODELS[batch.kind])


# ---------------------------------------------------------------- templates

# Headings and sheet names are part of the file format: they stay Vietnamese whatever the interface
# language, so that a template downloaded in English imports like any other.
PEOPLE_RATINGS_SHEET = "Cá nhân"
UNIT_RATINGS_SHEET = "Tập thể"


def _heading(columns: tuple[Column, ...], key: str) -> str:
    return next(column.heading for column in columns if column.key == key)


def _person_template_columns(columns: tuple[Column, ...], *, who: str) -> list[TemplateColumn]:
    return [
        TemplateColumn(
            _heading(columns, "full_name"),
            26,
            guide=_("Họ và tên %(who)s, viết có dấu. Bắt buộc nếu không ghi Số CCCD.") % {"who": who},
        ),
        TemplateColumn(
            _heading(columns, "cccd"),
            16,
            cell_format="text",
            guide=_(
                "Đúng 12 chữ số, định dạng Text (Văn bản) để giữ các số 0 ở đầu. Có Số CCCD thì người được tìm theo số này (họ tên ghi kèm phải khớp)."
            ),
        ),
        TemplateColumn(
            _heading(columns, "birth_date"),
            13,
            cell_format="date",
            guide=_("dd/mm/yyyy. Dùng để tìm người khi không có Số CCCD."),
        ),
        TemplateColumn(
            _heading(columns, "unit_code"),
            14,
            cell_format="text",
            guide=_(
                "Mã đơn vị đang công tác. Không có Số CCCD thì người được tìm theo họ tên, ngày sinh và mã đơn vị (phải khớp đúng một người)."
            ),
        ),
    ]


def _rating_choices() -> tuple[str, ...]:
    return _vietnamese_labels(Rating)


_RATING_GUIDE = gettext_noop(
    "Mã HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ (“Hoàn thành tốt nhiệm vụ”…); không phân biệt chữ hoa, chữ thường, dấu."
)


def ratings_template_sheets() -> list[TemplateSheet]:
    """The two data sheets of the ratings file: people and units."""
    year_guide = _("Năm được đánh giá, 4 chữ số, không sau năm nay.")
    people = [
        *_person_template_columns(RATING_COLUMNS, who=_("người được xếp loại")),
        TemplateColumn(_heading(RATING_COLUMNS, "year"), 8, required=True, guide=year_guide),
        TemplateColumn(
            _heading(RATING_COLUMNS, "rating"),
            30,
            required=True,
            choices=_rating_choices(),
            guide=_(_RATING_GUIDE),
        ),
        TemplateColumn(_heading(RATING_COLUMNS, "note"), 30, guide=_("Để trống thì giữ ghi chú đang có.")),
    ]
    units = [
        TemplateColumn(
            _heading(RATING_COLUMNS, "unit_code"),
            16,
            required=True,
            cell_format="text",
            guide=_("Mã của tập thể (đơn vị) được xếp loại, thuộc phạm vi bạn quản lý."),
        ),
        TemplateColumn(
            _heading(RATING_COLUMNS, "unit_name"),
            34,
            guide=_("Để dễ đọc; đơn vị được tìm theo mã, không theo tên."),
        ),
        TemplateColumn(_heading(RATING_COLUMNS, "year"), 8, required=True, guide=year_guide),
        TemplateColumn(
            _heading(RATING_COLUMNS, "rating"),
            30,
            required=True,
            choices=_rating_choices(),
            guide=_(_RATING_GUIDE),
        ),
        TemplateColumn(_heading(RATING_COLUMNS, "note"), 30, guide=_("Để trống thì giữ ghi chú đang có.")),
    ]
    labels = _rating_choices()
    return [
        TemplateSheet(
            PEOPLE_RATINGS_SHEET,
            people,
            [
                [
                    "Nguyễn Thị Minh Khai",
                    "082185000123",
                    datetime.date(1985, 3, 15),
                    "SKHCN_VP",
                    2024,
                    labels[1],
                    None,
                ]
            ],
        ),
        TemplateSheet(
            UNIT_RATINGS_SHEET, units, [["SKHCN_VP", "Văn phòng Sở", 2024, Rating.EXCELLENT.value, None]]
        ),
    ]


def ratings_template_columns() -> list[tuple[str, list[TemplateColumn]]]:
    return [(sheet.title, list(sheet.columns)) for sheet in ratings_template_sheets()]


def ratings_template_bytes() -> bytes:
    return template_workbook_bytes(
        sheets=ratings_template_sheets(),
        guide_title=GUIDE_SHEET,
        guide_headers=[_(heading) for heading in GUIDE_HEADERS],
        guide_intro=[
            _("Hướng dẫn nhập kết quả xếp loại (đánh giá, xếp loại chất lượng hằng năm)"),
            _(
                "Trang “Cá nhân”: mỗi dòng là kết quả một năm của một người. Trang “Tập thể”: mỗi dòng là kết quả một năm của một đơn vị. Có thể chỉ điền một trong hai trang; trang để trống được bỏ qua."
            ),
            _(
                "Cũng nhận bảng theo chiều ngang như các đơn vị thường lưu: mỗi người (hoặc đơn vị) một dòng, mỗi năm một cột có tiêu đề là năm (2021, 2022, 2023…), ô là xếp loại năm đó; ô trống được bỏ qua; “Ghi chú” (nếu có) ghi cho mọi năm của dòng. Khi đó không dùng cột “Năm” và “Xếp loại”."
            ),
            _(
                "Nhập lại không tạo kết quả trùng: kết quả của cùng người (hoặc đơn vị) và cùng năm được cập nhật. Người ngoài phạm vi bạn quản lý được báo như không tìm thấy."
            ),
            _(
                "Nếu có bất kỳ lỗi nào, không dữ liệu nào được lưu: sửa các ô được báo lỗi (theo trang, dòng và cột) rồi nhập lại cả tệp."
            ),
        ],
    )


def initiatives_template_columns() -> list[TemplateColumn]:
    headings = {column.key: column.heading for column in INITIATIVE_COLUMNS}
    return [
        TemplateColumn(headings["title"], 40, required=True),
        TemplateColumn(
            headings["kind"],
            20,
            required=True,
            choices=_vietnamese_labels(InitiativeKind),
            guide=_("Sáng kiến; hoặc Đề tài, đề án khoa học (ghi “Đề tài” hay “Đề án” cũng được)."),
        ),
        TemplateColumn(
            headings["authors"],
            36,
            required=True,
            guide=_(
                "Họ tên hoặc Số CCCD của từng tác giả, cách nhau bằng dấu chấm phẩy (;). Mỗi tác giả phải khớp đúng một người trong phạm vi bạn quản lý; trùng tên thì ghi Số CCCD."
            ),
        ),
        TemplateColumn(
            headings["scope"],
            20,
            required=True,
            choices=_vietnamese_labels(Scope),
            guide=_("Phạm vi ảnh hưởng được công nhận: Cơ sở; Tỉnh (cấp tỉnh, bộ, ngành); Toàn quốc."),
        ),
        TemplateColumn(
            headings["recognized_on"],
            15,
            required=True,
            cell_format="date",
            guide=_("dd/mm/yyyy, không sau hôm nay."),
        ),
        TemplateColumn(
            headings["decision"],
            22,
            guide=_(
                "Ví dụ 125/QĐ-SKHCN. Nhập lại cùng tên, ngày công nhận và số quyết định thì sáng kiến đó được cập nhật."
            ),
        ),
        TemplateColumn(headings["body"], 26, guide=_("Ví dụ: Hội đồng sáng kiến Sở Khoa học và Công nghệ.")),
        TemplateColumn(headings["applied"], 12, choices=("Có", "Không"), guide=_("Có hoặc Không.")),
        TemplateColumn(headings["effective"], 12, choices=("Có", "Không"), guide=_("Có hoặc Không.")),
        TemplateColumn(
            headings["unit_code"],
            14,
            cell_format="text",
            guide=_(
                "Đơn vị của sáng kiến; để trống: đơn vị của tác giả thứ nhất. Giúp phân biệt tác giả trùng tên."
            ),
        ),
        TemplateColumn(headings["summary"], 40),
    ]


def initiatives_template_bytes() -> bytes:
    example = [
        "Ứng dụng phần mềm quản lý hồ sơ thi đua tại Văn phòng Sở",
        _vietnamese_labels(InitiativeKind)[0],
        "Nguyễn Thị Minh Khai; 082185000124",
        _vietnamese_labels(Scope)[0],
        datetime.date(2024, 10, 1),
        "125/QĐ-SKHCN",
        "Hội đồng sáng kiến Sở Khoa học và Công nghệ",
        "Có",
        "Có",
        "SKHCN_VP",
        None,
    ]
    return template_workbook_bytes(
        sheets=[TemplateSheet(DATA_SHEET, initiatives_template_columns(), [example])],
        guide_title=GUIDE_SHEET,
        guide_headers=[_(heading) for heading in GUIDE_HEADERS],
        guide_intro=guide_intro(
            _("Hướng dẫn nhập sáng kiến, đề tài, đề án"),
            _(
                "Nhập lại không tạo bản ghi trùng: sáng kiến cùng tên, ngày công nhận và số quyết định được cập nhật (cả danh sách tác giả); ô để trống giữ nguyên thông tin đang có."
            ),
        ),
    )


def awards_template_columns() -> list[TemplateColumn]:
    headings = {column.key: column.heading for column in AWARD_COLUMNS}
    return [
        TemplateColumn(
            headings["subject"],
            14,
            choices=_vietnamese_labels(Subject),
            guide=_(
                "Cá nhân, Tập thể hoặc Hộ gia đình. Để trống: có họ tên hoặc CCCD là cá nhân; có tên hộ là hộ gia đình; chỉ có mã đơn vị là tập thể."
            ),
        ),
        *_person_template_columns(AWARD_COLUMNS, who=_("người được khen")),
        TemplateColumn(
            headings["household"],
            26,
            guide=_("Với hộ gia đình, ví dụ “Hộ ông Nguyễn Văn Ba, ấp Bình Hòa”."),
        ),
        TemplateColumn(
            headings["award"],
            26,
            required=True,
            choices=tuple(AwardType.objects.filter(is_active=True).values_list("name", flat=True)),
            guide=_(
                "Mã trong danh mục (LDTT, CSTDCS, GIAY_KHEN…), tên hoặc tên viết tắt (LĐTT, CSTĐCS…). Phải dành cho đúng đối tượng: Lao động tiên tiến chỉ cho cá nhân, Giấy khen cho cả cá nhân, tập thể, hộ gia đình."
            ),
        ),
        TemplateColumn(
            headings["year"],
            10,
            guide=_("Năm đạt thành tích, hoặc một khoảng như 2021-2023; hoặc dùng “Từ năm” và “Đến năm”."),
        ),
        TemplateColumn(headings["period_start"], 9, guide=_("Năm đầu của thời gian đạt thành tích.")),
        TemplateColumn(headings["period_end"], 9, guide=_("Năm cuối; để trống nếu chỉ một năm.")),
        TemplateColumn(headings["decision_number"], 18, required=True, guide=_("Ví dụ 45/QĐ-UBND.")),
        TemplateColumn(
            headings["decision_date"], 15, required=True, cell_format="date", guide=_("dd/mm/yyyy.")
        ),
        TemplateColumn(
            headings["issuer"],
            24,
            guide=_(
                "Mã đơn vị ra quyết định (ví dụ UBND_TG) hoặc ghi tên cơ quan. Khen thưởng hộ gia đình phải ghi mã đơn vị thuộc phạm vi bạn quản lý."
            ),
        ),
        TemplateColumn(
            headings["register_number"], 10, cell_format="text", guide=_("Số vào sổ khen thưởng, nếu có.")
        ),
        TemplateColumn(headings["note"], 30),
    ]


def awards_template_bytes() -> bytes:
    examples = [
        [
            _vietnamese_labels(Subject)[0],
            "Nguyễn Thị Minh Khai",
            "082185000123",
            datetime.date(1985, 3, 15),
            "SKHCN_VP",
            None,
            "LDTT",
            2023,
            None,
            None,
            "15/QĐ-SKHCN",
            datetime.date(2024, 1, 20),
            "SKHCN",
            None,
            None,
        ],
        [
            _vietnamese_labels(Subject)[1],
            None,
            None,
            None,
            "SKHCN_VP",
            None,
            "Giấy khen",
            None,
            2022,
            2023,
            "102/QĐ-SKHCN",
            datetime.date(2024, 3, 5),
            "SKHCN",
            "12",
            None,
        ],
    ]
    return template_workbook_bytes(
        sheets=[TemplateSheet(DATA_SHEET, awards_template_columns(), examples)],
        guide_title=GUIDE_SHEET,
        guide_headers=[_(heading) for heading in GUIDE_HEADERS],
        guide_intro=guide_intro(
            _("Hướng dẫn nhập sổ khen thưởng (các khen thưởng đã nhận theo quyết định cũ)"),
            _(
                "Nhập lại không tạo bản ghi trùng: cùng đối tượng, danh hiệu/hình thức và thời gian đạt thành tích thì được cập nhật số, ngày quyết định và các ô khác."
            ),
        ),
    )


def disciplines_template_columns() -> list[TemplateColumn]:
    headings = {column.key: column.heading for column in DISCIPLINE_COLUMNS}
    return [
        *_person_template_columns(DISCIPLINE_COLUMNS, who=_("người bị kỷ luật hoặc có vụ việc")),
        TemplateColumn(
            headings["level"],
            18,
            choices=_vietnamese_labels(DisciplineLevel),
            guide=_("Ghi hình thức kỷ luật, hoặc để trống và ghi cột “Vụ việc đang xem xét”."),
        ),
        TemplateColumn(
            headings["pending_kind"],
            36,
            choices=_vietnamese_labels(PendingMatterKind),
            guide=_(
                "Vụ việc chưa có kết luận: mọi khen thưởng của người này được hoãn xét cho đến khi có kết luận."
            ),
        ),
        TemplateColumn(headings["start"], 13, required=True, cell_format="date", guide=_("dd/mm/yyyy.")),
        TemplateColumn(
            headings["end"],
            13,
            cell_format="date",
            guide=_("dd/mm/yyyy: ngày hết thời hạn kỷ luật hoặc ngày có kết luận; để trống nếu chưa."),
        ),
        TemplateColumn(headings["decision"], 20, guide=_("Ví dụ 08/QĐ-SKHCN.")),
        TemplateColumn(headings["note"], 30),
    ]


def disciplines_template_bytes() -> bytes:
    example = [
        "Nguyễn Thị Minh Khai",
        "082185000123",
        datetime.date(1985, 3, 15),
        "SKHCN_VP",
        _vietnamese_labels(DisciplineLevel)[0],
        None,
        datetime.date(2024, 5, 2),
        datetime.date(2025, 5, 1),
        "08/QĐ-SKHCN",
        None,
    ]
    return template_workbook_bytes(
        sheets=[TemplateSheet(DATA_SHEET, disciplines_template_columns(), [example])],
        guide_title=GUIDE_SHEET,
        guide_headers=[_(heading) for heading in GUIDE_HEADERS],
        guide_intro=guide_intro(
            _("Hướng dẫn nhập kỷ luật và vụ việc đang xem xét"),
            _(
                "Nhập lại không tạo bản ghi trùng: cùng người, cùng ngày bắt đầu và cùng hình thức (hoặc loại vụ việc) thì được cập nhật ngày kết thúc, số quyết định, ghi chú."
            ),
        ),
    )
