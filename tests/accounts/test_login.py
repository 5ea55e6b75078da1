import pytest
from django.urls import reverse

from thidua.common.models import AuditAction, AuditEntry


@pytest.mark.django_db
def test_login_with_correct_password_redirects_to_dashboard(client, officer, password):
    response = client.post(reverse("accounts:login"), {"username": "vanphong", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("common:dashboard")
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=officer).count() == 1


@pytest.mark.django_db
def test_login_with_wrong_password_shows_vietnamese_error(client, officer):
    response = client.post(reverse("accounts:login"), {"username": "vanphong", "password": "sai-mat-khau"})
    assert response.status_code == 400
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, note="vanphong").count() == 1


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures_even_with_right_password(client, officer, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "vanphong", "password": "sai-mat-khau"})
    response = client.post(reverse("accounts:login"), {"username": "vanphong", "password": password})
    assert response.status_code == 400
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_successful_login_clears_failures(client, officer, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "vanphong", "password": "sai-mat-khau"})
    assert client.post(reverse("accounts:login"), {"username": "vanphong", "password": password}).status_code == 302
    client.logout()
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "vanphong", "password": "sai-mat-khau"})
    assert client.post(reverse("accounts:login"), {"username": "vanphong", "password": password}).status_code == 302


@pytest.mark.django_db
def test_login_refuses_external_next_url(client, officer, password):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/", {"username": "vanphong", "password": password}
    )
    assert response["Location"] == reverse("common:dashboard")


@pytest.mark.django_db
def test_logout_requires_post(officer_client):
    assert officer_client.get(reverse("accounts:logout")).status_code == 405
    assert officer_client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.django_db
def test_dashboard_requires_login(client):
    response = client.get(reverse("common:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_passwords_are_hashed_with_argon2():
    from django.conf import settings as django_settings

    # The test run swaps in MD5 for speed (conftest); the project setting itself must lead with Argon2.
    import thidua.settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert django_settings.AUTH_USER_MODEL == "accounts.User"
