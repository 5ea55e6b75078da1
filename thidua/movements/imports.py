"""Excel import of a unit's registration list: who in the unit registers for which titles, with
what commitment.

It follows the shared import machinery (thidua.common.imports): headings found in any order and
accent-insensitively, every row checked with Vietnamese messages by row and column, nothing saved when
any row is wrong. People are found as every import finds them (organizations.imports.PersonMatcher):
by CCCD, else by full name and birth date, and must work in the unit (or its sub-units). The
registrations themselves are written by ``services.registration_bulk`` in one transaction, so the
deadline, the scope and the audit are those of the registration page.

No ImportBatch is kept: the registrations carry their own audit entries, and a registration list is
not a data source worth archiving as a file.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from thidua.common.imports import (
    DATA_SHEET,
    GUIDE_HEADERS,
    GUIDE_SHEET,
    Column,
    Errors,
    ImportFailed,
    data_rows,
    file_error,
    find_header,
    guide_intro,
    parse_date,
    parse_text,
    read_upload,
)
from thidua.common.spreadsheets import TemplateColumn, cell_text, template_bytes
from thidua.common.text import clean_text, fold
from thidua.movements import services
from thidua.organizations.imports import PEOPLE_COLUMNS, PersonMatcher, parse_cccd
from thidua.organizations.models import Person, Unit

__all__ = [
    "REGISTRATION_COLUMNS",
    "ImportFailed",
    "RegistrationImportResult",
    "import_registrations",
    "registration_template_bytes",
    "registration_template_columns",
]

_PEOPLE = {column.key: column for column in PEOPLE_COLUMNS}
REGISTRATION_COLUMNS = (
    _PEOPLE["full_name"],
    _PEOPLE["cccd"],
    _PEOPLE["birth_date"],
    Column(
        "awards",
        gettext_noop("Danh hiệu đăng ký"),
        ("Danh hiệu", "Danh hiệu thi đua", "Danh hiệu thi đua đăng ký", "Đăng ký danh hiệu"),
        required=True,
    ),
    Column("commitment", gettext_noop("Cam kết"), ("Nội dung cam kết", "Cam kết thi đua")),
)
NAME_MAX = 200
COMMITMENT_MAX = 1000
# Several titles in one cell: "LĐTT; CSTĐCS" (a line break also separates them).
_TITLE_SEPARATORS = re.compile(r"[;\n]+")


@dataclass
class _Row:
    row: int
    full_name: str = ""
    cccd: str | None = None
    birth_date: Any = None
    award_texts: list[str] = field(default_factory=list)
    commitment: str = ""
    awards: list = field(default_factory=list)
    person: Person | None = None
    bad: bool = False


@dataclass(frozen=True)
class RegistrationImportResult:
    people: int  # people registered (new or updated)
    skipped: int  # rows without any title: left as they are


def _award_lookup(awards) -> dict[str, Any]:
    lookup: dict[str, Any] = {}
    for award in awards:
        for text in (award.code, award.short_name, award.name):
            if text:
                lookup.setdefault(fold(text), award)
    return lookup


def _parse_row(errors: Errors, row: int, cells: dict[str, Any], today, lookup: dict[str, Any]) -> _Row:
    start = len(errors.items)
    parsed = _Row(row=row)
    parsed.full_name = parse_text(errors, row, "full_name", cells.get("full_name"), NAME_MAX) or ""
    parsed.cccd = parse_cccd(errors, row, cells.get("cccd"))
    parsed.birth_date = parse_date(errors, row, "birth_date", cells.get("birth_date"), not_after=today)
    parsed.commitment = parse_text(errors, row, "commitment", cells.get("commitment"), COMMITMENT_MAX) or ""
    texts = [clean_text(part) for part in _TITLE_SEPARATORS.split(cell_text(cells.get("awards")))]
    parsed.award_texts = [text for text in texts if text]
    for text in parsed.award_texts:
        award = lookup.get(fold(text))
        if award is None:
            errors.add(
                row,
                "awards",
                _("Danh hiệu “%(value)s” không có trong các danh hiệu cá nhân của phong trào (%(allowed)s).")
                % {
                    "value": text,
                    "allowed": "; ".join(sorted({a.short_name or a.name for a in lookup.values()})),
                },
            )
        elif award not in parsed.awards:
            parsed.awards.append(award)
    if (
        parsed.award_texts
        and not parsed.full_name
        and not parsed.cccd
        and "cccd" not in errors.keys_since(start)
    ):
        errors.add(row, "full_name", _("Ghi họ và tên hoặc Số CCCD của người đăng ký."))
    parsed.bad = len(errors.items) > start
    return parsed


def _find_people(errors: Errors, rows: list[_Row], unit: Unit, unit_ids: list[int]) -> None:
    """Set ``person`` on every row that names exactly one person working in the unit (or its
    sub-units); report the others. Two queries (PersonMatcher)."""
    matcher = PersonMatcher()
    matcher.load_cccds(row.cccd for row in rows if row.cccd)
    inside = set(unit_ids)
    by_name: list[_Row] = []
    for row in rows:
        if row.cccd:
            person = matcher.with_cccd(row.cccd)
            if person is not None:
                if person.current_unit_id not in inside:
                    errors.add(
                        row.row,
                        "cccd",
                        _("Không có người có Số CCCD %(cccd)s ở %(unit)s.")
                        % {"cccd": row.cccd, "unit": unit.name},
                    )
                elif row.full_name and fold(row.full_name) != fold(person.full_name):
                    errors.add(
                        row.row,
                        "full_name",
                        _("Số CCCD %(cccd)s là của %(name)s, không phải “%(written)s”.")
                        % {"cccd": row.cccd, "name": person.full_name, "written": row.full_name},
                    )
                else:
                    row.person = person
                continue
        if row.full_name:
            by_name.append(row)  # no CCCD, or one not on file: someone recorded without it
        else:
            errors.add(
                row.row,
                "cccd",
                _("Không có người có Số CCCD %(cccd)s ở %(unit)s.") % {"cccd": row.cccd, "unit": unit.name},
            )
    matcher.load_units(unit_ids if by_name else [])
    for row in by_name:
        candidates = [
            person
            for unit_id in unit_ids
            for person in matcher.by_name(row.full_name, row.birth_date, unit_id, has_cccd=bool(row.cccd))
        ]
        if len(candidates) == 1:
            row.person = candidates[0]
        elif candidates:
            errors.add(
                row.row,
                "cccd" if errors.has_column("cccd") else "full_name",
                _(
                    "Có %(count)d người tên “%(name)s” cùng ngày sinh ở %(unit)s. Hãy ghi Số CCCD để biết là người nào."
                )
                % {"count": len(candidates), "name": candidates[0].full_name, "unit": unit.name},
            )
        else:
            born = f" ({row.birth_date:%d/%m/%Y})" if row.birth_date else ""
            errors.add(
                row.row,
                "full_name",
                _(
                    "Không tìm thấy “%(name)s”%(born)s ở %(unit)s. Hãy kiểm tra họ tên, ngày sinh (như trong hồ sơ) hoặc ghi Số CCCD."
                )
                % {"name": row.full_name, "born": born, "unit": unit.name},
            )


def import_registrations(
    *, actor, movement, unit: Unit, individual_awards, uploaded_file, filename: str
) -> RegistrationImportResult:
    """Register the people a file lists for the titles it names, all or nothing.

    Rows with no title are left out (the template lists everyone in the unit; a blank title means
    "not registering"). A person named on two rows is an error. A person whose own registration awaits
    approval is registered as the list says (the manager's list decides). Raises ImportFailed, or
    PermissionDenied when the actor may not register for the unit.
    """
    content, sheets = read_upload(uploaded_file, filename)
    header = find_header(sheets, REGISTRATION_COLUMNS)
    errors = Errors(REGISTRATION_COLUMNS, header)
    lookup = _award_lookup(individual_awards)
    today = timezone.localdate()
    rows: list[_Row] = []
    skipped = 0
    for row_number, cells in data_rows(header):
        if errors.full:
            errors.truncated = True
            break
        parsed = _parse_row(errors, row_number, cells, today, lookup)
        if not parsed.award_texts and not parsed.bad:
            skipped += 1
            continue
        rows.append(parsed)
    if not rows and not errors.items:
        errors.add(
            header.row_index + 1,
            "",
            _("Không dòng nào ghi danh hiệu đăng ký: ghi danh hiệu (ví dụ LĐTT) cho những người đăng ký."),
        )
    unit_ids = list(Unit.objects.under(unit).values_list("pk", flat=True))
    _find_people(errors, [row for row in rows if not row.bad], unit, unit_ids)
    first_row: dict[int, int] = {}
    for row in rows:
        if row.person is None:
            continue
        if row.person.pk in first_row:
            errors.add(
                row.row,
                "full_name",
                _("%(name)s đã có ở dòng %(first)d.")
                % {"name": row.person.full_name, "first": first_row[row.person.pk]},
            )
        else:
            first_row[row.person.pk] = row.row
    errors.raise_if_any()

    groups: dict[str, dict] = {}
    for row in rows:
        groups.setdefault(row.commitment, {})[row.person] = row.awards
    try:
        with transaction.atomic():
            for commitment, people_awards in groups.items():
                services.registration_bulk(
                    actor=actor,
                    movement=movement,
                    unit=unit,
                    people_awards=people_awards,
                    commitment=commitment,
                )
    except ValidationError as error:
        # The deadline, or a movement no longer open: the same words as on the registration page.
        raise file_error(" ".join(error.messages)) from None
    return RegistrationImportResult(people=len(rows), skipped=skipped)


# ---------------------------------------------------------------- the template

_HEADINGS = {column.key: column.heading for column in REGISTRATION_COLUMNS}


def registration_template_columns(individual_awards) -> list[TemplateColumn]:
    labels = tuple(award.short_name or award.name for award in individual_awards)
    return [
        TemplateColumn(
            _HEADINGS["full_name"],
            28,
            required=True,
            guide=_("Họ, tên đệm và tên, viết có dấu, như trong hồ sơ cá nhân."),
        ),
        TemplateColumn(
            _HEADINGS["cccd"],
            16,
            cell_format="text",
            guide=_("12 chữ số, định dạng Text (Văn bản). Có Số CCCD thì người được nhận ra chắc chắn."),
        ),
        TemplateColumn(
            _HEADINGS["birth_date"],
            13,
            cell_format="date",
            guide=_("dd/mm/yyyy. Không có Số CCCD thì người được tìm theo họ tên và ngày sinh."),
        ),
        TemplateColumn(
            _HEADINGS["awards"],
            26,
            required=True,
            choices=labels,
            guide=_(
                "Tên, tên viết tắt hoặc mã danh hiệu; nhiều danh hiệu cách nhau bằng dấu “;”, ví dụ “LĐTT; CSTĐCS”. Để trống: người đó không đăng ký (dòng được bỏ qua)."
            ),
        ),
        TemplateColumn(
            _HEADINGS["commitment"],
            50,
            guide=_("Nội dung cam kết của người đăng ký (không bắt buộc)."),
        ),
    ]


def registration_template_bytes(*, people, individual_awards) -> bytes:
    """The template, pre-filled with the unit's people (name, CCCD, birth date) so that only the
    titles remain to be written."""
    columns = registration_template_columns(individual_awards)
    rows = [[person.full_name, person.cccd or None, person.birth_date, None, None] for person in people]
    if not rows:
        example = individual_awards[0].short_name if individual_awards else ""
        rows = [["Nguyễn Thị Minh Khai", "082185000123", None, example, None]]
    return template_bytes(
        sheet_title=DATA_SHEET,
        columns=columns,
        example_rows=rows,
        guide_title=GUIDE_SHEET,
        guide_headers=[_(heading) for heading in GUIDE_HEADERS],
        guide_intro=guide_intro(
            _("Hướng dẫn nhập danh sách đăng ký thi đua"),
            _(
                "Tệp mẫu đã có sẵn những người đang công tác tại đơn vị: chỉ cần ghi danh hiệu đăng ký. Người đã đăng ký thì được cập nhật theo tệp; người đang chờ duyệt tự đăng ký thì được duyệt theo danh sách."
            ),
        ),
    )
