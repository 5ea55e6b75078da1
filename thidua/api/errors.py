"""One 422 shape for every invalid input, whether the schema or a service refused it:

    {"detail": [{"loc": ["body", "cccd"], "field": "cccd", "msg": "…", "type": "…"}],
     "errors": {"cccd": ["…"]}}

Messages are Vietnamese: services already raise them; pydantic's English ones are replaced here.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

# Input sources as ninja names them in ``loc``; a body schema adds its parameter name after "body".
_BODY_SOURCES = {"body", "form"}


def validation_error_payload(exc: ValidationError, *, field_names: dict[str, str] | None = None) -> dict:
    """A service's ValidationError as the 422 body. ``field_names`` renames model fields to the API's
    (the model's ``given_name`` is the API's ``full_name``)."""
    renames = field_names or {}
    errors: dict[str, list[str]] = {}
    if hasattr(exc, "error_dict"):
        for field, messages in exc.error_dict.items():
            name = renames.get(field, field)
            errors.setdefault(name, []).extend(str(message) for message in ValidationError(messages).messages)
    else:
        errors[NON_FIELD_ERRORS] = [str(message) for message in exc.messages]
    detail = [
        {"loc": ["body", field], "field": field, "msg": message, "type": "value_error"}
        for field, messages in errors.items()
        for message in messages
    ]
    return {"detail": detail, "errors": errors}


def _schema_message(error: dict[str, Any], loc: list[str | int]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind.startswith("thidua_"):
        # Raised by our own validators (api.schemas) in Vietnamese already.
        return str(error.get("msg", ""))
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    if kind == "missing":
        if loc == ["body"]:
            return _("Thiếu nội dung yêu cầu (JSON).")
        return _("Trường này là bắt buộc.")
    if kind in {"string_type", "string_unicode"}:
        return _("Phải là một chuỗi ký tự.")
    if kind == "string_too_short":
        if context.get("min_length") == 1:
            return _("Không được để trống.")
        return _("Phải có ít nhất %(count)s ký tự.") % {"count": context.get("min_length")}
    if kind == "string_too_long":
        return _("Không được dài quá %(count)s ký tự.") % {"count": context.get("max_length")}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Phải là một số nguyên.")
    if kind == "greater_than_equal":
        return _("Phải lớn hơn hoặc bằng %(value)s.") % {"value": context.get("ge")}
    if kind == "greater_than":
        return _("Phải lớn hơn %(value)s.") % {"value": context.get("gt")}
    if kind == "less_than_equal":
        return _("Phải nhỏ hơn hoặc bằng %(value)s.") % {"value": context.get("le")}
    if kind in {"bool_parsing", "bool_type"}:
        return _("Phải là true hoặc false.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Ngày phải có dạng YYYY-MM-DD, ví dụ 1985-04-30.")
    if kind in {"literal_error", "enum"}:
        expected = str(context.get("expected", "")).replace(" or ", _(" hoặc "))
        return _("Giá trị phải là một trong: %(values)s.") % {"values": expected}
    if kind == "extra_forbidden":
        return _("Trường này không được hỗ trợ.")
    if kind in {"model_attributes_type", "model_type", "dict_type"}:
        return _("Phải là một đối tượng JSON.")
    if kind in {"list_type", "tuple_type"}:
        return _("Phải là một danh sách.")
    if kind == "json_invalid":
        return _("Nội dung JSON không hợp lệ.")
    return _("Giá trị không hợp lệ.")


def _schema_location(error: dict[str, Any]) -> tuple[list[str | int], str]:
    """ninja's loc ("body", "payload", "gender") → (["body", "gender"], "gender")."""
    loc = list(error.get("loc") or [])
    if loc and loc[0] in _BODY_SOURCES and len(loc) >= 2:
        # Drop the view's parameter name: clients know fields, not our function signatures.
        loc = [loc[0], *loc[2:]]
    field = ".".join(str(part) for part in loc[1:]) or NON_FIELD_ERRORS
    return loc, field


def schema_error_payload(errors: list[dict[str, Any]]) -> dict:
    """ninja's schema errors (pydantic's, with ``loc``) as the same 422 body, in Vietnamese."""
    detail = []
    grouped: dict[str, list[str]] = {}
    for error in errors:
        loc, field = _schema_location(error)
        message = _schema_message(error, loc)
        detail.append(
            {"loc": loc, "field": field, "msg": message, "type": str(error.get("type", "value_error"))}
        )
        grouped.setdefault(field, []).append(message)
    return {"detail": detail, "errors": grouped}
