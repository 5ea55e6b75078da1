"""Pages of the Excel import: list, upload (success and errors), result, templates, kept files."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.organizations.test_imports import person_row, xlsx
from tests.organizations.test_imports_units import HEADERS as UNIT_HEADERS
from tests.organizations.test_imports_units import unit_row
from thidua.common.models import ImportBatch
from thidua.common.spreadsheets import XLSX_CONTENT_TYPE, read_workbook
from thidua.organizations.imports import import_people, import_units
from thidua.organizations.models import Person, Unit

pytestmark = pytest.mark.django_db


def _batch(actor, *, cccd="082085000001", name="nhan-su.xlsx", unit="SKHCN_VP"):
    content = xlsx([person_row(**{"Số CCCD": cccd, "Họ và tên": f"Người {cccd}", "Mã đơn vị": unit})])
    return import_people(actor=actor, uploaded_file=SimpleUploadedFile(name, content), filename=name)


# ---------------------------------------------------------------- list


def test_import_list_shows_the_batches_in_scope(officer_client, officer, outsider, office, other_department):
    mine = _batch(officer, name="van-phong.xlsx")
    _batch(outsider, cccd="082085000002", name="so-y-te.xlsx", unit="SYT")
    ImportBatch.objects.filter(pk=mine.pk).update(created_count=7)

    response = officer_client.get(reverse("imports:import_list"))

    assert response.status_code == 200
    assert [batch.pk for batch in response.context["page"].object_list] == [mine.pk]
    assert "van-phong.xlsx" in response.text
    assert "so-y-te.xlsx" not in response.text
    assert '<td class="num">7</td>' in response.text


def test_import_list_filters_by_kind_and_file_name(officer_client, officer, department, office):
    people = _batch(officer, name="nhan-su-2025.xlsx")
    units = import_units(
        actor=officer,
        uploaded_file=SimpleUploadedFile("dv.xlsx", xlsx([unit_row()], UNIT_HEADERS)),
        filename="dv.xlsx",
    )
    url = reverse("imports:import_list")

    by_kind = officer_client.get(url, {"kind": "units"})
    by_name = officer_client.get(url, {"q": "2025"})
    nothing = officer_client.get(url, {"q": "khong-co"})

    assert [batch.pk for batch in by_kind.context["page"].object_list] == [units.pk]
    assert [batch.pk for batch in by_name.context["page"].object_list] == [people.pk]
    assert "Không có lần nhập nào khớp với bộ lọc." in nothing.text


def test_import_list_empty_state(officer_client):
    response = officer_client.get(reverse("imports:import_list"))

    assert "Chưa có lần nhập nào." in response.text


def test_import_list_paginates(officer_client, officer, office):
    for index in range(26):
        _batch(officer, cccd=f"0820850001{index:02d}")

    response = officer_client.get(reverse("imports:import_list"), {"page": 2})

    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 1


def test_import_list_query_count_does_not_grow_with_rows(
    officer_client, officer, office, django_assert_num_queries
):
    url = reverse("imports:import_list")
    _batch(officer, cccd="082085000001")
    officer_client.get(url)  # warms the content-type cache
    with CaptureQueriesContext(connection) as one:
        officer_client.get(url)
    _batch(officer, cccd="082085000002")
    _batch(officer, cccd="082085000003")

    with django_assert_num_queries(len(one.captured_queries)):
        response = officer_client.get(url)

    assert len(response.context["page"].object_list) == 3


@pytest.mark.parametrize("persona", ["manager_client", "staff_client", "auditor_client"])
def test_import_pages_are_forbidden_without_import_permission(request, persona, office):
    client = request.getfixturevalue(persona)

    for name in ("import_list", "import_people", "import_units", "template_people", "template_units"):
        assert client.get(reverse(f"imports:{name}")).status_code == 403


def test_import_pages_need_login(client):
    response = client.get(reverse("imports:import_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# ---------------------------------------------------------------- upload


def test_import_people_page_shows_the_form_and_template_link(officer_client):
    response = officer_client.get(reverse("imports:import_people"))

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert reverse("imports:template_people") in response.text
    assert 'id="import-errors"' not in response.text


def test_import_people_upload_imports_and_redirects_to_the_result(officer_client, office):
    upload = SimpleUploadedFile("nhan-su.xlsx", xlsx([person_row()]))

    response = officer_client.post(reverse("imports:import_people"), {"file": upload}, follow=True)

    batch = ImportBatch.objects.get()
    assert response.redirect_chain == [(reverse("imports:import_detail", args=[batch.pk]), 302)]
    assert "Đã nhập xong tệp “nhan-su.xlsx”: 1 mới, 0 cập nhật, 0 không đổi." in response.text
    assert Person.objects.get().full_name == "Nguyễn Văn An"
    assert "Nguyễn Văn An" in response.text  # listed among the created records


def test_import_people_upload_with_errors_lists_them_and_saves_nothing(officer_client, office):
    rows = [person_row(), person_row(**{"Số CCCD": "082085000002", "Ngày sinh": "31/02/1980"})]
    upload = SimpleUploadedFile("nhan-su.xlsx", xlsx(rows))

    response = officer_client.post(reverse("imports:import_people"), {"file": upload})

    assert response.status_code == 422
    assert Person.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    text = response.text
    assert "Không có dữ liệu nào được lưu." in text
    assert 'id="import-errors"' in text
    assert (
        '<td class="num">3</td>\n      <td class="nowrap">C <span class="muted hide-narrow">(Ngày sinh)</span></td>\n'
        "      <td>Ngày sinh “31/02/1980” không hợp lệ (dd/mm/yyyy).</td>"
    ) in text


def test_import_people_upload_of_a_wrong_file_type(officer_client):
    upload = SimpleUploadedFile("nhan-su.csv", b"a;b\n")

    response = officer_client.post(reverse("imports:import_people"), {"file": upload})

    assert response.status_code == 422
    assert "Tệp “nhan-su.csv” không phải tệp Excel .xlsx." in response.text


def test_import_people_upload_without_a_file(officer_client):
    response = officer_client.post(reverse("imports:import_people"), {})

    assert response.status_code == 200
    assert "Hãy chọn tệp Excel cần nhập." in response.text


def test_import_units_upload_imports(officer_client, department):
    upload = SimpleUploadedFile("don-vi.xlsx", xlsx([unit_row()], UNIT_HEADERS))

    response = officer_client.post(reverse("imports:import_units"), {"file": upload})

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import_detail", args=[batch.pk])
    assert Unit.objects.get(code="SKHCN_TTUD").parent == department


def test_import_upload_by_outsider_cannot_write_into_another_department(outsider_client, office):
    upload = SimpleUploadedFile("nhan-su.xlsx", xlsx([person_row()]))

    response = outsider_client.post(reverse("imports:import_people"), {"file": upload})

    assert response.status_code == 422
    assert "Không có đơn vị mã “SKHCN_VP” trong phạm vi bạn được nhập dữ liệu." in response.text
    assert Person.objects.count() == 0


def test_import_upload_post_is_forbidden_without_permission(manager_client, office):
    upload = SimpleUploadedFile("nhan-su.xlsx", xlsx([person_row()]))

    response = manager_client.post(reverse("imports:import_people"), {"file": upload})

    assert response.status_code == 403
    assert Person.objects.count() == 0


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize(
    ("name", "first_heading"), [("template_people", "Họ và tên"), ("template_units", "Mã đơn vị")]
)
def test_import_templates_download_as_xlsx(officer_client, name, first_heading):
    response = officer_client.get(reverse(f"imports:{name}"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheets = read_workbook(response.content)
    assert [sheet.name for sheet in sheets] == ["Danh sách", "Hướng dẫn"]
    assert sheets[0].rows[0][0] == first_heading


# ---------------------------------------------------------------- result and kept file


def test_import_detail_shows_counts_and_updated_fields(officer_client, officer, office):
    _batch(officer)
    content = xlsx([person_row(**{"Họ và tên": "Người 082085000001", "Điện thoại": "0987000000"})])
    batch = import_people(
        actor=officer, uploaded_file=SimpleUploadedFile("lan-2.xlsx", content), filename="lan-2.xlsx"
    )

    response = officer_client.get(reverse("imports:import_detail", args=[batch.pk]))

    assert response.status_code == 200
    assert response.context["change_count"] == 1
    [change] = response.context["changes"]
    assert (change.label, change.created, change.fields) == ("Người 082085000001", False, ["Điện thoại"])
    assert "lan-2.xlsx" in response.text
    assert reverse("imports:import_file", args=[batch.pk]) in response.text


def test_import_detail_of_another_department_is_404(outsider_client, officer, office):
    batch = _batch(officer)

    assert outsider_client.get(reverse("imports:import_detail", args=[batch.pk])).status_code == 404
    assert outsider_client.get(reverse("imports:import_file", args=[batch.pk])).status_code == 404


def test_import_file_downloads_the_kept_file(officer_client, officer, office):
    content = xlsx([person_row()])
    batch = import_people(
        actor=officer,
        uploaded_file=SimpleUploadedFile("Danh sách cán bộ.xlsx", content),
        filename="Danh sách cán bộ.xlsx",
    )

    response = officer_client.get(reverse("imports:import_file", args=[batch.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''Danh%20s%C3%A1ch%20c%C3%A1n%20b%E1%BB%99.xlsx"
    )


def test_import_file_is_visible_to_the_province_admin(admin_client_, officer, office):
    batch = _batch(officer)

    response = admin_client_.get(reverse("imports:import_file", args=[batch.pk]))

    assert response.status_code == 200


def test_import_detail_of_an_unchanged_reimport_says_so(officer_client, officer, office):
    _batch(officer)
    batch = _batch(officer)

    response = officer_client.get(reverse("imports:import_detail", args=[batch.pk]))

    assert batch.unchanged_count == 1
    assert "mọi dòng đều trùng với dữ liệu đang có" in response.text
    assert datetime.date.today().strftime("%d/%m/%Y") in response.text


def test_import_detail_sends_evidence_batches_to_their_own_result_page(officer_client, officer, department):
    from django.core.files.base import ContentFile

    from thidua.common.models import ImportBatch

    batch = ImportBatch(kind="ratings", original_name="xep-loai.xlsx", sha256="0" * 64, uploaded_by=officer, unit_path=department.path)
    batch.file.save("xep-loai.xlsx", ContentFile(b"x"), save=False)
    batch.save()
    response = officer_client.get(reverse("imports:import_detail", args=[batch.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("records_imports:batch", args=[batch.pk])
