"""Excel import of people: happy path, re-import, every kind of error, all-or-nothing, scope, speed shape."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from tests.factories import make_person, make_unit, make_user
from thidua.common.models import AuditAction, AuditEntry, ImportBatch, ImportKind
from thidua.common.spreadsheets import read_workbook
from thidua.common.text import fold, sort_key
from thidua.organizations.imports import (
    MAX_ERRORS,
    ImportFailed,
    RowError,
    import_people,
    people_template_bytes,
)
from thidua.organizations.models import Employment, Person
from thidua.organizations.services import _refresh_derived

pytestmark = pytest.mark.django_db

HEADERS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Số CCCD",
    "Email",
    "Điện thoại",
    "Mã đơn vị",
    "Chức vụ",
    "Nhóm chức vụ",
    "Ngạch/chức danh",
    "Ngày tuyển dụng",
]


def xlsx(rows, headers=HEADERS, *, above=()) -> bytes:
    """A workbook with optional lines above the header row, the header row, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(list(line))
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person_row(**overrides):
    values = {
        "Họ và tên": "Nguyễn Văn An",
        "Giới tính": "Nam",
        "Ngày sinh": datetime.date(1985, 4, 30),
        "Dân tộc": "Kinh",
        "Số CCCD": "082085000001",
        "Email": "an.nv@example.gov.vn",
        "Điện thoại": "0912345678",
        "Mã đơn vị": "SKHCN_VP",
        "Chức vụ": "Chuyên viên",
        "Nhóm chức vụ": "Công chức, viên chức chuyên môn",
        "Ngạch/chức danh": "Chuyên viên",
        "Ngày tuyển dụng": datetime.date(2010, 9, 1),
    }
    values.update(overrides)
    return [values[heading] for heading in HEADERS]


def derived(family: str, middle: str, given: str, cccd: str | None) -> Person:
    """An unsaved person with search_text and sort_key as the organisation services compute them."""
    person = Person(family_name=family, middle_name=middle, given_name=given, cccd=cccd)
    _refresh_derived(person)
    return person


def run(actor, rows, *, headers=HEADERS, name="nhan-su.xlsx", above=()):
    content = xlsx(rows, headers, above=above)
    return import_people(actor=actor, uploaded_file=SimpleUploadedFile(name, content), filename=name)


def errors_of(actor, rows, **kwargs) -> list[RowError]:
    with pytest.raises(ImportFailed) as failure:
        run(actor, rows, **kwargs)
    return failure.value.errors


def counts():
    return (
        Person.objects.count(),
        Employment.objects.count(),
        AuditEntry.objects.count(),
        ImportBatch.objects.count(),
    )


# ---------------------------------------------------------------- happy path


