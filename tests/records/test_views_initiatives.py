import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person, make_user
from tests.records.conftest import audit_entries, initiative
from thidua.accounts.services import role_grant
from thidua.common.models import AuditAction
from thidua.records.models import Initiative

LIST = reverse("records:initiative_list")
CREATE = reverse("records:initiative_create")


def _titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


def _form(**overrides) -> dict:
    data = {
        "title": "Số hóa hồ sơ lưu trữ",
        "kind": "sang_kien",
        "scope": "co_so",
        "recognized_on": "15/10/2024",
        "recognizing_decision": "125/QĐ-SKHCN",
        "applied": "on",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- list


def test_initiative_list_shows_initiatives_with_their_authors(
    officer_client, office_person, office2_person, other_person
):
    initiative([office_person, office2_person], 2024, title="Phần mềm một cửa")
    initiative(other_person, 2024, title="Sáng kiến ngành y")

    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert _titles(response) == ["Phần mềm một cửa"]
    html = response.content.decode()
    assert html.index("Nguyễn Văn Ân") < html.index("Trần Thị Bích")


def test_initiative_list_is_forbidden_without_records_view(staff_client):
    assert staff_client.get(LIST).status_code == 403


def test_initiative_list_hides_other_departments(outsider_client, office_person):
    initiative(office_person, 2024)

    response = outsider_client.get(LIST)

    assert _titles(response) == []
    assert "Chưa ghi nhận sáng kiến, đề tài nào trong phạm vi của bạn." in response.content.decode()


def test_initiative_list_filters(officer_client, office_person, office2_person):
    initiative(office_person, 2023, title="Đề tài tỉnh", kind="de_tai", scope="tinh", applied=True)
    initiative(office2_person, 2024, title="Sáng kiến chưa áp dụng", applied=False)

    assert _titles(officer_client.get(LIST, {"kind": "de_tai"})) == ["Đề tài tỉnh"]
    assert _titles(officer_client.get(LIST, {"scope": "co_so"})) == ["Sáng kiến chưa áp dụng"]
    assert _titles(officer_client.get(LIST, {"year": 2023})) == ["Đề tài tỉnh"]
    assert _titles(officer_client.get(LIST, {"applied": "no"})) == ["Sáng kiến chưa áp dụng"]
    assert _titles(officer_client.get(LIST, {"unit": "SKHCN_QLKH"})) == ["Sáng kiến chưa áp dụng"]


def test_initiative_list_searches_titles_and_authors(officer_client, office_person, office2_person):
    initiative([office_person, office2_person], 2024, title="Phần mềm một cửa")
    initiative(office2_person, 2023, title="Quy trình lưu trữ")

    assert _titles(officer_client.get(LIST, {"q": "một cửa"})) == ["Phần mềm một cửa"]
    assert _titles(officer_client.get(LIST, {"q": "tran thi bich"})) == [
        "Phần mềm một cửa",
        "Quy trình lưu trữ",
    ]
    assert _titles(officer_client.get(LIST, {"q": "nguyen an"})) == ["Phần mềm một cửa"]


def test_initiative_list_query_count_does_not_grow_with_rows(officer_client, office, office_person):
    initiative(office_person, 2024)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(LIST)
    for name in ("Lê Văn Hai", "Lê Văn Ba"):
        author = make_person(name, unit=office)
        initiative([author, office_person], 2023)

    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(LIST)

    assert len(response.context["page"].object_list) == 3
    assert len(many) == len(one)


# ---------------------------------------------------------------- create, edit, delete


def test_initiative_create_keeps_the_authors_in_order_and_audits(
    officer_client, officer, office, office_person, office2_person
):
    response = officer_client.post(
        CREATE, _form(authors=[office2_person.pk, office_person.pk], unit=office.pk)
    )

    assert response.status_code == 302
    created = Initiative.objects.get()
    assert [link.person for link in created.author_links.all()] == [office2_person, office_person]
    assert (created.title, created.unit, created.recognized_on, created.applied) == (
        "Số hóa hồ sơ lưu trữ",
        office,
        datetime.date(2024, 10, 15),
        True,
    )
    entry = audit_entries(created, AuditAction.CREATE).get()
    assert entry.actor == officer
    assert entry.changes["authors"] == [None, [office2_person.pk, office_person.pk]]


def test_initiative_create_from_a_person_page_prefills_the_author(officer_client, office_person):
    response = officer_client.get(f"{CREATE}?person={office_person.pk}")

    assert f'name="authors" value="{office_person.pk}" checked' in response.content.decode()
    posted = officer_client.post(f"{CREATE}?person={office_person.pk}", _form(authors=[office_person.pk]))
    assert posted["Location"] == reverse("records:person_records", args=[office_person.pk])


def test_initiative_create_shows_every_error_in_vietnamese(officer_client):
    future = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")

    response = officer_client.post(
        CREATE, _form(title="", kind="", scope="", recognized_on=future, applied="", effective="on")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "title": ["Nhập tên sáng kiến, đề tài."],
        "kind": ["Chọn loại."],
        "authors": ["Cần ít nhất một tác giả."],
        "scope": ["Chọn phạm vi ảnh hưởng."],
        "recognized_on": ["Ngày không được sau ngày hôm nay."],
        "effective": ["Chỉ ghi “có hiệu quả” khi sáng kiến, đề tài đã được áp dụng."],
    }
    assert Initiative.objects.count() == 0


def test_initiative_create_refuses_a_duplicate_and_an_unknown_author(
    officer_client, office_person, other_person
):
    twice = officer_client.post(CREATE, _form(authors=[office_person.pk, office_person.pk]))
    hidden = officer_client.post(CREATE, _form(authors=[office_person.pk, other_person.pk]))
    bad_date = officer_client.post(CREATE, _form(authors=[office_person.pk], recognized_on="31/02/2024"))

    assert twice.context["form"].errors == {"authors": ["Một người được chọn hai lần."]}
    assert hidden.context["form"].errors == {
        "authors": ["Không tìm thấy cá nhân đã chọn, hoặc người này ngoài phạm vi của bạn."]
    }
    assert bad_date.context["form"].errors == {"recognized_on": ["Nhập ngày theo dạng dd/mm/yyyy."]}


def test_initiative_create_needs_an_author_in_care_or_a_unit(department, office, office2_person):
    # Sees the whole department (auditor) but writes only for the office (unit manager).
    user = make_user("hai_vai", role="auditor", unit=department)
    role_grant(actor=None, user=user, role="unit_manager", unit=office)
    client = Client()
    client.force_login(user)

    refused = client.post(CREATE, _form(authors=[office2_person.pk]))
    accepted = client.post(CREATE, _form(authors=[office2_person.pk], unit=office.pk))

    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "authors": ["Ít nhất một tác giả phải thuộc phạm vi quản lý của bạn, hoặc chọn đơn vị của sáng kiến."]
    }
    assert accepted.status_code == 302
    assert Initiative.objects.get().unit == office


