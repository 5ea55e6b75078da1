"""People: /api/v1/people. Lists come from ``people_search`` (Vietnamese name order, accent-insensitive
search); single records only through ``access_person``; writes through the organisation services."""

import math
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from thidua.accounts import scopes
from thidua.api.errors import validation_error_payload
from thidua.api.schemas import (
    Message,
    PersonCreateIn,
    PersonList,
    PersonOut,
    PersonPatchIn,
    ValidationErrorOut,
)
from thidua.organizations import selectors, services

router = Router(tags=["Cá nhân"])

PAGE_SIZE = 50

# The services name the model's fields; the API has one ``full_name`` where the model has three parts.
_API_FIELD_NAMES = {"family_name": "full_name", "middle_name": "full_name", "given_name": "full_name"}


def _invalid(exc: ValidationError) -> Status:
    return Status(422, validation_error_payload(exc, field_names=_API_FIELD_NAMES))


def _unit_to_manage(user, code: str):
    """The unit a person is placed in: 404 when the caller cannot see it, 403 when they can see it
    but may not manage its people."""
    unit = selectors.access_unit(user, code)
    if not scopes.can(user, "person.manage", unit):
        raise PermissionDenied
    return unit


@router.get(
    "",
    response={200: PersonList, 401: Message, 404: Message, 422: ValidationErrorOut},
    summary="Danh sách cá nhân",
)
def person_list(
    request,
    q: Annotated[
        str, Query(max_length=200, description="Tìm theo họ tên (có dấu hoặc không dấu) hoặc số CCCD.")
    ] = "",
    unit: Annotated[
        str | None, Query(description="Mã đơn vị: người của đơn vị này và các đơn vị cấp dưới.")
    ] = None,
    page: Annotated[int, Query(ge=1, description="Trang, bắt đầu từ 1; mỗi trang 50 người.")] = 1,
):
    """Những người trong phạm vi được xem, xếp theo tên kiểu Việt Nam (tên, họ, tên đệm)."""
    unit_filter = selectors.access_unit(request.auth, unit) if unit else None
    queryset = selectors.people_search(request.auth, query=q, unit=unit_filter)
    count = queryset.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    start = (page - 1) * PAGE_SIZE
    items = list(queryset[start : start + PAGE_SIZE]) if start < count else []
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "next": page + 1 if page < pages else None,
        "items": items,
    }


@router.post(
    "",
    response={201: PersonOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Thêm cá nhân",
)
def person_create(request, payload: PersonCreateIn):
    """Thêm một người vào đơn vị (cần quyền quản lý nhân sự của đơn vị đó). Họ và tên được tách
    thành họ, tên đệm và tên."""
    unit = _unit_to_manage(request.auth, payload.unit)
    try:
        person = services.person_create(
            actor=request.auth,
            full_name=payload.full_name,
            unit=unit,
            position=payload.position,
            start_date=payload.start_date,
            gender=payload.gender or "",
            birth_date=payload.birth_date,
            cccd=payload.cccd,
            recruited_on=payload.recruited_on,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, selectors.access_person(request.auth, person.pk))


@router.get(
    "/{int:person_id}",
    response={200: PersonOut, 401: Message, 404: Message},
    summary="Thông tin cá nhân",
)
def person_detail(request, person_id: int):
    return selectors.access_person(request.auth, person_id)


@router.patch(
    "/{int:person_id}",
    response={200: PersonOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Sửa thông tin cá nhân",
)
def person_patch(request, person_id: int, payload: PersonPatchIn):
    """Chỉ sửa các trường được gửi. Đổi `unit` hoặc `position` là chuyển công tác: quá trình công tác
    mới bắt đầu từ `start_date` (mặc định hôm nay), quá trình hiện tại kết thúc ngày hôm trước."""
    user = request.auth
    person = selectors.access_person(user, person_id)
    if not scopes.can_on_person(user, "person.manage", person):
        raise PermissionDenied
    fields = payload.model_dump(exclude_unset=True)
    start_date = fields.pop("start_date", None)
    move = {key: fields.pop(key) for key in ("unit", "position") if key in fields}
    if "full_name" in fields:
        # null means "no name", which the service refuses with its own message.
        fields["full_name"] = fields["full_name"] or ""
    if "gender" in fields:
        fields["gender"] = fields["gender"] or ""
    current_code = person.current_unit.code if person.current_unit_id else None
    try:
        if "unit" in move and not move["unit"]:
            raise ValidationError({"unit": _("Đơn vị không được để trống.")})
        new_unit = person.current_unit
        if move.get("unit") and move["unit"] != current_code:
            new_unit = _unit_to_manage(user, move["unit"])
        new_position = (move["position"] or "") if "position" in move else person.current_position
        moves = new_unit != person.current_unit or new_position != person.current_position
        if moves and new_unit is None:
            raise ValidationError({"unit": _("Cần chọn đơn vị công tác để ghi chức vụ.")})
        if start_date is not None and not moves:
            raise ValidationError({"start_date": _("Ngày bắt đầu chỉ dùng khi đổi đơn vị hoặc chức vụ.")})
        # Both writes or neither: a refused move must not leave a half-applied change behind.
        with transaction.atomic():
            if fields:
                services.person_update(actor=user, person=person, **fields)
            if moves:
                services.employment_start(
                    actor=user,
                    person=person,
                    unit=new_unit,
                    position=new_position,
                    start_date=start_date or timezone.localdate(),
                )
    except ValidationError as exc:
        return _invalid(exc)
    return selectors.access_person(user, person.pk)
