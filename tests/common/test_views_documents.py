"""The document register: list with search and filters, adding and changing entries (audited), and
serving their files only to those who may see them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.common.models import AuditEntry, LegalDocument
from thidua.common.services import legal_document_create, legal_document_update

LIST = reverse("common:document_list")
CREATE = reverse("common:document_create")


def add(
    unit=None,
    number="204/KH-UBND",
    issued_on=datetime.date(2019, 7, 12),
    issuer="Ủy ban nhân dân tỉnh Tiền Giang",
    title="Tổ chức Hội nghị điển hình tiên tiến",
    **fields,
):
    return legal_document_create(
        actor=None, number=number, issued_on=issued_on, issuer=issuer, title=title, unit=unit, **fields
    )


def numbers(response) -> list[str]:
    return [document.number for document in response.context["page"].object_list]


def data(keeper, **overrides) -> dict:
    values = {
        "number": "15/KH-SKHCN",
        "issued_on": "05/02/2024",
        "issuer": "Sở Khoa học và Công nghệ",
        "title": "Kế hoạch thi đua năm 2024",
        "unit": keeper.pk,
    }
    values.update(overrides)
    return values


# ---------------------------------------------------------------- the list


def test_list_shows_own_upper_and_shared_documents_but_not_other_departments(
    officer_client, province, department, office, other_department
):
    add(province, number="204/KH-UBND")
    add(department, number="15/KH-SKHCN", issued_on=datetime.date(2024, 2, 5))
    add(office, number="3/KH-VP", issued_on=datetime.date(2024, 3, 1))
    add(
        None,
        number="06/2022/QH15",
        issued_on=datetime.date(2022, 6, 15),
        issuer="Quốc hội",
        title="Luật Thi đua, khen thưởng",
    )
    add(other_department, number="9/KH-SYT", issued_on=datetime.date(2024, 1, 1))

    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert numbers(response) == ["3/KH-VP", "15/KH-SKHCN", "06/2022/QH15", "204/KH-UBND"]
    content = response.content.decode()
    # The officer keeps the department's and the office's documents, not the province's or the law.
    assert [d.can_edit for d in response.context["page"].object_list] == [True, True, False, False]
    assert (
        reverse("common:document_edit", args=[LegalDocument.objects.get(number="204/KH-UBND").pk])
        not in content
    )


def test_list_searches_without_accents_and_filters(officer_client, department, office):
    add(
        department,
        number="15/KH-SKHCN",
        issued_on=datetime.date(2024, 2, 5),
        title="Phát động thi đua chuyển đổi số",
    )
    add(office, number="3/KH-VP", issued_on=datetime.date(2023, 3, 1), title="Cải cách hành chính")

    assert numbers(officer_client.get(LIST, {"q": "chuyen doi so"})) == ["15/KH-SKHCN"]
    assert numbers(officer_client.get(LIST, {"q": "kh-vp"})) == ["3/KH-VP"]
    assert numbers(officer_client.get(LIST, {"year": 2023})) == ["3/KH-VP"]
    assert numbers(officer_client.get(LIST, {"unit": "SKHCN"})) == ["15/KH-SKHCN"]
    assert (
        "Không có văn bản nào khớp với bộ lọc."
        in officer_client.get(LIST, {"q": "khong co"}).content.decode()
    )


def test_list_is_empty_for_an_outsider(outsider_client, department):
    add(department)

    response = outsider_client.get(LIST)

    assert numbers(response) == []
    assert "Sổ văn bản chưa có văn bản nào trong phạm vi của bạn." in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(officer_client, department):
    add(department, number="1/KH-SKHCN")
    with CaptureQueriesContext(connection) as one:
        officer_client.get(LIST)
    add(department, number="2/KH-SKHCN")
    add(department, number="3/KH-SKHCN")

    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(LIST)

    assert len(response.context["page"].object_list) == 3
    assert len(many) == len(one)


# ---------------------------------------------------------------- add and change


def test_create_adds_an_audited_entry_with_its_file(officer_client, department):
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4", content_type="application/pdf")

    response = officer_client.post(CREATE, {**data(department), "file": upload})

    assert response.status_code == 302
    assert response.url == LIST
    document = LegalDocument.objects.get()
    assert (document.number, document.issued_on, document.unit) == (
        "15/KH-SKHCN",
        datetime.date(2024, 2, 5),
        department,
    )
    assert document.file.name.endswith(".pdf")
    entry = AuditEntry.objects.get(
        content_type__model="legaldocument", object_id=str(document.pk), action="create"
    )
    assert entry.changes["number"] == [None, "15/KH-SKHCN"]
    assert entry.changes["file"][1] == document.file.name


def test_create_returns_to_the_page_it_came_from(officer_client, department):
    back = reverse("movements:movement_create")

    response = officer_client.post(f"{CREATE}?next={back}", data(department))

    assert response.url == back


def test_create_ignores_a_next_outside_the_site(officer_client, department):
    response = officer_client.post(f"{CREATE}?next=https://example.com/", data(department))

    assert response.url == LIST


def test_create_refuses_a_duplicate_and_a_bad_date(officer_client, department):
    add(
        department,
        number="15/KH-SKHCN",
        issued_on=datetime.date(2024, 2, 5),
        issuer="Sở Khoa học và Công nghệ",
    )

    duplicate = officer_client.post(CREATE, data(department))
    bad_date = officer_client.post(CREATE, data(department, issued_on="31/02/2024", number=""))

    assert duplicate.status_code == 400
    assert duplicate.context["form"].errors["number"] == [
        "Văn bản số 15/KH-SKHCN ngày 05/02/2024 của Sở Khoa học và Công nghệ đã có trong sổ."
    ]
    assert bad_date.context["form"].errors == {
        "number": ["Nhập số, ký hiệu văn bản."],
        "issued_on": ["Nhập ngày theo dạng dd/mm/yyyy."],
    }
    assert LegalDocument.objects.count() == 1


def test_create_refuses_other_file_kinds(officer_client, department):
    upload = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")

    response = officer_client.post(CREATE, {**data(department), "file": upload})

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Chỉ nhận tệp .doc, .docx, .jpeg, .jpg, .odt, .pdf, .png."
    ]


def test_create_needs_a_unit_below_the_province_and_none_for_the_admin(
    officer_client, admin_client_, department
):
    officer_response = officer_client.post(CREATE, data(department, unit=""))
    admin_response = admin_client_.post(CREATE, data(department, unit=""))

    assert officer_response.context["form"].errors["unit"] == ["Chọn đơn vị quản lý văn bản."]
    assert admin_response.status_code == 302
    assert LegalDocument.objects.get().unit is None


@pytest.mark.parametrize("who", ["staff_client", "manager_client", "auditor_client"])
def test_create_is_forbidden_without_document_manage(request, who, department):
    client = request.getfixturevalue(who)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, data(department)).status_code == 403
    assert not LegalDocument.objects.exists()


def test_edit_changes_the_entry_and_audits_the_difference(officer_client, department):
    document = add(department, number="15/KH-SKHCN")

    response = officer_client.post(
        reverse("common:document_edit", args=[document.pk]), data(department, title="Trích yếu đã sửa")
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Trích yếu đã sửa"
    entry = AuditEntry.objects.get(
        content_type__model="legaldocument", object_id=str(document.pk), action="update"
    )
    assert entry.changes["title"] == ["Tổ chức Hội nghị điển hình tiên tiến", "Trích yếu đã sửa"]


def test_edit_is_forbidden_on_an_upper_document_and_hidden_elsewhere(
    officer_client, outsider_client, province, department
):
    upper = add(province)
    own = add(department, number="15/KH-SKHCN")

    assert officer_client.get(reverse("common:document_edit", args=[upper.pk])).status_code == 403
    assert outsider_client.get(reverse("common:document_edit", args=[own.pk])).status_code == 404


def test_update_service_refuses_moving_a_document_out_of_scope(officer, department, other_department):
    from django.core.exceptions import PermissionDenied

    document = add(department)
    with pytest.raises(PermissionDenied):
        legal_document_update(actor=officer, document=document, unit=other_department)
    document.refresh_from_db()
    assert document.unit == department


# ---------------------------------------------------------------- files


def test_file_is_served_to_those_who_see_the_document(staff_client, outsider_client, department):
    document = add(
        department, file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 noi dung", content_type="application/pdf")
    )
    url = reverse("common:document_file", args=[document.pk])

    response = staff_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 noi dung"
    assert outsider_client.get(url).status_code == 404


def test_file_of_a_document_without_one_is_not_found(staff_client, department):
    document = add(department)

    assert staff_client.get(reverse("common:document_file", args=[document.pk])).status_code == 404
