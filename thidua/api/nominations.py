"""Rounds and dossiers over the API: open a round, send a dossier with its nominees, attach documents,
and move the dossier along its workflow (draft → submitted → under review → … → decided).

A dossier is seen by the proposing unit (``nomination.propose``) and the awarding unit
(``nomination.appraise``), through ``nominations.selectors``; anyone else gets 404. A caller who sees
but may not act gets 403. A step the workflow refuses answers 409 with the reason; other refusals are
422 in the shape of ``thidua.api.errors``.
"""

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from thidua.accounts import scopes
from thidua.api.errors import validation_error_payload
from thidua.api.schemas import InputSchema, IsoDate, Message, Text, ValidationErrorOut
from thidua.movements import selectors as movement_selectors
from thidua.nominations import attachments, selectors, services
from thidua.nominations.enums import AttachmentKind, NominationStatus, NomineeStatus, Track
from thidua.nominations.models import Nomination, Nominee, Round
from thidua.organizations import selectors as org_selectors
from thidua.rules.models import AwardType

router = Router(tags=["Hồ sơ đề nghị khen thưởng"])


# ---------------------------------------------------------------- input checks


def _choice(values: list[str], message: str):
    def check(value: Any) -> Any:
        if value not in values:
            raise PydanticCustomError("thidua_choice", message % {"values": ", ".join(values)})
        return value

    return BeforeValidator(check)


def _some_nominees(value: Any) -> Any:
    if isinstance(value, list) and not value:
        raise PydanticCustomError("thidua_nominees", _("Cần ít nhất một cá nhân hoặc tập thể được đề nghị."))
    return value


TrackCode = Annotated[
    Literal["cong_trang", "chuyen_de", "dot_xuat", "nien_han", "cong_hien", "doi_ngoai"],
    _choice(Track.values, _("Loại khen thưởng phải là một trong: %(values)s.")),
]
TargetStatus = Annotated[
    Literal[
        "draft",
        "submitted",
        "under_review",
        "returned",
        "in_council",
        "approved",
        "rejected",
        "decided",
        "withdrawn",
        "forwarded",
    ],
    _choice(NominationStatus.values, _("Trạng thái mới phải là một trong: %(values)s.")),
]


class RoundIn(InputSchema):
    awarding_unit: Text = Field(min_length=1, max_length=40, description="Mã đơn vị xét khen thưởng.")
    title: Text = Field(min_length=1, max_length=300)
    year: int | None = Field(None, description="Năm thành tích; hoặc gửi period_start và period_end.")
    period_start: int | None = Field(None, description="Thành tích từ năm (khen thưởng nhiều năm).")
    period_end: int | None = Field(None, description="Thành tích đến năm.")
    track: TrackCode = Field("cong_trang", description="Loại khen thưởng.")
    simplified: bool = Field(False, description="true: thủ tục đơn giản (hồ sơ rút gọn).")
    awards: list[Text] = Field(description="Mã các danh hiệu, hình thức đợt xét nhận.")
    units: list[Text] = Field(
        default_factory=list, description="Mã các đơn vị được đề nghị; để trống: mọi đơn vị trực thuộc."
    )
    opens_on: IsoDate
    submission_deadline: IsoDate
    movement: int | None = Field(None, description="Mã số phong trào thi đua gắn với đợt xét.")


class NomineeIn(InputSchema):
    person: int | None = Field(None, description="Mã hồ sơ cá nhân (hoặc gửi `unit`).")
    unit: Text | None = Field(None, max_length=40, description="Mã tập thể (hoặc gửi `person`).")
    award: Text = Field(min_length=1, max_length=40, description="Mã danh hiệu, hình thức đề nghị.")
    summary: Text = Field("", max_length=20000, description="Tóm tắt thành tích.")


class NominationIn(InputSchema):
    round: int = Field(description="Mã số đợt xét.")
    proposing_unit: Text = Field(min_length=1, max_length=40, description="Mã đơn vị đề nghị.")
    title: Text = Field("", max_length=300, description="Trích yếu; để trống thì tự đặt.")
    nominees: Annotated[list[NomineeIn], BeforeValidator(_some_nominees)]


class TransitionIn(InputSchema):
    to: TargetStatus = Field(description="Trạng thái mới của hồ sơ.")
    note: Text = Field("", max_length=20000, description="Bắt buộc khi trả lại: lý do trả lại.")
    items: list[Text] = Field(
        default_factory=list, description="Khi trả lại: các nội dung đơn vị cần bổ sung."
    )


