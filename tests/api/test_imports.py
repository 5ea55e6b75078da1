import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.common.models import ImportBatch
from thidua.common.spreadsheets import workbook_bytes
from thidua.organizations.models import Person

URL = "/api/v1/imports/people"
HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã đơn vị", "Chức vụ"]


def _upload(client, rows, *, name: str = "nhan-su.xlsx"):
    content = workbook_bytes(sheet_title="Cá nhân", headers=HEADERS, rows=rows)
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


GOOD_ROWS = [
    ["Nguyễn Văn An", "Nam", datetime.date(1985, 4, 30), "012345678901", "SKHCN_VP", "Chuyên viên"],
    ["Trần Thị Bích", "Nữ", datetime.date(1990, 1, 2), "012345678902", "SKHCN_VP", "Kế toán"],
]


def test_people_import_creates_the_rows_and_reports_counts(officer_api, office):
    response = _upload(officer_api, GOOD_ROWS)

    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert response.json() == {"id": batch.pk, "rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert sorted(Person.objects.values_list("cccd", "current_unit__code", "current_position")) == [
        ("012345678901", "SKHCN_VP", "Chuyên viên"),
        ("012345678902", "SKHCN_VP", "Kế toán"),
    ]


def test_people_import_of_the_same_file_again_changes_nothing(officer_api, office):
    _upload(officer_api, GOOD_ROWS)

    response = _upload(officer_api, GOOD_ROWS)

    assert response.status_code == 200
    assert {key: response.json()[key] for key in ("rows", "created", "updated", "unchanged")} == {
        "rows": 2,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }
    assert Person.objects.count() == 2


def test_people_import_with_a_bad_row_is_422_and_saves_nothing(officer_api, office):
    before = Person.objects.count()
    rows = [GOOD_ROWS[0], ["Trần Thị Bích", "Nữ", "31/02/1990", "123", "SKHCN_VP", "Kế toán"]]

    response = _upload(officer_api, rows)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Tệp có lỗi nên chưa nhập dòng nào. Sửa các lỗi dưới đây rồi nhập lại.",
        "errors": [
            {
                "row": 3,
                "column": "C",
                "message": "Ngày sinh “31/02/1990” không hợp lệ (dd/mm/yyyy).",
                "field": "Ngày sinh",
            },
            {
                "row": 3,
                "column": "D",
                "message": "Số CCCD “123” phải gồm đúng 12 chữ số.",
                "field": "Số CCCD",
            },
        ],
    }
    assert Person.objects.count() == before
    assert ImportBatch.objects.count() == 0


def test_people_import_into_another_department_is_refused_without_naming_it(outsider_api, office):
    response = _upload(outsider_api, GOOD_ROWS[:1])

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "row": 2,
            "column": "E",
            "message": "Không có đơn vị mã “SKHCN_VP” trong phạm vi bạn được nhập dữ liệu.",
            "field": "Mã đơn vị",
        }
    ]
    assert Person.objects.count() == 0


def test_people_import_of_a_file_that_is_not_xlsx_is_422(officer_api, office):
    response = officer_api.post(URL, {"file": SimpleUploadedFile("nhan-su.csv", b"Ho ten;Ma don vi\n")})

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (0, "")
    assert error["message"].startswith("Tệp “nhan-su.csv” không phải tệp Excel .xlsx.")


def test_people_import_without_a_file_is_422(officer_api):
    response = officer_api.post(URL, {})

    assert response.status_code == 422
    assert response.json()["errors"] == {"file": ["Trường này là bắt buộc."]}


@pytest.mark.parametrize("persona", ["manager_api", "auditor_api", "staff_api"])
def test_people_import_without_import_permission_is_403(request, persona, office):
    client = request.getfixturevalue(persona)

    response = _upload(client, GOOD_ROWS)

    assert response.status_code == 403
    assert response.json() == {"detail": "Không có quyền."}
    assert not Person.objects.filter(cccd__in=["012345678901", "012345678902"]).exists()


def test_people_import_without_token_is_401(client, office):
    response = _upload(client, GOOD_ROWS)

    assert response.status_code == 401
    assert Person.objects.count() == 0