def test_import_people_creates_people_with_employment_and_audit(officer, office, department):
    rows = [
        person_row(),
        person_row(
            **{
                "Họ và tên": "  Trần   Thị Bích  ",
                "Giới tính": "nữ",
                "Ngày sinh": "02/01/1990",
                "Số CCCD": "",
                "Email": "",
                "Điện thoại": "",
                "Chức vụ": "Kế toán",
                "Nhóm chức vụ": "",
                "Ngạch/chức danh": "",
                "Ngày tuyển dụng": "",
            }
        ),
    ]

    batch = run(officer, rows)

    an = Person.objects.get(cccd="082085000001")
    assert (an.family_name, an.middle_name, an.given_name) == ("Nguyễn", "Văn", "An")
    assert (an.gender, an.birth_date, an.ethnicity, an.email, an.phone) == (
        "nam",
        datetime.date(1985, 4, 30),
        "Kinh",
        "an.nv@example.gov.vn",
        "0912345678",
    )
    assert (an.current_unit, an.current_position, an.current_position_category) == (
        office,
        "Chuyên viên",
        "chuyen_mon",
    )
    assert an.recruited_on == datetime.date(2010, 9, 1)
    assert an.search_text == derived("Nguyễn", "Văn", "An", "082085000001").search_text
    assert "nguyen van an 082085000001" in an.search_text
    assert an.sort_key == derived("Nguyễn", "Văn", "An", None).sort_key == sort_key("An", "Nguyễn", "Văn")
    assert list(an.employments.values_list("unit__code", "position", "rank", "start_date", "end_date")) == [
        ("SKHCN_VP", "Chuyên viên", "Chuyên viên", datetime.date(2010, 9, 1), None)
    ]
    bich = Person.objects.get(given_name="Bích")
    assert (bich.full_name, bich.gender, bich.birth_date, bich.cccd, bich.ethnicity) == (
        "Trần Thị Bích",
        "nu",
        datetime.date(1990, 1, 2),
        None,
        "Kinh",
    )
    assert list(bich.employments.values_list("position", "start_date")) == [("Kế toán", timezone.localdate())]
    assert (batch.kind, batch.original_name, batch.row_count) == (ImportKind.PEOPLE, "nhan-su.xlsx", 2)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (2, 0, 0)
    assert (batch.uploaded_by, batch.unit_path) == (officer, department.path)
    entries = AuditEntry.objects.filter(action=AuditAction.IMPORT)
    assert entries.count() == 5  # 2 people, 2 employments, the batch
    note = f"Nhập Excel lần #{batch.pk}, tệp “nhan-su.xlsx”"
    assert set(entries.values_list("note", flat=True)) == {note}
    assert entries.get(object_id=str(an.pk), content_type__model="person").changes["cccd"] == [
        None,
        "082085000001",
    ]
    assert entries.get(object_id=str(an.pk), content_type__model="person").unit_path == office.path


def test_import_people_keeps_the_uploaded_file(officer, office):
    content = xlsx([person_row()])

    batch = import_people(
        actor=officer, uploaded_file=SimpleUploadedFile("ds.xlsx", content), filename="ds.xlsx"
    )

    with batch.file.open("rb") as stored:
        assert stored.read() == content
    assert batch.file.name.startswith("imports/")


def test_import_people_finds_headings_in_any_order_case_and_accents(officer, office):
    headers = ["STT", "MÃ ĐƠN VỊ", "ho va ten", "Số điện thoại", "Ghi chú", "Ngày sinh (dd/mm/yyyy)"]
    rows = [[1, "SKHCN_VP", "Lê Văn Cường", "0987654321", "bỏ qua", "05/03/1980"]]

    batch = run(officer, rows, headers=headers, above=[["DANH SÁCH CÁN BỘ"], []])

    person = Person.objects.get()
    assert (person.full_name, person.phone, person.birth_date, person.current_unit) == (
        "Lê Văn Cường",
        "0987654321",
        datetime.date(1980, 3, 5),
        office,
    )
    assert batch.row_count == 1


def test_import_people_normalises_decomposed_text_to_nfc(officer, office):
    decomposed = "Nguye\u0302\u0303n Va\u0306n Ha\u0300"

    run(officer, [person_row(**{"Họ và tên": decomposed})])

    assert Person.objects.get().full_name == "Nguyễn Văn Hà"


def test_import_people_pads_numeric_cccd_and_phone_lost_leading_zeros(officer, office):
    run(officer, [person_row(**{"Số CCCD": 82085000001.0, "Điện thoại": 912345678.0})])

    person = Person.objects.get()
    assert (person.cccd, person.phone) == ("082085000001", "0912345678")


def test_import_people_accepts_category_and_gender_codes(officer, office):
    run(officer, [person_row(**{"Giới tính": "nu", "Nhóm chức vụ": "lanh_dao"})])

    person = Person.objects.get()
    assert (person.gender, person.current_position_category) == ("nu", "lanh_dao")


def test_import_people_starts_no_earlier_than_the_unit(officer, department):
    unit = make_unit("Phòng mới", parent=department, code="SKHCN_MOI", valid_from=datetime.date(2020, 1, 1))

    run(officer, [person_row(**{"Mã đơn vị": "SKHCN_MOI", "Ngày tuyển dụng": datetime.date(2010, 9, 1)})])

    person = Person.objects.get()
    assert person.recruited_on == datetime.date(2010, 9, 1)
    assert list(person.employments.values_list("unit", "start_date")) == [
        (unit.pk, datetime.date(2020, 1, 1))
    ]


