import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import make_person
from thidua.common.models import AuditAction, AuditEntry
from thidua.organizations import services
from thidua.organizations.models import Employment, Person

pytestmark = pytest.mark.django_db

LIST = reverse("organizations:person_list")
EXPORT = reverse("organizations:person_export")
CREATE = reverse("organizations:person_create")


def _names(response) -> list[str]:
    return [person.full_name for person in response.context["page"].object_list]


# ---------------------------------------------------------------- list and search


def test_person_list_shows_people_in_scope_in_vietnamese_order(
    officer_client, office, office2, other_department
):
    make_person("Trần Văn Đức", unit=office)
    make_person("Nguyễn Thị Ánh", unit=office2)
    make_person("Lê Văn Dũng", unit=office)
    make_person("Phạm Văn Bệnh Viện", unit=other_department)
    response = officer_client.get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["Nguyễn Thị Ánh", "Lê Văn Dũng", "Trần Văn Đức"]
    assert "Phạm Văn Bệnh Viện" not in response.content.decode()


@pytest.mark.parametrize("query", ["Nguyễn Văn An", "nguyen van an", "NGUYEN VAN AN", "nguyễn văn an"])
def test_person_list_search_with_or_without_diacritics(officer_client, office, query):
    make_person("Nguyễn Văn An", unit=office)
    make_person("Trần Thị Bích", unit=office)
    make_person("Lê Hoàng Yến", unit=office)
    response = officer_client.get(LIST, {"q": query})
    assert _names(response) == ["Nguyễn Văn An"]


def test_person_list_search_by_cccd(officer_client, office):
    make_person("Nguyễn Văn An", unit=office, cccd="082080000001")
    make_person("Trần Thị Bích", unit=office, cccd="082080000002")
    assert _names(officer_client.get(LIST, {"q": "082080000002"})) == ["Trần Thị Bích"]


def test_person_list_search_folds_only_the_query_not_the_letters(officer_client, office):
    make_person("Trần Thị Ân", unit=office)
    make_person("Đặng Văn An", unit=office)
    assert _names(officer_client.get(LIST, {"q": "an"})) == ["Đặng Văn An", "Trần Thị Ân"]
    assert _names(officer_client.get(LIST, {"q": "dang"})) == ["Đặng Văn An"]


