"""Excel import of units: creation under a parent, re-import by code, moves, every kind of error."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_unit, make_user
from tests.organizations.test_imports import xlsx
from thidua.common.models import AuditAction, AuditEntry, ImportBatch, ImportKind
from thidua.common.spreadsheets import read_workbook
from thidua.organizations.imports import ImportFailed, RowError, import_units, units_template_bytes
from thidua.organizations.models import Unit, path_segment

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Tên viết tắt",
    "Loại đơn vị",
    "Mã đơn vị cấp trên",
    "Hiệu lực từ",
    "Hiệu lực đến",
    "Địa chỉ",
]


def unit_row(**overrides):
    values = {
        "Mã đơn vị": "SKHCN_TTUD",
        "Tên đơn vị": "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        "Tên viết tắt": "TTUD",
        "Loại đơn vị": "Trung tâm, đơn vị sự nghiệp",
        "Mã đơn vị cấp trên": "SKHCN",
        "Hiệu lực từ": datetime.date(2005, 1, 1),
        "Hiệu lực đến": None,
        "Địa chỉ": "Số 5 Hùng Vương, Mỹ Tho",
    }
    values.update(overrides)
    return [values[heading] for heading in HEADERS]


def run(actor, rows, *, headers=HEADERS, name="don-vi.xlsx"):
    return import_units(
        actor=actor, uploaded_file=SimpleUploadedFile(name, xlsx(rows, headers)), filename=name
    )


def errors_of(actor, rows, **kwargs) -> list[RowError]:
    before = (Unit.objects.count(), AuditEntry.objects.count(), ImportBatch.objects.count())
    with pytest.raises(ImportFailed) as failure:
        run(actor, rows, **kwargs)
    assert (Unit.objects.count(), AuditEntry.objects.count(), ImportBatch.objects.count()) == before
    return failure.value.errors


CHILD = {
    "Mã đơn vị": "SKHCN_TTUD_KT",
    "Tên đơn vị": "Phòng Kỹ thuật",
    "Tên viết tắt": "",
    "Loại đơn vị": "phong",
    "Mã đơn vị cấp trên": "SKHCN_TTUD",
    "Địa chỉ": "",
}


def test_import_units_creates_a_subtree_under_an_existing_unit(officer, department):
    batch = run(officer, [unit_row(), unit_row(**CHILD)])

    centre = Unit.objects.get(code="SKHCN_TTUD")
    child = Unit.objects.get(code="SKHCN_TTUD_KT")
    assert (
        centre.name,
        centre.short_name,
        centre.kind,
        centre.parent,
        centre.valid_from,
        centre.address,
    ) == (
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        "TTUD",
        "trung_tam",
        department,
        datetime.date(2005, 1, 1),
        "Số 5 Hùng Vương, Mỹ Tho",
    )
    assert (centre.path, centre.depth) == (department.path + path_segment(centre.pk), department.depth + 1)
    assert (child.parent, child.kind, child.path, child.depth) == (
        centre,
        "phong",
        centre.path + path_segment(child.pk),
        centre.depth + 1,
    )
    assert (batch.kind, batch.row_count, batch.created_count, batch.updated_count) == (
        ImportKind.UNITS,
        2,
        2,
        0,
    )
    assert batch.unit_path == department.path
    entries = AuditEntry.objects.filter(action=AuditAction.IMPORT, content_type__model="unit")
    assert sorted(entries.values_list("object_id", "unit_path")) == sorted(
        [(str(centre.pk), centre.path), (str(child.pk), child.path)]
    )
    assert entries.get(object_id=str(centre.pk)).changes["kind"] == [None, "trung_tam"]


def test_import_units_reimport_updates_by_code_without_duplicates(officer, department):
    run(officer, [unit_row(), unit_row(**CHILD)])

    batch = run(
        officer,
        [
            unit_row(**{"Tên đơn vị": "Trung tâm Ứng dụng KH&CN", "Hiệu lực đến": "30/06/2025"}),
            unit_row(**CHILD),
        ],
    )

    centre = Unit.objects.get(code="SKHCN_TTUD")
    assert Unit.objects.filter(code__startswith="SKHCN_TTUD").count() == 2
    assert (centre.name, centre.valid_to) == ("Trung tâm Ứng dụng KH&CN", datetime.date(2025, 6, 30))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    entry = AuditEntry.objects.get(
        content_type__model="unit", object_id=str(centre.pk), note__contains=f"#{batch.pk},"
    )
    assert entry.changes == {
        "name": ["Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "Trung tâm Ứng dụng KH&CN"],
        "valid_to": [None, "2025-06-30"],
    }


def test_import_units_reimport_of_the_same_file_changes_nothing(officer, department):
    rows = [unit_row(), unit_row(**CHILD)]
    run(officer, rows)
    entries = AuditEntry.objects.count()

    batch = run(officer, rows)

    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries + 1


def test_import_units_moves_a_unit_with_its_subtree(officer, department, office, office2):
    team = make_unit("Tổ Hành chính", parent=office2, code="SKHCN_QLKH_HC")

    run(
        officer,
        [
            unit_row(
                **{
                    "Mã đơn vị": "SKHCN_QLKH",
                    "Tên đơn vị": office2.name,
                    "Loại đơn vị": "",
                    "Mã đơn vị cấp trên": "SKHCN_VP",
                }
            )
        ],
    )

    office2.refresh_from_db()
    team.refresh_from_db()
    assert office2.parent == office
    assert (office2.path, office2.depth) == (office.path + path_segment(office2.pk), office.depth + 1)
    assert (team.path, team.depth) == (office2.path + path_segment(team.pk), office2.depth + 1)
    entry = AuditEntry.objects.get(
        content_type__model="unit", object_id=str(office2.pk), action=AuditAction.IMPORT
    )
    assert entry.changes["parent"] == [department.pk, office.pk]


def test_import_units_creates_under_a_unit_moved_in_the_same_file(officer, department, office, office2):
    rows = [
        unit_row(
            **{
                "Mã đơn vị": "SKHCN_QLKH",
                "Tên đơn vị": office2.name,
                "Loại đơn vị": "",
                "Mã đơn vị cấp trên": "SKHCN_VP",
            }
        ),
        unit_row(
            **{
                "Mã đơn vị": "SKHCN_QLKH_1",
                "Tên đơn vị": "Tổ 1",
                "Loại đơn vị": "phong",
                "Mã đơn vị cấp trên": "SKHCN_QLKH",
            }
        ),
    ]

    run(officer, rows)

    office2.refresh_from_db()
    team = Unit.objects.get(code="SKHCN_QLKH_1")
    assert team.path == office.path + path_segment(office2.pk) + path_segment(team.pk)
    assert team.depth == office.depth + 2


def test_import_units_by_a_superuser_may_create_a_root(province):
    root = make_user("root", is_superuser=True)

    run(
        root,
        [
            unit_row(
                **{
                    "Mã đơn vị": "UBND_DT",
                    "Tên đơn vị": "UBND tỉnh Đồng Tháp",
                    "Loại đơn vị": "ubnd_tinh",
                    "Mã đơn vị cấp trên": "",
                }
            )
        ],
    )

    unit = Unit.objects.get(code="UBND_DT")
    assert (unit.parent, unit.depth, unit.path) == (None, 0, path_segment(unit.pk))


def test_import_units_template_imports_under_the_department(officer, department):
    sheets = read_workbook(units_template_bytes())
    assert [sheet.name for sheet in sheets] == ["Danh sách", "Hướng dẫn"]
    assert sheets[0].rows[0] == HEADERS

    batch = import_units(
        actor=officer,
        uploaded_file=SimpleUploadedFile("mau.xlsx", units_template_bytes()),
        filename="mau.xlsx",
    )

    assert batch.created_count == 2
    assert Unit.objects.get(code="SKHCN_TTUD_KT").parent.code == "SKHCN_TTUD"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [unit_row(), unit_row(**{"Tên đơn vị": "Khác"})],
            [(3, "A", "Mã đơn vị SKHCN_TTUD trùng với dòng 2.")],
        ),
        (
            [unit_row(**CHILD), unit_row()],
            [
                (
                    2,
                    "E",
                    "Đơn vị cấp trên “SKHCN_TTUD” nằm ở dòng 3, sau dòng này; hãy đặt đơn vị cấp trên ở dòng trước các đơn vị cấp dưới.",
                )
            ],
        ),
        (
            [unit_row(**{"Mã đơn vị cấp trên": "KHONG_CO"})],
            [(2, "E", "Không có đơn vị mã “KHONG_CO” trong phạm vi bạn được nhập dữ liệu.")],
        ),
        (
            [unit_row(**{"Mã đơn vị cấp trên": "SYT"})],
            [(2, "E", "Không có đơn vị mã “SYT” trong phạm vi bạn được nhập dữ liệu.")],
        ),
        (
            [unit_row(**{"Mã đơn vị": "SYT", "Mã đơn vị cấp trên": "SKHCN"})],
            [(2, "A", "Mã đơn vị “SYT” đã được dùng cho một đơn vị ngoài phạm vi bạn được nhập dữ liệu.")],
        ),
        (
            [unit_row(**{"Mã đơn vị cấp trên": ""})],
            [(2, "E", "Đơn vị mới cần có mã đơn vị cấp trên thuộc phạm vi bạn được nhập dữ liệu.")],
        ),
        (
            [unit_row(**{"Loại đơn vị": ""})],
            [(2, "D", "Loại đơn vị không được để trống khi tạo đơn vị mới.")],
        ),
        (
            [unit_row(**{"Loại đơn vị": "Bộ"})],
            [
                (
                    2,
                    "D",
                    "Loại đơn vị “Bộ” không hợp lệ; chọn một trong: Ủy ban nhân dân tỉnh; Sở, ban, ngành; "
                    "Phòng, văn phòng, thanh tra; Trung tâm, đơn vị sự nghiệp; Chi cục; Xã, phường, đặc khu; "
                    "Trường học; Doanh nghiệp; Đảng ủy, chi bộ; Công đoàn; Đoàn Thanh niên.",
                )
            ],
        ),
        (
            [unit_row(**{"Hiệu lực đến": "31/12/2000"})],
            [(2, "G", "Hiệu lực đến 31/12/2000 trước hiệu lực từ 01/01/2005.")],
        ),
        (
            [unit_row(**{"Hiệu lực từ": "2005"})],
            [(2, "F", "Hiệu lực từ “2005” không hợp lệ (dd/mm/yyyy).")],
        ),
        (
            [unit_row(**{"Mã đơn vị": "TT ỨD"})],
            [
                (
                    2,
                    "A",
                    "Mã đơn vị “TT ỨD” không hợp lệ: chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ -",
                )
            ],
        ),
        (
            [unit_row(**{"Tên đơn vị": ""})],
            [(2, "B", "Tên đơn vị không được để trống.")],
        ),
        (
            [unit_row(**{"Mã đơn vị": "SKHCN_X", "Mã đơn vị cấp trên": "SKHCN_X"})],
            [(2, "E", "Đơn vị không thể là cấp trên của chính nó.")],
        ),
        (
            [
                unit_row(
                    **{
                        "Mã đơn vị": "SKHCN",
                        "Tên đơn vị": "Sở Khoa học và Công nghệ",
                        "Mã đơn vị cấp trên": "SKHCN_VP",
                    }
                )
            ],
            [
                (
                    2,
                    "E",
                    "Không thể đặt đơn vị “SKHCN” dưới “SKHCN_VP” vì “SKHCN_VP” là đơn vị cấp dưới của nó.",
                )
            ],
        ),
    ],
)
def test_import_units_reports_errors_by_row_and_column(
    officer, department, office, other_department, rows, expected
):
    errors = errors_of(officer, rows)

    assert [(error.row, error.column, error.message) for error in errors] == expected


def test_import_units_with_an_error_on_the_last_row_saves_nothing(officer, department, settings):
    rows = [unit_row(**{"Mã đơn vị": f"SKHCN_{i}", "Tên đơn vị": f"Phòng {i}"}) for i in range(10)]
    rows.append(unit_row(**{"Mã đơn vị": "SKHCN_LOI", "Loại đơn vị": "?"}))

    errors = errors_of(officer, rows)

    assert [(error.row, error.column) for error in errors] == [(12, "D")]
    assert not (settings.MEDIA_ROOT / "imports").exists()


def test_import_units_needs_the_import_permission(manager, department):
    with pytest.raises(PermissionDenied):
        run(manager, [unit_row()])


def test_import_units_missing_headings(officer, department):
    errors = errors_of(officer, [["SKHCN_A", "A"]], headers=["Mã đơn vị", "Tên đơn vị"])

    assert errors == [
        RowError(row=1, column="", message="Thiếu cột bắt buộc: “Loại đơn vị”. Tên cột phải giống tệp mẫu.")
    ]


def test_import_units_reports_cell_and_database_errors_of_a_row_together(officer, department):
    errors = errors_of(
        officer, [unit_row(**{"Loại đơn vị": "?", "Mã đơn vị cấp trên": "KHONG_CO", "Hiệu lực từ": "x"})]
    )

    assert [(error.row, error.column) for error in errors] == [(2, "D"), (2, "E"), (2, "F")]
    assert errors[1].message == "Không có đơn vị mã “KHONG_CO” trong phạm vi bạn được nhập dữ liệu."
