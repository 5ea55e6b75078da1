"""Excel import of annual ratings: long and wide layouts, people and units, re-import, every error,
all-or-nothing, scope, query count. Also the helpers the other evidence-import tests share."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from tests.factories import make_person, make_unit
from thidua.common.imports import RowError
from thidua.common.models import AuditAction, AuditEntry, ImportBatch, ImportKind
from thidua.common.spreadsheets import read_workbook
from thidua.records.imports import ImportFailed, import_ratings, ratings_template_bytes
from thidua.records.models import AnnualRating

pytestmark = pytest.mark.django_db

PEOPLE_HEADERS = ["Họ và tên", "Số CCCD", "Ngày sinh", "Mã đơn vị", "Năm", "Xếp loại", "Ghi chú"]
UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Năm", "Xếp loại", "Ghi chú"]


# ---------------------------------------------------------------- helpers shared by the evidence-import tests


def book(*sheets) -> bytes:
    """A workbook: each sheet is (title, header row, data rows)."""
    workbook = Workbook()
    for index, (title, headers, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(service, actor, content: bytes, name: str = "minh-chung.xlsx"):
    return service(actor=actor, uploaded_file=SimpleUploadedFile(name, content), filename=name)


def failure_of(service, actor, content: bytes) -> list[RowError]:
    with pytest.raises(ImportFailed) as failure:
        upload(service, actor, content)
    return failure.value.errors


def counts(model):
    return (model.objects.count(), AuditEntry.objects.count(), ImportBatch.objects.count())


def make_staff_people(office, office2, other_department) -> SimpleNamespace:
    """An (with CCCD) and Bích (without) in the office, Dũng in office2, Cường in another department."""
    return SimpleNamespace(
        an=make_person(
            "Nguyễn Văn An", unit=office, cccd="082085000001", birth_date=datetime.date(1985, 4, 30)
        ),
        bich=make_person("Trần Thị Bích", unit=office, birth_date=datetime.date(1990, 1, 2)),
        dung=make_person(
            "Lê Văn Dũng", unit=office2, cccd="082085000004", birth_date=datetime.date(1988, 8, 8)
        ),
        cuong=make_person("Phạm Văn Cường", unit=other_department, cccd="082085000003"),
    )


@pytest.fixture
def staff_people(office, office2, other_department):
    return make_staff_people(office, office2, other_department)


def people_sheet(rows, headers=PEOPLE_HEADERS):
    return ("Cá nhân", headers, rows)


def ratings_of():
    return sorted(
        (
            rating.person.full_name if rating.person else rating.unit.code,
            rating.year,
            rating.rating,
            rating.note,
        )
        for rating in AnnualRating.objects.select_related("person", "unit")
    )


# ---------------------------------------------------------------- happy paths


def test_import_ratings_finds_people_by_cccd_or_name_birth_date_and_unit(officer, staff_people):
    content = book(
        people_sheet(
            [
                ["Nguyễn Văn An", "082085000001", None, None, 2023, "HTXSNV", "Chiến sĩ thi đua"],
                [
                    "tran thi bich",
                    None,
                    datetime.date(1990, 1, 2),
                    "SKHCN_VP",
                    "2024",
                    "hoàn thành tốt nhiệm vụ",
                    None,
                ],
                ["Lê Văn Dũng", 82085000004, None, "SKHCN_QLKH", 2024, "HT NV", None],
            ]
        )
    )

    batch = upload(import_ratings, officer, content, name="xep-loai-2024.xlsx")

    assert ratings_of() == [
        ("Lê Văn Dũng", 2024, "HTNV", ""),
        ("Nguyễn Văn An", 2023, "HTXSNV", "Chiến sĩ thi đua"),
        ("Trần Thị Bích", 2024, "HTTNV", ""),
    ]
    assert (batch.kind, batch.row_count, batch.created_count, batch.updated_count, batch.unchanged_count) == (
        ImportKind.RATINGS,
        3,
        3,
        0,
        0,
    )
    assert batch.original_name == "xep-loai-2024.xlsx"
    assert batch.file.read() == content
    assert batch.unit_path == officer.roles.get().unit.path
    entries = AuditEntry.objects.filter(action=AuditAction.IMPORT, content_type__model="annualrating")
    assert entries.count() == 3
    entry = entries.get(object_id=str(AnnualRating.objects.get(person=staff_people.an).pk))
    assert entry.changes == {
        "person": [None, staff_people.an.pk],
        "year": [None, 2023],
        "rating": [None, "HTXSNV"],
        "note": [None, "Chiến sĩ thi đua"],
    }
    assert entry.note == f"Nhập Excel lần #{batch.pk}, tệp “xep-loai-2024.xlsx”"
    assert entry.unit_path == staff_people.an.current_unit.path
    assert AuditEntry.objects.filter(content_type__model="importbatch", object_id=str(batch.pk)).count() == 1


def test_import_ratings_of_people_and_units_from_two_sheets(officer, office, office2, staff_people):
    content = book(
        people_sheet([["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", None]]),
        ("Tập thể", UNIT_HEADERS, [["SKHCN_VP", "Văn phòng", 2024, "HTXSNV", "Dẫn đầu khối"]]),
    )

    batch = upload(import_ratings, officer, content)

    assert ratings_of() == [
        ("Nguyễn Văn An", 2024, "HTTNV", ""),
        ("SKHCN_VP", 2024, "HTXSNV", "Dẫn đầu khối"),
    ]
    assert (batch.row_count, batch.created_count) == (2, 2)


def test_import_ratings_reads_the_wide_layout_with_a_column_per_year(officer, office2, staff_people):
    headers = ["STT", "Họ và tên", "CCCD", "Ngày sinh", "Mã đơn vị", 2021, "2022", "Năm 2023"]
    content = book(
        (
            "Theo dõi",
            headers,
            [
                [1, "Nguyễn Văn An", "082085000001", None, None, "HTTNV", None, "HTXSNV"],
                [2, "Trần Thị Bích", None, "02/01/1990", "SKHCN_VP", "Hoàn thành nhiệm vụ", "HTTNV", None],
            ],
        )
    )

    batch = upload(import_ratings, officer, content)

    assert ratings_of() == [
        ("Nguyễn Văn An", 2021, "HTTNV", ""),
        ("Nguyễn Văn An", 2023, "HTXSNV", ""),
        ("Trần Thị Bích", 2021, "HTNV", ""),
        ("Trần Thị Bích", 2022, "HTTNV", ""),
    ]
    assert (batch.row_count, batch.created_count) == (2, 4)


def test_import_ratings_of_units_in_the_wide_layout(officer, office, office2):
    content = book(
        ("Tập thể", ["Mã đơn vị", "Tên đơn vị", 2022, 2023], [["SKHCN_VP", "VP", "HTTNV", "HTXSNV"]])
    )

    upload(import_ratings, officer, content)

    assert ratings_of() == [("SKHCN_VP", 2022, "HTTNV", ""), ("SKHCN_VP", 2023, "HTXSNV", "")]


def test_import_ratings_template_lists_both_sheets_and_imports_once_the_example_people_exist(officer, office):
    make_person(
        "Nguyễn Thị Minh Khai", unit=office, cccd="082185000123", birth_date=datetime.date(1985, 3, 15)
    )
    content = ratings_template_bytes()
    sheets = read_workbook(content)

    batch = upload(import_ratings, officer, content)

    assert [sheet.name for sheet in sheets] == ["Cá nhân", "Tập thể", "Hướng dẫn"]
    assert sheets[0].rows[0] == PEOPLE_HEADERS
    assert sheets[1].rows[0] == UNIT_HEADERS
    guide_values = {value for row in sheets[2].rows for value in row}
    assert (
        "Hoàn thành xuất sắc nhiệm vụ; Hoàn thành tốt nhiệm vụ; Hoàn thành nhiệm vụ; Không hoàn thành nhiệm vụ"
        in guide_values
    )
    assert batch.created_count == 2
    assert ratings_of() == [("Nguyễn Thị Minh Khai", 2024, "HTTNV", ""), ("SKHCN_VP", 2024, "HTXSNV", "")]


# ---------------------------------------------------------------- re-import


def test_reimport_of_ratings_updates_the_same_person_and_year_without_duplicates(officer, staff_people):
    first = book(people_sheet([["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", "Lần 1"]]))
    upload(import_ratings, officer, first)
    rating = AnnualRating.objects.get()

    corrected = book(
        people_sheet(
            [
                ["Nguyễn Văn An", "082085000001", None, None, 2024, "HTXSNV", None],
                ["Nguyễn Văn An", "082085000001", None, None, 2023, "HTTNV", None],
            ]
        )
    )
    batch = upload(import_ratings, officer, corrected)

    assert ratings_of() == [("Nguyễn Văn An", 2023, "HTTNV", ""), ("Nguyễn Văn An", 2024, "HTXSNV", "Lần 1")]
    assert AnnualRating.objects.get(year=2024).pk == rating.pk
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 0)
    entry = AuditEntry.objects.get(
        content_type__model="annualrating", object_id=str(rating.pk), note__contains=f"#{batch.pk},"
    )
    assert entry.changes == {"rating": ["HTTNV", "HTXSNV"]}


def test_reimport_of_the_same_ratings_file_changes_nothing(officer, staff_people):
    content = book(people_sheet([["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", "x"]]))
    upload(import_ratings, officer, content)
    entries = AuditEntry.objects.filter(content_type__model="annualrating").count()

    batch = upload(import_ratings, officer, content)

    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 1)
    assert AnnualRating.objects.count() == 1
    assert AuditEntry.objects.filter(content_type__model="annualrating").count() == entries


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("row", "column", "field", "message"),
    [
        (
            ["", "", None, "SKHCN_VP", 2024, "HTTNV", None],
            "A",
            "Họ và tên",
            "Cần ghi họ và tên hoặc Số CCCD để biết là ai.",
        ),
        (
            ["Trần Thị Bích", "", None, "", 2024, "HTTNV", None],
            "D",
            "Mã đơn vị",
            "Không có Số CCCD thì cần ghi mã đơn vị (cùng họ tên, ngày sinh) để tìm người.",
        ),
        (
            ["Nguyễn Văn An", "12345", None, None, 2024, "HTTNV", None],
            "B",
            "Số CCCD",
            "Số CCCD “12345” phải gồm đúng 12 chữ số.",
        ),
        (
            ["Nguyễn Văn An", "082085000099", None, None, 2024, "HTTNV", None],
            "B",
            "Số CCCD",
            "Không có người có Số CCCD 082085000099 trong phạm vi bạn được nhập dữ liệu.",
        ),
        (
            ["Nguyễn Văn Ba", "082085000001", None, None, 2024, "HTTNV", None],
            "A",
            "Họ và tên",
            "Số CCCD 082085000001 là của Nguyễn Văn An, không phải “Nguyễn Văn Ba”.",
        ),
        (
            ["Trần Thị Bích", None, datetime.date(1991, 1, 2), "SKHCN_VP", 2024, "HTTNV", None],
            "A",
            "Họ và tên",
            "Không tìm thấy “Trần Thị Bích” (02/01/1991) ở đơn vị SKHCN_VP. Hãy kiểm tra họ tên, ngày sinh, mã đơn vị hoặc ghi Số CCCD.",
        ),
        (
            ["Trần Thị Bích", None, None, "KHONG_CO", 2024, "HTTNV", None],
            "D",
            "Mã đơn vị",
            "Không có đơn vị mã “KHONG_CO” trong phạm vi bạn được nhập dữ liệu.",
        ),
        (
            ["Nguyễn Văn An", "082085000001", None, None, 1890, "HTTNV", None],
            "E",
            "Năm",
            f"Năm “1890” không hợp lệ: ghi năm bằng 4 chữ số, từ 1945 đến {datetime.date.today().year}.",
        ),
        (
            ["Nguyễn Văn An", "082085000001", None, None, None, "HTTNV", None],
            "E",
            "Năm",
            "Năm không được để trống.",
        ),
        (
            ["Nguyễn Văn An", "082085000001", None, None, 2024, "Tốt", None],
            "F",
            "Xếp loại",
            "Xếp loại “Tốt” không hợp lệ; ghi HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ (ví dụ “Hoàn thành tốt nhiệm vụ”).",
        ),
        (
            ["Nguyễn Văn An", "082085000001", None, None, 2024, None, None],
            "F",
            "Xếp loại",
            "Xếp loại không được để trống.",
        ),
        (
            ["Nguyễn Văn An", "082085000001", "31/02/1985", None, 2024, "HTTNV", None],
            "C",
            "Ngày sinh",
            "Ngày sinh “31/02/1985” không hợp lệ (dd/mm/yyyy).",
        ),
        (
            ["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", "x" * 256],
            "G",
            "Ghi chú",
            "“Ghi chú” dài 256 ký tự, tối đa 255 ký tự.",
        ),
    ],
)
def test_import_ratings_reports_bad_cells_by_row_and_column(
    officer, staff_people, row, column, field, message
):
    errors = failure_of(import_ratings, officer, book(people_sheet([row])))

    assert errors == [RowError(row=2, column=column, message=message, field=field)]


def test_import_ratings_refuses_an_ambiguous_name_match(officer, office):
    for _ in range(2):
        make_person("Trần Thị Bích", unit=office, birth_date=datetime.date(1990, 1, 2))

    errors = failure_of(
        import_ratings,
        officer,
        book(people_sheet([["Trần Thị Bích", None, "02/01/1990", "SKHCN_VP", 2024, "HTTNV", None]])),
    )

    assert errors == [
        RowError(
            row=2,
            column="B",
            message="Có 2 người tên “Trần Thị Bích” cùng ngày sinh ở đơn vị SKHCN_VP. Hãy ghi Số CCCD để biết là người nào.",
            field="Số CCCD",
        )
    ]


def test_import_ratings_reports_the_same_person_and_year_twice(officer, staff_people):
    content = book(
        people_sheet(
            [
                ["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", None],
                ["Nguyễn Văn An", None, datetime.date(1985, 4, 30), "SKHCN_VP", 2024, "HTXSNV", None],
            ]
        )
    )

    errors = failure_of(import_ratings, officer, content)

    assert errors == [
        RowError(row=3, column="E", message="Kết quả năm 2024 của Nguyễn Văn An đã có ở dòng 2.", field="Năm")
    ]


def test_import_ratings_names_the_sheet_of_each_error_when_there_are_two(officer, office, staff_people):
    content = book(
        people_sheet([["Nguyễn Văn An", "082085000001", None, None, 2024, "XYZ", None]]),
        ("Tập thể", UNIT_HEADERS, [["SYT", "Sở Y tế", 2024, "HTTNV", None]]),
    )

    errors = failure_of(import_ratings, officer, content)

    assert errors == [
        RowError(
            row=2,
            column="F",
            message="Xếp loại “XYZ” không hợp lệ; ghi HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ (ví dụ “Hoàn thành tốt nhiệm vụ”).",
            field="Xếp loại",
            sheet="Cá nhân",
        ),
        RowError(
            row=2,
            column="A",
            message="Không có đơn vị mã “SYT” trong phạm vi bạn được nhập dữ liệu.",
            field="Mã đơn vị",
            sheet="Tập thể",
        ),
    ]


def test_import_ratings_wide_layout_errors_name_the_year_column(officer, staff_people):
    next_year = timezone.localdate().year + 1
    headers = ["Họ và tên", "Số CCCD", 2023, next_year]
    content = book(("DS", headers, [["Nguyễn Văn An", "082085000001", "Giỏi", "HTTNV"]]))

    errors = failure_of(import_ratings, officer, content)

    assert errors == [
        RowError(
            row=2,
            column="C",
            message="Xếp loại “Giỏi” không hợp lệ; ghi HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ (ví dụ “Hoàn thành tốt nhiệm vụ”).",
            field="2023",
        ),
        RowError(
            row=2,
            column="D",
            message=f"Năm {next_year} chưa kết thúc nên chưa có xếp loại.",
            field=str(next_year),
        ),
    ]


def test_import_ratings_refuses_a_unit_rating_for_a_year_the_unit_did_not_exist(officer, department):
    make_unit("Phòng mới", parent=department, code="SKHCN_MOI", valid_from=datetime.date(2024, 7, 1))
    content = book(("Tập thể", UNIT_HEADERS, [["SKHCN_MOI", "Phòng mới", 2023, "HTTNV", None]]))

    errors = failure_of(import_ratings, officer, content)

    assert errors == [
        RowError(
            row=2,
            column="C",
            message="Đơn vị SKHCN_MOI không hoạt động trong năm 2023 (hiệu lực 01/07/2024–…).",
            field="Năm",
        )
    ]


def test_import_ratings_refuses_mixing_the_two_layouts(officer, staff_people):
    content = book(
        ("DS", ["Họ và tên", "Năm", "Xếp loại", 2023], [["Nguyễn Văn An", 2024, "HTTNV", "HTTNV"]])
    )

    errors = failure_of(import_ratings, officer, content)

    assert errors == [
        RowError(
            row=1,
            column="",
            message="Dòng tiêu đề vừa có cột “Năm”, “Xếp loại” vừa có các cột năm (2023). Hãy dùng một trong hai cách ghi.",
        )
    ]


def test_import_ratings_names_missing_headings(officer, staff_people):
    errors = failure_of(
        import_ratings, officer, book(("DS", ["Họ và tên", "Số CCCD", "Năm"], [["A", "", 2024]]))
    )

    assert errors == [
        RowError(
            row=1,
            column="",
            message="Thiếu cột bắt buộc: “Xếp loại” (hoặc mỗi năm một cột: 2021, 2022…). Tên cột phải giống tệp mẫu.",
        )
    ]


def test_import_ratings_without_a_header_row(officer):
    errors = failure_of(import_ratings, officer, book(("DS", ["Tên", "Điểm"], [["A", 1]])))

    assert len(errors) == 1
    assert errors[0].row == 1
    assert errors[0].message.startswith("Không tìm thấy dòng tiêu đề.")


def test_import_ratings_without_data_rows(officer):
    errors = failure_of(import_ratings, officer, book(people_sheet([]), ("Tập thể", UNIT_HEADERS, [])))

    assert errors == [
        RowError(
            row=1, column="", message="Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.", sheet="Cá nhân"
        )
    ]


# ---------------------------------------------------------------- all-or-nothing, scope, permission


def test_import_ratings_with_an_error_on_the_last_row_saves_nothing(officer, staff_people, settings):
    rows = [["Nguyễn Văn An", "082085000001", None, None, year, "HTTNV", None] for year in range(2015, 2025)]
    rows.append(["Nguyễn Văn An", "082085000001", None, None, 2025, "???", None])
    before = counts(AnnualRating)

    errors = failure_of(import_ratings, officer, book(people_sheet(rows)))

    assert [(error.row, error.column) for error in errors] == [(12, "F")]
    assert counts(AnnualRating) == before
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_import_ratings_treats_people_and_units_outside_the_scope_as_not_found(
    outsider, staff_people, office
):
    content = book(
        people_sheet(
            [
                ["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", None],
                ["Trần Thị Bích", None, "02/01/1990", "SKHCN_VP", 2024, "HTTNV", None],
            ]
        ),
        ("Tập thể", UNIT_HEADERS, [["SKHCN_VP", "", 2024, "HTTNV", None]]),
    )

    errors = failure_of(import_ratings, outsider, content)

    assert [(error.sheet, error.row, error.column, error.message) for error in errors] == [
        ("Cá nhân", 2, "B", "Không có người có Số CCCD 082085000001 trong phạm vi bạn được nhập dữ liệu."),
        ("Cá nhân", 3, "D", "Không có đơn vị mã “SKHCN_VP” trong phạm vi bạn được nhập dữ liệu."),
        ("Tập thể", 2, "A", "Không có đơn vị mã “SKHCN_VP” trong phạm vi bạn được nhập dữ liệu."),
    ]
    assert AnnualRating.objects.count() == 0


def test_import_ratings_by_a_unit_manager_is_limited_to_their_office(manager, staff_people):
    content = book(
        people_sheet(
            [
                ["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", None],
                ["Lê Văn Dũng", "082085000004", None, None, 2024, "HTTNV", None],
            ]
        )
    )

    errors = failure_of(import_ratings, manager, content)

    assert errors == [
        RowError(
            row=3,
            column="B",
            message="Không có người có Số CCCD 082085000004 trong phạm vi bạn được nhập dữ liệu.",
            field="Số CCCD",
        )
    ]


@pytest.mark.parametrize("persona", ["staff", "auditor"])
def test_import_ratings_needs_the_records_permission(request, persona, staff_people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(import_ratings, request.getfixturevalue(persona), book(people_sheet([])))


# ---------------------------------------------------------------- speed shape


def _wide_rows(people, years):
    return [[person.full_name, person.cccd, None, None, *(["HTTNV"] * len(years))] for person in people]


def test_import_ratings_runs_a_fixed_number_of_queries(officer, office):
    people = [
        make_person(f"Người Thứ {index}", unit=office, cccd=f"0820850{index:05d}") for index in range(50)
    ]
    years = [2022, 2023]
    headers = ["Họ và tên", "Số CCCD", "Ngày sinh", "Mã đơn vị", *years]
    upload(import_ratings, officer, book(("DS", headers, _wide_rows(people[:1], years))))  # warms caches
    queries = []
    for count in (10, 50):
        AnnualRating.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            upload(import_ratings, officer, book(("DS", headers, _wide_rows(people[:count], years))))
        queries.append(len(captured.captured_queries))

    assert AnnualRating.objects.count() == 100
    assert queries[0] == queries[1]


def test_import_ratings_reimport_runs_a_fixed_number_of_queries(officer, office):
    people = [
        make_person(f"Người Thứ {index}", unit=office, birth_date=datetime.date(1980, 1, 1 + index % 28))
        for index in range(50)
    ]
    long_rows = [
        [person.full_name, None, person.birth_date, "SKHCN_VP", 2024, "HTTNV", None] for person in people
    ]
    upload(import_ratings, officer, book(people_sheet(long_rows)))
    changed = [row[:5] + ["HTXSNV", "sửa"] for row in long_rows]

    with CaptureQueriesContext(connection) as small:
        upload(import_ratings, officer, book(people_sheet(changed[:10])))
    with CaptureQueriesContext(connection) as large:
        upload(import_ratings, officer, book(people_sheet(changed)))

    assert len(small.captured_queries) == len(large.captured_queries)
    assert AnnualRating.objects.filter(rating="HTXSNV").count() == 50