def test_import_people_template_lists_headings_example_and_guide():
    sheets = read_workbook(people_template_bytes())

    assert [sheet.name for sheet in sheets] == ["Danh sách", "Hướng dẫn"]
    assert sheets[0].rows[0] == HEADERS
    assert sheets[0].rows[1][:2] == ["Nguyễn Thị Minh Khai", "Nữ"]
    guide_values = {value for row in sheets[1].rows for value in row}
    assert (
        "Lãnh đạo; Quản lý cấp phòng; Công chức, viên chức chuyên môn; Người lao động trực tiếp"
        in guide_values
    )
    assert "Nam; Nữ" in guide_values


def test_import_people_template_example_imports_once_its_unit_exists(officer, office):
    content = people_template_bytes()

    batch = import_people(
        actor=officer, uploaded_file=SimpleUploadedFile("mau.xlsx", content), filename="mau.xlsx"
    )

    assert batch.created_count == 1
    assert Person.objects.get().full_name == "Nguyễn Thị Minh Khai"


# ---------------------------------------------------------------- re-import


def test_reimport_of_the_same_file_changes_nothing(officer, office):
    rows = [person_row(), person_row(**{"Họ và tên": "Trần Thị Bích", "Số CCCD": "", "Giới tính": "Nữ"})]
    run(officer, rows)
    before = counts()

    batch = run(officer, rows)

    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 2)
    assert counts() == (before[0], before[1], before[2] + 1, before[3] + 1)  # only the batch's own entry


def test_reimport_updates_by_cccd_and_starts_a_new_employment(officer, office, office2):
    run(officer, [person_row()])
    person = Person.objects.get()
    today = timezone.localdate()

    batch = run(
        officer,
        [
            person_row(
                **{
                    "Họ và tên": "Nguyễn Văn Ân",
                    "Điện thoại": "0900000000",
                    "Mã đơn vị": "SKHCN_QLKH",
                    "Chức vụ": "Phó Trưởng phòng",
                }
            )
        ],
    )

    person.refresh_from_db()
    assert Person.objects.count() == 1
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 0)
    assert (person.full_name, person.phone, person.current_unit, person.current_position) == (
        "Nguyễn Văn Ân",
        "0900000000",
        office2,
        "Phó Trưởng phòng",
    )
    assert person.search_text == derived("Nguyễn", "Văn", "Ân", "082085000001").search_text
    assert list(
        person.employments.order_by("start_date").values_list(
            "unit__code", "position", "start_date", "end_date"
        )
    ) == [
        ("SKHCN_VP", "Chuyên viên", datetime.date(2010, 9, 1), today - datetime.timedelta(days=1)),
        ("SKHCN_QLKH", "Phó Trưởng phòng", today, None),
    ]
    entry = AuditEntry.objects.get(
        content_type__model="person", note__startswith=f"Nhập Excel lần #{batch.pk},"
    )
    assert entry.changes["phone"] == ["0912345678", "0900000000"]
    assert entry.changes["current_unit"] == [office.pk, office2.pk]
    assert entry.unit_path == office2.path
    assert AuditEntry.objects.filter(content_type__model="employment", note=entry.note).count() == 2


def test_reimport_blank_cells_keep_existing_values(officer, office):
    run(officer, [person_row()])

    batch = run(
        officer,
        [
            person_row(
                **{"Email": "", "Điện thoại": "", "Chức vụ": "", "Nhóm chức vụ": "", "Ngạch/chức danh": ""}
            )
        ],
    )

    person = Person.objects.get()
    assert (person.email, person.phone, person.current_position) == (
        "an.nv@example.gov.vn",
        "0912345678",
        "Chuyên viên",
    )
    assert (batch.updated_count, batch.unchanged_count) == (0, 1)


