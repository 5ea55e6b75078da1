"""Pages and API of the evidence import: list, upload (success and errors), templates, result, kept file."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.conftest import bearer_client
from tests.records.test_imports_awards import award_row
from tests.records.test_imports_awards import sheet as awards_sheet
from tests.records.test_imports_disciplines import discipline_row
from tests.records.test_imports_disciplines import sheet as disciplines_sheet
from tests.records.test_imports_initiatives import initiative_row
from tests.records.test_imports_initiatives import sheet as initiatives_sheet
from tests.records.test_imports_ratings import UNIT_HEADERS, book, make_staff_people, people_sheet, upload
from thidua.common.models import ImportBatch
from thidua.common.spreadsheets import XLSX_CONTENT_TYPE, read_workbook
from thidua.records.imports import import_disciplines, import_ratings
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_people(office, office2, other_department):
    return make_staff_people(office, office2, other_department)


GOOD_RATINGS = [["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", None]]
BAD_RATINGS = [
    ["Nguyễn Văn An", "082085000001", None, None, 2024, "HTTNV", None],
    ["Trần Thị Bích", None, "02/01/1990", "SKHCN_VP", 2024, "Xuất sắc", None],
]


def _file(content: bytes, name: str = "xep-loai.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def _ratings_batch(actor, name="xep-loai.xlsx", rows=GOOD_RATINGS):
    return upload(import_ratings, actor, book(people_sheet(rows)), name=name)


# ---------------------------------------------------------------- list


def test_record_import_list_shows_the_batches_in_scope(officer_client, officer, outsider, staff_people):
    mine = _ratings_batch(officer, name="van-phong.xlsx")
    _ratings_batch(
        outsider,
        name="so-y-te.xlsx",
        rows=[["Phạm Văn Cường", "082085000003", None, None, 2024, "HTTNV", None]],
    )

    response = officer_client.get(reverse("records_imports:index"))

    assert response.status_code == 200
    assert [batch.pk for batch in response.context["page"].object_list] == [mine.pk]
    assert "van-phong.xlsx" in response.text
    assert "so-y-te.xlsx" not in response.text
    assert reverse("records_imports:template", args=["awards"]) in response.text


def test_record_import_list_filters_by_kind(officer_client, officer, staff_people):
    ratings = _ratings_batch(officer)
    upload(import_disciplines, officer, disciplines_sheet([discipline_row()]))

    response = officer_client.get(reverse("records_imports:index"), {"kind": "ratings"})

    assert [batch.pk for batch in response.context["page"].object_list] == [ratings.pk]


def test_record_import_list_empty_state(manager_client):
    response = manager_client.get(reverse("records_imports:index"))

    assert response.status_code == 200
    assert "Chưa có lần nhập minh chứng nào." in response.text


def test_record_import_list_query_count_does_not_grow_with_rows(
    officer_client, officer, staff_people, django_assert_num_queries
):
    _ratings_batch(officer)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(reverse("records_imports:index"))
    _ratings_batch(officer, name="b.xlsx")
    _ratings_batch(officer, name="c.xlsx")

    with django_assert_num_queries(len(one.captured_queries)):
        response = officer_client.get(reverse("records_imports:index"))

    assert len(response.context["page"].object_list) == 3


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("persona", ["staff_client", "auditor_client"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("records_imports:index"),
        reverse("records_imports:ratings"),
        reverse("records_imports:initiatives"),
        reverse("records_imports:awards"),
        reverse("records_imports:disciplines"),
        reverse("records_imports:template", args=["ratings"]),
    ],
)
def test_record_import_pages_are_forbidden_without_the_records_permission(request, persona, url):
    assert request.getfixturevalue(persona).get(url).status_code == 403


def test_record_import_upload_post_is_forbidden_without_permission(staff_client, staff_people):
    response = staff_client.post(
        reverse("records_imports:ratings"), {"file": _file(book(people_sheet(GOOD_RATINGS)))}
    )

    assert response.status_code == 403
    assert AnnualRating.objects.count() == 0


def test_record_import_pages_need_login(client):
    response = client.get(reverse("records_imports:ratings"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# ---------------------------------------------------------------- upload


def test_ratings_page_shows_the_form_the_template_link_and_both_sheets(officer_client):
    response = officer_client.get(reverse("records_imports:ratings"))

    assert response.status_code == 200
    assert reverse("records_imports:template", args=["ratings"]) in response.text
    assert 'id="import-columns"' in response.text
    assert "Các cột của trang “Cá nhân”" in response.text
    assert "Các cột của trang “Tập thể”" in response.text
    assert 'id="import-errors"' not in response.text


def test_ratings_upload_imports_and_redirects_to_the_result(manager_client, staff_people):
    response = manager_client.post(
        reverse("records_imports:ratings"), {"file": _file(book(people_sheet(GOOD_RATINGS)))}
    )

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("records_imports:batch", args=[batch.pk])
    assert AnnualRating.objects.get().rating == "HTTNV"
    result = manager_client.get(response.url)
    assert "Đã nhập xong tệp “xep-loai.xlsx”: 1 mới, 0 cập nhật, 0 không đổi." in result.text
    assert "Nguyễn Văn An 2024: HTTNV" in result.text


def test_ratings_upload_with_errors_lists_them_and_saves_nothing(officer_client, staff_people):
    response = officer_client.post(
        reverse("records_imports:ratings"), {"file": _file(book(people_sheet(BAD_RATINGS)))}
    )

    assert response.status_code == 422
    assert 'id="import-errors"' in response.text
    assert "Không có dữ liệu nào được lưu." in response.text
    assert [(error.row, error.column) for error in response.context["failure"].errors] == [(3, "F")]
    assert "Xếp loại “Xuất sắc” không hợp lệ" in response.text
    assert (AnnualRating.objects.count(), ImportBatch.objects.count()) == (0, 0)


def test_ratings_upload_with_errors_on_two_sheets_names_the_sheets(officer_client, staff_people):
    content = book(people_sheet(BAD_RATINGS), ("Tập thể", UNIT_HEADERS, [["SYT", "", 2024, "HTTNV", None]]))

    response = officer_client.post(reverse("records_imports:ratings"), {"file": _file(content)})

    assert response.status_code == 422
    assert "Trang “Cá nhân”" in response.text
    assert "Trang “Tập thể”" in response.text


def test_ratings_upload_of_a_wrong_file_type(officer_client):
    response = officer_client.post(
        reverse("records_imports:ratings"), {"file": SimpleUploadedFile("xep-loai.xls", b"\xd0\xcf\x11\xe0")}
    )

    assert response.status_code == 422
    assert "không phải tệp Excel .xlsx" in response.text


@pytest.mark.parametrize(
    ("url_name", "content", "model"),
    [
        ("records_imports:initiatives", lambda: initiatives_sheet([initiative_row()]), Initiative),
        ("records_imports:awards", lambda: awards_sheet([award_row()]), AwardRecord),
        ("records_imports:disciplines", lambda: disciplines_sheet([discipline_row()]), Discipline),
    ],
)
def test_other_evidence_uploads_import_and_redirect(
    officer_client, department, staff_people, url_name, content, model
):
    response = officer_client.post(reverse(url_name), {"file": _file(content(), name="tep.xlsx")})

    assert response.status_code == 302
    assert model.objects.count() == 1
    assert officer_client.get(response.url).status_code == 200


def test_upload_by_an_outsider_cannot_write_into_another_department(outsider_client, staff_people):
    response = outsider_client.post(
        reverse("records_imports:ratings"), {"file": _file(book(people_sheet(GOOD_RATINGS)))}
    )

    assert response.status_code == 422
    assert "Không có người có Số CCCD 082085000001 trong phạm vi bạn được nhập dữ liệu." in response.text
    assert AnnualRating.objects.count() == 0


# ---------------------------------------------------------------- templates, result, file


@pytest.mark.parametrize(
    ("kind", "sheets", "first_heading"),
    [
        ("ratings", ["Cá nhân", "Tập thể", "Hướng dẫn"], "Họ và tên"),
        ("initiatives", ["Danh sách", "Hướng dẫn"], "Tên"),
        ("awards", ["Danh sách", "Hướng dẫn"], "Đối tượng"),
        ("disciplines", ["Danh sách", "Hướng dẫn"], "Họ và tên"),
    ],
)
def test_record_import_templates_download_as_xlsx(manager_client, kind, sheets, first_heading):
    response = manager_client.get(reverse("records_imports:template", args=[kind]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = read_workbook(response.content)
    assert [sheet.name for sheet in workbook] == sheets
    assert workbook[0].rows[0][0] == first_heading


def test_record_import_template_of_an_unknown_kind_is_404(officer_client):
    assert officer_client.get(reverse("records_imports:template", args=["people"])).status_code == 404


def test_record_import_result_shows_counts_and_updated_fields(officer_client, officer, staff_people):
    _ratings_batch(officer)
    batch = _ratings_batch(officer, rows=[GOOD_RATINGS[0][:5] + ["HTXSNV", "Sửa"]])

    response = officer_client.get(reverse("records_imports:batch", args=[batch.pk]))

    assert response.status_code == 200
    assert response.context["change_count"] == 1
    change = response.context["changes"][0]
    assert (change.label, change.created, change.fields) == (
        "Nguyễn Văn An 2024: HTXSNV",
        False,
        ["Ghi chú", "Xếp loại"],
    )


def test_record_import_result_of_another_department_is_404(outsider_client, officer, staff_people):
    batch = _ratings_batch(officer)

    assert outsider_client.get(reverse("records_imports:batch", args=[batch.pk])).status_code == 404
    assert outsider_client.get(reverse("records_imports:batch_file", args=[batch.pk])).status_code == 404


def test_record_import_file_downloads_the_kept_file_for_the_unit_above(officer_client, manager, staff_people):
    content = book(people_sheet(GOOD_RATINGS))
    batch = upload(import_ratings, manager, content, name="xếp loại.xlsx")

    response = officer_client.get(reverse("records_imports:batch_file", args=[batch.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content


# ---------------------------------------------------------------- API


def test_api_ratings_import_reports_counts(officer, staff_people):
    response = bearer_client(officer).post(
        "/api/v1/imports/ratings", {"file": _file(book(people_sheet(GOOD_RATINGS)))}
    )

    batch = ImportBatch.objects.get()
    assert response.status_code == 200
    assert response.json() == {"id": batch.pk, "rows": 1, "created": 1, "updated": 0, "unchanged": 0}


def test_api_ratings_import_with_errors_is_422_and_saves_nothing(officer, staff_people):
    response = bearer_client(officer).post(
        "/api/v1/imports/ratings", {"file": _file(book(people_sheet(BAD_RATINGS)))}
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Tệp có lỗi nên chưa nhập dòng nào. Sửa các lỗi dưới đây rồi nhập lại.",
        "errors": [
            {
                "row": 3,
                "column": "F",
                "message": "Xếp loại “Xuất sắc” không hợp lệ; ghi HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ (ví dụ “Hoàn thành tốt nhiệm vụ”).",
                "field": "Xếp loại",
                "sheet": "",
            }
        ],
    }
    assert (AnnualRating.objects.count(), ImportBatch.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("path", "content", "model"),
    [
        ("initiatives", lambda: initiatives_sheet([initiative_row()]), Initiative),
        (
            "awards",
            lambda: awards_sheet([award_row(**{"Ngày quyết định": datetime.date(2024, 2, 1)})]),
            AwardRecord,
        ),
        ("disciplines", lambda: disciplines_sheet([discipline_row()]), Discipline),
    ],
)
def test_api_other_evidence_imports(manager, staff_people, path, content, model):
    response = bearer_client(manager).post(
        f"/api/v1/imports/{path}", {"file": _file(content(), name="tep.xlsx")}
    )

    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert model.objects.count() == 1


def test_api_evidence_import_is_forbidden_without_the_records_permission(staff, staff_people):
    response = bearer_client(staff).post(
        "/api/v1/imports/ratings", {"file": _file(book(people_sheet(GOOD_RATINGS)))}
    )

    assert response.status_code == 403
    assert AnnualRating.objects.count() == 0
