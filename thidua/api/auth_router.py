"""POST /api/v1/auth/token: a bearer token for a user name and password, with the same throttling as
the login page."""

from django.conf import settings
from django.http import HttpResponse
from ninja import Router, Status

from thidua.accounts.services import api_token_issue, login_attempt, login_is_locked
from thidua.api.schemas import Message, TokenIn, TokenOut, ValidationErrorOut

router = Router(tags=["Xác thực"])


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: Message, 422: ValidationErrorOut, 429: Message},
    summary="Lấy mã truy cập",
)
def token_issue(request, response: HttpResponse, payload: TokenIn):
    """Đổi tên đăng nhập và mật khẩu lấy mã truy cập (Bearer). Sai quá nhiều lần thì bị khóa tạm
    thời (429) như trang đăng nhập."""
    # Asked before the attempt so that a locked account answers 429, not 401; login_attempt checks
    # the same condition first and records nothing while locked.
    locked = login_is_locked(username=payload.username.strip(), ip_address=request.META.get("REMOTE_ADDR"))
    user, error = login_attempt(request=request, username=payload.username, password=payload.password)
    if user is None:
        if locked:
            response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
            return Status(429, {"detail": error})
        response["WWW-Authenticate"] = "Bearer"
        return Status(401, {"detail": error})
    return Status(
        200,
        {"token": api_token_issue(user=user), "expires_in": settings.API_TOKEN_LIFETIME_DAYS * 24 * 60 * 60},
    )
