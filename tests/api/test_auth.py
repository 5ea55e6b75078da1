import datetime

import pytest
from django.test import Client
from django.utils import timezone

from thidua.accounts.models import ApiToken, LoginFailure
from thidua.accounts.services import api_token_issue

TOKEN_URL = "/api/v1/auth/token"


def _token_request(client: Client, username: str, password: str):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )


@pytest.mark.django_db
def test_healthz_answers_ok_without_login():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_refuses_post():
    assert Client().post("/healthz").status_code == 405


def test_token_issue_returns_a_token_that_authenticates(officer, password):
    response = _token_request(Client(enforce_csrf_checks=True), "vanphong", password)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_in"}
    assert body["expires_in"] == 30 * 24 * 60 * 60
    assert ApiToken.objects.get(user=officer).prefix == body["token"][:8]
    listing = Client().get("/api/v1/units", headers={"authorization": f"Bearer {body['token']}"})
    assert listing.status_code == 200


def test_token_issue_with_wrong_password_is_401(officer):
    response = _token_request(Client(), "vanphong", "sai-mat-khau-roi")

    assert response.status_code == 401
    assert response.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng."}
    assert response["WWW-Authenticate"] == "Bearer"
    assert ApiToken.objects.count() == 0
    assert LoginFailure.objects.filter(username="vanphong").count() == 1


def test_token_issue_for_unknown_user_is_401(db):
    response = _token_request(Client(), "khong-co-ai", "mat-khau-bat-ky")

    assert response.status_code == 401
    assert response.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng."}


def test_token_issue_is_locked_after_repeated_failures(officer, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    statuses = [_token_request(client, "vanphong", f"sai-{attempt}").status_code for attempt in range(3)]

    locked = _token_request(client, "vanphong", password)

    assert statuses == [401, 401, 401]
    assert locked.status_code == 429
    assert locked.json() == {"detail": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."}
    assert locked["Retry-After"] == "900"
    assert ApiToken.objects.count() == 0


def test_token_issue_for_inactive_user_is_401(officer, password):
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    assert _token_request(Client(), "vanphong", password).status_code == 401


def test_token_issue_without_password_is_422(officer):
    response = Client().post(TOKEN_URL, {"username": "vanphong"}, content_type="application/json")

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "password"],
                "field": "password",
                "msg": "Trường này là bắt buộc.",
                "type": "missing",
            }
        ],
        "errors": {"password": ["Trường này là bắt buộc."]},
    }


def test_token_issue_with_unparsable_body_is_400(officer):
    response = Client().post(TOKEN_URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Không đọc được nội dung yêu cầu: cần JSON hợp lệ."}


@pytest.mark.django_db
def test_request_without_token_is_401():
    response = Client().get("/api/v1/people")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Chưa xác thực: thiếu mã truy cập, hoặc mã không đúng hay đã hết hạn."
    }
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_request_with_unknown_token_is_401():
    response = Client().get("/api/v1/people", headers={"authorization": "Bearer khong-phai-ma-that"})

    assert response.status_code == 401


def test_request_with_expired_token_is_401(officer):
    token = api_token_issue(user=officer)
    ApiToken.objects.filter(user=officer).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = Client().get("/api/v1/units", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 401


def test_request_with_revoked_token_is_401(officer):
    token = api_token_issue(user=officer)
    ApiToken.objects.filter(user=officer).update(revoked_at=timezone.now())

    response = Client().get("/api/v1/units", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 401


def test_request_with_token_of_deactivated_user_is_401(officer):
    token = api_token_issue(user=officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    response = Client().get("/api/v1/units", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 401


def test_session_login_does_not_open_the_api(officer_client):
    # The API takes bearer tokens only: a browser session must not make cross-site requests work.
    assert officer_client.get("/api/v1/units").status_code == 401
