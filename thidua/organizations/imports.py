"""Excel import of units and people: every row checked, all-or-nothing, set-based writes.

``import_people`` and ``import_units`` go through the same steps:

1. read the upload (extension, size, a workbook calamine can open) and find the header row by its
   headings (accent- and case-insensitive, any column order, unknown columns ignored);
2. turn every data row into typed values, collecting a RowError per bad cell;
3. in one transaction, load what the rows refer to in a few queries (units by code, people by CCCD…),
   run the checks that need the database (scope, validity, matching, duplicates) and raise
   ImportFailed if anything is wrong — nothing has been written at that point;
4. write with bulk queries, record one audit entry (action ``import``) per created or updated object,
   and keep the uploaded file with an ImportBatch.

Blank cells never erase: for an existing record a blank (or missing) optional column keeps the value it
has; for a new one the field stays empty. Re-importing the same file therefore changes nothing.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.imports import (
    DATA_SHEET,
    GUIDE_HEADERS,
    GUIDE_SHEET,
    HEADER_SEARCH_ROWS,
    MAX_ERRORS,
    Column,
    Errors,
    ImportFailed,
    RowError,
    batch_note,
    batch_unit_path,
    choice_labels,
    data_rows,
    find_header,
    guide_intro,
    in_chunks,
    new_batch,
    parse_choice,
    parse_date,
    parse_text,
    read_upload,
    record_batch,
    run_writes,
    save_changed_fields,
)
from thidua.common.models import AuditAction, AuditEntry, ImportBatch, ImportKind
from thidua.common.spreadsheets import TemplateColumn, cell_text, is_blank, template_bytes, whole_number
from thidua.common.text import clean_text, fold, split_full_name
from thidua.organizations.enums import Gender, PositionCategory, UnitKind
from thidua.organizations.models import (
    Employment,
    Person,
    Unit,
    cccd_validator,
    path_segment,
    phone_validator,
    unit_code_validator,
)
from thidua.organizations.services import _refresh_derived

# The shared machinery lives in thidua.common.imports; these names stay importable from here.
__all__ = [
    "DATA_SHEET",
    "GUIDE_SHEET",
    "HEADER_SEARCH_ROWS",
    "IMPORT_PERMISSION",
    "MAX_ERRORS",
    "PEOPLE_COLUMNS",
    "UNIT_COLUMNS",
    "BatchChange",
    "Column",
    "ImportFailed",
    "PersonMatcher",
    "RowError",
    "batch_changes",
    "import_people",
    "import_units",
    "parse_cccd",
    "parse_unit_code",
    "people_template_bytes",
    "people_template_columns",
    "units_template_bytes",
    "units_template_columns",
]

IMPORT_PERMISSION = "import.run"


def _conflict_message() -> str:
    return _(
        "Dữ liệu vừa được người khác thay đổi trong lúc nhập (ví dụ cùng một số CCCD hoặc mã đơn vị). Hãy nhập lại tệp."
    )


PEOPLE_COLUMNS = (
    Column("full_name", gettext_noop("Họ và tên"), ("Họ tên",), required=True),
    Column("gender", gettext_noop("Giới tính")),
    Column("birth_date", gettext_noop("Ngày sinh"), ("Ngày tháng năm sinh",)),
    Column("ethnicity", gettext_noop("Dân tộc")),
    Column(
        "cccd",
        gettext_noop("Số CCCD"),
        ("CCCD", "Số căn cước", "Số căn cước công dân", "Số định danh cá nhân", "Số định danh"),
    ),
    Column("email", gettext_noop("Email"), ("E-mail", "Thư điện tử", "Địa chỉ email")),
    Column("phone", gettext_noop("Điện thoại"), ("Số điện thoại", "Điện thoại di động")),
    Column("unit_code", gettext_noop("Mã đơn vị"), required=True),
    Column("position", gettext_noop("Chức vụ")),
    Column("position_category", gettext_noop("Nhóm chức vụ")),
    Column(
        "rank",
        gettext_noop("Ngạch/chức danh"),
        ("Ngạch", "Chức danh", "Ngạch, chức danh", "Chức danh nghề nghiệp", "Ngạch, chức danh nghề nghiệp"),
    ),
    Column("recruited_on", gettext_noop("Ngày tuyển dụng")),
)

UNIT_COLUMNS = (
    Column("code", gettext_noop("Mã đơn vị"), required=True),
    Column("name", gettext_noop("Tên đơn vị"), required=True),
    Column("short_name", gettext_noop("Tên viết tắt")),
    Column("kind", gettext_noop("Loại đơn vị"), required=True),
    Column("parent_code", gettext_noop("Mã đơn vị cấp trên"), ("Mã cấp trên", "Mã đơn vị cha")),
    Column("valid_from", gettext_noop("Hiệu lực từ"), ("Hiệu lực từ ngày", "Ngày thành lập")),
    Column("valid_to", gettext_noop("Hiệu lực đến"), ("Hiệu lực đến ngày", "Ngày giải thể")),
    Column("address", gettext_noop("Địa chỉ")),
)


def parse_cccd(errors: Errors, row: int, value: Any) -> str | None:
    """CCCD numbers are 12 digits and begin with 0 (the province code is 001–096), so a cell formatted
    as a number has lost its leading zeros. A number of 10–12 digits can only be one CCCD once padded
    back to 12; a shorter one may as well be an old 9-digit ID card number, so it is refused."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = "".join(clean_text(value).replace(".", " ").split())
        try:
            cccd_validator(text)
        except ValidationError:
            errors.add(
                row, "cccd", _("Số CCCD “%(value)s” phải gồm đúng 12 chữ số.") % {"value": clean_text(value)}
            )
            return None
        return text
    number = whole_number(value)
    if number is not None and 10**9 <= number < 10**12:
        return f"{number:012d}"
    if number is not None and 0 < number < 10**9:
        errors.add(
            row,
            "cccd",
            _(
                "Số CCCD %(value)s đang ở dạng số nên đã mất các số 0 ở đầu và không đủ 12 chữ số. Hãy định dạng cột “Số CCCD” là Text (Văn bản) và nhập đủ 12 chữ số."
            )
            % {"value": number},
        )
        return None
    errors.add(row, "cccd", _("Số CCCD “%(value)s” phải gồm đúng 12 chữ số.") % {"value": cell_text(value)})
    return None


