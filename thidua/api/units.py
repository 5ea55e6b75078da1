"""The organisation tree: /api/v1/units. Only units in the caller's scope are listed or shown."""

from typing import Annotated

from ninja import Query, Router

from thidua.accounts import scopes
from thidua.api.schemas import IsoDate, Message, UnitDetail, UnitList, ValidationErrorOut
from thidua.organizations import selectors

router = Router(tags=["Đơn vị"])


@router.get(
    "",
    response={200: UnitList, 401: Message, 404: Message, 422: ValidationErrorOut},
    summary="Danh sách đơn vị",
)
def unit_list(
    request,
    under: Annotated[
        str | None, Query(description="Mã đơn vị gốc: chỉ lấy đơn vị này và các đơn vị cấp dưới.")
    ] = None,
    at: Annotated[
        IsoDate | None, Query(description="Chỉ lấy các đơn vị còn hiệu lực vào ngày này (YYYY-MM-DD).")
    ] = None,
):
    """Các đơn vị trong phạm vi được xem, theo thứ tự cây (cha trước con)."""
    queryset = selectors.units_visible_to(request.auth)
    if under:
        root = selectors.access_unit(request.auth, under)
        queryset = queryset.filter(path__startswith=root.path)
    if at is not None:
        queryset = queryset.valid_on(at)
    units = list(queryset.select_related("parent").order_by("path"))
    return {"count": len(units), "items": units}


@router.get(
    "/{code}",
    response={200: UnitDetail, 401: Message, 404: Message},
    summary="Chi tiết đơn vị",
)
def unit_detail(request, code: str):
    """Một đơn vị, với mã các đơn vị tiền thân và kế thừa (chỉ những đơn vị trong phạm vi được xem)."""
    unit = selectors.access_unit(request.auth, code)
    user = request.auth
    unit.predecessors = [
        link.predecessor.code
        for link in selectors.unit_predecessors(unit)
        if scopes.can(user, "unit.view", link.predecessor)
    ]
    unit.successors = [
        link.successor.code
        for link in selectors.unit_successors(unit)
        if scopes.can(user, "unit.view", link.successor)
    ]
    return unit