def test_initiative_create_is_forbidden_without_manage(auditor_client):
    assert auditor_client.get(CREATE).status_code == 403
    assert auditor_client.post(CREATE, _form()).status_code == 403


def test_initiative_edit_changes_fields_and_authors(officer_client, office_person, office2_person):
    item = initiative(office_person, 2024)

    response = officer_client.post(
        reverse("records:initiative_edit", args=[item.pk]),
        _form(title="Tên mới", authors=[office_person.pk, office2_person.pk], scope="tinh"),
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.scope) == ("Tên mới", "tinh")
    assert [link.person_id for link in item.author_links.all()] == [office_person.pk, office2_person.pk]
    changes = audit_entries(item, AuditAction.UPDATE).get().changes
    assert changes["authors"] == [[office_person.pk], [office_person.pk, office2_person.pk]]


def test_initiative_edit_form_shows_the_current_authors(officer_client, office_person, office2_person):
    item = initiative([office2_person, office_person], 2024)

    html = officer_client.get(reverse("records:initiative_edit", args=[item.pk])).content.decode()

    assert html.index(f'value="{office2_person.pk}" checked') < html.index(
        f'value="{office_person.pk}" checked'
    )


def test_initiative_edit_is_404_outside_scope_and_403_without_manage(
    outsider_client, auditor_client, office_person
):
    item = initiative(office_person, 2024)
    url = reverse("records:initiative_edit", args=[item.pk])

    assert outsider_client.get(url).status_code == 404
    assert auditor_client.get(url).status_code == 403


def test_initiative_delete(officer_client, outsider_client, office_person):
    item = initiative(office_person, 2024)
    url = reverse("records:initiative_delete", args=[item.pk])

    assert outsider_client.post(url).status_code == 404
    assert officer_client.post(url).status_code == 302
    assert Initiative.objects.count() == 0
    assert audit_entries(item, AuditAction.DELETE).count() == 1