def _phone(errors: Errors, row: int, value: Any) -> str | None:
    if is_blank(value):
        return None
    number = whole_number(value)
    if number is not None:
        # A number cell has lost the leading 0 of a Vietnamese number (10 digits for mobiles, 11 for
        # landlines); 84… with 11 digits is the international form written without its "+".
        digits = str(number)
        text = "0" + digits if len(digits) in (9, 10) else "+" + digits if digits.startswith("84") else digits
    else:
        text = cell_text(value)
    try:
        phone_validator(text)
    except ValidationError:
        errors.add(row, "phone", _("Số điện thoại “%(value)s” không hợp lệ.") % {"value": cell_text(value)})
        return None
    return text


def _email(errors: Errors, row: int, value: Any) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        validate_email(text)
    except ValidationError:
        errors.add(row, "email", _("Email “%(value)s” không hợp lệ.") % {"value": text})
        return None
    if len(text) > Person._meta.get_field("email").max_length:
        errors.add(row, "email", _("Email “%(value)s” quá dài.") % {"value": text})
        return None
    return text.lower() if text.isascii() else text


def parse_unit_code(errors: Errors, row: int, key: str, value: Any) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        unit_code_validator(text)
    except ValidationError:
        errors.add(
            row,
            key,
            _("Mã đơn vị “%(value)s” không hợp lệ: chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ -")
            % {"value": text},
        )
        return None
    if len(text) > Unit._meta.get_field("code").max_length:
        errors.add(row, key, _("Mã đơn vị “%(value)s” dài quá 40 ký tự.") % {"value": text})
        return None
    return text


# ---------------------------------------------------------------- finding people


class PersonMatcher:
    """Finds the person a spreadsheet row names: by CCCD, else by full name (accent- and
    case-insensitive), birth date and current unit, when exactly one person fits.

    Shared by the people import (which updates the person found or creates one) and the evidence
    imports (which attach ratings, awards… to them). Two queries whatever the number of rows:
    ``load_cccds`` for the rows with a CCCD, then ``load_units`` for the units of the rows that still
    need a match by name. Scope is the caller's business: it decides what a person out of scope means.
    """

    def __init__(self, *, lock: bool = False):
        self._lock = lock
        self._by_cccd: dict[str, Person] = {}
        self._by_name: dict[tuple[str, datetime.date | None, int], list[Person]] = defaultdict(list)

    def _people(self):
        people = Person.objects.select_related("current_unit")
        return people.select_for_update(of=("self",)) if self._lock else people

    def load_cccds(self, cccds: Iterable[str]) -> None:
        wanted = set(cccds) - self._by_cccd.keys()
        if wanted:
            self._by_cccd.update(
                (person.cccd, person) for person in in_chunks(self._people(), "cccd", wanted)
            )

    def load_units(self, unit_ids: Iterable[int]) -> None:
        wanted = set(unit_ids)
        if wanted:
            for person in in_chunks(self._people(), "current_unit", wanted):
                self._by_name[(fold(person.full_name), person.birth_date, person.current_unit_id)].append(
                    person
                )

    def with_cccd(self, cccd: str) -> Person | None:
        return self._by_cccd.get(cccd)

    def by_name(
        self, full_name: str, birth_date: datetime.date | None, unit_id: int, *, has_cccd: bool = False
    ) -> list[Person]:
        """The people of the unit with that name and birth date (both blank birth dates match). For a
        row that carries a CCCD not on file, only people recorded without a CCCD can be the one: a
        person with another CCCD is someone else."""
        candidates = self._by_name.get((fold(full_name), birth_date, unit_id), [])
        return [candidate for candidate in candidates if not has_cccd or candidate.cccd is None]


# ---------------------------------------------------------------- people


@dataclass
class _PersonRow:
    row: int
    family_name: str
    middle_name: str
    given_name: str
    unit_code: str
    gender: str | None = None
    birth_date: datetime.date | None = None
    ethnicity: str | None = None
    cccd: str | None = None
    email: str | None = None
    phone: str | None = None
    position: str | None = None
    position_category: str | None = None
    rank: str | None = None
    recruited_on: datetime.date | None = None
    unit: Unit | None = field(default=None, repr=False)
    bad: set[str] = field(default_factory=set)  # columns whose cells failed their checks

    @property
    def name_key(self) -> str:
        return fold(" ".join(part for part in (self.family_name, self.middle_name, self.given_name) if part))

    def person_values(self) -> dict[str, Any]:
        """The person fields this row sets (blank cells left out)."""
        values: dict[str, Any] = {
            "family_name": self.family_name,
            "middle_name": self.middle_name,
            "given_name": self.given_name,
        }
        for key in ("gender", "birth_date", "ethnicity", "cccd", "email", "phone", "recruited_on"):
            value = getattr(self, key)
            if value is not None:
                values[key] = value
        return values


_NAME_LIMITS = {
    "family_name": Person._meta.get_field("family_name").max_length,
    "middle_name": Person._meta.get_field("middle_name").max_length,
    "given_name": Person._meta.get_field("given_name").max_length,
}
_DERIVED_FROM = {"family_name", "middle_name", "given_name", "cccd"}  # what search_text and sort_key read


def _with_derived(changed: Iterable[str]) -> set[str]:
    fields = set(changed)
    return fields | {"search_text", "sort_key"} if fields & _DERIVED_FROM else fields


