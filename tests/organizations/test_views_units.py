import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_person, make_unit, make_user
from thidua.common.models import AuditAction, AuditEntry
from thidua.organizations import services
from thidua.organizations.models import Unit, UnitSuccession

pytestmark = pytest.mark.django_db

TREE = reverse("organizations:unit_tree")


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# ---------------------------------------------------------------- tree


def test_unit_tree_shows_the_users_subtree_only(officer_client, office, office2, other_department):
    response = officer_client.get(TREE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sở Khoa học và Công nghệ" in content
    assert "Văn phòng Sở" in content
    assert "Phòng Quản lý khoa học" in content
    assert "Sở Y tế" not in content
    assert "Ủy ban nhân dân tỉnh Tiền Giang" not in content
    assert reverse("organizations:unit_detail", args=["SKHCN_VP"]) in content


def test_unit_tree_requires_login(client, province):
    response = client.get(TREE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_unit_tree_forbidden_without_any_role(client, province):
    user = make_user("khongquyen")
    client.force_login(user)
    assert client.get(TREE).status_code == 403


def test_unit_tree_hides_ceased_units_unless_asked(officer_client, office, office2):
    services.unit_update(actor=None, unit=office2, valid_to=datetime.date(2025, 6, 30))

    today = officer_client.get(TREE).content.decode()
    with_ceased = officer_client.get(TREE, {"show_ceased": "on"}).content.decode()
    back_then = officer_client.get(TREE, {"at": "2025-01-01"}).content.decode()
    typed_date = officer_client.get(TREE, {"at": "01/01/2025"}).content.decode()

    assert "Phòng Quản lý khoa học" not in today
    assert "Phòng Quản lý khoa học" in with_ceased
    assert 'class="unit-name ceased"' in with_ceased
    assert "Phòng Quản lý khoa học" in back_then
    assert "unit-name ceased" not in back_then
    assert "Phòng Quản lý khoa học" in typed_date


def test_unit_tree_search_is_accent_insensitive_and_keeps_ancestors(officer_client, office, office2):
    content = officer_client.get(TREE, {"q": "van phong"}).content.decode()
    assert "Văn phòng Sở" in content
    assert "Sở Khoa học và Công nghệ" in content  # the ancestor, to keep the tree's shape
    assert "Phòng Quản lý khoa học" not in content


def test_unit_tree_search_without_match_says_so(officer_client, office):
    content = officer_client.get(TREE, {"q": "không có"}).content.decode()
    assert "Không có đơn vị nào khớp với “không có”." in content


def test_unit_tree_shows_people_counts(officer_client, office, office2):
    make_person("Nguyễn Văn An", unit=office)
    make_person("Trần Thị Bình", unit=office)
    make_person("Lê Văn Cường", unit=office2)
    content = officer_client.get(TREE).content.decode()
    assert '<span class="badge" title="Số người đang công tác">0 / 3</span>' in content
    assert '<span class="badge" title="Số người đang công tác">2</span>' in content
    assert '<span class="badge" title="Số người đang công tác">1</span>' in content


def test_unit_tree_query_count_does_not_grow_with_units(officer_client, department, office):
    make_person("Nguyễn Văn An", unit=office)
    few = _count_queries(officer_client, TREE)
    for number in range(3):
        unit = make_unit(f"Phòng số {number}", parent=department)
        make_person(f"Phạm Văn Số {number}", unit=unit)
    many = _count_queries(officer_client, TREE)
    assert few == many


# ---------------------------------------------------------------- unit page


def test_unit_detail_shows_facts_children_and_people(officer_client, department, office, office2):
    make_person("Nguyễn Văn An", unit=department, position="Giám đốc")
    response = officer_client.get(reverse("organizations:unit_detail", args=["SKHCN"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Sở Khoa học và Công nghệ</h1>" in content
    assert "Văn phòng Sở" in content and "Phòng Quản lý khoa học" in content
    assert "Nguyễn Văn An" in content and "Giám đốc" in content
    assert "Ủy ban nhân dân tỉnh Tiền Giang" in content  # parent named, though not visible
    assert reverse("organizations:unit_detail", args=["UBND_TG"]) not in content
    assert f'{reverse("organizations:person_list")}?unit=SKHCN"' in content


def test_unit_detail_outside_scope_is_404(outsider_client, office):
    assert outsider_client.get(reverse("organizations:unit_detail", args=["SKHCN_VP"])).status_code == 404


def test_unit_detail_unknown_code_is_404(officer_client, office):
    assert officer_client.get(reverse("organizations:unit_detail", args=["KHONG_CO"])).status_code == 404


def test_unit_detail_of_ceased_unit_names_its_successor(officer_client, office, office2):
    services.unit_record_succession(
        actor=None,
        predecessors=[office2],
        successor=office,
        kind="merger",
        effective_on=datetime.date(2025, 7, 1),
    )
    content = officer_client.get(reverse("organizations:unit_detail", args=["SKHCN_QLKH"])).content.decode()
    assert "Đơn vị đã ngừng hoạt động từ 01/07/2025" in content
    assert f'<a href="{reverse("organizations:unit_detail", args=["SKHCN_VP"])}">Văn phòng Sở</a>' in content
    successor_page = officer_client.get(
        reverse("organizations:unit_detail", args=["SKHCN_VP"])
    ).content.decode()
    assert "Kế thừa từ" in successor_page and "Phòng Quản lý khoa học" in successor_page


def test_unit_detail_shows_recent_changes_to_auditors_only(auditor_client, officer_client, office):
    url = reverse("organizations:unit_detail", args=["SKHCN_VP"])
    assert "Thay đổi gần đây tại đơn vị" in auditor_client.get(url).content.decode()
    assert "Thay đổi gần đây tại đơn vị" not in officer_client.get(url).content.decode()


def test_unit_detail_people_hidden_from_staff(staff_client, office, staff_person):
    response = staff_client.get(reverse("organizations:unit_detail", args=["SKHCN_VP"]))
    assert response.status_code == 200
    assert "Cá nhân đang công tác" not in response.content.decode()


# ---------------------------------------------------------------- create and edit


def _unit_data(**overrides):
    data = {
        "code": "SKHCN_TT",
        "name": "Thanh tra Sở",
        "short_name": "TTr",
        "kind": "phong",
        "valid_from": "2020-01-01",
    }
    data.update(overrides)
    return data


def test_unit_create_adds_an_audited_unit(officer_client, officer, department):
    url = reverse("organizations:unit_create") + "?parent=SKHCN"
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(url, _unit_data(parent=department.pk))
    assert response.status_code == 302
    assert response.url == reverse("organizations:unit_detail", args=["SKHCN_TT"])
    unit = Unit.objects.get(code="SKHCN_TT")
    assert unit.parent == department
    assert unit.path.startswith(department.path)
    entry = AuditEntry.objects.get(
        action=AuditAction.CREATE, object_id=str(unit.pk), content_type__model="unit"
    )
    assert entry.actor == officer


def test_unit_create_rejects_a_used_code_in_vietnamese(officer_client, department, office):
    response = officer_client.post(
        reverse("organizations:unit_create"), _unit_data(code="skhcn_vp", parent=department.pk)
    )
    assert response.status_code == 400
    assert "Mã đơn vị skhcn_vp đã được dùng cho đơn vị khác." in response.content.decode()


def test_unit_create_rejects_a_parent_outside_scope(officer_client, department, other_department):
    response = officer_client.post(
        reverse("organizations:unit_create"), _unit_data(parent=other_department.pk)
    )
    assert response.status_code == 400
    assert not Unit.objects.filter(code="SKHCN_TT").exists()


def test_unit_create_requires_a_parent_below_root_scope(officer_client, department):
    response = officer_client.post(reverse("organizations:unit_create"), _unit_data())
    assert response.status_code == 400
    assert not Unit.objects.filter(code="SKHCN_TT").exists()


def test_unit_create_rejects_validity_in_the_wrong_order(officer_client, department):
    response = officer_client.post(
        reverse("organizations:unit_create"), _unit_data(parent=department.pk, valid_to="2019-01-01")
    )
    assert response.status_code == 400
    assert "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực." in response.content.decode()


def test_unit_create_forbidden_without_unit_manage(manager_client, office):
    assert manager_client.get(reverse("organizations:unit_create")).status_code == 403


def test_unit_create_under_a_parent_outside_scope_is_404(outsider_client, department):
    assert outsider_client.get(reverse("organizations:unit_create") + "?parent=SKHCN").status_code == 404


def test_unit_edit_saves_changes(officer_client, office):
    url = reverse("organizations:unit_edit", args=["SKHCN_VP"])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url,
        {
            "code": "SKHCN_VP",
            "name": "Văn phòng Sở KH&CN",
            "short_name": "VP",
            "kind": "phong",
            "parent": office.parent_id,
            "valid_from": "2000-01-01",
        },
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.name == "Văn phòng Sở KH&CN"
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(office.pk)).get()
    assert entry.changes == {"name": ["Văn phòng Sở", "Văn phòng Sở KH&CN"]}


def test_unit_edit_of_own_top_unit_cannot_move_it(officer_client, department, province):
    response = officer_client.post(
        reverse("organizations:unit_edit", args=["SKHCN"]),
        {
            "code": "SKHCN",
            "name": "Sở Khoa học và Công nghệ",
            "short_name": "SKHCN",
            "kind": "so_nganh",
            "valid_from": "2000-01-01",
        },
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.parent == province


def test_unit_edit_forbidden_for_viewers(manager_client, office):
    assert manager_client.get(reverse("organizations:unit_edit", args=["SKHCN_VP"])).status_code == 403


def test_unit_edit_outside_scope_is_404(outsider_client, office):
    assert outsider_client.get(reverse("organizations:unit_edit", args=["SKHCN_VP"])).status_code == 404


# ---------------------------------------------------------------- succession


def test_unit_succession_records_a_merger(officer_client, office, office2):
    url = reverse("organizations:unit_succession") + "?predecessor=SKHCN_QLKH"
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url,
        {
            "predecessors": [office2.pk],
            "successor": office.pk,
            "kind": "merger",
            "effective_on": "01/07/2025",
            "legal_basis": "Quyết định 1/QĐ-UBND",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("organizations:unit_detail", args=["SKHCN_VP"])
    office2.refresh_from_db()
    assert office2.valid_to == datetime.date(2025, 6, 30)
    link = UnitSuccession.objects.get()
    assert (link.predecessor, link.successor, link.legal_basis) == (office2, office, "Quyết định 1/QĐ-UBND")


def test_unit_succession_refuses_the_same_unit_on_both_sides(officer_client, office):
    response = officer_client.post(
        reverse("organizations:unit_succession"),
        {"predecessors": [office.pk], "successor": office.pk, "kind": "rename", "effective_on": "2025-07-01"},
    )
    assert response.status_code == 400
    assert "Đơn vị kế thừa phải khác đơn vị cũ." in response.content.decode()


def test_unit_succession_refuses_a_date_before_the_unit_began(officer_client, office, office2):
    response = officer_client.post(
        reverse("organizations:unit_succession"),
        {
            "predecessors": [office2.pk],
            "successor": office.pk,
            "kind": "merger",
            "effective_on": "1999-01-01",
        },
    )
    assert response.status_code == 400
    assert "bắt đầu hoạt động từ 01/01/2000, không thể ngừng trước ngày đó." in response.content.decode()


def test_unit_succession_forbidden_without_unit_manage(auditor_client, office):
    assert auditor_client.get(reverse("organizations:unit_succession")).status_code == 403


def test_unit_succession_with_a_unit_outside_scope_is_404(outsider_client, office):
    url = reverse("organizations:unit_succession") + "?successor=SKHCN_VP"
    assert outsider_client.get(url).status_code == 404


def test_unit_pages_are_dated_the_vietnamese_way(officer_client, office):
    services.unit_update(
        actor=None, unit=office, valid_to=timezone.localdate() + datetime.timedelta(days=400)
    )
    content = officer_client.get(reverse("organizations:unit_detail", args=["SKHCN_VP"])).content.decode()
    assert "từ 01/01/2000" in content