class DecisionIn(InputSchema):
    to: Literal["pending", "approved", "rejected", "in_council"] = Field(description="Kết quả xét mới của đề nghị.")
    note: Text = Field("", max_length=20000, description="Ý kiến thẩm định; bắt buộc khi không chấp thuận.")


class ForwardIn(InputSchema):
    round: int = Field(description="Đợt xét của cấp trên nhận hồ sơ.")
    nominees: list[int] | None = Field(None, description="Các đề nghị cần trình; bỏ trống: mọi đề nghị vượt thẩm quyền.")
    note: Text = Field("", max_length=20000)


# ---------------------------------------------------------------- output shapes


class RoundOut(Schema):
    id: int
    awarding_unit: str
    title: str
    track: str
    simplified: bool
    period_start: int
    period_end: int
    awards: list[str]
    units: list[str]
    movement: int | None
    opens_on: datetime.date
    submission_deadline: datetime.date
    status: str


class RoundBrief(Schema):
    id: int
    title: str
    awarding_unit: str
    period_start: int
    period_end: int


class NomineeOut(Schema):
    id: int
    person: int | None
    unit: str | None
    household_name: str
    name: str = Field(description="Họ tên cá nhân, tên tập thể hoặc hộ gia đình.")
    award: str
    summary: str
    status: str
    verdict: str = Field(description="Kết quả xét điều kiện khi gửi hồ sơ; trống khi chưa gửi.")
    verdict_reasons: list[dict[str, Any]]
    ruleset: str = Field(description="Mã bộ quy định đã dùng để xét điều kiện.")
    registered: bool | None = Field(description="Đã đăng ký thi đua trong phong trào của đợt xét.")
    appraisal_note: str = Field(description="Ý kiến thẩm định của đơn vị xét khen thưởng.")


class RequiredDocument(Schema):
    kind: str
    label: str
    present: bool


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime


class DocumentsOut(Schema):
    required: list[RequiredDocument]
    missing: list[str]
    attachments: list[AttachmentOut]


class HistoryOut(Schema):
    from_status: str = Field(alias="from")
    to: str
    at: datetime.datetime
    by: str | None = Field(description="Tên đăng nhập của người chuyển trạng thái.")
    note: str
    items: list[str]


class NominationOut(Schema):
    id: int
    title: str
    status: str
    round: RoundBrief
    proposing_unit: str
    submitted_at: datetime.datetime | None
    received_on: datetime.date | None
    appraisal_due: datetime.date | None
    return_reason: str
    items_to_complete: list[str]
    submission_count: int
    nominees: list[NomineeOut]
    documents: DocumentsOut
    history: list[HistoryOut]
    allowed_transitions: list[str] = Field(description="Các trạng thái người gọi có thể chuyển hồ sơ sang.")


# ---------------------------------------------------------------- helpers


class _NomineeRefused(Exception):
    """Breaks out of the dossier's transaction so that nothing of it is saved."""

    def __init__(self, payload: dict):
        super().__init__()
        self.payload = payload


def _invalid(exc: ValidationError, field_names: dict[str, str] | None = None) -> Status:
    return Status(422, validation_error_payload(exc, field_names=field_names))


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


def _round_payload(round_: Round) -> dict:
    return {
        "id": round_.pk,
        "awarding_unit": round_.awarding_unit.code,
        "title": round_.title,
        "track": round_.track,
        "simplified": round_.simplified,
        "period_start": round_.period_start,
        "period_end": round_.period_end,
        "awards": sorted(round_.accepted_awards.values_list("code", flat=True)),
        "units": sorted(round_.accepted_units.values_list("code", flat=True)),
        "movement": round_.movement_id,
        "opens_on": round_.opens_on,
        "submission_deadline": round_.submission_deadline,
        "status": round_.status,
    }