def _parse_person_row(errors: Errors, row: int, cells: dict[str, Any], today: datetime.date) -> _PersonRow:
    full_name = cell_text(cells.get("full_name"))
    family_name, middle_name, given_name = split_full_name(full_name)
    start = len(errors.items)
    if not given_name:
        errors.add(row, "full_name", _("Họ và tên không được để trống."))
    elif any(
        len(value) > _NAME_LIMITS[key]
        for key, value in zip(_NAME_LIMITS, (family_name, middle_name, given_name), strict=True)
    ):
        errors.add(row, "full_name", _("Họ và tên “%(value)s” quá dài.") % {"value": full_name})
    unit_code = parse_unit_code(errors, row, "unit_code", cells.get("unit_code"))
    if unit_code is None and is_blank(cells.get("unit_code")):
        errors.add(row, "unit_code", _("Mã đơn vị không được để trống."))
    parsed = _PersonRow(
        row=row,
        family_name=family_name,
        middle_name=middle_name,
        given_name=given_name,
        unit_code=unit_code or "",
        gender=parse_choice(errors, row, "gender", cells.get("gender"), Gender),
        birth_date=parse_date(errors, row, "birth_date", cells.get("birth_date"), not_after=today),
        ethnicity=parse_text(
            errors, row, "ethnicity", cells.get("ethnicity"), Person._meta.get_field("ethnicity").max_length
        ),
        cccd=parse_cccd(errors, row, cells.get("cccd")),
        email=_email(errors, row, cells.get("email")),
        phone=_phone(errors, row, cells.get("phone")),
        position=parse_text(
            errors, row, "position", cells.get("position"), Employment._meta.get_field("position").max_length
        ),
        position_category=parse_choice(
            errors, row, "position_category", cells.get("position_category"), PositionCategory
        ),
        rank=parse_text(
            errors, row, "rank", cells.get("rank"), Employment._meta.get_field("rank").max_length
        ),
        recruited_on=parse_date(errors, row, "recruited_on", cells.get("recruited_on"), not_after=today),
    )
    if parsed.birth_date and parsed.recruited_on and parsed.recruited_on <= parsed.birth_date:
        errors.add(
            row,
            "recruited_on",
            _("Ngày tuyển dụng %(recruited)s phải sau ngày sinh %(born)s.")
            % {"recruited": f"{parsed.recruited_on:%d/%m/%Y}", "born": f"{parsed.birth_date:%d/%m/%Y}"},
        )
    parsed.bad = errors.keys_since(start)
    return parsed


@dataclass
class _PeoplePlan:
    new_people: list[Person] = field(default_factory=list)
    updated_people: list[Person] = field(default_factory=list)
    person_changes: dict[int, dict] = field(default_factory=dict)
    new_employments: list[Employment] = field(default_factory=list)
    changed_employments: list[Employment] = field(default_factory=list)
    employment_changes: dict[int, dict] = field(default_factory=dict)
    employment_only: int = 0
    unchanged: int = 0


def _plan_existing_person(
    plan: _PeoplePlan,
    parsed: _PersonRow,
    person: Person,
    open_employments: list[Employment],
    today: datetime.date,
) -> None:
    """Work out what changes for a person already in the database (in memory only)."""
    unit = parsed.unit
    before = audit.snapshot(person)
    for key, value in parsed.person_values().items():
        setattr(person, key, value)
    current = open_employments[0] if open_employments else None
    position = parsed.position if parsed.position is not None else (current.position if current else "")
    category = (
        parsed.position_category
        if parsed.position_category is not None
        else (current.position_category if current else "")
    )
    rank = parsed.rank if parsed.rank is not None else (current.rank if current else "")
    employment_touched = False
    if current is None or current.unit_id != unit.pk or current.position != position:
        if current is not None and current.start_date >= today:
            # Started today (or is yet to start): a correction of that employment, not a move.
            _change_employment(
                plan, current, unit=unit, position=position, position_category=category, rank=rank
            )
            closing = open_employments[1:]
        else:
            employment = Employment(
                person=person,
                unit=unit,
                position=position,
                position_category=category,
                rank=rank,
                start_date=today,
            )
            plan.new_employments.append(employment)
            closing = open_employments
        for open_employment in closing:
            if open_employment.start_date < today:
                _change_employment(plan, open_employment, end_date=today - datetime.timedelta(days=1))
        employment_touched = True
    elif current.position_category != category or current.rank != rank:
        _change_employment(plan, current, position_category=category, rank=rank)
        employment_touched = True
    person.current_unit = unit
    person.current_position = position
    person.current_position_category = category
    _refresh_derived(person)
    changes = audit.diff(before, audit.snapshot(person))
    if changes:
        plan.updated_people.append(person)
        plan.person_changes[person.pk] = changes
    elif employment_touched:
        plan.employment_only += 1  # e.g. a new rank: only the employment row changes
    else:
        plan.unchanged += 1


def _change_employment(plan: _PeoplePlan, employment: Employment, **values: Any) -> None:
    before = audit.snapshot(employment)
    for key, value in values.items():
        setattr(employment, key, value)
    changes = audit.diff(before, audit.snapshot(employment))
    if changes:
        if employment.pk not in plan.employment_changes:
            plan.changed_employments.append(employment)
            plan.employment_changes[employment.pk] = {}
        for key, (old, new) in changes.items():
            previous = plan.employment_changes[employment.pk].get(key)
            plan.employment_changes[employment.pk][key] = [previous[0] if previous else old, new]


def _new_person(parsed: _PersonRow, today: datetime.date) -> tuple[Person, Employment]:
    unit = parsed.unit
    person = Person(**parsed.person_values())
    person.current_unit = unit
    person.current_position = parsed.position or ""
    person.current_position_category = parsed.position_category or ""
    _refresh_derived(person)
    # The first employment runs from the recruitment date, but not from before the unit existed
    # (a person recruited into a predecessor unit).
    start = parsed.recruited_on or today
    if unit.valid_from and start < unit.valid_from:
        start = unit.valid_from
    employment = Employment(
        person=person,
        unit=unit,
        position=parsed.position or "",
        position_category=parsed.position_category or "",
        rank=parsed.rank or "",
        start_date=start,
    )
    return person, employment