def test_reimport_of_a_new_rank_corrects_the_open_employment(officer, office):
    run(officer, [person_row()])

    batch = run(officer, [person_row(**{"Ngạch/chức danh": "Chuyên viên chính"})])

    assert (batch.updated_count, batch.unchanged_count) == (1, 0)
    assert list(Employment.objects.values_list("rank", "end_date")) == [("Chuyên viên chính", None)]


def test_reimport_matches_people_without_cccd_by_name_birth_date_and_unit(officer, office):
    row = person_row(**{"Số CCCD": "", "Email": "cu@example.gov.vn"})
    run(officer, [row])

    batch = run(
        officer, [person_row(**{"Họ và tên": "NGUYEN VAN AN", "Số CCCD": "", "Email": "moi@example.gov.vn"})]
    )

    person = Person.objects.get()
    assert (person.email, person.full_name) == ("moi@example.gov.vn", "NGUYEN VAN AN")
    assert (batch.created_count, batch.updated_count) == (0, 1)


def test_reimport_with_a_cccd_adds_it_to_the_person_found_by_name(officer, office):
    make_person("Nguyễn Văn An", unit=office, birth_date=datetime.date(1985, 4, 30))

    batch = run(officer, [person_row()])

    assert Person.objects.get().cccd == "082085000001"
    assert (batch.created_count, batch.updated_count) == (0, 1)


def test_import_people_refuses_an_ambiguous_name_match(officer, office):
    for _ in range(2):
        make_person("Nguyễn Văn An", unit=office, birth_date=datetime.date(1985, 4, 30))

    errors = errors_of(officer, [person_row(**{"Số CCCD": ""})])

    assert errors == [
        RowError(
            row=2,
            column="E",
            message="Có 2 người tên “Nguyễn Văn An” cùng ngày sinh ở đơn vị SKHCN_VP. Hãy ghi Số CCCD để biết cập nhật người nào.",
            field="Số CCCD",
        )
    ]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("overrides", "column", "field", "message"),
    [
        ({"Họ và tên": ""}, "A", "Họ và tên", "Họ và tên không được để trống."),
        (
            {"Họ và tên": "Nguyễn " + "A" * 61},
            "A",
            "Họ và tên",
            "Họ và tên “Nguyễn " + "A" * 61 + "” quá dài.",
        ),
        ({"Giới tính": "Khác"}, "B", "Giới tính", "Giới tính “Khác” không hợp lệ; chọn một trong: Nam; Nữ."),
        ({"Ngày sinh": "31/02/1980"}, "C", "Ngày sinh", "Ngày sinh “31/02/1980” không hợp lệ (dd/mm/yyyy)."),
        ({"Ngày sinh": 29000.0}, "C", "Ngày sinh", "Ngày sinh “29000” không hợp lệ (dd/mm/yyyy)."),
        (
            {"Ngày sinh": "01/01/1850"},
            "C",
            "Ngày sinh",
            "Ngày sinh 01/01/1850 không hợp lý (trước năm 1900).",
        ),
        ({"Ngày sinh": "01/01/2999"}, "C", "Ngày sinh", "Ngày sinh 01/01/2999 ở sau ngày hôm nay."),
        ({"Dân tộc": "K" * 41}, "D", "Dân tộc", "“Dân tộc” dài 41 ký tự, tối đa 40 ký tự."),
        ({"Số CCCD": "12345"}, "E", "Số CCCD", "Số CCCD “12345” phải gồm đúng 12 chữ số."),
        ({"Số CCCD": "08208500000A"}, "E", "Số CCCD", "Số CCCD “08208500000A” phải gồm đúng 12 chữ số."),
        (
            {"Số CCCD": 12345678.0},
            "E",
            "Số CCCD",
            "Số CCCD 12345678 đang ở dạng số nên đã mất các số 0 ở đầu và không đủ 12 chữ số. "
            "Hãy định dạng cột “Số CCCD” là Text (Văn bản) và nhập đủ 12 chữ số.",
        ),
        ({"Số CCCD": 1234567890123.0}, "E", "Số CCCD", "Số CCCD “1234567890123” phải gồm đúng 12 chữ số."),
        ({"Email": "an@"}, "F", "Email", "Email “an@” không hợp lệ."),
        ({"Điện thoại": "12ab"}, "G", "Điện thoại", "Số điện thoại “12ab” không hợp lệ."),
        ({"Mã đơn vị": ""}, "H", "Mã đơn vị", "Mã đơn vị không được để trống."),
        (
            {"Mã đơn vị": "VP SỞ"},
            "H",
            "Mã đơn vị",
            "Mã đơn vị “VP SỞ” không hợp lệ: chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ -",
        ),
        (
            {"Mã đơn vị": "KHONG_CO"},
            "H",
            "Mã đơn vị",
            "Không có đơn vị mã “KHONG_CO” trong phạm vi bạn được nhập dữ liệu.",
        ),
        (
            {"Mã đơn vị": "SYT"},
            "H",
            "Mã đơn vị",
            "Không có đơn vị mã “SYT” trong phạm vi bạn được nhập dữ liệu.",
        ),
        ({"Chức vụ": "C" * 121}, "I", "Chức vụ", "“Chức vụ” dài 121 ký tự, tối đa 120 ký tự."),
        (
            {"Nhóm chức vụ": "Giám đốc"},
            "J",
            "Nhóm chức vụ",
            "Nhóm chức vụ “Giám đốc” không hợp lệ; chọn một trong: Lãnh đạo; Quản lý cấp phòng; "
            "Công chức, viên chức chuyên môn; Người lao động trực tiếp.",
        ),
        (
            {"Ngày tuyển dụng": datetime.date(1980, 1, 1)},
            "L",
            "Ngày tuyển dụng",
            "Ngày tuyển dụng 01/01/1980 phải sau ngày sinh 30/04/1985.",
        ),
    ],
)
def test_import_people_reports_bad_cells_by_row_and_column(
    officer, office, other_department, overrides, column, field, message
):
    before = counts()

    errors = errors_of(officer, [person_row(**{"Số CCCD": "082085000009"}), person_row(**overrides)])

    assert errors == [RowError(row=3, column=column, message=message, field=field)]
    assert counts() == before