def test_person_list_htmx_search_returns_only_the_results(officer_client, office):
    make_person("Nguyễn Văn An", unit=office)
    response = officer_client.get(LIST, {"q": "nguyen"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="person-results"')
    assert "<html" not in content
    assert "Nguyễn Văn An" in content
    assert "HX-Request" in response["Vary"]


def test_person_list_full_page_has_live_search(officer_client, office):
    content = officer_client.get(LIST).content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in content
    assert 'id="person-results"' in content


def test_person_list_filters_by_unit_with_or_without_subunits(officer_client, department, office):
    make_person("Dương Văn Bon", unit=department, position="Giám đốc")
    make_person("Lê Thị Hoa", unit=office)
    # The form sends "false" from a hidden input when the box is unticked; a bare link includes subunits.
    assert _names(officer_client.get(LIST, {"unit": "SKHCN", "sub": "false"})) == ["Dương Văn Bon"]
    assert _names(officer_client.get(LIST, {"unit": "SKHCN", "sub": ["false", "on"]})) == [
        "Dương Văn Bon",
        "Lê Thị Hoa",
    ]
    assert _names(officer_client.get(LIST, {"unit": "SKHCN"})) == ["Dương Văn Bon", "Lê Thị Hoa"]


def test_person_list_filters_by_position_and_gender(officer_client, office):
    make_person("Dương Văn Bon", unit=office, position="Giám đốc", gender="nam")
    make_person("Lê Thị Hoa", unit=office, position="Chuyên viên", gender="nu")
    make_person("Trần Văn Hùng", unit=office, position="Chuyên viên", gender="nam")
    assert _names(officer_client.get(LIST, {"position": "Chuyên viên"})) == ["Lê Thị Hoa", "Trần Văn Hùng"]
    assert _names(officer_client.get(LIST, {"gender": "nu"})) == ["Lê Thị Hoa"]


def test_person_list_ignores_a_unit_outside_scope(officer_client, office, other_department):
    make_person("Lê Thị Hoa", unit=office)
    make_person("Phạm Văn Y", unit=other_department)
    assert _names(officer_client.get(LIST, {"unit": "SYT"})) == ["Lê Thị Hoa"]


def test_person_list_empty_state(officer_client, office):
    assert "Chưa có cá nhân nào trong phạm vi của bạn." in officer_client.get(LIST).content.decode()
    content = officer_client.get(LIST, {"q": "không ai"}).content.decode()
    assert "Không tìm thấy ai khớp với điều kiện tìm kiếm." in content


def test_person_list_paginates_by_fifty(officer_client, office):
    for number in range(51):
        make_person(f"Nguyễn Văn Số {number:02d}", unit=office)
    first = officer_client.get(LIST)
    second = officer_client.get(LIST, {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert "?page=2" in first.content.decode()


def test_person_list_query_count_does_not_grow_with_people(officer_client, office):
    make_person("Nguyễn Văn An", unit=office)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(LIST)
    make_person("Trần Văn Bình", unit=office)
    make_person("Lê Thị Cúc", unit=office)
    with CaptureQueriesContext(connection) as three:
        response = officer_client.get(LIST)
    assert len(response.context["page"].object_list) == 3
    assert len(one.captured_queries) == len(three.captured_queries)


def test_person_list_forbidden_for_staff(staff_client):
    assert staff_client.get(LIST).status_code == 403


def test_person_list_requires_login(client, province):
    assert client.get(LIST).status_code == 302


# ---------------------------------------------------------------- export


def test_person_export_writes_the_filtered_list(officer_client, office, office2):
    make_person(
        "Nguyễn Văn An",
        unit=office,
        gender="nam",
        birth_date=datetime.date(1980, 5, 17),
        cccd="082080000001",
        recruited_on=datetime.date(2005, 3, 1),
        position="Chánh Văn phòng",
    )
    make_person("Trần Thị Bình", unit=office2)
    response = officer_client.get(EXPORT, {"unit": "SKHCN_VP"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (
        "STT",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Dân tộc",
        "Số CCCD",
        "Đơn vị",
        "Chức vụ",
        "Ngày tuyển dụng",
    )
    assert rows[2] == (
        1,
        "Nguyễn Văn An",
        "Nam",
        datetime.datetime(1980, 5, 17),
        "Kinh",
        "082080000001",
        "Văn phòng Sở",
        "Chánh Văn phòng",
        datetime.datetime(2005, 3, 1),
    )
    assert len(rows) == 3


def test_person_export_forbidden_without_permission(staff_client, office):
    assert staff_client.get(EXPORT).status_code == 403


def test_person_export_stays_in_scope(outsider_client, office, other_department):
    make_person("Lê Thị Hoa", unit=office)
    make_person("Phạm Văn Y", unit=other_department)
    sheet = load_workbook(io.BytesIO(outsider_client.get(EXPORT).content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["Phạm Văn Y"]


# ---------------------------------------------------------------- person page


def test_person_detail_shows_facts_and_history(officer_client, office, office2):
    person = make_person(
        "Nguyễn Văn An", unit=office, cccd="082080000001", start_date=datetime.date(2015, 1, 1)
    )
    services.employment_start(
        actor=None,
        person=person,
        unit=office2,
        start_date=datetime.date(2020, 7, 1),
        position="Phó Trưởng phòng",
    )
    response = officer_client.get(reverse("organizations:person_detail", args=[person.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Nguyễn Văn An</h1>" in content
    assert "082080000001" in content
    assert "01/07/2020" in content and "30/06/2020" in content and "01/01/2015" in content
    assert [e.unit.code for e in response.context["history"]] == ["SKHCN_QLKH", "SKHCN_VP"]


def test_person_detail_outside_scope_is_404(outsider_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    assert outsider_client.get(reverse("organizations:person_detail", args=[person.pk])).status_code == 404


def test_person_detail_own_record_for_staff(staff_client, staff_person, office):
    other = make_person("Trần Văn Bình", unit=office)
    assert staff_client.get(reverse("organizations:person_detail", args=[staff_person.pk])).status_code == 200
    assert staff_client.get(reverse("organizations:person_detail", args=[other.pk])).status_code == 404


# ---------------------------------------------------------------- create and edit


def _person_data(**overrides):
    data = {
        "full_name": "  Nguyễn   Thị Minh Khai ",
        "gender": "nu",
        "birth_date": "1990-02-03",
        "ethnicity": "Kinh",
        "cccd": "082190000123",
        "email": "khai@example.vn",
        "phone": "0273 3870 000",
        "recruited_on": "15/08/2012",
        "position": "Chuyên viên",
        "position_category": "chuyen_mon",
        "rank": "Chuyên viên",
        "start_date": "",
    }
    data.update(overrides)
    return data


def test_person_create_splits_the_full_name_and_starts_employment(officer_client, officer, office):
    assert officer_client.get(CREATE + "?unit=SKHCN_VP").status_code == 200
    response = officer_client.post(CREATE, _person_data(unit=office.pk))
    person = Person.objects.get(cccd="082190000123")
    assert response.status_code == 302
    assert response.url == reverse("organizations:person_detail", args=[person.pk])
    assert (person.family_name, person.middle_name, person.given_name) == ("Nguyễn", "Thị Minh", "Khai")
    assert person.current_unit == office
    assert person.recruited_on == datetime.date(2012, 8, 15)
    assert Employment.objects.get(person=person).start_date == datetime.date(2012, 8, 15)
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CREATE, actor=officer, content_type__model="person"
        ).count()
        == 1
    )


def test_person_create_shows_vietnamese_messages(officer_client, office):
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = officer_client.post(
        CREATE, _person_data(unit=office.pk, full_name="", cccd="12345", birth_date=future)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Họ và tên không được để trống." in content
    assert "Số CCCD phải gồm đúng 12 chữ số." in content
    assert "Ngày sinh không được sau ngày hôm nay." in content
    assert Person.objects.count() == 0


def test_person_create_refuses_recruitment_before_birth(officer_client, office):
    response = officer_client.post(
        CREATE, _person_data(unit=office.pk, birth_date="2000-01-01", recruited_on="1999-12-31")
    )
    assert response.status_code == 400
    assert "Ngày tuyển dụng không được trước ngày sinh." in response.content.decode()


def test_person_create_shows_the_duplicate_cccd_message_on_the_field(officer_client, office):
    make_person("Trần Văn Bình", unit=office, cccd="082190000123")
    response = officer_client.post(CREATE, _person_data(unit=office.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["cccd"] == [
        "Số CCCD 082190000123 đã có trong hồ sơ của người khác."
    ]


def test_person_create_refuses_a_unit_outside_scope(officer_client, other_department):
    response = officer_client.post(CREATE, _person_data(unit=other_department.pk))
    assert response.status_code == 400
    assert "Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn." in response.content.decode()


def test_person_create_forbidden_for_auditors(auditor_client):
    assert auditor_client.get(CREATE).status_code == 403


def test_person_create_for_a_unit_outside_scope_is_404(outsider_client, office):
    assert outsider_client.get(CREATE + "?unit=SKHCN_VP").status_code == 404


def test_person_edit_saves_and_audits(manager_client, manager, office):
    person = make_person("Nguyễn Văn An", unit=office)
    url = reverse("organizations:person_edit", args=[person.pk])
    form_page = manager_client.get(url)
    assert form_page.status_code == 200
    assert 'value="Nguyễn Văn An"' in form_page.content.decode()
    response = manager_client.post(
        url, {"full_name": "Nguyễn Văn Ân", "gender": "nam", "ethnicity": "Kinh", "cccd": ""}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Ân"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, actor=manager, content_type__model="person")
    assert entry.changes["given_name"] == ["An", "Ân"]


def test_person_edit_forbidden_for_auditors(auditor_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    assert auditor_client.get(reverse("organizations:person_edit", args=[person.pk])).status_code == 403


def test_person_edit_outside_scope_is_404(outsider_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    assert outsider_client.get(reverse("organizations:person_edit", args=[person.pk])).status_code == 404


# ---------------------------------------------------------------- employment


def test_employment_add_moves_the_person(officer_client, office, office2):
    person = make_person("Nguyễn Văn An", unit=office, start_date=datetime.date(2015, 1, 1))
    url = reverse("organizations:employment_add", args=[person.pk])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url,
        {
            "unit": office2.pk,
            "position": "Trưởng phòng",
            "position_category": "quan_ly",
            "start_date": "01/03/2024",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.current_unit, person.current_position) == (office2, "Trưởng phòng")
    assert Employment.objects.get(person=person, unit=office).end_date == datetime.date(2024, 2, 29)


def test_employment_add_refuses_a_start_before_the_current_one(officer_client, office, office2):
    person = make_person("Nguyễn Văn An", unit=office, start_date=datetime.date(2015, 1, 1))
    response = officer_client.post(
        reverse("organizations:employment_add", args=[person.pk]),
        {"unit": office2.pk, "start_date": "2014-01-01"},
    )
    assert response.status_code == 400
    assert "Ngày bắt đầu phải sau ngày bắt đầu của vị trí hiện tại (01/01/2015)." in response.content.decode()


def test_employment_add_out_of_own_scope_goes_back_to_the_list(manager_client, office, office2):
    person = make_person("Nguyễn Văn An", unit=office)
    # The manager holds person.manage on the office only: office2 is not a choice.
    response = manager_client.post(
        reverse("organizations:employment_add", args=[person.pk]),
        {"unit": office2.pk, "start_date": "2024-01-01"},
    )
    assert response.status_code == 400


def test_employment_add_forbidden_for_auditors(auditor_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    assert auditor_client.get(reverse("organizations:employment_add", args=[person.pk])).status_code == 403


def test_employment_add_outside_scope_is_404(outsider_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    assert outsider_client.get(reverse("organizations:employment_add", args=[person.pk])).status_code == 404


def test_employment_edit_corrects_a_period(officer_client, office):
    person = make_person("Nguyễn Văn An", unit=office, start_date=datetime.date(2015, 1, 1))
    employment = person.employments.get()
    url = reverse("organizations:employment_edit", args=[person.pk, employment.pk])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url, {"unit": office.pk, "position": "Chuyên viên chính", "start_date": "2014-09-01", "end_date": ""}
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert (employment.start_date, employment.position) == (datetime.date(2014, 9, 1), "Chuyên viên chính")


def test_employment_edit_refuses_end_before_start(officer_client, office):
    person = make_person("Nguyễn Văn An", unit=office, start_date=datetime.date(2015, 1, 1))
    employment = person.employments.get()
    response = officer_client.post(
        reverse("organizations:employment_edit", args=[person.pk, employment.pk]),
        {"unit": office.pk, "start_date": "2015-01-01", "end_date": "2014-01-01"},
    )
    assert response.status_code == 400
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()


def test_employment_edit_of_another_persons_row_is_404(officer_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    other = make_person("Trần Văn Bình", unit=office)
    url = reverse("organizations:employment_edit", args=[person.pk, other.employments.get().pk])
    assert officer_client.get(url).status_code == 404


def test_employment_edit_forbidden_for_auditors(auditor_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    url = reverse("organizations:employment_edit", args=[person.pk, person.employments.get().pk])
    assert auditor_client.get(url).status_code == 403


def test_employment_delete_removes_the_row_and_audits(officer_client, officer, office, office2):
    person = make_person("Nguyễn Văn An", unit=office, start_date=datetime.date(2015, 1, 1))
    later = services.employment_start(
        actor=None, person=person, unit=office2, start_date=datetime.date(2020, 1, 1)
    )
    response = officer_client.post(reverse("organizations:employment_delete", args=[person.pk, later.pk]))
    assert response.status_code == 302
    assert list(person.employments.values_list("unit__code", flat=True)) == ["SKHCN_VP"]
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, actor=officer).count() == 1


def test_employment_delete_needs_post(officer_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    url = reverse("organizations:employment_delete", args=[person.pk, person.employments.get().pk])
    assert officer_client.get(url).status_code == 405


def test_employment_delete_outside_scope_is_404(outsider_client, office):
    person = make_person("Nguyễn Văn An", unit=office)
    url = reverse("organizations:employment_delete", args=[person.pk, person.employments.get().pk])
    assert outsider_client.post(url).status_code == 404
    assert person.employments.count() == 1
