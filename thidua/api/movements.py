"""Emulation movements over the API: create a movement, read it, move it along its workflow
(draft → launched → closed), register units and people for it, and list the registrations.

A movement is read through ``access_movement`` (404 outside the caller's sight); writes go through the
movement services. A transition the workflow refuses answers 409 with the reason; so does a
registration while the movement is not open or after its deadline. Other refusals are 422 in the shape
of ``thidua.api.errors``; a caller who sees but may not act gets 403.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from thidua.api.errors import validation_error_payload
from thidua.api.schemas import InputSchema, IsoDate, Message, Text, ValidationErrorOut
from thidua.movements import selectors, services
from thidua.movements.documents import movement_transition_with_letter
from thidua.movements.enums import MovementKind, MovementStatus, Participation, RegistrationStatus
from thidua.movements.models import Movement, Registration
from thidua.organizations import selectors as org_selectors
from thidua.organizations.models import Unit
from thidua.rules.models import AwardType

router = Router(tags=["Phong trào thi đua"])


# ---------------------------------------------------------------- input checks


def _choice(values: list[str], message: str):
    def check(value: Any) -> Any:
        if value not in values:
            raise PydanticCustomError("thidua_choice", message % {"values": ", ".join(values)})
        return value

    return BeforeValidator(check)


def _points(value: Any) -> Any:
    """Maximum points of a criterion: a number above 0, up to 9999.99, at most two decimals."""
    message = _("Điểm tối đa phải là một số lớn hơn 0, tối đa 9999,99, lấy đến 2 chữ số thập phân.")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PydanticCustomError("thidua_points", message)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise PydanticCustomError("thidua_points", message) from None
    if (
        not number.is_finite()
        or not (0 < number <= Decimal("9999.99"))
        or number != number.quantize(Decimal("0.01"))
    ):
        raise PydanticCustomError("thidua_points", message)
    return number


KindCode = Annotated[
    Literal["thuong_xuyen", "theo_dot", "chuyen_de"],
    _choice(MovementKind.values, _("Loại phong trào phải là một trong: %(values)s.")),
]
ParticipationCode = Annotated[
    Literal["subtree", "chosen"],
    _choice(Participation.values, _("Đơn vị tham gia phải là một trong: %(values)s.")),
]
TargetStatus = Annotated[
    Literal["launched", "closed"],
    _choice(
        [MovementStatus.LAUNCHED, MovementStatus.CLOSED], _("Trạng thái mới phải là một trong: %(values)s.")
    ),
]
Points = Annotated[Decimal, BeforeValidator(_points), WithJsonSchema({"type": "number", "example": 20})]


class CriterionIn(InputSchema):
    name: Text = Field(min_length=1, max_length=300)
    max_points: Points


class MovementIn(InputSchema):
    title: Text = Field(min_length=1, max_length=300)
    kind: KindCode = Field(description="thuong_xuyen, theo_dot hoặc chuyen_de.")
    launching_unit: Text = Field(min_length=1, max_length=40, description="Mã đơn vị phát động.")
    start: IsoDate
    end: IsoDate
    purpose: Text = ""
    content: Text = ""
    tasks: list[Text] = Field(default_factory=list, description="Các nhiệm vụ trọng tâm, theo thứ tự.")
    criteria: list[CriterionIn] = Field(default_factory=list, description="Bảng tiêu chí chấm điểm (nếu có).")
    planned_awards: list[Text] = Field(
        default_factory=list, description="Mã các danh hiệu, hình thức khen thưởng dự kiến."
    )
    registration_deadline: IsoDate | None = None
    participation: ParticipationCode = Field(
        "subtree",
        description="subtree: mọi đơn vị trực thuộc đơn vị phát động; chosen: các đơn vị trong chosen_units.",
    )
    chosen_units: list[Text] = Field(
        default_factory=list, description="Mã các đơn vị tham gia (khi participation = chosen)."
    )
    parent: int | None = Field(
        None, description="Mã số phong trào cha (đợt thi đua của một phong trào nhiều năm)."
    )


class TransitionIn(InputSchema):
    to: TargetStatus = Field(description="launched (phát động) hoặc closed (tổng kết).")
    note: Text = Field(
        "", max_length=20000, description="Bắt buộc khi tổng kết: kết quả tổng kết phong trào."
    )


class RegistrationIn(InputSchema):
    unit: Text | None = Field(None, max_length=40, description="Mã đơn vị đăng ký như một tập thể.")
    person: int | None = Field(
        None, description="Mã hồ sơ cá nhân đăng ký. Gửi unit hoặc person, không cả hai."
    )
    awards: list[Text] = Field(default_factory=list, description="Mã các danh hiệu đăng ký.")
    commitment: Text = Field("", max_length=20000)


# ---------------------------------------------------------------- output shapes


class CriterionOut(Schema):
    name: str
    max_points: float


class RegistrationCounts(Schema):
    total: int
    submitted: int
    approved: int
    rejected: int


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: datetime.datetime
    by: str | None = Field(description="Tên đăng nhập của người chuyển trạng thái.")
    note: str


class MovementOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    launching_unit: str
    parent: int | None
    start: datetime.date
    end: datetime.date
    purpose: str
    content: str
    registration_deadline: datetime.date | None
    participation: str
    launched_on: datetime.date | None
    closed_on: datetime.date | None
    final_review: str
    tasks: list[str]
    criteria: list[CriterionOut]
    planned_awards: list[str]
    participating_units: list[str] = Field(description="Mã các đơn vị tham gia.")
    registrations: RegistrationCounts
    transitions: list[TransitionOut]


class RegistrationOut(Schema):
    id: int
    unit: str | None = Field(description="Mã tập thể đăng ký; null với đăng ký cá nhân.")
    person: int | None = Field(description="Mã hồ sơ cá nhân; null với đăng ký tập thể.")
    on_behalf_of: str = Field(description="Mã đơn vị tham gia mà đăng ký được tính cho.")
    awards: list[str]
    commitment: str
    status: str


class RegistrationList(Schema):
    count: int
    items: list[RegistrationOut]


# ---------------------------------------------------------------- helpers


def _invalid(exc: ValidationError) -> Status:
    return Status(422, validation_error_payload(exc))


def _movement_payload(movement: Movement) -> dict:
    """The movement with its lists, in a fixed number of queries."""
    counts = dict(
        Registration.objects.filter(movement=movement)
        .order_by()
        .values_list("status")
        .annotate(total=Count("pk"))
    )
    return {
        "id": movement.pk,
        "title": movement.title,
        "kind": movement.kind,
        "status": movement.status,
        "launching_unit": movement.launching_unit.code,
        "parent": movement.parent_id,
        "start": movement.start,
        "end": movement.end,
        "purpose": movement.purpose,
        "content": movement.content,
        "registration_deadline": movement.registration_deadline,
        "participation": movement.participation,
        "launched_on": movement.launched_on,
        "closed_on": movement.closed_on,
        "final_review": movement.final_review,
        "tasks": list(movement.tasks.values_list("text", flat=True)),
        "criteria": [
            {"name": name, "max_points": float(points)}
            for name, points in movement.criteria.values_list("name", "max_points")
        ],
        "planned_awards": list(movement.planned_awards.order_by("code").values_list("code", flat=True)),
        "participating_units": list(services.participating_units(movement).values_list("code", flat=True)),
        "registrations": {
            "total": sum(counts.values()),
            **{status: counts.get(status, 0) for status in RegistrationStatus.values},
        },
        "transitions": [
            {
                "from_status": transition.from_status,
                "to_status": transition.to_status,
                "at": transition.at,
                "by": transition.by.username if transition.by_id else None,
                "note": transition.note,
            }
            for transition in movement.transitions.select_related("by").order_by("at", "id")
        ],
    }


def _awards(codes: list[str], field: str) -> list[AwardType]:
    found = {award.code: award for award in AwardType.objects.filter(code__in=codes)}
    missing = [code for code in dict.fromkeys(codes) if code not in found]
    if missing:
        raise ValidationError(
            {
                field: [
                    _("Không có danh hiệu, hình thức khen thưởng mã “%(code)s”.") % {"code": code}
                    for code in missing
                ]
            }
        )
    return [found[code] for code in dict.fromkeys(codes)]


def _chosen_units(user, codes: list[str]) -> list[Unit]:
    visible = {
        unit.code: unit
        for unit in org_selectors.units_visible_to(user, "movement.view").filter(code__in=codes)
    }
    missing = [code for code in dict.fromkeys(codes) if code not in visible]
    if missing:
        raise ValidationError(
            {
                "chosen_units": [
                    _("Không tìm thấy đơn vị mã “%(code)s” trong phạm vi của bạn.") % {"code": code}
                    for code in missing
                ]
            }
        )
    return [visible[code] for code in dict.fromkeys(codes)]


def _registration_payload(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "unit": registration.unit.code if registration.unit_id else None,
        "person": registration.person_id,
        "on_behalf_of": registration.on_behalf_of.code,
        "awards": sorted(award.code for award in registration.awards.all()),
        "commitment": registration.commitment,
        "status": registration.status,
    }


# ---------------------------------------------------------------- movements


@router.post(
    "",
    response={201: MovementOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Tạo phong trào thi đua (dự thảo)",
)
def movement_create(request, payload: MovementIn):
    """Phong trào mới ở trạng thái dự thảo. Cần quyền quản lý phong trào (cán bộ thi đua) tại đơn vị
    phát động; đơn vị phát động ngoài phạm vi trả về 404."""
    user = request.auth
    launching_unit = org_selectors.access_unit(user, payload.launching_unit, "movement.view")
    parent = selectors.access_movement(user, payload.parent) if payload.parent is not None else None
    try:
        planned_awards = _awards(payload.planned_awards, "planned_awards")
        chosen_units = _chosen_units(user, payload.chosen_units)
        movement = services.movement_create(
            actor=user,
            title=payload.title,
            kind=payload.kind,
            launching_unit=launching_unit,
            parent=parent,
            start=payload.start,
            end=payload.end,
            purpose=payload.purpose.strip(),
            content=payload.content.strip(),
            registration_deadline=payload.registration_deadline,
            participation=payload.participation,
            tasks=payload.tasks,
            criteria=[(criterion.name, criterion.max_points) for criterion in payload.criteria],
            planned_awards=planned_awards,
            chosen_units=chosen_units,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _movement_payload(selectors.access_movement(user, movement.pk)))


@router.get(
    "/{int:movement_id}",
    response={200: MovementOut, 401: Message, 404: Message},
    summary="Một phong trào thi đua",
)
def movement_detail(request, movement_id: int):
    """Trạng thái, nhiệm vụ trọng tâm, bảng tiêu chí, danh hiệu dự kiến, mã các đơn vị tham gia, số
    đăng ký theo trạng thái và lịch sử chuyển trạng thái."""
    return _movement_payload(selectors.access_movement(request.auth, movement_id))


@router.post(
    "/{int:movement_id}/transitions",
    response={
        200: MovementOut,
        401: Message,
        403: Message,
        404: Message,
        409: Message,
        422: ValidationErrorOut,
    },
    summary="Chuyển trạng thái phong trào (phát động, tổng kết)",
)
def movement_transition(request, movement_id: int, payload: TransitionIn):
    """draft → launched (phát động: tạo hạn đăng ký, báo cho các đơn vị tham gia), launched → closed
    (tổng kết: ``note`` là kết quả tổng kết, bắt buộc). Bước không được phép, hay chưa đủ điều kiện,
    trả về 409 với lý do."""
    user = request.auth
    movement = selectors.access_movement(user, movement_id)
    try:
        movement_transition_with_letter(actor=user, movement=movement, to=payload.to, note=payload.note)
    except services.TransitionRefused as refused:
        return Status(409, {"detail": refused.message})
    except ValidationError as exc:
        return _invalid(exc)
    return _movement_payload(selectors.access_movement(user, movement.pk))


# ---------------------------------------------------------------- registrations


@router.post(
    "/{int:movement_id}/registrations",
    response={
        200: RegistrationOut,
        201: RegistrationOut,
        401: Message,
        403: Message,
        404: Message,
        409: Message,
        422: ValidationErrorOut,
    },
    summary="Đăng ký thi đua",
)
def registration_create(request, movement_id: int, payload: RegistrationIn):
    """Một tập thể (``unit``) hoặc một cá nhân (``person``) đăng ký danh hiệu và cam kết. Lãnh đạo,
    cán bộ thi đua của đơn vị đăng ký thì được duyệt ngay; cá nhân tự đăng ký thì chờ duyệt. 201 khi
    đăng ký mới, 200 khi thay đăng ký đã có. 409 khi phong trào chưa phát động, đã tổng kết hoặc
    đã quá hạn đăng ký."""
    user = request.auth
    movement = selectors.access_movement(user, movement_id)
    unit = org_selectors.access_unit(user, payload.unit, "movement.view") if payload.unit else None
    person = (
        org_selectors.access_person(user, payload.person, "person.view")
        if payload.person is not None
        else None
    )
    # 201 for a new registration, 200 when it replaces the subject's earlier one.
    subject = {"unit": unit} if unit is not None else {"person": person}
    existed = (unit is None) != (person is None) and Registration.objects.filter(
        movement=movement, **subject
    ).exists()
    try:
        awards = _awards(payload.awards, "awards")
        registration = services.registration_submit(
            actor=user,
            movement=movement,
            awards=awards,
            commitment=payload.commitment,
            unit=unit,
            person=person,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "movement" in exc.error_dict:
            return Status(409, {"detail": exc.message_dict["movement"][0]})
        return _invalid(exc)
    registration = (
        Registration.objects.select_related("unit", "on_behalf_of")
        .prefetch_related("awards")
        .get(pk=registration.pk)
    )
    return Status(200 if existed else 201, _registration_payload(registration))


@router.get(
    "/{int:movement_id}/registrations",
    response={200: RegistrationList, 401: Message, 404: Message},
    summary="Các đăng ký thi đua của phong trào",
)
def registration_list(request, movement_id: int):
    """Những đăng ký người gọi được xem: tất cả với đơn vị phát động; với đơn vị khác, đăng ký của
    các tập thể và cá nhân trong phạm vi của mình."""
    user = request.auth
    movement = selectors.access_movement(user, movement_id)
    registrations = [
        _registration_payload(registration)
        for registration in selectors.registrations_visible_to(user, movement)
    ]
    return {"count": len(registrations), "items": registrations}