def test_import_people_reports_a_ceased_unit(officer, department):
    make_unit("Phòng cũ", parent=department, code="SKHCN_CU", valid_to=datetime.date(2020, 12, 31))
    today = timezone.localdate()

    errors = errors_of(officer, [person_row(**{"Mã đơn vị": "SKHCN_CU"})])

    assert errors == [
        RowError(
            row=2,
            column="H",
            message=f"Đơn vị “SKHCN_CU” (Phòng cũ) không có hiệu lực vào ngày hôm nay ({today:%d/%m/%Y}).",
            field="Mã đơn vị",
        )
    ]


def test_import_people_reports_every_error_of_every_row(officer, office):
    rows = [
        person_row(**{"Ngày sinh": "31/02/1980", "Email": "x"}),
        person_row(**{"Số CCCD": "082085000002"}),
        person_row(**{"Số CCCD": "082085000003", "Giới tính": "?"}),
    ]

    errors = errors_of(officer, rows)

    assert [(error.row, error.column) for error in errors] == [(2, "C"), (2, "F"), (4, "B")]


def test_import_people_reports_a_cccd_repeated_in_the_file_on_the_second_row(officer, office):
    rows = [
        person_row(),
        person_row(**{"Họ và tên": "Trần Văn Bình"}),
        person_row(**{"Họ và tên": "Lê Văn Chí"}),
    ]

    errors = errors_of(officer, rows)

    assert errors == [
        RowError(row=3, column="E", message="Số CCCD 082085000001 trùng với dòng 2.", field="Số CCCD"),
        RowError(row=4, column="E", message="Số CCCD 082085000001 trùng với dòng 2.", field="Số CCCD"),
    ]


def test_import_people_reports_the_same_person_without_cccd_twice(officer, office):
    rows = [person_row(**{"Số CCCD": ""}), person_row(**{"Số CCCD": "", "Họ và tên": "nguyễn văn an"})]

    errors = errors_of(officer, rows)

    assert errors == [
        RowError(
            row=3,
            column="A",
            message="Trùng họ tên, ngày sinh và đơn vị với dòng 2. Nếu là hai người khác nhau, hãy ghi Số CCCD.",
            field="Họ và tên",
        )
    ]