def import_people(*, actor, uploaded_file, filename: str) -> ImportBatch:
    """Import a list of people (see PEOPLE_COLUMNS) into units within the actor's ``import.run`` scope.

    A row matches an existing person by CCCD; a row without a known CCCD matches by folded full name,
    birth date and unit when exactly one person fits. Matched people are updated (blank cells keep
    their values); a changed unit or position starts a new employment from today and ends the open one
    the day before. Raises ImportFailed with every error found, having written nothing.
    """
    scopes.require(actor, IMPORT_PERMISSION)
    content, sheets = read_upload(uploaded_file, filename)
    header = find_header(sheets, PEOPLE_COLUMNS)
    errors = Errors(PEOPLE_COLUMNS, header)
    today = timezone.localdate()

    rows: list[_PersonRow] = []
    row_count = 0
    first_row_of_cccd: dict[str, int] = {}
    for row, cells in data_rows(header):
        row_count += 1
        if errors.full:
            errors.truncated = True
            break
        parsed = _parse_person_row(errors, row, cells, today)
        if parsed.cccd:
            first = first_row_of_cccd.setdefault(parsed.cccd, row)
            if first != row:
                errors.add(
                    row,
                    "cccd",
                    _("Số CCCD %(cccd)s trùng với dòng %(row)d.") % {"cccd": parsed.cccd, "row": first},
                )
                parsed.bad.add("cccd")
        rows.append(parsed)
    if row_count == 0:
        errors.add(header.row_index + 1, "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if row_count == 0 or errors.full:
        errors.raise_if_any()
    # Rows with bad cells still go through the database checks (unit codes, scope), so that the
    # user gets every error of the file in one go.

    holder: list[ImportBatch] = []

    def write() -> ImportBatch:
        with transaction.atomic():
            return _import_people_rows(
                actor=actor,
                rows=rows,
                row_count=row_count,
                errors=errors,
                today=today,
                content=content,
                filename=filename,
                holder=holder,
            )

    return run_writes(write, holder, conflict_message=_conflict_message())


def _import_people_rows(
    *,
    actor,
    rows: list[_PersonRow],
    row_count: int,
    errors: Errors,
    today: datetime.date,
    content: bytes,
    filename: str,
    holder: list[ImportBatch],
) -> ImportBatch:
    # -- load (a handful of queries whatever the number of rows)
    codes = {parsed.unit_code for parsed in rows if parsed.unit_code}
    units = {unit.code: unit for unit in in_chunks(Unit.objects.all(), "code", codes)}
    for parsed in rows:
        if not parsed.unit_code:
            continue
        unit = units.get(parsed.unit_code)
        if unit is None or not scopes.can(actor, IMPORT_PERMISSION, unit):
            # Same words whether the unit is missing or outside the importer's scope: codes of other
            # departments are not disclosed.
            errors.add(
                parsed.row,
                "unit_code",
                _("Không có đơn vị mã “%(code)s” trong phạm vi bạn được nhập dữ liệu.")
                % {"code": parsed.unit_code},
            )
        elif not unit.is_valid_on(today):
            errors.add(
                parsed.row,
                "unit_code",
                _("Đơn vị “%(code)s” (%(name)s) không có hiệu lực vào ngày hôm nay (%(day)s).")
                % {"code": unit.code, "name": unit.name, "day": f"{today:%d/%m/%Y}"},
            )
        else:
            parsed.unit = unit
    cccd_rows = [parsed for parsed in rows if parsed.cccd and "cccd" not in parsed.bad]
    matcher = PersonMatcher(lock=True)
    matcher.load_cccds(parsed.cccd for parsed in cccd_rows)
    for parsed in cccd_rows:
        person = matcher.with_cccd(parsed.cccd)
        if person is not None and not scopes.can_on_person(actor, IMPORT_PERMISSION, person):
            errors.add(
                parsed.row,
                "cccd",
                _(
                    "Số CCCD %(cccd)s đã có trong hồ sơ của một người thuộc đơn vị ngoài phạm vi bạn được nhập dữ liệu. Hãy liên hệ đơn vị đó hoặc quản trị hệ thống."
                )
                % {"cccd": parsed.cccd},
            )
            parsed.bad.add("cccd")
    # Matching needs every cell of the row right (the name, the birth date and the unit are the key).
    match_rows = [parsed for parsed in rows if not parsed.bad and parsed.unit is not None]
    # People that may match by name, birth date and unit: rows without a CCCD, or with one not yet known.
    fallback_rows = [
        parsed for parsed in match_rows if not parsed.cccd or matcher.with_cccd(parsed.cccd) is None
    ]
    matcher.load_units(parsed.unit.pk for parsed in fallback_rows)

    matched: dict[int, Person] = {}  # row → person
    row_of_person: dict[int, int] = {}
    first_row_of_key: dict[tuple, int] = {}
    for parsed in match_rows:
        person = matcher.with_cccd(parsed.cccd) if parsed.cccd else None
        if person is None:
            key = (parsed.name_key, parsed.birth_date, parsed.unit.pk)
            if not parsed.cccd:
                first = first_row_of_key.setdefault(key, parsed.row)
                if first != parsed.row:
                    errors.add(
                        parsed.row,
                        "full_name",
                        _(
                            "Trùng họ tên, ngày sinh và đơn vị với dòng %(row)d. Nếu là hai người khác nhau, hãy ghi Số CCCD."
                        )
                        % {"row": first},
                    )
                    continue
            candidates = matcher.by_name(
                parsed.name_key, parsed.birth_date, parsed.unit.pk, has_cccd=bool(parsed.cccd)
            )
            if len(candidates) > 1:
                errors.add(
                    parsed.row,
                    "cccd" if errors.has_column("cccd") else "full_name",
                    _(
                        "Có %(count)d người tên “%(name)s” cùng ngày sinh ở đơn vị %(code)s. Hãy ghi Số CCCD để biết cập nhật người nào."
                    )
                    % {"count": len(candidates), "name": candidates[0].full_name, "code": parsed.unit_code},
                )
                continue
            person = candidates[0] if candidates else None
        if person is not None:
            first = row_of_person.setdefault(person.pk, parsed.row)
            if first != parsed.row:
                errors.add(
                    parsed.row,
                    "full_name",
                    _("Dòng này và dòng %(row)d cùng là một người (%(name)s).")
                    % {"row": first, "name": person.full_name},
                )
                continue
            matched[parsed.row] = person
    errors.raise_if_any()

    # -- plan (in memory)
    open_by_person: dict[int, list[Employment]] = defaultdict(list)
    if matched:
        people_by_pk = {person.pk: person for person in matched.values()}
        open_employments = (
            Employment.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(end_date__isnull=True)
            .order_by("person_id", "-start_date", "-id")
        )
        for employment in in_chunks(open_employments, "person", people_by_pk):
            employment.person = people_by_pk[employment.person_id]
            open_by_person[employment.person_id].append(employment)
    plan = _PeoplePlan()
    new_employment_of: list[Employment] = []
    for parsed in rows:
        person = matched.get(parsed.row)
        if person is None:
            person, employment = _new_person(parsed, today)
            plan.new_people.append(person)
            new_employment_of.append(employment)
        else:
            _plan_existing_person(plan, parsed, person, open_by_person.get(person.pk, []), today)

    # -- write (bulk)
    now = timezone.now()
    Person.objects.bulk_create(plan.new_people, batch_size=1000)
    save_changed_fields(
        Person,
        [(person, _with_derived(plan.person_changes[person.pk].keys())) for person in plan.updated_people],
        now,
    )
    save_changed_fields(
        Employment,
        [
            (employment, plan.employment_changes[employment.pk].keys())
            for employment in plan.changed_employments
        ],
        now,
    )
    created_employments = new_employment_of + plan.new_employments
    Employment.objects.bulk_create(created_employments, batch_size=1000)

    batch = new_batch(
        actor=actor,
        kind=ImportKind.PEOPLE,
        content=content,
        filename=filename,
        unit_path=batch_unit_path(actor, IMPORT_PERMISSION, [parsed.unit.path for parsed in rows[:1]]),
        counts={
            "row_count": row_count,
            "created_count": len(plan.new_people),
            "updated_count": len(plan.updated_people) + plan.employment_only,
            "unchanged_count": plan.unchanged,
        },
    )
    holder.append(batch)
    note = batch_note(batch)

    # -- audit, in the same transaction
    person_changes = {person.pk: audit.created(person) for person in plan.new_people}
    person_changes.update(plan.person_changes)
    audit.record_many(
        actor=actor,
        action=AuditAction.IMPORT,
        objects=[*plan.new_people, *plan.updated_people],
        changes_by_pk=person_changes,
        note=note,
    )
    employment_changes = {employment.pk: audit.created(employment) for employment in created_employments}
    employment_changes.update(plan.employment_changes)
    audit.record_many(
        actor=actor,
        action=AuditAction.IMPORT,
        objects=[*created_employments, *plan.changed_employments],
        changes_by_pk=employment_changes,
        note=note,
    )
    record_batch(actor, batch)
    return batch


# ---------------------------------------------------------------- units


@dataclass
class _UnitRow:
    row: int
    code: str
    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    parent_code: str | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    address: str | None = None
    bad: set[str] = field(default_factory=set)  # columns whose cells failed their checks

    def unit_values(self) -> dict[str, Any]:
        keys = ("name", "short_name", "kind", "valid_from", "valid_to", "address")
        return {key: getattr(self, key) for key in keys if getattr(self, key) is not None}


def _parse_unit_row(errors: Errors, row: int, cells: dict[str, Any]) -> _UnitRow:
    start = len(errors.items)
    code = parse_unit_code(errors, row, "code", cells.get("code"))
    if code is None and is_blank(cells.get("code")):
        errors.add(row, "code", _("Mã đơn vị không được để trống."))
    name = parse_text(errors, row, "name", cells.get("name"), Unit._meta.get_field("name").max_length)
    if name is None and is_blank(cells.get("name")):
        errors.add(row, "name", _("Tên đơn vị không được để trống."))
    parsed = _UnitRow(
        row=row,
        code=code or "",
        name=name,
        short_name=parse_text(
            errors, row, "short_name", cells.get("short_name"), Unit._meta.get_field("short_name").max_length
        ),
        kind=parse_choice(errors, row, "kind", cells.get("kind"), UnitKind),
        parent_code=parse_unit_code(errors, row, "parent_code", cells.get("parent_code")),
        valid_from=parse_date(errors, row, "valid_from", cells.get("valid_from")),
        valid_to=parse_date(errors, row, "valid_to", cells.get("valid_to")),
        address=parse_text(
            errors, row, "address", cells.get("address"), Unit._meta.get_field("address").max_length
        ),
    )
    if code and parsed.parent_code == code:
        errors.add(row, "parent_code", _("Đơn vị không thể là cấp trên của chính nó."))
    parsed.bad = errors.keys_since(start)
    return parsed


def _parent_code_of(unit: Unit, by_pk: dict[int, Unit]) -> str | None:
    if unit.parent_id is None:
        return None
    parent = by_pk.get(unit.parent_id)
    return parent.code if parent else None


def import_units(*, actor, uploaded_file, filename: str) -> ImportBatch:
    """Import units (see UNIT_COLUMNS) under units within the actor's ``import.run`` scope.

    A row matches an existing unit by code and updates it (blank cells keep their values; a new parent
    moves the unit with its subtree); other rows create units. A parent is an existing unit or one
    created on an earlier row of the same file. Raises ImportFailed with every error found, having
    written nothing.
    """
    scopes.require(actor, IMPORT_PERMISSION)
    content, sheets = read_upload(uploaded_file, filename)
    header = find_header(sheets, UNIT_COLUMNS)
    errors = Errors(UNIT_COLUMNS, header)

    rows: list[_UnitRow] = []
    row_count = 0
    first_row_of_code: dict[str, int] = {}
    for row, cells in data_rows(header):
        row_count += 1
        if errors.full:
            errors.truncated = True
            break
        parsed = _parse_unit_row(errors, row, cells)
        # Even a code with bad characters is remembered, so that later rows naming it as their parent
        # get no second error.
        code = parsed.code or cell_text(cells.get("code"))
        if code:
            first = first_row_of_code.setdefault(code, row)
            if first != row:
                errors.add(
                    row,
                    "code",
                    _("Mã đơn vị %(code)s trùng với dòng %(row)d.") % {"code": code, "row": first},
                )
                parsed.bad.add("code")
        rows.append(parsed)
    if row_count == 0:
        errors.add(header.row_index + 1, "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if row_count == 0 or errors.full:
        errors.raise_if_any()
    # Rows with bad cells still go through the database checks, so that every error comes at once.

    holder: list[ImportBatch] = []

    def write() -> ImportBatch:
        with transaction.atomic():
            return _import_unit_rows(
                actor=actor,
                rows=rows,
                row_count=row_count,
                first_row_of_code=first_row_of_code,
                errors=errors,
                content=content,
                filename=filename,
                holder=holder,
            )

    return run_writes(write, holder, conflict_message=_conflict_message())


def _import_unit_rows(
    *,
    actor,
    rows: list[_UnitRow],
    row_count: int,
    first_row_of_code: dict[str, int],
    errors: Errors,
    content: bytes,
    filename: str,
    holder: list[ImportBatch],
) -> ImportBatch:
    # -- load: the units the file names, and their ancestors (read from the paths) to follow the tree up.
    referenced = {parsed.code for parsed in rows if parsed.code} | {
        parsed.parent_code for parsed in rows if parsed.parent_code
    }
    existing = {unit.code: unit for unit in in_chunks(Unit.objects.select_for_update(), "code", referenced)}
    known_by_pk = {unit.pk: unit for unit in existing.values()}
    ancestor_pks = {
        int(segment, 36) for unit in existing.values() for segment in unit.path.split("/") if segment
    }
    missing_pks = ancestor_pks - known_by_pk.keys()
    if missing_pks:
        known_by_pk.update((unit.pk, unit) for unit in in_chunks(Unit.objects.all(), "pk", missing_pks))
    old_parent_code = {unit.code: _parent_code_of(unit, known_by_pk) for unit in known_by_pk.values()}
    final_parent = dict(old_parent_code)  # code → parent code once the file is applied

    # -- checks that need the database
    checked_codes: set[str] = set()
    not_found = _("Không có đơn vị mã “%(code)s” trong phạm vi bạn được nhập dữ liệu.")
    for parsed in rows:
        has_code = bool(parsed.code) and "code" not in parsed.bad
        unit = existing.get(parsed.code) if has_code else None
        if unit is not None and not scopes.can(actor, IMPORT_PERMISSION, unit):
            errors.add(
                parsed.row,
                "code",
                _("Mã đơn vị “%(code)s” đã được dùng cho một đơn vị ngoài phạm vi bạn được nhập dữ liệu.")
                % {"code": parsed.code},
            )
        if parsed.parent_code and "parent_code" not in parsed.bad:
            parent_row = first_row_of_code.get(parsed.parent_code)
            if parsed.parent_code in checked_codes or (parent_row is not None and parent_row < parsed.row):
                pass  # on an earlier row of the file, checked there
            elif parsed.parent_code in existing:
                if not scopes.can(actor, IMPORT_PERMISSION, existing[parsed.parent_code]):
                    errors.add(parsed.row, "parent_code", not_found % {"code": parsed.parent_code})
            elif parent_row is not None:
                errors.add(
                    parsed.row,
                    "parent_code",
                    _(
                        "Đơn vị cấp trên “%(code)s” nằm ở dòng %(row)d, sau dòng này; hãy đặt đơn vị cấp trên ở dòng trước các đơn vị cấp dưới."
                    )
                    % {"code": parsed.parent_code, "row": parent_row},
                )
            else:
                errors.add(parsed.row, "parent_code", not_found % {"code": parsed.parent_code})
            if has_code:
                final_parent[parsed.code] = parsed.parent_code
        elif unit is None and has_code and "parent_code" not in parsed.bad:
            if scopes.scope_paths(actor, IMPORT_PERMISSION) is not None:
                errors.add(
                    parsed.row,
                    "parent_code",
                    _("Đơn vị mới cần có mã đơn vị cấp trên thuộc phạm vi bạn được nhập dữ liệu."),
                )
            final_parent[parsed.code] = None
        if unit is None and has_code and parsed.kind is None and "kind" not in parsed.bad:
            errors.add(parsed.row, "kind", _("Loại đơn vị không được để trống khi tạo đơn vị mới."))
        valid_from = parsed.valid_from or (unit.valid_from if unit else None)
        valid_to = parsed.valid_to or (unit.valid_to if unit else None)
        dates_read = not {"valid_from", "valid_to"} & parsed.bad
        if dates_read and valid_from and valid_to and valid_to < valid_from:
            errors.add(
                parsed.row,
                "valid_to" if parsed.valid_to else "valid_from",
                _("Hiệu lực đến %(to)s trước hiệu lực từ %(since)s.")
                % {"to": f"{valid_to:%d/%m/%Y}", "since": f"{valid_from:%d/%m/%Y}"},
            )
        if has_code:
            checked_codes.add(parsed.code)
    # An existing unit may not be moved below itself (under one of its own subunits).
    for parsed in rows:
        if parsed.bad or parsed.code not in existing or not parsed.parent_code:
            continue
        visited: set[str] = set()
        code: str | None = parsed.parent_code
        while code is not None and code not in visited:
            if code == parsed.code:
                errors.add(
                    parsed.row,
                    "parent_code",
                    _(
                        "Không thể đặt đơn vị “%(code)s” dưới “%(parent)s” vì “%(parent)s” là đơn vị cấp dưới của nó."
                    )
                    % {"code": parsed.code, "parent": parsed.parent_code},
                )
                break
            visited.add(code)
            code = final_parent.get(code)
    errors.raise_if_any()

    # -- plan (in memory)
    created: list[Unit] = []
    level_of: dict[str, int] = {}  # new unit → how many new units above it
    updated: list[Unit] = []
    moved: list[Unit] = []
    changes_by_code: dict[str, dict] = {}
    by_code: dict[str, Unit] = dict(existing)
    unchanged = 0
    for parsed in rows:
        unit = existing.get(parsed.code)
        if unit is None:
            unit = Unit(code=parsed.code, **parsed.unit_values())
            level_of[parsed.code] = level_of[parsed.parent_code] + 1 if parsed.parent_code in level_of else 0
            created.append(unit)
            by_code[parsed.code] = unit
            continue
        before = audit.snapshot(unit)
        for key, value in parsed.unit_values().items():
            setattr(unit, key, value)
        changes = audit.diff(before, audit.snapshot(unit))
        is_move = parsed.parent_code is not None and parsed.parent_code != old_parent_code[unit.code]
        if changes or is_move:
            updated.append(unit)
            changes_by_code[unit.code] = changes
            if is_move:
                moved.append(unit)
        else:
            unchanged += 1

    # -- write. New units level by level (a parent needs its id before its children), their paths once
    # the ids are known, then the field updates, then the moves: each move rewrites its subtree's
    # paths from those in the database at that moment, so new units below a moved unit follow it.
    parent_code_of = {parsed.code: parsed.parent_code for parsed in rows}
    for level in sorted(set(level_of.values())):
        generation = [unit for unit in created if level_of[unit.code] == level]
        for unit in generation:
            parent_code = parent_code_of[unit.code]
            unit.parent = by_code[parent_code] if parent_code else None
        Unit.objects.bulk_create(generation, batch_size=1000)
        for unit in generation:
            unit.path = (unit.parent.path if unit.parent else "") + path_segment(unit.pk)
            unit.depth = unit.parent.depth + 1 if unit.parent else 0
    if created:
        Unit.objects.bulk_update(created, ["path", "depth"], batch_size=1000)
    now = timezone.now()
    for unit in moved:
        old_parent_id = unit.parent_id
        unit.parent = by_code[parent_code_of[unit.code]]
        changes_by_code[unit.code]["parent"] = [old_parent_id, unit.parent_id]
    save_changed_fields(Unit, [(unit, changes_by_code[unit.code].keys()) for unit in updated], now)
    for unit in moved:
        old_path, old_depth = Unit.objects.filter(pk=unit.pk).values_list("path", "depth").get()
        parent_path, parent_depth = Unit.objects.filter(pk=unit.parent_id).values_list("path", "depth").get()
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(parent_path + path_segment(unit.pk)), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (parent_depth + 1 - old_depth),
        )
    if moved:
        final_paths = dict(
            in_chunks(Unit.objects.values_list("pk", "path"), "pk", [unit.pk for unit in created + updated])
        )
        for unit in created + updated:
            unit.path = final_paths[unit.pk]

    first = rows[0]
    batch = new_batch(
        actor=actor,
        kind=ImportKind.UNITS,
        content=content,
        filename=filename,
        unit_path=batch_unit_path(actor, IMPORT_PERMISSION, [by_code[first.code].path]),
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
        changes_by_pk={
            **{unit.pk: audit.created(unit) for unit in created},
            **{unit.pk: changes_by_code[unit.code] for unit in updated},
        },
        note=batch_note(batch),
    )
    record_batch(actor, batch)
    return batch


# ---------------------------------------------------------------- reading back


@dataclass(frozen=True)
class BatchChange:
    object_id: str
    label: str
    created: bool
    fields: list[str]


def batch_changes(batch: ImportBatch, *, limit: int = 200, model=None) -> tuple[list[BatchChange], int]:
    """The people or units (or, given ``model``, the records of another import) an import created or
    updated (the first ``limit``) and their number, read back from the audit entries it wrote. The
    caller has already checked that the batch is visible."""
    if model is None:
        model = Person if batch.kind == ImportKind.PEOPLE else Unit
    entries = AuditEntry.objects.filter(
        action=AuditAction.IMPORT,
        at__gte=batch.uploaded_at,
        content_type=ContentType.objects.get_for_model(model),
        note=batch_note(batch),
    ).order_by("id")
    total = entries.count()
    changes = []
    for object_id, label, values in entries.values_list("object_id", "object_repr", "changes")[:limit]:
        created = all(old is None for old, _new in values.values())
        fields = []
        for name in values:
            try:
                verbose = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                verbose = name
            fields.append(verbose[:1].upper() + verbose[1:])
        changes.append(BatchChange(object_id=object_id, label=label, created=created, fields=fields))
    return changes, total


# ---------------------------------------------------------------- templates

# Headings and sheet names are part of the file format: they stay Vietnamese whatever the interface
# language, so that a template downloaded in English imports like any other.
_PEOPLE_HEADINGS = {column.key: column.heading for column in PEOPLE_COLUMNS}
_UNIT_HEADINGS = {column.key: column.heading for column in UNIT_COLUMNS}


def people_template_columns() -> list[TemplateColumn]:
    """The columns of the people file with their guidance (template, guide sheet and upload page)."""
    return [
        TemplateColumn(
            _PEOPLE_HEADINGS["full_name"],
            26,
            required=True,
            guide=_("Họ, tên đệm và tên, viết có dấu. Ví dụ: Nguyễn Thị Minh Khai."),
        ),
        TemplateColumn(_PEOPLE_HEADINGS["gender"], 10, choices=tuple(choice_labels(Gender))),
        TemplateColumn(_PEOPLE_HEADINGS["birth_date"], 13, cell_format="date", guide=_("dd/mm/yyyy.")),
        TemplateColumn(_PEOPLE_HEADINGS["ethnicity"], 10, guide=_("Để trống với người mới: Kinh.")),
        TemplateColumn(
            _PEOPLE_HEADINGS["cccd"],
            16,
            cell_format="text",
            guide=_(
                "Đúng 12 chữ số. Để cột ở định dạng Text (Văn bản) để giữ các số 0 ở đầu. Dùng để nhận ra người đã có khi nhập lại."
            ),
        ),
        TemplateColumn(_PEOPLE_HEADINGS["email"], 26),
        TemplateColumn(
            _PEOPLE_HEADINGS["phone"],
            14,
            cell_format="text",
            guide=_("Định dạng Text (Văn bản) để giữ số 0 ở đầu."),
        ),
        TemplateColumn(
            _PEOPLE_HEADINGS["unit_code"],
            14,
            required=True,
            cell_format="text",
            guide=_(
                "Mã của đơn vị đang công tác (xem trang Đơn vị). Đơn vị phải đang có hiệu lực và thuộc phạm vi bạn được nhập dữ liệu."
            ),
        ),
        TemplateColumn(
            _PEOPLE_HEADINGS["position"],
            22,
            guide=_(
                "Ví dụ: Chuyên viên, Phó Chánh Văn phòng. Người đã có mà đổi đơn vị hoặc chức vụ thì được ghi thêm một quá trình công tác mới, bắt đầu từ hôm nay."
            ),
        ),
        TemplateColumn(
            _PEOPLE_HEADINGS["position_category"], 30, choices=tuple(choice_labels(PositionCategory))
        ),
        TemplateColumn(
            _PEOPLE_HEADINGS["rank"],
            20,
            guide=_("Ngạch công chức hoặc chức danh nghề nghiệp. Ví dụ: Chuyên viên chính."),
        ),
        TemplateColumn(
            _PEOPLE_HEADINGS["recruited_on"],
            15,
            cell_format="date",
            guide=_(
                "dd/mm/yyyy. Với người mới, quá trình công tác bắt đầu từ ngày này (để trống: từ hôm nay)."
            ),
        ),
    ]


def people_template_bytes() -> bytes:
    """The people template: headings, an example row, and the guide sheet “Hướng dẫn”."""
    columns = people_template_columns()
    example = [
        "Nguyễn Thị Minh Khai",
        choice_labels(Gender)[1],
        datetime.date(1985, 3, 15),
        "Kinh",
        "082185000123",
        "ntmkhai@example.gov.vn",
        "0912345678",
        "SKHCN_VP",
        "Chuyên viên",
        choice_labels(PositionCategory)[2],
        "Chuyên viên chính",
        datetime.date(2010, 9, 1),
    ]
    return template_bytes(
        sheet_title=DATA_SHEET,
        columns=columns,
        example_rows=[example],
        guide_title=GUIDE_SHEET,
        guide_headers=[_(heading) for heading in GUIDE_HEADERS],
        guide_intro=guide_intro(
            _("Hướng dẫn nhập danh sách cá nhân"),
            _(
                "Nhập lại không tạo hồ sơ trùng: người đã có được nhận ra theo Số CCCD (không có CCCD: theo họ tên, ngày sinh và mã đơn vị) và được cập nhật; ô để trống giữ nguyên thông tin đang có."
            ),
        ),
    )


def units_template_columns() -> list[TemplateColumn]:
    """The columns of the units file with their guidance (template, guide sheet and upload page)."""
    return [
        TemplateColumn(
            _UNIT_HEADINGS["code"],
            16,
            required=True,
            cell_format="text",
            guide=_(
                "Chữ cái không dấu, chữ số và các ký tự . _ -; không trùng nhau. Nhập lại cùng mã thì đơn vị đó được cập nhật."
            ),
        ),
        TemplateColumn(_UNIT_HEADINGS["name"], 40, required=True),
        TemplateColumn(
            _UNIT_HEADINGS["short_name"],
            12,
            guide=_("Dùng trong số văn bản, ví dụ SKHCN trong “15/QĐ-SKHCN”."),
        ),
        TemplateColumn(
            _UNIT_HEADINGS["kind"],
            28,
            required=True,
            choices=tuple(choice_labels(UnitKind)),
            guide=_("Bắt buộc với đơn vị mới; để trống với đơn vị đã có thì giữ nguyên."),
        ),
        TemplateColumn(
            _UNIT_HEADINGS["parent_code"],
            18,
            cell_format="text",
            guide=_(
                "Mã của một đơn vị đã có, hoặc của đơn vị ở dòng phía trên trong cùng tệp. Bắt buộc với đơn vị mới. Ghi mã khác cho đơn vị đã có để chuyển đơn vị đó (cùng các đơn vị cấp dưới) sang cấp trên mới."
            ),
        ),
        TemplateColumn(
            _UNIT_HEADINGS["valid_from"],
            13,
            cell_format="date",
            guide=_("dd/mm/yyyy: ngày thành lập hoặc bắt đầu hoạt động."),
        ),
        TemplateColumn(
            _UNIT_HEADINGS["valid_to"],
            13,
            cell_format="date",
            guide=_(
                "dd/mm/yyyy: ngày cuối cùng hoạt động (giải thể, sáp nhập); để trống nếu đang hoạt động."
            ),
        ),
        TemplateColumn(_UNIT_HEADINGS["address"], 40),
    ]


def units_template_bytes() -> bytes:
    """The units template: headings, example rows, and the guide sheet “Hướng dẫn”."""
    columns = units_template_columns()
    examples = [
        [
            "SKHCN_TTUD",
            "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
            "TTUD",
            choice_labels(UnitKind)[3],
            "SKHCN",
            datetime.date(2005, 1, 1),
            None,
            "Số 5 đường Hùng Vương, phường 1, Mỹ Tho",
        ],
        [
            "SKHCN_TTUD_KT",
            "Phòng Kỹ thuật",
            "PKT",
            choice_labels(UnitKind)[2],
            "SKHCN_TTUD",
            datetime.date(2005, 1, 1),
            None,
            None,
        ],
    ]
    return template_bytes(
        sheet_title=DATA_SHEET,
        columns=columns,
        example_rows=examples,
        guide_title=GUIDE_SHEET,
        guide_headers=[_(heading) for heading in GUIDE_HEADERS],
        guide_intro=guide_intro(
            _("Hướng dẫn nhập danh sách đơn vị"),
            _(
                "Nhập lại không tạo đơn vị trùng: đơn vị đã có được nhận ra theo mã và được cập nhật; ô để trống giữ nguyên thông tin đang có."
            ),
        ),
    )
