import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TEST_PASSWORD, make_person, make_user
from thidua.accounts.models import RoleAssignment, User
from thidua.common.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:user_list")
CREATE = reverse("accounts:user_create")


@pytest.fixture
def department_admin(department):
    """An administrator of the department only: sees its accounts, not the province's."""
    return make_user("quantri_so", role="admin", unit=department)


@pytest.fixture
def department_admin_client(department_admin):
    client = Client()
    client.force_login(department_admin)
    return client


def _usernames(response) -> list[str]:
    return [user.username for user in response.context["page"].object_list]


# ---------------------------------------------------------------- list


def test_user_list_shows_accounts_with_their_roles(admin_client_, officer, manager, outsider):
    response = admin_client_.get(LIST)
    assert response.status_code == 200
    assert _usernames(response) == ["admin", "soyte", "truongphong", "vanphong"]
    assert "Cán bộ thi đua – khen thưởng · SKHCN" in response.content.decode()


def test_user_list_is_limited_to_the_admins_subtree(department_admin_client, officer, manager, outsider):
    assert _usernames(department_admin_client.get(LIST)) == ["quantri_so", "truongphong", "vanphong"]


def test_user_list_filters(admin_client_, officer, manager, staff, outsider):
    assert _usernames(admin_client_.get(LIST, {"role": "unit_manager"})) == ["truongphong"]
    assert _usernames(admin_client_.get(LIST, {"unit": "SKHCN_VP"})) == ["canbo", "truongphong"]
    assert _usernames(admin_client_.get(LIST, {"q": "le thi can"})) == ["canbo"]
    assert _usernames(admin_client_.get(LIST, {"q": "VANPHONG"})) == ["vanphong"]


def test_user_list_filters_locked_accounts(admin_client_, admin_user, officer, manager):
    from thidua.accounts.services import user_set_active

    user_set_active(actor=admin_user, user=manager, active=False)
    assert _usernames(admin_client_.get(LIST, {"active": "0"})) == ["truongphong"]
    assert _usernames(admin_client_.get(LIST, {"active": "1"})) == ["admin", "vanphong"]


def test_user_list_query_count_does_not_grow_with_accounts(admin_client_, office, department):
    make_user("mot", role="staff", unit=office)
    with CaptureQueriesContext(connection) as one:
        admin_client_.get(LIST)
    make_user("hai", role="staff", unit=office)
    make_user("ba", role="officer", unit=department)
    with CaptureQueriesContext(connection) as three:
        response = admin_client_.get(LIST)
    assert len(response.context["page"].object_list) == 4
    assert len(one.captured_queries) == len(three.captured_queries)


def test_user_list_forbidden_without_role_manage(officer_client):
    assert officer_client.get(LIST).status_code == 403


# ---------------------------------------------------------------- create


def test_user_create_with_person_and_role(admin_client_, admin_user, office):
    person = make_person("Phạm Thị Dung", unit=office)
    assert admin_client_.get(CREATE + f"?person={person.pk}").status_code == 200
    response = admin_client_.post(
        CREATE,
        {
            "username": "dungpt",
            "email": "dung@example.vn",
            "password1": "Mật-khẩu-mới-2026",
            "password2": "Mật-khẩu-mới-2026",
            "person": str(person.pk),
            "role": "staff",
            "unit": office.pk,
        },
    )
    user = User.objects.get(username="dungpt")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[user.pk])
    assert user.person == person
    assert user.check_password("Mật-khẩu-mới-2026")
    assert list(user.roles.values_list("role", "unit__code")) == [("staff", "SKHCN_VP")]
    assert AuditEntry.objects.filter(action=AuditAction.GRANT, actor=admin_user).count() == 1