def test_import_people_refuses_a_cccd_of_someone_outside_the_scope(officer, office, other_department):
    make_person("Phạm Thị Dung", unit=other_department, cccd="082085000001")

    errors = errors_of(officer, [person_row()])

    assert errors == [
        RowError(
            row=2,
            column="E",
            message="Số CCCD 082085000001 đã có trong hồ sơ của một người thuộc đơn vị ngoài phạm vi bạn được nhập dữ liệu. "
            "Hãy liên hệ đơn vị đó hoặc quản trị hệ thống.",
            field="Số CCCD",
        )
    ]
    assert Person.objects.get(cccd="082085000001").full_name == "Phạm Thị Dung"


def test_import_people_names_missing_required_headings_once(officer, office):
    errors = errors_of(officer, [["Nam", "1980"]], headers=["Giới tính", "Ngày sinh"], above=[["Danh sách"]])

    assert errors == [
        RowError(
            row=2,
            column="",
            message="Thiếu cột bắt buộc: “Họ và tên”, “Mã đơn vị”. Tên cột phải giống tệp mẫu.",
        )
    ]


def test_import_people_without_any_heading(officer, office):
    errors = errors_of(officer, [["x", "y"]], headers=["Cột 1", "Cột 2"])

    assert errors == [
        RowError(
            row=1,
            column="",
            message="Không tìm thấy dòng tiêu đề. Dòng tiêu đề cần có các cột: “Họ và tên”, “Mã đơn vị” (xem tệp mẫu).",
        )
    ]


def test_import_people_without_data_rows(officer, office):
    errors = errors_of(officer, [["", ""]])

    assert errors == [RowError(row=1, column="", message="Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")]


def test_import_people_refuses_other_file_types(officer, office):
    with pytest.raises(ImportFailed) as failure:
        import_people(
            actor=officer, uploaded_file=SimpleUploadedFile("ds.xls", b"\xd0\xcf\x11\xe0"), filename="ds.xls"
        )

    assert failure.value.errors == [
        RowError(
            row=0,
            column="",
            message="Tệp “ds.xls” không phải tệp Excel .xlsx. Hãy dùng tệp mẫu, lưu bằng Excel dạng “Excel Workbook (.xlsx)”.",
        )
    ]


@pytest.mark.parametrize("content", [b"Ho ten;Ma don vi\n", b"PK\x03\x04 not really a zip", b""])
def test_import_people_refuses_a_file_that_is_not_a_workbook(officer, office, content):
    with pytest.raises(ImportFailed) as failure:
        import_people(actor=officer, uploaded_file=SimpleUploadedFile("ds.xlsx", content), filename="ds.xlsx")

    [error] = failure.value.errors
    assert (error.row, error.column) == (0, "")
    assert error.message in {
        "Không đọc được tệp “ds.xlsx” như một bảng tính Excel (.xlsx). Hãy mở tệp bằng Excel và lưu lại dạng “Excel Workbook (.xlsx)”.",
        "Tệp “ds.xlsx” rỗng.",
    }


