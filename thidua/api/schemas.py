"""Request and response shapes of /api/v1/. Dates are ISO 8601 (YYYY-MM-DD) both ways.

Input validators raise ``PydanticCustomError`` with a ``thidua_`` type and a Vietnamese message, which
``thidua.api.errors`` passes through unchanged; other schema errors are translated there.
"""

import datetime
import re
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

from thidua.organizations.enums import Gender, UnitKind

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic would also take timestamps and datetimes, and a client that sends
    31/02/2020 must hear that the format is wrong, not get a silently different day."""
    if value is None or isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise PydanticCustomError("thidua_date_format", _("Ngày phải có dạng YYYY-MM-DD, ví dụ 1985-04-30."))
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError(
            "thidua_date_invalid", _("Ngày %(day)s không tồn tại.") % {"day": value.strip()}
        ) from None


def _gender(value: Any) -> Any:
    if value in (None, ""):
        return None
    if value not in Gender.values:
        raise PydanticCustomError("thidua_gender", _("Giới tính phải là “nam” hoặc “nu”."))
    return value


def _text(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise PydanticCustomError("thidua_text", _("Phải là một chuỗi ký tự."))
    return value


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "example": "1985-04-30"}),
]
GenderCode = Annotated[Literal["nam", "nu"] | None, BeforeValidator(_gender)]
Text = Annotated[str, BeforeValidator(_text)]


class InputSchema(Schema):
    # An unknown key is refused rather than ignored: a client that sends "email" should learn it
    # was not saved.
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- shared


class Message(Schema):
    detail: str = Field(description="Thông báo bằng tiếng Việt.")


class FieldErrorItem(Schema):
    loc: list[str | int]
    field: str
    msg: str
    type: str


class ValidationErrorOut(Schema):
    """422: every problem with its field; ``errors`` groups the messages by field."""

    detail: list[FieldErrorItem]
    errors: dict[str, list[str]]


# ---------------------------------------------------------------- auth


class TokenIn(InputSchema):
    username: Text = Field(min_length=1, max_length=150)
    password: Text = Field(min_length=1, max_length=4096)


class TokenOut(Schema):
    token: str = Field(description="Gửi kèm mỗi yêu cầu: Authorization: Bearer <token>.")
    expires_in: int = Field(description="Số giây mã còn hiệu lực.")


# ---------------------------------------------------------------- units


class UnitOut(Schema):
    code: str
    name: str
    kind: UnitKind
    parent: str | None = Field(description="Mã đơn vị cấp trên, null với đơn vị gốc.")
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class UnitList(Schema):
    count: int
    items: list[UnitOut]


class UnitDetail(UnitOut):
    short_name: str
    kind_label: str
    address: str
    predecessors: list[str] = Field(
        description="Mã các đơn vị cũ mà đơn vị này kế thừa (trong phạm vi được xem)."
    )
    successors: list[str] = Field(description="Mã các đơn vị kế thừa đơn vị này (trong phạm vi được xem).")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


# ---------------------------------------------------------------- people


class PersonOut(Schema):
    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    gender: Literal["nam", "nu"] | None
    birth_date: datetime.date | None
    cccd: str | None
    unit: str | None = Field(description="Mã đơn vị hiện tại.")
    unit_name: str | None
    position: str
    recruited_on: datetime.date | None

    @staticmethod
    def resolve_gender(obj) -> str | None:
        return obj.gender or None

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.current_unit.code if obj.current_unit_id else None

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.current_unit.name if obj.current_unit_id else None

    @staticmethod
    def resolve_position(obj) -> str:
        return obj.current_position


class PersonList(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    next: int | None = Field(description="Số trang kế tiếp, null ở trang cuối.")
    items: list[PersonOut]


class PersonCreateIn(InputSchema):
    full_name: Text = Field(max_length=200, description="Họ, tên đệm và tên; tách tự động.")
    unit: Text = Field(max_length=40, description="Mã đơn vị công tác.")
    gender: GenderCode = None
    birth_date: IsoDate | None = None
    cccd: Text | None = Field(None, description="Số CCCD, 12 chữ số.")
    position: Text = Field("", max_length=120)
    recruited_on: IsoDate | None = None
    start_date: IsoDate | None = Field(
        None, description="Ngày bắt đầu công tác tại đơn vị; mặc định là ngày tuyển dụng hoặc hôm nay."
    )


class PersonPatchIn(InputSchema):
    """Only the keys sent are changed. A new ``unit`` or ``position`` starts a new employment from
    ``start_date`` (default today); the current one ends the day before."""

    full_name: Text | None = Field(None, max_length=200)
    unit: Text | None = Field(None, max_length=40)
    gender: GenderCode = None
    birth_date: IsoDate | None = None
    cccd: Text | None = None
    position: Text | None = Field(None, max_length=120)
    recruited_on: IsoDate | None = None
    start_date: IsoDate | None = None


# ---------------------------------------------------------------- imports


class ImportResult(Schema):
    id: int
    rows: int
    created: int
    updated: int
    unchanged: int


class ImportRowError(Schema):
    row: int
    column: str
    message: str
    field: str


class ImportFailedOut(Schema):
    detail: str
    errors: list[ImportRowError]