def _nomination_payload(user, nomination: Nomination) -> dict:
    """The dossier with its nominees, documents and history, in a fixed number of queries."""
    nomination = Nomination.objects.select_related("round__awarding_unit", "proposing_unit").get(
        pk=nomination.pk
    )
    round_ = nomination.round
    files = list(nomination.attachments.all())
    present = {attachment.kind for attachment in files}
    required = services.required_documents(nomination)
    nominees = nomination.nominees.select_related("person", "unit", "award")
    return {
        "id": nomination.pk,
        "title": nomination.title,
        "status": nomination.status,
        "round": {
            "id": round_.pk,
            "title": round_.title,
            "awarding_unit": round_.awarding_unit.code,
            "period_start": round_.period_start,
            "period_end": round_.period_end,
        },
        "proposing_unit": nomination.proposing_unit.code,
        "submitted_at": nomination.submitted_at,
        "received_on": nomination.received_on,
        "appraisal_due": nomination.appraisal_due,
        "return_reason": nomination.return_reason,
        "items_to_complete": list(nomination.items_to_complete or []),
        "submission_count": nomination.submission_count,
        "nominees": [
            {
                "id": nominee.pk,
                "person": nominee.person_id,
                "unit": nominee.unit.code if nominee.unit_id else None,
                "household_name": nominee.household_name,
                "name": nominee.person.full_name
                if nominee.person_id
                else nominee.unit.name
                if nominee.unit_id
                else nominee.household_name,
                "award": nominee.award.code,
                "summary": nominee.summary,
                "status": nominee.status,
                "verdict": nominee.verdict,
                "verdict_reasons": list(nominee.verdict_reasons or []),
                "ruleset": nominee.ruleset_code,
                "registered": nominee.registered,
                "appraisal_note": nominee.appraisal_note,
            }
            for nominee in nominees
        ],
        "documents": {
            "required": [
                {"kind": kind, "label": str(AttachmentKind(kind).label), "present": kind in present}
                for kind in required
            ],
            "missing": [kind for kind in required if kind not in present],
            "attachments": [_attachment_payload(attachment) for attachment in files],
        },
        "history": [
            {
                "from": transition.from_status,
                "to": transition.to_status,
                "at": transition.at,
                "by": transition.by.username if transition.by_id else None,
                "note": transition.note,
                "items": list(transition.items or []),
            }
            for transition in nomination.transitions.select_related("by").order_by("at", "id")
        ],
        "allowed_transitions": services.transitions_allowed_for(user, nomination),
    }


def _attachment_payload(attachment) -> dict:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.original_name,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": attachment.uploaded_at,
    }


def _nominee_subject(user, index: int, nominee: NomineeIn) -> dict:
    prefix = f"nominees.{index}"
    if (nominee.person is None) == (nominee.unit is None):
        raise ValidationError({f"{prefix}.person": _("Gửi đúng một trong hai trường: person hoặc unit.")})
    if nominee.person is not None:
        person = (
            org_selectors.people_visible_to(user, "person.view")
            .select_related("current_unit")
            .filter(pk=nominee.person)
            .first()
        )
        if person is None:
            raise ValidationError(
                {
                    f"{prefix}.person": _(
                        "Không tìm thấy cá nhân mã %(id)s, hoặc người này ngoài phạm vi của bạn."
                    )
                    % {"id": nominee.person}
                }
            )
        return {"person": person}
    unit = org_selectors.units_visible_to(user, "unit.view").filter(code=nominee.unit).first()
    if unit is None:
        raise ValidationError(
            {
                f"{prefix}.unit": _("Không tìm thấy đơn vị mã “%(code)s” trong phạm vi của bạn.")
                % {"code": nominee.unit}
            }
        )
    return {"unit": unit}


# ---------------------------------------------------------------- rounds