def test_import_people_refuses_a_file_over_the_size_limit(officer, office, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024

    with pytest.raises(ImportFailed) as failure:
        import_people(
            actor=officer,
            uploaded_file=SimpleUploadedFile("ds.xlsx", b"PK" + b"0" * 1024 * 1024),
            filename="ds.xlsx",
        )

    assert [error.message for error in failure.value.errors] == [
        "Tệp lớn hơn giới hạn 1 MB. Hãy chia danh sách thành nhiều tệp."
    ]


def test_import_people_stops_collecting_after_the_error_limit(officer, office):
    rows = [
        person_row(**{"Số CCCD": "", "Giới tính": "?", "Họ và tên": f"Người {i}"})
        for i in range(MAX_ERRORS + 50)
    ]

    with pytest.raises(ImportFailed) as failure:
        run(officer, rows)

    assert len(failure.value.errors) == MAX_ERRORS
    assert failure.value.truncated is True


# ---------------------------------------------------------------- all-or-nothing and scope


def test_import_people_with_an_error_on_the_last_row_saves_nothing(officer, office, settings):
    make_person("Phạm Thị Dung", unit=office, cccd="082085000050")
    before = counts()
    rows = [
        person_row(**{"Số CCCD": f"0820850000{i:02d}", "Họ và tên": f"Người Số {i}"}) for i in range(1, 20)
    ]
    rows.append(
        person_row(**{"Họ và tên": "Phạm Thị Dung", "Số CCCD": "082085000050", "Điện thoại": "0999999999"})
    )
    rows.append(person_row(**{"Số CCCD": "082085000099", "Ngày sinh": "30/02/1990"}))

    with pytest.raises(ImportFailed) as failure:
        run(officer, rows)

    assert [(error.row, error.column) for error in failure.value.errors] == [(22, "C")]
    assert counts() == before
    assert Person.objects.get(cccd="082085000050").phone == ""
    assert not (settings.MEDIA_ROOT / "imports").exists()


def test_import_people_by_an_officer_cannot_touch_another_department(outsider, office, other_department):
    errors = errors_of(outsider, [person_row()])

    assert [(error.row, error.column, error.message) for error in errors] == [
        (2, "H", "Không có đơn vị mã “SKHCN_VP” trong phạm vi bạn được nhập dữ liệu.")
    ]
    assert Person.objects.count() == 0


@pytest.mark.parametrize("persona", ["manager", "staff", "auditor"])
def test_import_people_needs_the_import_permission(request, persona, office):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        run(user, [person_row()])


def test_import_people_by_a_province_admin_files_the_batch_under_the_province(admin_user, province, office):
    batch = run(admin_user, [person_row()])

    assert batch.unit_path == province.path


def test_import_people_by_a_superuser_files_the_batch_under_the_tree_root(province, office):
    root = make_user("root", is_superuser=True)

    batch = run(root, [person_row()])

    assert batch.unit_path == province.path


def test_import_people_runs_a_fixed_number_of_queries(officer, office):
    def queries_for(count: int, offset: int) -> int:
        rows = [
            person_row(**{"Số CCCD": f"08208500{offset + i:04d}", "Họ và tên": f"Người Thứ {offset + i}"})
            for i in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            run(officer, rows)
        return len(captured)

    queries_for(1, 900)  # warms the content-type cache
    assert queries_for(2, 0) == queries_for(30, 100)


def test_import_people_reimport_runs_a_fixed_number_of_queries(officer, office, office2):
    def rows(count: int, offset: int, unit: str):
        return [
            person_row(
                **{
                    "Số CCCD": f"08208500{offset + i:04d}",
                    "Họ và tên": f"Người Thứ {offset + i}",
                    "Mã đơn vị": unit,
                }
            )
            for i in range(count)
        ]

    run(officer, rows(2, 0, "SKHCN_VP"))
    run(officer, rows(30, 100, "SKHCN_VP"))
    with CaptureQueriesContext(connection) as small:
        run(officer, rows(2, 0, "SKHCN_QLKH"))
    with CaptureQueriesContext(connection) as large:
        run(officer, rows(30, 100, "SKHCN_QLKH"))

    assert len(small) == len(large)
    assert Employment.objects.filter(end_date__isnull=True, unit__code="SKHCN_QLKH").count() == 32
    assert fold(Person.objects.get(cccd="082085000100").full_name) == "nguoi thu 100"


def test_import_people_reports_cell_and_database_errors_of_a_row_together(officer, office):
    rows = [person_row(**{"Mã đơn vị": "KHONG_CO", "Ngày sinh": "31/02/1980", "Giới tính": "?"})]

    errors = errors_of(officer, rows)

    assert [(error.row, error.column) for error in errors] == [(2, "B"), (2, "C"), (2, "H")]
    assert errors[2].message == "Không có đơn vị mã “KHONG_CO” trong phạm vi bạn được nhập dữ liệu."
