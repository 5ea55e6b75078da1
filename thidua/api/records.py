"""The evidence over the API: ratings of people and units, initiatives and research, discipline and
pending matters, and the register of past awards.

Reading needs ``records.view``, writing ``records.manage``. A person or unit out of the caller's sight
answers 404; one in sight but out of the caller's care answers 403. Writes go through the records
services; their refusals come back as 422 in the shape of ``thidua.api.errors``.
"""

import datetime
import math
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from thidua.accounts import scopes
from thidua.api.errors import validation_error_payload
from thidua.api.schemas import InputSchema, IsoDate, Message, Text, ValidationErrorOut
from thidua.organizations import selectors as org_selectors
from thidua.records import selectors, services
from thidua.records.enums import (
    AwardSource,
    DisciplineLevel,
    InitiativeKind,
    PendingMatterKind,
    Rating,
    Scope,
)
from thidua.records.models import AnnualRating
from thidua.records.services import MIN_YEAR
from thidua.rules.models import AwardType

router = Router(tags=["Minh chứng thi đua"])

PAGE_SIZE = 50


# ---------------------------------------------------------------- input checks


def _year(value: Any) -> Any:
    """1945 up to this year: a rating or an award for a year to come is a typing mistake."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("thidua_year", _("Năm phải là một số nguyên, ví dụ 2024."))
    last = timezone.localdate().year
    if not MIN_YEAR <= value <= last:
        raise PydanticCustomError(
            "thidua_year", _("Năm phải trong khoảng %(first)s–%(last)s.") % {"first": MIN_YEAR, "last": last}
        )
    return value


def _choice(values: list[str], message: str):
    def check(value: Any) -> Any:
        if value not in values:
            raise PydanticCustomError("thidua_choice", message % {"values": ", ".join(values)})
        return value

    return BeforeValidator(check)


Year = Annotated[int, BeforeValidator(_year), WithJsonSchema({"type": "integer", "example": 2024})]
RatingCode = Annotated[
    Literal["HTXSNV", "HTTNV", "HTNV", "KHTNV"],
    _choice(Rating.values, _("Xếp loại phải là một trong: %(values)s.")),
]
KindCode = Annotated[
    Literal["sang_kien", "de_tai"], _choice(InitiativeKind.values, _("Loại phải là một trong: %(values)s."))
]
ScopeCode = Annotated[
    Literal["co_so", "tinh", "toan_quoc"], _choice(Scope.values, _("Phạm vi phải là một trong: %(values)s."))
]
LevelCode = Annotated[
    Literal["khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec"],
    _choice(DisciplineLevel.values, _("Hình thức kỷ luật phải là một trong: %(values)s.")),
]
PendingKindCode = Annotated[
    Literal["xem_xet_ky_luat", "dieu_tra", "khieu_nai"],
    _choice(PendingMatterKind.values, _("Loại vụ việc phải là một trong: %(values)s.")),
]


def _authors(value: Any) -> Any:
    if isinstance(value, list) and not value:
        raise PydanticCustomError("thidua_authors", _("Cần ít nhất một tác giả."))
    return value


Authors = Annotated[list[int], BeforeValidator(_authors)]


def _invalid(exc: ValidationError, field_names: dict[str, str] | None = None) -> Status:
    return Status(422, validation_error_payload(exc, field_names=field_names))


def _person_to_manage(user, person_id: int):
    person = org_selectors.access_person(user, person_id, "records.view")
    if not scopes.can_on_person(user, "records.manage", person):
        raise PermissionDenied
    return person


def _unit_to_manage(user, code: str):
    unit = org_selectors.access_unit(user, code, "records.view")
    if not scopes.can(user, "records.manage", unit):
        raise PermissionDenied
    return unit


def _page(queryset, page: int) -> dict:
    count = queryset.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    start = (page - 1) * PAGE_SIZE
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "next": page + 1 if page < pages else None,
        "items": list(queryset[start : start + PAGE_SIZE]) if start < count else [],
    }


# ---------------------------------------------------------------- ratings


class RatingIn(InputSchema):
    year: Year
    rating: RatingCode = Field(description="HTXSNV, HTTNV, HTNV hoặc KHTNV.")
    note: Text | None = Field(None, max_length=255, description="Bỏ trống để giữ ghi chú đã có.")


class PersonRatingOut(Schema):
    id: int
    person: int
    year: int
    rating: str

    @staticmethod
    def resolve_person(obj) -> int:
        return obj.person_id


class UnitRatingOut(Schema):
    id: int
    unit: str
    year: int
    rating: str

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code


class PersonRatingList(Schema):
    count: int
    items: list[PersonRatingOut]


class UnitRatingList(Schema):
    count: int
    items: list[UnitRatingOut]


def _rating_set(user, payload: RatingIn, **subject):
    existed = AnnualRating.objects.filter(year=payload.year, **subject).exists()
    try:
        rating = services.rating_set(
            actor=user, year=payload.year, rating=payload.rating, note=payload.note, **subject
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200 if existed else 201, rating)


@router.post(
    "/people/{int:person_id}/ratings",
    response={
        200: PersonRatingOut,
        201: PersonRatingOut,
        401: Message,
        403: Message,
        404: Message,
        422: ValidationErrorOut,
    },
    summary="Ghi xếp loại hằng năm của cá nhân",
)
def person_rating_set(request, person_id: int, payload: RatingIn):
    """Một kết quả mỗi năm: gửi lại cho cùng năm thì kết quả cũ được thay. Trả về 201 khi ghi mới,
    200 khi thay kết quả đã có."""
    person = _person_to_manage(request.auth, person_id)
    return _rating_set(request.auth, payload, person=person)


@router.get(
    "/people/{int:person_id}/ratings",
    response={200: PersonRatingList, 401: Message, 404: Message},
    summary="Xếp loại hằng năm của cá nhân",
)
def person_rating_list(request, person_id: int):
    """Mọi năm đã ghi, năm gần nhất trước."""
    person = org_selectors.access_person(request.auth, person_id, "records.view")
    ratings = list(selectors.person_ratings(person))
    return {"count": len(ratings), "items": ratings}


@router.post(
    "/units/{code}/ratings",
    response={
        200: UnitRatingOut,
        201: UnitRatingOut,
        401: Message,
        403: Message,
        404: Message,
        422: ValidationErrorOut,
    },
    summary="Ghi xếp loại hằng năm của tập thể",
)
def unit_rating_set(request, code: str, payload: RatingIn):
    """Như với cá nhân: 201 khi ghi mới, 200 khi thay kết quả đã có của năm đó."""
    unit = _unit_to_manage(request.auth, code)
    return _rating_set(request.auth, payload, unit=unit)


@router.get(
    "/units/{code}/ratings",
    response={200: UnitRatingList, 401: Message, 404: Message},
    summary="Xếp loại hằng năm của tập thể",
)
def unit_rating_list(request, code: str):
    unit = org_selectors.access_unit(request.auth, code, "records.view")
    ratings = list(selectors.ratings_visible_to(request.auth).filter(unit=unit).order_by("-year"))
    return {"count": len(ratings), "items": ratings}


# ---------------------------------------------------------------- initiatives and research


class InitiativeIn(InputSchema):
    title: Text = Field(min_length=1, max_length=500)
    kind: KindCode
    authors: Authors = Field(description="Mã hồ sơ các tác giả, theo thứ tự (chủ nhiệm trước).")
    scope: ScopeCode = Field(description="Phạm vi ảnh hưởng: co_so, tinh hoặc toan_quoc.")
    recognized_on: IsoDate
    applied: bool = False
    effective: bool = False
    recognizing_decision: Text = Field("", max_length=200)
    recognizing_body: Text = Field("", max_length=255)
    unit: str | None = Field(None, description="Mã đơn vị chủ trì hoặc áp dụng.")
    summary: Text = ""


class InitiativeOut(Schema):
    id: int
    title: str
    kind: str
    authors: list[int]
    scope: str
    recognized_on: datetime.date
    recognizing_decision: str
    recognizing_body: str
    unit: str | None
    applied: bool
    effective: bool

    @staticmethod
    def resolve_authors(obj) -> list[int]:
        return [link.person_id for link in obj.author_links.all()]

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None


@router.post(
    "/initiatives",
    response={201: InitiativeOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Ghi sáng kiến, đề tài đã được công nhận",
)
def initiative_create(request, payload: InitiativeIn):
    """Mọi tác giả phải nằm trong phạm vi được xem (nếu không: 422 ở `authors`). Cần quyền quản lý
    minh chứng với `unit` nếu gửi, nếu không thì với ít nhất một tác giả (403)."""
    user = request.auth
    if not scopes.can(user, "records.manage"):
        raise PermissionDenied
    unit = org_selectors.access_unit(user, payload.unit, "records.view") if payload.unit else None
    visible = {
        person.pk: person
        for person in org_selectors.people_visible_to(user, "records.view")
        .filter(pk__in=payload.authors)
        .select_related("current_unit")
    }
    missing = [pk for pk in payload.authors if pk not in visible]
    if missing:
        return _invalid(
            ValidationError(
                {
                    "authors": _("Không tìm thấy cá nhân mã %(ids)s, hoặc người này ngoài phạm vi của bạn.")
                    % {"ids": ", ".join(str(pk) for pk in missing)}
                }
            )
        )
    authors = [visible[pk] for pk in payload.authors]
    if unit is not None:
        if not scopes.can(user, "records.manage", unit):
            raise PermissionDenied
    elif not any(scopes.can_on_person(user, "records.manage", person) for person in authors):
        raise PermissionDenied
    fields = payload.model_dump(exclude={"authors", "unit"})
    try:
        initiative = services.initiative_create(actor=user, authors=authors, unit=unit, **fields)
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, selectors.access_initiative(user, initiative.pk))


# ---------------------------------------------------------------- discipline and pending matters


class DisciplineIn(InputSchema):
    person: int = Field(description="Mã hồ sơ cá nhân.")
    level: LevelCode | None = Field(None, description="Hình thức kỷ luật; bắt buộc khi pending là false.")
    start: IsoDate
    end: IsoDate | None = None
    pending: bool = Field(
        False,
        description="true: vụ việc đang xem xét, chưa có kết luận — tạm hoãn mọi hình thức khen thưởng.",
    )
    pending_kind: PendingKindCode | None = Field(
        None, description="Loại vụ việc khi pending là true; mặc định xem_xet_ky_luat."
    )
    decision: Text = Field("", max_length=200)
    note: Text = ""


class DisciplineOut(Schema):
    id: int
    person: int
    level: str | None
    pending: bool
    pending_kind: str | None
    start: datetime.date
    end: datetime.date | None
    decision: str

    @staticmethod
    def resolve_person(obj) -> int:
        return obj.person_id

    @staticmethod
    def resolve_level(obj) -> str | None:
        return obj.level or None

    @staticmethod
    def resolve_pending_kind(obj) -> str | None:
        return obj.pending_kind or None


@router.post(
    "/disciplines",
    response={201: DisciplineOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Ghi kỷ luật hoặc vụ việc đang xem xét",
)
def discipline_create(request, payload: DisciplineIn):
    """Kỷ luật (`level`, từ `start` đến `end`) hoặc vụ việc đang xem xét (`pending`: true): vụ việc
    đang xem xét tạm hoãn mọi hình thức khen thưởng cho đến khi có kết luận."""
    user = request.auth
    person = _person_to_manage(user, payload.person)
    pending_kind = payload.pending_kind or ""
    if payload.pending and not pending_kind:
        pending_kind = PendingMatterKind.DISCIPLINE
    try:
        discipline = services.discipline_create(
            actor=user,
            person=person,
            level=payload.level or "",
            pending=payload.pending,
            pending_kind=pending_kind if payload.pending else "",
            start=payload.start,
            end=payload.end,
            decision=payload.decision.strip(),
            note=payload.note.strip(),
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, discipline)


# ---------------------------------------------------------------- the award register


class AwardHistoryIn(InputSchema):
    person: int | None = Field(None, description="Mã hồ sơ cá nhân được khen (hoặc gửi `unit`).")
    unit: str | None = Field(None, description="Mã đơn vị được khen (hoặc gửi `person`).")
    award: Text = Field(
        min_length=1, max_length=40, description="Mã danh hiệu, hình thức, ví dụ LDTT, CSTDCS."
    )
    year: Year = Field(description="Năm đạt thành tích (năm cuối nếu thành tích nhiều năm).")
    period_start: Year | None = Field(
        None, description="Năm đầu của thành tích nhiều năm; mặc định bằng `year`."
    )
    decision_number: Text = Field(min_length=1, max_length=60)
    decision_date: IsoDate
    issuing_unit: str | None = Field(None, description="Mã đơn vị ra quyết định (hoặc ghi `issuer_name`).")
    issuer_name: Text = Field("", max_length=255)
    register_number: Text = Field("", max_length=40)
    counts_for_regular: bool = True
    source: Literal["imported", "manual"] = Field(
        "imported", description="imported: từ quyết định cũ; manual: nhập tay."
    )
    note: Text = Field("", max_length=255)


class AwardHistoryOut(Schema):
    id: int
    person: int | None
    unit: str | None
    award: str
    award_name: str
    year: int
    period_start: int
    decision_number: str
    decision_date: datetime.date
    issuing_unit: str | None
    issuer_name: str
    register_number: str
    source: str
    counts_for_regular: bool
    revoked: bool

    @staticmethod
    def resolve_person(obj) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_award(obj) -> str:
        return obj.award.code

    @staticmethod
    def resolve_award_name(obj) -> str:
        return obj.award.name

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.period_end

    @staticmethod
    def resolve_issuing_unit(obj) -> str | None:
        return obj.issuing_unit.code if obj.issuing_unit_id else None


class AwardHistoryList(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    next: int | None
    items: list[AwardHistoryOut]


# The service names the model's fields; the API calls the achievement year ``year``.
_AWARD_FIELD_NAMES = {"period_end": "year"}


@router.post(
    "/awards/history",
    response={201: AwardHistoryOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Ghi khen thưởng đã nhận vào sổ khen thưởng",
)
def award_history_create(request, payload: AwardHistoryIn):
    """Khen thưởng đã nhận từ quyết định cũ (trước khi dùng hệ thống), để tính thành tích liên tục.
    Gửi đúng một trong `person`, `unit`. Mã danh hiệu không có trong danh mục, hoặc không dành cho
    đối tượng đó: 422 ở `award`."""
    user = request.auth
    if (payload.person is None) == (payload.unit is None):
        return _invalid(ValidationError({"person": _("Gửi đúng một trong hai trường: person hoặc unit.")}))
    person = _person_to_manage(user, payload.person) if payload.person is not None else None
    unit = _unit_to_manage(user, payload.unit) if payload.unit is not None else None
    award = AwardType.objects.filter(code=payload.award.strip().upper()).first()
    if award is None:
        return _invalid(
            ValidationError(
                {
                    "award": _("Không có danh hiệu, hình thức mã “%(code)s” trong danh mục.")
                    % {"code": payload.award}
                }
            )
        )
    issuing_unit = None
    if payload.issuing_unit:
        issuing_unit = selectors.issuing_units_for(user).filter(code=payload.issuing_unit).first()
        if issuing_unit is None:
            return _invalid(
                ValidationError(
                    {
                        "issuing_unit": _("Không tìm thấy đơn vị mã “%(code)s”.")
                        % {"code": payload.issuing_unit}
                    }
                )
            )
    try:
        record = services.award_record_create(
            actor=user,
            award=award,
            person=person,
            unit=unit,
            period_start=payload.period_start or payload.year,
            period_end=payload.year,
            decision_number=payload.decision_number,
            decision_date=payload.decision_date,
            issuing_unit=issuing_unit,
            issuer_name=payload.issuer_name,
            register_number=payload.register_number,
            counts_for_regular=payload.counts_for_regular,
            source=AwardSource(payload.source),
            note=payload.note,
        )
    except ValidationError as exc:
        return _invalid(exc, _AWARD_FIELD_NAMES)
    return Status(201, selectors.access_award_record(user, record.pk))


@router.get(
    "/awards/history",
    response={200: AwardHistoryList, 401: Message, 404: Message, 422: ValidationErrorOut},
    summary="Sổ khen thưởng",
)
def award_history_list(
    request,
    person: Annotated[int | None, Query(description="Mã hồ sơ cá nhân: khen thưởng của người này.")] = None,
    unit: Annotated[
        str | None,
        Query(
            description="Mã đơn vị: khen thưởng của đơn vị, các đơn vị cấp dưới và người đang công tác ở đó."
        ),
    ] = None,
    year: Annotated[int | None, Query(description="Chỉ những thành tích có năm này.")] = None,
    page: Annotated[int, Query(ge=1, description="Trang, bắt đầu từ 1; mỗi trang 50 dòng.")] = 1,
):
    """Khen thưởng trong phạm vi được xem, thành tích gần nhất trước (kể cả đã thu hồi, có đánh dấu)."""
    user = request.auth
    records = selectors.award_records_visible_to(user)
    if person is not None:
        records = records.filter(person=org_selectors.access_person(user, person, "records.view"))
    if unit:
        root = org_selectors.access_unit(user, unit, "records.view")
        records = records.filter(
            Q(unit__path__startswith=root.path) | Q(person__current_unit__path__startswith=root.path)
        )
    if year is not None:
        records = records.filter(period_start__lte=year, period_end__gte=year)
    return _page(records.order_by("-period_end", "-decision_date", "-id"), page)