@router.post(
    "/rounds",
    response={201: RoundOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Mở đợt xét khen thưởng",
)
def round_create(request, payload: RoundIn):
    """Đợt xét của đơn vị xét khen thưởng: các danh hiệu nhận xét (`awards`), năm thành tích (`year`,
    hoặc `period_start`–`period_end`), thời gian nhận hồ sơ. Cần quyền thẩm định tại đơn vị đó (403);
    đơn vị ngoài phạm vi trả về 404."""
    user = request.auth
    awarding_unit = org_selectors.access_unit(user, payload.awarding_unit, "unit.view")
    movement = (
        movement_selectors.access_movement(user, payload.movement) if payload.movement is not None else None
    )
    period_start = payload.period_start if payload.period_start is not None else payload.year
    period_end = payload.period_end if payload.period_end is not None else payload.year
    if period_start is None or period_end is None:
        return _invalid(
            ValidationError({"year": _("Gửi năm thành tích (year) hoặc period_start và period_end.")})
        )
    if period_end < period_start:
        return _invalid(ValidationError({"period_end": _("Năm kết thúc phải bằng hoặc sau năm bắt đầu.")}))
    try:
        awards = _awards(payload.awards, "awards")
        visible = {
            unit.code: unit
            for unit in org_selectors.units_visible_to(user, "unit.view").filter(code__in=payload.units)
        }
        missing = [code for code in dict.fromkeys(payload.units) if code not in visible]
        if missing:
            raise ValidationError(
                {
                    "units": [
                        _("Không tìm thấy đơn vị mã “%(code)s” trong phạm vi của bạn.") % {"code": code}
                        for code in missing
                    ]
                }
            )
        round_ = services.round_create(
            actor=user,
            awarding_unit=awarding_unit,
            title=payload.title,
            period_start=period_start,
            period_end=period_end,
            opens_on=payload.opens_on,
            submission_deadline=payload.submission_deadline,
            accepted_awards=awards,
            track=payload.track,
            simplified=payload.simplified,
            accepted_units=[visible[code] for code in dict.fromkeys(payload.units)],
            movement=movement,
        )
    except ValidationError as exc:
        return _invalid(exc, {"accepted_awards": "awards", "accepted_units": "units"})
    round_ = Round.objects.select_related("awarding_unit").get(pk=round_.pk)
    return Status(201, _round_payload(round_))


# ---------------------------------------------------------------- dossiers


@router.post(
    "/nominations",
    response={201: NominationOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Lập hồ sơ đề nghị khen thưởng",
    by_alias=True,
)
def nomination_create(request, payload: NominationIn):
    """Hồ sơ dự thảo của đơn vị đề nghị với các cá nhân, tập thể được đề nghị. Tất cả hoặc không:
    một đề nghị bị từ chối thì không lưu gì, lỗi nêu vị trí của nó (ví dụ `nominees.1.award`).
    Cần quyền đề nghị khen thưởng tại đơn vị đề nghị (403); đơn vị hay đợt xét ngoài phạm vi trả về
    404."""
    user = request.auth
    proposing_unit = org_selectors.access_unit(user, payload.proposing_unit, "unit.view")
    if not scopes.can(user, "nomination.propose", proposing_unit):
        raise PermissionDenied
    round_ = selectors.access_round(user, payload.round)
    try:
        with transaction.atomic():
            try:
                nomination = services.nomination_create(
                    actor=user, round=round_, proposing_unit=proposing_unit, title=payload.title
                )
            except ValidationError as exc:
                raise _NomineeRefused(validation_error_payload(exc)) from None
            for index, item in enumerate(payload.nominees):
                try:
                    subject = _nominee_subject(user, index, item)
                    award = AwardType.objects.filter(code=item.award.strip().upper()).first()
                    if award is None:
                        raise ValidationError(
                            {
                                f"nominees.{index}.award": _(
                                    "Không có danh hiệu, hình thức khen thưởng mã “%(code)s”."
                                )
                                % {"code": item.award}
                            }
                        )
                    services.nominee_add(
                        actor=user, nomination=nomination, award=award, summary=item.summary, **subject
                    )
                except ValidationError as exc:
                    # The service names its own fields; the client needs to know which nominee.
                    subject_field = "unit" if item.unit is not None else "person"
                    renames = {
                        field: field
                        if field.startswith("nominees.")
                        else f"nominees.{index}.{subject_field if field == 'person' else field}"
                        for field in getattr(exc, "error_dict", {})
                    }
                    raise _NomineeRefused(validation_error_payload(exc, field_names=renames)) from None
    except _NomineeRefused as refused:
        return Status(422, refused.payload)
    return Status(201, _nomination_payload(user, nomination))


@router.get(
    "/nominations/{int:nomination_id}",
    response={200: NominationOut, 401: Message, 404: Message},
    summary="Một hồ sơ đề nghị khen thưởng",
    by_alias=True,
)
def nomination_detail(request, nomination_id: int):
    """Trạng thái, đợt xét, các đề nghị với kết quả xét điều kiện (kèm lý do và bộ quy định đã dùng),
    tài liệu bắt buộc (đã có, còn thiếu), lịch sử chuyển trạng thái và các bước người gọi được làm."""
    return _nomination_payload(request.auth, selectors.access_nomination(request.auth, nomination_id))


@router.post(
    "/nominations/{int:nomination_id}/attachments",
    response={201: AttachmentOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Đính kèm tài liệu vào hồ sơ",
)
def nomination_attachment_add(
    request,
    nomination_id: int,
    kind: Form[str],
    file: File[UploadedFile],
):
    """Gửi dạng multipart: `file` và `kind` (loại tài liệu, ví dụ to_trinh, bao_cao_thanh_tich).
    Chỉ nhận PDF, DOCX, XLSX, JPEG, PNG, tối đa 20 MB; sai loại hay quá cỡ trả về 422 và không lưu
    gì. Chỉ đơn vị đề nghị thêm được, khi hồ sơ là dự thảo hoặc bị trả lại."""
    user = request.auth
    nomination = selectors.access_nomination(user, nomination_id)
    try:
        attachment = attachments.nomination_attachment_add(
            actor=user, nomination=nomination, kind=kind, file=file
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _attachment_payload(attachment))


@router.post(
    "/nominations/{int:nomination_id}/transitions",
    response={
        200: NominationOut,
        401: Message,
        403: Message,
        404: Message,
        409: Message,
        422: ValidationErrorOut,
    },
    summary="Chuyển trạng thái hồ sơ (gửi, tiếp nhận, trả lại, trình Hội đồng…)",
    by_alias=True,
)
def nomination_transition(request, nomination_id: int, payload: TransitionIn):
    """Bước theo bảng trạng thái của hồ sơ. Đơn vị đề nghị gửi, gửi lại và rút hồ sơ; đơn vị xét
    khen thưởng tiếp nhận, trả lại (cần `note` và `items`), trình Hội đồng, chấp thuận, không chấp
    thuận, trình cấp trên. Bước không được phép hay chưa đủ điều kiện: 409 với lý do; bước của bên
    kia: 403."""
    user = request.auth
    nomination = selectors.access_nomination(user, nomination_id)
    try:
        services.nomination_transition(
            actor=user, nomination=nomination, to=payload.to, note=payload.note, items=payload.items
        )
    except services.TransitionRefused as refused:
        return Status(409, {"detail": refused.message})
    except ValidationError as exc:
        return _invalid(exc)
    return _nomination_payload(user, nomination)


@router.post(
    "/nominations/{int:nomination_id}/nominees/{int:nominee_id}/decision",
    response={200: NominationOut, 401: Message, 403: Message, 404: Message, 409: Message, 422: ValidationErrorOut},
    summary="Quyết định từng đề nghị trong hồ sơ (chấp thuận, không chấp thuận, trình Hội đồng)",
)
def nominee_decision(request, nomination_id: int, nominee_id: int, payload: DecisionIn):
    """Đơn vị xét khen thưởng quyết định một đề nghị khi hồ sơ đang thẩm định; các đề nghị khác trong
    hồ sơ vẫn chờ. Không chấp thuận cần `note`. Bước không được phép: 409 với lý do."""
    user = request.auth
    nomination = selectors.access_nomination(user, nomination_id)
    nominee = Nominee.objects.filter(pk=nominee_id, nomination=nomination).first()
    if nominee is None:
        return Status(404, {"detail": _("Không tìm thấy đề nghị trong hồ sơ.")})
    try:
        services.nominee_decide(actor=user, nominee=nominee, to=NomineeStatus(payload.to), note=payload.note)
    except services.TransitionRefused as refused:
        return Status(409, {"detail": refused.message})
    return _nomination_payload(user, nomination)


@router.post(
    "/nominations/{int:nomination_id}/forward",
    response={201: NominationOut, 401: Message, 403: Message, 404: Message, 409: Message},
    summary="Trình cấp trên: tạo hồ sơ liên kết ở đợt xét của cấp trên",
)
def nomination_forward(request, nomination_id: int, payload: ForwardIn):
    """Mang các đề nghị vượt thẩm quyền (hoặc các đề nghị trong `nominees`) cùng tài liệu của hồ sơ
    sang một hồ sơ mới ở đợt xét `round` của cấp trên; trả về hồ sơ mới (dự thảo của đơn vị xét
    khen thưởng). Đợt xét không phù hợp hay đề nghị không còn chờ xét: 409."""
    user = request.auth
    nomination = selectors.access_nomination(user, nomination_id)
    target = Round.objects.filter(pk=payload.round).first()
    if target is None:
        return Status(409, {"detail": _("Không có đợt xét số %(id)s.") % {"id": payload.round}})
    nominees = None
    if payload.nominees is not None:
        nominees = list(Nominee.objects.filter(pk__in=payload.nominees, nomination=nomination))
        if len(nominees) != len(set(payload.nominees)):
            return Status(409, {"detail": _("Có đề nghị không thuộc hồ sơ này.")})
    try:
        forward = services.nomination_forward(actor=user, nomination=nomination, target_round=target, nominees=nominees, note=payload.note)
    except services.TransitionRefused as refused:
        return Status(409, {"detail": refused.message})
    return Status(201, _nomination_payload(user, forward))