def test_user_create_finds_the_person_by_cccd(admin_client_, office):
    person = make_person("Phạm Thị Dung", unit=office, cccd="082190000555")
    admin_client_.post(
        CREATE,
        {
            "username": "dungpt",
            "password1": "Mật-khẩu-mới-2026",
            "password2": "Mật-khẩu-mới-2026",
            "person": "082190000555",
        },
    )
    assert User.objects.get(username="dungpt").person == person


def test_user_create_checks_the_password_with_djangos_validators(admin_client_, office):
    response = admin_client_.post(
        CREATE,
        {
            "username": "dungpt",
            "password1": "12345",
            "password2": "12345",
            "role": "staff",
            "unit": office.pk,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["password1"]
    assert errors == [
        "Mật khẩu quá ngắn: cần ít nhất 10 ký tự.",
        "Mật khẩu này quá phổ biến, dễ bị đoán.",
        "Mật khẩu không được chỉ gồm chữ số.",
    ]
    assert not User.objects.filter(username="dungpt").exists()


def test_user_create_refuses_a_taken_username_and_mismatched_passwords(admin_client_, officer, office):
    response = admin_client_.post(
        CREATE,
        {
            "username": "VanPhong",
            "password1": "Mật-khẩu-mới-2026",
            "password2": "khác",
            "role": "staff",
            "unit": office.pk,
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Tên đăng nhập VanPhong đã được dùng." in content
    assert "Hai lần nhập mật khẩu không khớp." in content


def test_user_create_refuses_a_person_outside_scope(department_admin_client, other_department):
    person = make_person("Phạm Văn Y", unit=other_department)
    response = department_admin_client.post(
        CREATE,
        {
            "username": "yte",
            "password1": "Mật-khẩu-mới-2026",
            "password2": "Mật-khẩu-mới-2026",
            "person": str(person.pk),
        },
    )
    assert response.status_code == 400
    assert f"Không tìm thấy hồ sơ cá nhân {person.pk} trong phạm vi bạn quản lý." in response.content.decode()
    assert department_admin_client.get(CREATE + f"?person={person.pk}").status_code == 404


def test_user_create_needs_a_person_or_a_role_below_root_scope(department_admin_client, department):
    response = department_admin_client.post(
        CREATE, {"username": "moi", "password1": "Mật-khẩu-mới-2026", "password2": "Mật-khẩu-mới-2026"}
    )
    assert response.status_code == 400
    assert "Hãy gắn hồ sơ cá nhân hoặc cấp một vai trò" in response.content.decode()


def test_user_create_forbidden_without_role_manage(officer_client):
    assert officer_client.get(CREATE).status_code == 403


# ---------------------------------------------------------------- detail, roles, locking


def test_user_detail_shows_roles_in_scope_only(
    department_admin_client, officer, department, other_department
):
    from thidua.accounts.services import role_grant

    role_grant(actor=None, user=officer, role="auditor", unit=other_department)
    response = department_admin_client.get(reverse("accounts:user_detail", args=[officer.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Cán bộ thi đua – khen thưởng" in content
    assert "Sở Y tế" not in content
    assert "Còn 1 vai trò tại đơn vị ngoài phạm vi của bạn." in content


def test_user_detail_outside_scope_is_404(department_admin_client, outsider):
    assert department_admin_client.get(reverse("accounts:user_detail", args=[outsider.pk])).status_code == 404


def test_user_detail_forbidden_without_role_manage(officer_client, manager):
    assert officer_client.get(reverse("accounts:user_detail", args=[manager.pk])).status_code == 403


def test_role_grant_and_revoke(admin_client_, admin_user, officer, office):
    response = admin_client_.post(
        reverse("accounts:role_grant", args=[officer.pk]), {"role": "signer", "unit": office.pk}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=officer, role="signer")
    assert assignment.granted_by == admin_user
    response = admin_client_.post(reverse("accounts:role_revoke", args=[officer.pk, assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=officer, role="signer").exists()
    assert list(
        AuditEntry.objects.filter(actor=admin_user).order_by("id").values_list("action", flat=True)
    ) == ["grant", "revoke"]


def test_role_grant_refuses_a_unit_outside_scope(department_admin_client, officer, other_department):
    response = department_admin_client.post(
        reverse("accounts:role_grant", args=[officer.pk]), {"role": "signer", "unit": other_department.pk}
    )
    assert response.status_code == 400
    assert "Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn." in response.content.decode()
    assert not RoleAssignment.objects.filter(user=officer, role="signer").exists()


def test_role_revoke_outside_scope_is_404(department_admin_client, officer, other_department):
    from thidua.accounts.services import role_grant

    elsewhere = role_grant(actor=None, user=officer, role="auditor", unit=other_department)
    response = department_admin_client.post(reverse("accounts:role_revoke", args=[officer.pk, elsewhere.pk]))
    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=elsewhere.pk).exists()


def test_role_grant_needs_post(admin_client_, officer):
    assert admin_client_.get(reverse("accounts:role_grant", args=[officer.pk])).status_code == 405


def test_user_lock_and_unlock(admin_client_, admin_user, officer):
    url = reverse("accounts:user_set_active", args=[officer.pk])
    assert admin_client_.post(url, {"active": "0"}).status_code == 302
    officer.refresh_from_db()
    assert officer.is_active is False
    locked_out = Client()
    assert locked_out.login(username="vanphong", password=TEST_PASSWORD) is False
    admin_client_.post(url, {"active": "1"})
    officer.refresh_from_db()
    assert officer.is_active is True
    changes = list(
        AuditEntry.objects.filter(actor=admin_user, action=AuditAction.UPDATE)
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_user_cannot_lock_themselves(admin_client_, admin_user):
    response = admin_client_.post(
        reverse("accounts:user_set_active", args=[admin_user.pk]), {"active": "0"}, follow=True
    )
    admin_user.refresh_from_db()
    assert admin_user.is_active is True
    assert "Bạn không thể tự khóa tài khoản của chính mình." in response.content.decode()


def test_user_lock_outside_scope_is_404(department_admin_client, outsider):
    assert (
        department_admin_client.post(
            reverse("accounts:user_set_active", args=[outsider.pk]), {"active": "0"}
        ).status_code
        == 404
    )
    outsider.refresh_from_db()
    assert outsider.is_active is True


def test_user_edit_links_a_person(admin_client_, officer, department):
    person = make_person("Võ Văn Phòng", unit=department)
    url = reverse("accounts:user_edit", args=[officer.pk])
    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(url, {"email": "vanphong@example.vn", "person": str(person.pk)})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.email, officer.person) == ("vanphong@example.vn", person)


def test_user_edit_refuses_a_person_with_another_account(admin_client_, officer, staff, staff_person):
    response = admin_client_.post(
        reverse("accounts:user_edit", args=[officer.pk]), {"person": str(staff_person.pk)}
    )
    assert response.status_code == 400
    assert "Lê Thị Cán Bộ đã có tài khoản khác." in response.content.decode()


def test_user_edit_outside_scope_is_404(department_admin_client, outsider):
    assert department_admin_client.get(reverse("accounts:user_edit", args=[outsider.pk])).status_code == 404


@pytest.mark.parametrize("name", ["accounts:user_edit", "accounts:role_grant", "accounts:user_set_active"])
def test_account_actions_forbidden_without_role_manage(officer_client, manager, name):
    assert (
        officer_client.post(reverse(name, args=[manager.pk]), {"active": "0", "role": "admin"}).status_code
        == 403
    )
    manager.refresh_from_db()
    assert manager.is_active is True
    assert list(manager.roles.values_list("role", flat=True)) == ["unit_manager"]


def test_role_revoke_forbidden_without_role_manage(officer_client, manager):
    assignment = manager.roles.get()
    response = officer_client.post(reverse("accounts:role_revoke", args=[manager.pk, assignment.pk]))
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
