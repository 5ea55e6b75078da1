"""Excel import of the award register (past awards from old decisions): people, units and households,
awards by code or name, periods, re-import, errors, all-or-nothing, scope, query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_person
from tests.records.test_imports_ratings import book, counts, failure_of, make_staff_people, upload
from thidua.common.imports import RowError
from thidua.common.models import AuditEntry, ImportKind
from thidua.common.spreadsheets import read_workbook
from thidua.records import services as records
from thidua.records.imports import awards_template_bytes, import_awards
from thidua.records.models import AwardRecord
from thidua.rules.models import AwardType

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_people(office, office2, other_department):
    return make_staff_people(office, office2, other_department)


HEADERS = [
    "Đối tượng",
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Mã đơn vị",
    "Hộ gia đình",
    "Danh hiệu/Hình thức",
    "Năm",
    "Từ năm",
    "Đến năm",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan quyết định",
    "Số sổ",
]


def award_row(**overrides):
    values = dict.fromkeys(HEADERS)
    values.update(
        {
            "Họ và tên": "Nguyễn Văn An",
            "Số CCCD": "082085000001",
            "Danh hiệu/Hình thức": "LDTT",
            "Năm": 2023,
            "Số quyết định": "15/QĐ-SKHCN",
            "Ngày quyết định": datetime.date(2024, 1, 20),
            "Cơ quan quyết định": "SKHCN",
        }
    )
    values.update(overrides)
    return [values[heading] for heading in HEADERS]


def unit_row(**overrides):
    return award_row(
        **{
            "Họ và tên": None,
            "Số CCCD": None,
            "Mã đơn vị": "SKHCN_VP",
            "Danh hiệu/Hình thức": "Giấy khen",
            **overrides,
        }
    )


def sheet(rows, headers=HEADERS):
    return book(("Danh sách", headers, rows))


def register():
    return sorted(
        (
            (
                record.person.full_name
                if record.person
                else record.unit.code
                if record.unit
                else record.household_name
            ),
            record.award.code,
            record.period_start,
            record.period_end,
            record.decision_number,
            record.issuing_unit.code if record.issuing_unit else record.issuer_name,
            record.source,
        )
        for record in AwardRecord.objects.select_related("person", "unit", "award", "issuing_unit")
    )


# ---------------------------------------------------------------- happy paths


def test_import_awards_records_people_units_and_households(officer, office, department, staff_people):
    content = sheet(
        [
            award_row(),
            award_row(
                **{
                    "Họ và tên": "tran thi bich",
                    "Số CCCD": None,
                    "Ngày sinh": "02/01/1990",
                    "Mã đơn vị": "SKHCN_VP",
                    "Danh hiệu/Hình thức": "Chiến sĩ thi đua cơ sở",
                }
            ),
            unit_row(**{"Năm": "2021-2022", "Cơ quan quyết định": "UBND tỉnh Tiền Giang", "Số sổ": 12}),
            unit_row(
                **{
                    "Đối tượng": "Tập thể",
                    "Danh hiệu/Hình thức": "TTLĐTT",
                    "Năm": None,
                    "Từ năm": 2022,
                    "Đến năm": None,
                }
            ),
            award_row(
                **{
                    "Đối tượng": "Hộ gia đình",
                    "Họ và tên": None,
                    "Số CCCD": None,
                    "Hộ gia đình": "Hộ ông Nguyễn Văn Ba",
                    "Danh hiệu/Hình thức": "gia dinh van hoa",
                    "Cơ quan quyết định": "SKHCN_VP",
                }
            ),
        ]
    )

    batch = upload(import_awards, officer, content)

    assert register() == [
        ("Hộ ông Nguyễn Văn Ba", "GIA_DINH_VAN_HOA", 2023, 2023, "15/QĐ-SKHCN", "SKHCN_VP", "imported"),
        ("Nguyễn Văn An", "LDTT", 2023, 2023, "15/QĐ-SKHCN", "SKHCN", "imported"),
        ("SKHCN_VP", "GIAY_KHEN", 2021, 2022, "15/QĐ-SKHCN", "UBND tỉnh Tiền Giang", "imported"),
        ("SKHCN_VP", "TTLDTT", 2022, 2022, "15/QĐ-SKHCN", "SKHCN", "imported"),
        ("Trần Thị Bích", "CSTDCS", 2023, 2023, "15/QĐ-SKHCN", "SKHCN", "imported"),
    ]
    assert AwardRecord.objects.get(unit__code="SKHCN_VP", award__code="GIAY_KHEN").register_number == "12"
    assert (batch.kind, batch.row_count, batch.created_count) == (ImportKind.AWARDS, 5, 5)
    assert AuditEntry.objects.filter(content_type__model="awardrecord", action="import").count() == 5


def test_import_awards_template_imports_once_its_people_exist(officer, office, department):
    make_person(
        "Nguyễn Thị Minh Khai", unit=office, cccd="082185000123", birth_date=datetime.date(1985, 3, 15)
    )
    content = awards_template_bytes()

    batch = upload(import_awards, officer, content)

    guide_values = {value for row in read_workbook(content)[1].rows for value in row}
    assert "Cá nhân; Tập thể; Hộ gia đình" in guide_values
    assert batch.created_count == 2
    assert [row[:4] for row in register()] == [
        ("Nguyễn Thị Minh Khai", "LDTT", 2023, 2023),
        ("SKHCN_VP", "GIAY_KHEN", 2022, 2023),
    ]


# ---------------------------------------------------------------- re-import


def test_reimport_of_an_award_updates_it_without_a_duplicate(officer, department, staff_people):
    upload(import_awards, officer, sheet([award_row()]))
    record = AwardRecord.objects.get()

    batch = upload(
        import_awards,
        officer,
        sheet(
            [
                award_row(
                    **{
                        "Danh hiệu/Hình thức": "Lao động tiên tiến",
                        "Số quyết định": "16/QĐ-SKHCN",
                        "Số sổ": "7",
                    }
                )
            ]
        ),
    )

    record.refresh_from_db()
    assert AwardRecord.objects.count() == 1
    assert (record.decision_number, record.register_number) == ("16/QĐ-SKHCN", "7")
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 0)
    entry = AuditEntry.objects.filter(content_type__model="awardrecord", object_id=str(record.pk)).latest(
        "id"
    )
    assert entry.changes == {"decision_number": ["15/QĐ-SKHCN", "16/QĐ-SKHCN"], "register_number": ["", "7"]}


def test_reimport_of_the_same_awards_file_changes_nothing(officer, department, staff_people):
    content = sheet([award_row(), unit_row()])
    upload(import_awards, officer, content)

    batch = upload(import_awards, officer, content)

    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 2)
    assert AwardRecord.objects.count() == 2


def test_import_awards_refuses_to_change_an_award_of_a_decision_issued_in_thidua(officer, staff_people):
    records.award_record_create(
        actor=None,
        award=AwardType.objects.get(code="LDTT"),
        person=staff_people.an,
        period_start=2023,
        decision_number="15/QĐ-SKHCN",
        decision_date=datetime.date(2024, 1, 20),
        source="decision",
    )

    errors = failure_of(import_awards, officer, sheet([award_row(**{"Số quyết định": "99/QĐ"})]))

    assert errors == [
        RowError(
            row=2,
            column="G",
            message="Khen thưởng này đã được ghi theo quyết định ban hành trên hệ thống; không sửa được bằng nhập Excel.",
            field="Danh hiệu/Hình thức",
        )
    ]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("row", "column", "field", "message"),
    [
        (
            unit_row(**{"Danh hiệu/Hình thức": "LDTT"}),
            "G",
            "Danh hiệu/Hình thức",
            "Lao động tiên tiến không dành cho tập thể.",
        ),
        (
            award_row(**{"Danh hiệu/Hình thức": "TTLDXS"}),
            "G",
            "Danh hiệu/Hình thức",
            "Tập thể lao động xuất sắc không dành cho cá nhân.",
        ),
        (
            award_row(**{"Danh hiệu/Hình thức": "Huân chương Lao động"}),
            "G",
            "Danh hiệu/Hình thức",
            "Danh hiệu/hình thức “Huân chương Lao động” không có trong danh mục khen thưởng; ghi mã (ví dụ LDTT) hoặc tên, tên viết tắt như trong danh mục.",
        ),
        (
            award_row(**{"Danh hiệu/Hình thức": None}),
            "G",
            "Danh hiệu/Hình thức",
            "Danh hiệu/Hình thức không được để trống.",
        ),
        (
            award_row(**{"Họ và tên": None, "Số CCCD": None}),
            "A",
            "Đối tượng",
            "Không rõ đối tượng được khen: ghi họ tên hoặc Số CCCD (cá nhân), mã đơn vị (tập thể) hoặc tên hộ gia đình.",
        ),
        (
            award_row(**{"Đối tượng": "Tổ chức"}),
            "A",
            "Đối tượng",
            "Đối tượng “Tổ chức” không hợp lệ; chọn một trong: Cá nhân; Tập thể; Hộ gia đình.",
        ),
        (
            award_row(**{"Đối tượng": "Tập thể", "Danh hiệu/Hình thức": "Giấy khen"}),
            "E",
            "Mã đơn vị",
            "Mã đơn vị không được để trống.",
        ),
        (
            award_row(**{"Đối tượng": "Hộ gia đình", "Danh hiệu/Hình thức": "Giấy khen"}),
            "F",
            "Hộ gia đình",
            "Hộ gia đình không được để trống.",
        ),
        (
            award_row(**{"Họ và tên": "Nguyễn Văn An", "Số CCCD": None}),
            "E",
            "Mã đơn vị",
            "Không có Số CCCD thì cần ghi mã đơn vị (cùng họ tên, ngày sinh) để tìm người.",
        ),
        (
            award_row(**{"Số CCCD": "082085000098"}),
            "C",
            "Số CCCD",
            "Không có người có Số CCCD 082085000098 trong phạm vi bạn được nhập dữ liệu.",
        ),
        (
            unit_row(**{"Mã đơn vị": "SYT"}),
            "E",
            "Mã đơn vị",
            "Không có đơn vị mã “SYT” trong phạm vi bạn được nhập dữ liệu.",
        ),
        (
            award_row(**{"Năm": None}),
            "H",
            "Năm",
            "Thiếu năm đạt thành tích: ghi “Năm”, hoặc “Từ năm” và “Đến năm”.",
        ),
        (award_row(**{"Từ năm": 2022}), "H", "Năm", "Ghi “Năm” hoặc “Từ năm”, “Đến năm”, không ghi cả hai."),
        (
            award_row(**{"Năm": None, "Từ năm": 2023, "Đến năm": 2021}),
            "J",
            "Đến năm",
            "Đến năm 2021 trước từ năm 2023.",
        ),
        (award_row(**{"Năm": "2023-2021"}), "H", "Năm", "Thời gian “2023-2021”: năm cuối trước năm đầu."),
        (award_row(**{"Số quyết định": None}), "K", "Số quyết định", "Số quyết định không được để trống."),
        (
            award_row(**{"Ngày quyết định": None}),
            "L",
            "Ngày quyết định",
            "Ngày quyết định không được để trống.",
        ),
        (
            award_row(**{"Ngày quyết định": datetime.date(2022, 12, 30)}),
            "L",
            "Ngày quyết định",
            "Ngày quyết định 30/12/2022 trước năm đạt thành tích 2023.",
        ),
        (
            award_row(
                **{
                    "Đối tượng": "Hộ",
                    "Họ và tên": None,
                    "Số CCCD": None,
                    "Hộ gia đình": "Hộ bà Tư",
                    "Danh hiệu/Hình thức": "GIAY_KHEN",
                    "Cơ quan quyết định": "UBND xã",
                }
            ),
            "M",
            "Cơ quan quyết định",
            "Khen thưởng hộ gia đình cần ghi ở cột “Cơ quan quyết định” mã của đơn vị ra quyết định, thuộc phạm vi bạn được nhập dữ liệu.",
        ),
    ],
)
def test_import_awards_reports_bad_cells_by_row_and_column(
    officer, department, staff_people, row, column, field, message
):
    errors = failure_of(import_awards, officer, sheet([row]))

    assert errors == [RowError(row=2, column=column, message=message, field=field)]


def test_import_awards_reports_the_same_award_twice(officer, department, staff_people):
    content = sheet(
        [
            award_row(),
            award_row(**{"Họ và tên": None, "Danh hiệu/Hình thức": "LĐTT", "Số quyết định": "2/QĐ"}),
        ]
    )

    errors = failure_of(import_awards, officer, content)

    assert errors == [
        RowError(
            row=3,
            column="G",
            message="Trùng đối tượng, danh hiệu và thời gian đạt thành tích với dòng 2.",
            field="Danh hiệu/Hình thức",
        )
    ]


def test_import_awards_names_missing_headings(officer):
    errors = failure_of(import_awards, officer, sheet([["x"]], headers=["Họ và tên", "Danh hiệu", "Năm"]))

    assert errors == [
        RowError(
            row=1,
            column="",
            message="Thiếu cột bắt buộc: “Số quyết định”, “Ngày quyết định”. Tên cột phải giống tệp mẫu.",
        )
    ]


def test_import_awards_with_an_error_on_the_last_row_saves_nothing(officer, department, staff_people):
    rows = [
        award_row(**{"Năm": year, "Ngày quyết định": datetime.date(year + 1, 1, 5)})
        for year in range(2010, 2020)
    ]
    rows.append(unit_row(**{"Danh hiệu/Hình thức": "CSTDCS"}))
    before = counts(AwardRecord)

    errors = failure_of(import_awards, officer, sheet(rows))

    assert [(error.row, error.column, error.message) for error in errors] == [
        (12, "G", "Chiến sĩ thi đua cơ sở không dành cho tập thể.")
    ]
    assert counts(AwardRecord) == before


def test_import_awards_outside_the_scope_reads_as_not_found(outsider, staff_people):
    content = sheet([award_row(), unit_row(), award_row(**{"Số CCCD": None, "Mã đơn vị": "SKHCN_VP"})])

    errors = failure_of(import_awards, outsider, content)

    assert [(error.row, error.column, error.message) for error in errors] == [
        (2, "C", "Không có người có Số CCCD 082085000001 trong phạm vi bạn được nhập dữ liệu."),
        (3, "E", "Không có đơn vị mã “SKHCN_VP” trong phạm vi bạn được nhập dữ liệu."),
        (4, "E", "Không có đơn vị mã “SKHCN_VP” trong phạm vi bạn được nhập dữ liệu."),
    ]


# ---------------------------------------------------------------- speed shape


def test_import_awards_runs_a_fixed_number_of_queries(officer, office, department):
    people = [
        make_person(f"Người Thứ {index}", unit=office, cccd=f"0840850{index:05d}") for index in range(50)
    ]
    rows = [award_row(**{"Họ và tên": person.full_name, "Số CCCD": person.cccd}) for person in people]
    upload(import_awards, officer, sheet(rows[:1]))  # warms caches

    with CaptureQueriesContext(connection) as small:
        upload(import_awards, officer, sheet(rows[:10]))
    with CaptureQueriesContext(connection) as large:
        upload(import_awards, officer, sheet(rows))

    assert AwardRecord.objects.count() == 50
    assert len(small.captured_queries) == len(large.captured_queries)
