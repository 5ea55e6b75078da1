"""Excel import of initiatives and research tasks: authors by name or CCCD, re-import, errors,
all-or-nothing, scope, query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_person
from tests.records.test_imports_ratings import book, counts, failure_of, make_staff_people, upload
from thidua.common.imports import RowError
from thidua.common.models import AuditEntry, ImportKind
from thidua.common.spreadsheets import read_workbook
from thidua.records.imports import import_initiatives, initiatives_template_bytes
from thidua.records.models import Initiative, InitiativeAuthor

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_people(office, office2, other_department):
    return make_staff_people(office, office2, other_department)


HEADERS = [
    "Tên",
    "Loại",
    "Tác giả",
    "Phạm vi",
    "Ngày công nhận",
    "Số quyết định công nhận",
    "Cơ quan công nhận",
    "Đã áp dụng",
    "Mã đơn vị",
]


def initiative_row(**overrides):
    values = {
        "Tên": "Số hóa hồ sơ thi đua",
        "Loại": "Sáng kiến",
        "Tác giả": "Nguyễn Văn An; Trần Thị Bích",
        "Phạm vi": "Cơ sở",
        "Ngày công nhận": datetime.date(2024, 10, 1),
        "Số quyết định công nhận": "125/QĐ-SKHCN",
        "Cơ quan công nhận": "Hội đồng sáng kiến Sở",
        "Đã áp dụng": "Có",
        "Mã đơn vị": "SKHCN_VP",
    }
    values.update(overrides)
    return [values[heading] for heading in HEADERS]


def sheet(rows, headers=HEADERS):
    return book(("Danh sách", headers, rows))


def authors_of(initiative):
    return list(initiative.author_links.order_by("order").values_list("person__given_name", flat=True))


# ---------------------------------------------------------------- happy paths


def test_import_initiatives_creates_them_with_ordered_authors(officer, staff_people):
    content = sheet(
        [
            initiative_row(),
            initiative_row(
                **{
                    "Tên": "Đề tài đánh giá hiệu quả",
                    "Loại": "Đề tài",
                    "Tác giả": "082085000004",
                    "Phạm vi": "Tỉnh",
                    "Ngày công nhận": "15/03/2023",
                    "Số quyết định công nhận": "",
                    "Cơ quan công nhận": "",
                    "Đã áp dụng": "",
                    "Mã đơn vị": "",
                }
            ),
        ]
    )

    batch = upload(import_initiatives, officer, content)

    first = Initiative.objects.get(title="Số hóa hồ sơ thi đua")
    second = Initiative.objects.get(title="Đề tài đánh giá hiệu quả")
    assert (
        first.kind,
        first.scope,
        first.recognized_on,
        first.recognizing_decision,
        first.applied,
        first.unit.code,
    ) == (
        "sang_kien",
        "co_so",
        datetime.date(2024, 10, 1),
        "125/QĐ-SKHCN",
        True,
        "SKHCN_VP",
    )
    assert authors_of(first) == ["An", "Bích"]
    # Without a unit code the initiative belongs to its first author's unit.
    assert (second.kind, second.scope, second.applied, second.unit.code) == (
        "de_tai",
        "tinh",
        False,
        "SKHCN_QLKH",
    )
    assert authors_of(second) == ["Dũng"]
    assert (batch.kind, batch.row_count, batch.created_count) == (ImportKind.INITIATIVES, 2, 2)
    entry = AuditEntry.objects.get(content_type__model="initiative", object_id=str(first.pk))
    assert entry.changes["authors"] == [None, [staff_people.an.pk, staff_people.bich.pk]]
    assert entry.changes["title"] == [None, "Số hóa hồ sơ thi đua"]


def test_import_initiatives_matches_authors_without_accents_and_by_number_cells(officer, staff_people):
    content = sheet(
        [
            initiative_row(**{"Tác giả": "nguyen van an, TRAN THI BICH"}),
            initiative_row(**{"Tên": "Khác", "Tác giả": 82085000004}),
        ]
    )

    upload(import_initiatives, officer, content)

    assert authors_of(Initiative.objects.get(title="Số hóa hồ sơ thi đua")) == ["An", "Bích"]
    assert authors_of(Initiative.objects.get(title="Khác")) == ["Dũng"]


def test_import_initiatives_uses_the_unit_to_tell_namesakes_apart(officer, office, office2, staff_people):
    make_person("Nguyễn Văn An", unit=office2)

    upload(import_initiatives, officer, sheet([initiative_row(**{"Tác giả": "Nguyễn Văn An"})]))

    assert list(Initiative.objects.get().authors.all()) == [staff_people.an]


def test_import_initiatives_template_imports_once_its_authors_exist(officer, office):
    make_person("Nguyễn Thị Minh Khai", unit=office)
    make_person("Hồ Văn Tư", unit=office, cccd="082185000124")
    content = initiatives_template_bytes()

    batch = upload(import_initiatives, officer, content)

    assert [sheet.name for sheet in read_workbook(content)] == ["Danh sách", "Hướng dẫn"]
    assert read_workbook(content)[0].rows[0][:5] == ["Tên", "Loại", "Tác giả", "Phạm vi", "Ngày công nhận"]
    assert batch.created_count == 1
    assert authors_of(Initiative.objects.get()) == ["Khai", "Tư"]


# ---------------------------------------------------------------- re-import


def test_reimport_of_an_initiative_updates_it_and_its_authors(officer, staff_people):
    upload(import_initiatives, officer, sheet([initiative_row()]))
    initiative = Initiative.objects.get()

    batch = upload(
        import_initiatives,
        officer,
        sheet(
            [
                initiative_row(
                    **{
                        "Tên": "SỐ HÓA HỒ SƠ THI ĐUA",
                        "Tác giả": "Trần Thị Bích",
                        "Phạm vi": "Toàn quốc",
                        "Cơ quan công nhận": "",
                    }
                )
            ]
        ),
    )

    initiative.refresh_from_db()
    assert Initiative.objects.count() == 1
    assert (initiative.title, initiative.scope, initiative.recognizing_body) == (
        "SỐ HÓA HỒ SƠ THI ĐUA",
        "toan_quoc",
        "Hội đồng sáng kiến Sở",
    )
    assert authors_of(initiative) == ["Bích"]
    assert InitiativeAuthor.objects.count() == 1
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 0)
    entry = AuditEntry.objects.filter(content_type__model="initiative", object_id=str(initiative.pk)).latest(
        "id"
    )
    assert entry.changes == {
        "title": ["Số hóa hồ sơ thi đua", "SỐ HÓA HỒ SƠ THI ĐUA"],
        "scope": ["co_so", "toan_quoc"],
        "authors": [[staff_people.an.pk, staff_people.bich.pk], [staff_people.bich.pk]],
    }


def test_reimport_of_the_same_initiatives_file_changes_nothing(officer, staff_people):
    content = sheet([initiative_row()])
    upload(import_initiatives, officer, content)

    batch = upload(import_initiatives, officer, content)

    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 1)
    assert (Initiative.objects.count(), InitiativeAuthor.objects.count()) == (1, 2)


def test_import_initiatives_with_another_decision_number_is_another_initiative(officer, staff_people):
    upload(import_initiatives, officer, sheet([initiative_row()]))

    upload(
        import_initiatives, officer, sheet([initiative_row(**{"Số quyết định công nhận": "130/QĐ-SKHCN"})])
    )

    assert Initiative.objects.count() == 2


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("overrides", "column", "field", "message"),
    [
        ({"Tên": ""}, "A", "Tên", "Tên không được để trống."),
        (
            {"Loại": "Bài báo"},
            "B",
            "Loại",
            "Loại “Bài báo” không hợp lệ; chọn một trong: Sáng kiến; Đề tài, đề án khoa học.",
        ),
        ({"Tác giả": ""}, "C", "Tác giả", "Cần ít nhất một tác giả."),
        (
            {"Tác giả": "Nguyễn Văn An; Hoàng Văn Không"},
            "C",
            "Tác giả",
            "Tác giả “Hoàng Văn Không” không có trong phạm vi bạn được nhập dữ liệu.",
        ),
        (
            {"Tác giả": "082085000099"},
            "C",
            "Tác giả",
            "Tác giả có Số CCCD 082085000099 không có trong phạm vi bạn được nhập dữ liệu.",
        ),
        ({"Tác giả": "12345"}, "C", "Tác giả", "Số CCCD “12345” của tác giả phải gồm đúng 12 chữ số."),
        (
            {"Tác giả": "Nguyễn Văn An; nguyễn văn an"},
            "C",
            "Tác giả",
            "Tác giả Nguyễn Văn An được ghi hai lần.",
        ),
        (
            {"Phạm vi": "Huyện"},
            "D",
            "Phạm vi",
            "Phạm vi “Huyện” không hợp lệ; chọn một trong: Cơ sở; Cấp tỉnh, bộ, ngành; Toàn quốc.",
        ),
        ({"Ngày công nhận": ""}, "E", "Ngày công nhận", "Ngày công nhận không được để trống."),
        (
            {"Ngày công nhận": datetime.date.today() + datetime.timedelta(days=1)},
            "E",
            "Ngày công nhận",
            f"Ngày công nhận {datetime.date.today() + datetime.timedelta(days=1):%d/%m/%Y} ở sau ngày hôm nay.",
        ),
        (
            {"Đã áp dụng": "Chắc vậy"},
            "H",
            "Đã áp dụng",
            "Đã áp dụng “Chắc vậy” không hợp lệ; ghi Có hoặc Không.",
        ),
        (
            {"Mã đơn vị": "SYT"},
            "I",
            "Mã đơn vị",
            "Không có đơn vị mã “SYT” trong phạm vi bạn được nhập dữ liệu.",
        ),
    ],
)
def test_import_initiatives_reports_bad_cells_by_row_and_column(
    officer, staff_people, overrides, column, field, message
):
    errors = failure_of(import_initiatives, officer, sheet([initiative_row(**overrides)]))

    assert errors == [RowError(row=2, column=column, message=message, field=field)]


def test_import_initiatives_refuses_an_ambiguous_author(officer, office, office2, staff_people):
    make_person("Lê Văn Dũng", unit=office2)

    errors = failure_of(
        import_initiatives, officer, sheet([initiative_row(**{"Tác giả": "Lê Văn Dũng", "Mã đơn vị": ""})])
    )

    assert errors == [
        RowError(
            row=2,
            column="C",
            message="Có 2 người tên “Lê Văn Dũng” trong phạm vi bạn được nhập dữ liệu; hãy ghi Số CCCD của tác giả này thay cho tên.",
            field="Tác giả",
        )
    ]


def test_import_initiatives_reports_the_same_initiative_twice(officer, staff_people):
    errors = failure_of(
        import_initiatives,
        officer,
        sheet([initiative_row(), initiative_row(**{"Tên": "số hóa hồ sơ thi đua"})]),
    )

    assert errors == [
        RowError(
            row=3, column="A", message="Trùng tên, ngày công nhận và số quyết định với dòng 2.", field="Tên"
        )
    ]


def test_import_initiatives_names_missing_headings(officer):
    errors = failure_of(import_initiatives, officer, sheet([["x"]], headers=["Tên", "Loại"]))

    assert errors == [
        RowError(
            row=1,
            column="",
            message="Thiếu cột bắt buộc: “Tác giả”, “Ngày công nhận”. Tên cột phải giống tệp mẫu.",
        )
    ]


def test_import_initiatives_with_an_error_on_the_last_row_saves_nothing(officer, staff_people):
    rows = [initiative_row(**{"Tên": f"Sáng kiến {index}"}) for index in range(10)]
    rows.append(initiative_row(**{"Tên": "Cuối", "Tác giả": "Không Ai Cả"}))
    before = (*counts(Initiative), InitiativeAuthor.objects.count())

    errors = failure_of(import_initiatives, officer, sheet(rows))

    assert [(error.row, error.column) for error in errors] == [(12, "C")]
    assert (*counts(Initiative), InitiativeAuthor.objects.count()) == before


def test_import_initiatives_outside_the_scope_reads_as_not_found(outsider, staff_people):
    content = sheet([initiative_row(**{"Tác giả": "Nguyễn Văn An; 082085000001", "Mã đơn vị": "SKHCN_VP"})])

    errors = failure_of(import_initiatives, outsider, content)

    assert [(error.column, error.message) for error in errors] == [
        ("C", "Tác giả “Nguyễn Văn An” không có trong phạm vi bạn được nhập dữ liệu."),
        ("C", "Tác giả có Số CCCD 082085000001 không có trong phạm vi bạn được nhập dữ liệu."),
        ("I", "Không có đơn vị mã “SKHCN_VP” trong phạm vi bạn được nhập dữ liệu."),
    ]


def test_import_initiatives_does_not_update_an_initiative_the_importer_cannot_see(
    manager, officer, office2, staff_people
):
    # Recorded by the department for an author of office2; the office manager's identical row is a new one.
    upload(
        import_initiatives,
        officer,
        sheet([initiative_row(**{"Tác giả": "Lê Văn Dũng", "Mã đơn vị": "SKHCN_QLKH"})]),
    )

    upload(import_initiatives, manager, sheet([initiative_row(**{"Tác giả": "Nguyễn Văn An"})]))

    assert Initiative.objects.count() == 2
    assert authors_of(Initiative.objects.get(unit__code="SKHCN_QLKH")) == ["Dũng"]


# ---------------------------------------------------------------- speed shape


def test_import_initiatives_runs_a_fixed_number_of_queries(officer, office):
    people = [make_person(f"Tác Giả {index}", unit=office) for index in range(50)]
    cccd_people = [
        make_person(f"Đồng Tác Giả {index}", unit=office, cccd=f"0830850{index:05d}") for index in range(50)
    ]
    rows = [
        initiative_row(**{"Tên": f"Sáng kiến {index}", "Tác giả": f"{person.full_name}; {other.cccd}"})
        for index, (person, other) in enumerate(zip(people, cccd_people, strict=True))
    ]
    upload(import_initiatives, officer, sheet(rows[:1]))  # warms caches; row 1 is then an update

    with CaptureQueriesContext(connection) as small:
        upload(import_initiatives, officer, sheet(rows[:10]))
    with CaptureQueriesContext(connection) as large:
        upload(import_initiatives, officer, sheet(rows))

    assert Initiative.objects.count() == 50
    assert InitiativeAuthor.objects.count() == 100
    assert len(small.captured_queries) == len(large.captured_queries)
