"""Excel import of discipline and pending matters: happy path, re-import, errors, all-or-nothing, scope,
query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_person
from tests.records.test_imports_ratings import book, counts, failure_of, make_staff_people, upload
from thidua.common.imports import RowError
from thidua.common.models import ImportKind
from thidua.records.imports import disciplines_template_bytes, import_disciplines
from thidua.records.models import Discipline

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_people(office, office2, other_department):
    return make_staff_people(office, office2, other_department)


HEADERS = [
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Mã đơn vị",
    "Hình thức kỷ luật",
    "Vụ việc đang xem xét",
    "Từ ngày",
    "Đến ngày",
    "Số quyết định",
    "Ghi chú",
]


def discipline_row(**overrides):
    values = dict.fromkeys(HEADERS)
    values.update(
        {
            "Họ và tên": "Nguyễn Văn An",
            "Số CCCD": "082085000001",
            "Hình thức kỷ luật": "Khiển trách",
            "Từ ngày": datetime.date(2024, 2, 1),
            "Đến ngày": datetime.date(2025, 1, 31),
            "Số quyết định": "08/QĐ-SKHCN",
        }
    )
    values.update(overrides)
    return [values[heading] for heading in HEADERS]


def sheet(rows, headers=HEADERS):
    return book(("Danh sách", headers, rows))


def recorded():
    return sorted(
        (d.person.full_name, d.level, d.pending, d.pending_kind, d.start, d.end, d.decision)
        for d in Discipline.objects.select_related("person")
    )


def test_import_disciplines_records_measures_and_pending_matters(officer, staff_people):
    content = sheet(
        [
            discipline_row(),
            discipline_row(
                **{
                    "Họ và tên": "Trần Thị Bích",
                    "Số CCCD": None,
                    "Ngày sinh": "02/01/1990",
                    "Mã đơn vị": "SKHCN_VP",
                    "Hình thức kỷ luật": None,
                    "Vụ việc đang xem xét": "khiếu nại, tố cáo",
                    "Từ ngày": "01/06/2025",
                    "Đến ngày": None,
                    "Số quyết định": None,
                }
            ),
        ]
    )

    batch = upload(import_disciplines, officer, content)

    assert recorded() == [
        (
            "Nguyễn Văn An",
            "khien_trach",
            False,
            "",
            datetime.date(2024, 2, 1),
            datetime.date(2025, 1, 31),
            "08/QĐ-SKHCN",
        ),
        ("Trần Thị Bích", "", True, "khieu_nai", datetime.date(2025, 6, 1), None, ""),
    ]
    assert (batch.kind, batch.row_count, batch.created_count) == (ImportKind.DISCIPLINES, 2, 2)


def test_import_disciplines_template_imports_once_its_person_exists(officer, office):
    make_person(
        "Nguyễn Thị Minh Khai", unit=office, cccd="082185000123", birth_date=datetime.date(1985, 3, 15)
    )

    batch = upload(import_disciplines, officer, disciplines_template_bytes())

    assert batch.created_count == 1
    assert Discipline.objects.get().level == "khien_trach"


def test_reimport_of_a_discipline_updates_its_end_without_a_duplicate(officer, staff_people):
    upload(import_disciplines, officer, sheet([discipline_row()]))

    batch = upload(
        import_disciplines,
        officer,
        sheet([discipline_row(**{"Đến ngày": "30/06/2025", "Số quyết định": None})]),
    )

    assert recorded() == [
        (
            "Nguyễn Văn An",
            "khien_trach",
            False,
            "",
            datetime.date(2024, 2, 1),
            datetime.date(2025, 6, 30),
            "08/QĐ-SKHCN",
        )
    ]
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 0)


@pytest.mark.parametrize(
    ("overrides", "column", "field", "message"),
    [
        (
            {"Hình thức kỷ luật": None},
            "E",
            "Hình thức kỷ luật",
            "Cần ghi hình thức kỷ luật hoặc vụ việc đang xem xét.",
        ),
        (
            {"Vụ việc đang xem xét": "Điều tra"},
            "F",
            "Vụ việc đang xem xét",
            "Ghi hình thức kỷ luật hoặc vụ việc đang xem xét, không ghi cả hai trên một dòng.",
        ),
        (
            {"Hình thức kỷ luật": "Phê bình"},
            "E",
            "Hình thức kỷ luật",
            "Hình thức kỷ luật “Phê bình” không hợp lệ; chọn một trong: Khiển trách; Cảnh cáo; Hạ bậc lương; Giáng chức; Cách chức; Buộc thôi việc.",
        ),
        ({"Từ ngày": None}, "G", "Từ ngày", "Từ ngày không được để trống."),
        (
            {"Đến ngày": datetime.date(2023, 1, 1)},
            "H",
            "Đến ngày",
            "Đến ngày 01/01/2023 trước từ ngày 01/02/2024.",
        ),
        (
            {"Số CCCD": "082085000003"},
            "B",
            "Số CCCD",
            "Không có người có Số CCCD 082085000003 trong phạm vi bạn được nhập dữ liệu.",
        ),
    ],
)
def test_import_disciplines_reports_bad_cells_by_row_and_column(
    officer, staff_people, overrides, column, field, message
):
    errors = failure_of(import_disciplines, officer, sheet([discipline_row(**overrides)]))

    assert errors == [RowError(row=2, column=column, message=message, field=field)]


def test_import_disciplines_reports_the_same_measure_twice(officer, staff_people):
    errors = failure_of(
        import_disciplines, officer, sheet([discipline_row(), discipline_row(**{"Số quyết định": "09/QĐ"})])
    )

    assert errors == [
        RowError(
            row=3, column="G", message="Trùng người, ngày bắt đầu và hình thức với dòng 2.", field="Từ ngày"
        )
    ]


def test_import_disciplines_with_an_error_on_the_last_row_saves_nothing(officer, staff_people):
    rows = [discipline_row(**{"Từ ngày": datetime.date(2020, 1, 1 + index)}) for index in range(10)]
    rows.append(discipline_row(**{"Hình thức kỷ luật": "???"}))
    before = counts(Discipline)

    errors = failure_of(import_disciplines, officer, sheet(rows))

    assert [(error.row, error.column) for error in errors] == [(12, "E")]
    assert counts(Discipline) == before


def test_import_disciplines_runs_a_fixed_number_of_queries(officer, office):
    people = [
        make_person(f"Người Thứ {index}", unit=office, cccd=f"0850850{index:05d}") for index in range(50)
    ]
    rows = [discipline_row(**{"Họ và tên": person.full_name, "Số CCCD": person.cccd}) for person in people]
    upload(import_disciplines, officer, sheet(rows[:1]))  # warms caches

    with CaptureQueriesContext(connection) as small:
        upload(import_disciplines, officer, sheet(rows[:10]))
    with CaptureQueriesContext(connection) as large:
        upload(import_disciplines, officer, sheet(rows))

    assert Discipline.objects.count() == 50
    assert len(small.captured_queries) == len(large.captured_queries)
