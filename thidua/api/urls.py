"""The JSON API under /api/v1/: one router per domain app, OpenAPI at /api/v1/openapi.json,
interactive docs at /api/v1/docs (Swagger UI served from the app's own static files)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from thidua.api.auth import BearerToken
from thidua.api.errors import schema_error_payload, validation_error_payload

api = NinjaAPI(
    title="thidua API",
    version="1",
    description=(
        "Thi đua – khen thưởng: đơn vị, cá nhân, hồ sơ, quyết định.\n\n"
        "Lấy mã truy cập bằng `POST /api/v1/auth/token`, rồi gửi kèm mỗi yêu cầu "
        "`Authorization: Bearer <mã>`. Ngày theo dạng ISO (YYYY-MM-DD). Dữ liệu ngoài phạm vi "
        "được giao trả về 404."
    ),
    urls_namespace="api",
    auth=BearerToken(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    # ninja renders its own template with the Swagger UI files it ships (ninja/static/ninja/), the
    # settings in a JSON data block and no inline script, so the page runs under our CSP. No
    # validator badge: it would fetch an image from an outside server.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    return api.create_response(request, validation_error_payload(exc), status=422)


@api.exception_handler(SchemaValidationError)
def _schema_validation_error(request, exc):
    return api.create_response(request, schema_error_payload(exc.errors), status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = api.create_response(
        request,
        {"detail": _("Chưa xác thực: thiếu mã truy cập, hoặc mã không đúng hay đã hết hạn.")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # ninja raises 400 itself for a body it cannot parse; its message is English.
    detail = _("Không đọc được nội dung yêu cầu: cần JSON hợp lệ.") if exc.status_code == 400 else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _("Không có quyền.")}, status=403)


from thidua.api import routers  # noqa: E402,F401  (registers the routers on `api`)
