"""The JSON API under /api/v1/: one router per domain app, OpenAPI at /api/v1/openapi.json,
interactive docs at /api/v1/docs (Swagger UI served from the app's own static files)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI

from thidua.api.auth import BearerToken
from thidua.api.errors import validation_error_payload

api = NinjaAPI(
    title="thidua API",
    version="1",
    description="Thi đua – khen thưởng: đơn vị, cá nhân, hồ sơ, quyết định.",
    urls_namespace="api",
    auth=BearerToken(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    return api.create_response(request, validation_error_payload(exc), status=422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "Không có quyền."}, status=403)


from thidua.api import routers  # noqa: E402,F401  (registers the routers on `api`)
