"""Decisions over the API: draft from approved nominees, move along the workflow (submit, approve, return),
issue (the number is given then), download the DOCX, the PDF, the certificates and the payment list,
draft a revocation; and the public verification of a certificate's code (no token).

A decision is seen by the readers of its issuing unit (``decisions.selectors``); anyone else gets 404. A
caller who sees but may not act gets 403. A step the workflow refuses answers 409 with the reason; an
issued decision never changes (409). Other refusals are 422 in the shape of ``thidua.api.errors``.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from thidua.api.errors import validation_error_payload
from thidua.api.schemas import InputSchema, IsoDate, Message, Text, ValidationErrorOut
from thidua.common.spreadsheets import XLSX_CONTENT_TYPE
from thidua.decisions import certificates, documents, payments, selectors, services
from thidua.decisions.enums import DecisionKind, DecisionStatus, Grouping, RevocationGround
from thidua.decisions.models import Decision

router = Router(tags=["Quyết định khen thưởng"])
public_router = Router(tags=["Xác thực giấy khen"])

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _binary(content_type: str, description: str) -> dict:
    """The OpenAPI description of a file answer (the JSON answers are described by their schemas)."""
    return {"responses": {200: {"description": description, "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


# ---------------------------------------------------------------- shapes


class DecisionCreateIn(InputSchema):
    nominees: list[int] = Field(description="Mã các đề nghị đã được chấp thuận (cùng một đơn vị xét khen thưởng).")
    grouping: Literal["combined", "per_award", "per_award_subject"] = Field(
        "combined", description="combined: một quyết định kèm danh sách; per_award: mỗi danh hiệu, hình thức một quyết định; "
                                "per_award_subject: tách thêm tập thể và cá nhân.")
    signer: Text | None = Field(None, description="Tên đăng nhập của người ký (có quyền ký tại đơn vị ban hành); mặc định người ký của đơn vị.")
    decision_date: IsoDate | None = Field(None, description="Ngày ký dự kiến; chức vụ, đơn vị ghi theo ngày này.")
    subject: Text = Field("", max_length=500, description="Trích yếu; để trống thì tự đặt.")
    achievement: Text = Field("", max_length=2000, description="Thành tích ghi ở Điều 1 và trên giấy khen.")
    fund: Text = Field("", max_length=300, description="Nguồn kinh phí khen thưởng (Điều 2).")
    bases: list[Text] | None = Field(None, description="Các dòng căn cứ; bỏ trống: căn cứ theo bộ quy định đang áp dụng.")
    with_annex: bool | None = Field(None, description="true: danh sách kèm theo; false: liệt kê trong Điều 1.")


class TransitionIn(InputSchema):
    to: Literal["submitted", "approved", "returned", "draft", "cancelled"] = Field(description="Trạng thái mới.")
    note: Text = Field("", max_length=5000, description="Bắt buộc khi trả lại dự thảo.")


class IssueIn(InputSchema):
    decision_date: IsoDate | None = Field(None, description="Ngày ký; mặc định hôm nay.")


class RevokeIn(InputSchema):
    awards: list[int] = Field(description="Mã các khen thưởng trong sổ (award_record) của quyết định này cần hủy bỏ.")
    ground: Literal["khai_man", "gia_mao", "trai_luat", "phat_hien_sau"] = Field(description="Căn cứ hủy bỏ (Điều 93 Luật Thi đua, khen thưởng).")
    reason: Text = Field("", max_length=5000, description="Lý do cụ thể.")
    decision_date: IsoDate | None = Field(None, description="Ngày ký dự kiến.")


class LineOut(Schema):
    id: int
    nominee: int | None
    person: int | None
    unit: str | None
    household_name: str
    name: str
    position: str
    award: str
    period_start: int
    period_end: int
    coefficient: str | None = Field(description="Hệ số (chuỗi thập phân, ví dụ \"0.30\").")
    base_salary: int | None = Field(description="Mức lương cơ sở ngày ký (đồng).")
    amount: int | None = Field(description="Tiền thưởng (đồng); ghi khi ban hành.")
    register_number: str
    award_record: int | None
    certificate_code: str | None
    revoked: bool


class RevocationItemOut(Schema):
    award_record: int
    name: str
    award: str
    decision_number: str
    amount_to_recover: int
    return_due: datetime.date | None
    returned_on: datetime.date | None


class LinkOut(Schema):
    id: int
    number: str | None
    status: str


class DecisionOut(Schema):
    id: int
    kind: str
    status: str
    number: str | None = Field(description="Số, ký hiệu, ví dụ \"05/QĐ-SKHCN\"; cấp khi ban hành.")
    sequence: int | None = Field(description="Số thứ tự trong năm của cơ quan ban hành.")
    year: int | None
    decision_date: datetime.date | None
    issuing_unit: str
    subject: str
    authority_line: str
    bases: list[str]
    achievement: str
    fund: str
    signer: str | None = Field(description="Tên đăng nhập của người ký duyệt trên hệ thống.")
    signer_name: str
    signature: list[str] = Field(description="Các dòng thẩm quyền ký, ví dụ [\"KT. GIÁM ĐỐC\", \"PHÓ GIÁM ĐỐC\"].")
    distribution: list[str]
    recipients: list[LineOut]
    total_amount: int
    revocation_ground: str
    revocation_reason: str
    revocation_items: list[RevocationItemOut]
    replaces: LinkOut | None
    amends: LinkOut | None
    replaced_by: list[LinkOut]
    amended_by: list[LinkOut]
    allowed_transitions: list[str]


class DecisionsOut(Schema):
    decisions: list[DecisionOut]


class VerifyOut(Schema):
    code: str
    holder: str = Field(description="Họ tên cá nhân hoặc tên tập thể.")
    award: str
    decision_number: str
    decision_date: datetime.date
    issuing_unit: str
    status: Literal["valid", "revoked"]


# ---------------------------------------------------------------- payloads


def _link(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return {"id": decision.pk, "number": decision.reference or None, "status": decision.status}


def _decision_payload(user, decision: Decision) -> dict:
    decision = Decision.objects.select_related("issuing_unit", "signer", "replaces", "amends").get(pk=decision.pk)
    codes = dict(decision.certificates.values_list("recipient_id", "code"))
    lines = list(decision.recipients.select_related("award", "unit", "award_record"))
    items = list(decision.revocation_items.select_related("award_record__award", "award_record__person", "award_record__unit"))
    links = selectors.decision_links(decision)
    return {
        "id": decision.pk,
        "kind": decision.kind,
        "status": decision.status,
        "number": decision.reference or None,
        "sequence": decision.number,
        "year": decision.year,
        "decision_date": decision.decision_date,
        "issuing_unit": decision.issuing_unit.code,
        "subject": decision.subject,
        "authority_line": decision.authority_line,
        "bases": [basis.text or str(basis.document) for basis in decision.bases.select_related("document")],
        "achievement": decision.achievement,
        "fund": decision.fund,
        "signer": decision.signer.username if decision.signer_id else None,
        "signer_name": decision.signer_name,
        "signature": decision.signature_lines(),
        "distribution": list(decision.distribution or []),
        "recipients": [
            {
                "id": line.pk, "nominee": line.nominee_id, "person": line.person_id, "unit": line.unit.code if line.unit_id else None,
                "household_name": line.household_name, "name": line.name, "position": line.position, "award": line.award.code,
                "period_start": line.period_start, "period_end": line.period_end,
                "coefficient": str(line.coefficient) if line.coefficient is not None else None, "base_salary": line.base_salary,
                "amount": line.amount, "register_number": line.register_number, "award_record": line.award_record_id,
                "certificate_code": certificates.format_code(codes[line.pk]) if line.pk in codes else None,
                "revoked": bool(line.award_record_id and line.award_record.revoked),
            }
            for line in lines
        ],
        "total_amount": sum(line.amount or 0 for line in lines),
        "revocation_ground": decision.revocation_ground,
        "revocation_reason": decision.revocation_reason,
        "revocation_items": [
            {
                "award_record": item.award_record_id,
                "name": item.award_record.person.full_name if item.award_record.person_id else item.award_record.unit.name
                if item.award_record.unit_id else item.award_record.household_name,
                "award": item.award_record.award.code, "decision_number": item.award_record.decision_number,
                "amount_to_recover": item.amount_to_recover, "return_due": item.return_due, "returned_on": item.returned_on,
            }
            for item in items
        ],
        "replaces": _link(links["replaces"]),
        "amends": _link(links["amends"]),
        "replaced_by": [_link(other) for other in links["replaced_by"]],
        "amended_by": [_link(other) for other in links["amended_by"]],
        "allowed_transitions": services.transitions_allowed_for(user, decision),
    }


def _invalid(exc: ValidationError) -> Status:
    return Status(422, validation_error_payload(exc))


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stored(document) -> FileResponse:
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


def _issued_award(decision: Decision) -> Decision:
    if decision.status != DecisionStatus.ISSUED or decision.kind != DecisionKind.AWARD:
        from django.http import Http404

        raise Http404
    return decision


# ---------------------------------------------------------------- endpoints


@router.post(
    "/decisions",
    response={201: DecisionsOut, 401: Message, 403: Message, 422: ValidationErrorOut},
    summary="Lập dự thảo quyết định từ các đề nghị đã được chấp thuận",
)
def decision_create(request, payload: DecisionCreateIn):
    """Một quyết định chung kèm danh sách (`combined`, mặc định) hoặc mỗi danh hiệu, hình thức một quyết
    định. Các đề nghị phải đã được chấp thuận, thuộc đợt xét của cùng một đơn vị (cơ quan ban hành),
    trong thẩm quyền của đơn vị đó và chưa có trong quyết định khác; sai: 422, không lưu gì. Cần quyền
    lập quyết định tại đơn vị đó (403)."""
    user = request.auth
    fields = {key: value for key, value in {"subject": payload.subject, "achievement": payload.achievement, "fund": payload.fund}.items() if value}
    if payload.signer:
        from thidua.accounts.models import User

        signer = User.objects.filter(username=payload.signer, is_active=True).first()
        if signer is None:
            return _invalid(ValidationError({"signer": _("Không có người dùng “%(name)s”.") % {"name": payload.signer}}))
        fields["signer"] = signer
    try:
        created = services.decisions_draft_from_nominees(
            actor=user, nominees=payload.nominees, grouping=Grouping(payload.grouping), decision_date=payload.decision_date,
            bases=payload.bases, with_annex=payload.with_annex, **fields,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, {"decisions": [_decision_payload(user, decision) for decision in created]})


@router.get(
    "/decisions/{int:decision_id}",
    response={200: DecisionOut, 401: Message, 404: Message},
    summary="Một quyết định",
)
def decision_detail(request, decision_id: int):
    """Số, ngày, trích yếu, căn cứ, danh sách với tiền thưởng và mã xác thực giấy khen, các quyết định
    thay thế, sửa đổi liên quan (cả hai chiều) và các bước người gọi được làm."""
    return _decision_payload(request.auth, selectors.access_decision(request.auth, decision_id))


@router.post(
    "/decisions/{int:decision_id}/transitions",
    response={200: DecisionOut, 401: Message, 403: Message, 404: Message, 409: Message, 422: ValidationErrorOut},
    summary="Trình ký, duyệt, trả lại, rút lại, hủy dự thảo",
)
def decision_transition(request, decision_id: int, payload: TransitionIn):
    """Cán bộ trình ký (`submitted`), rút lại để sửa (`draft`) hoặc hủy dự thảo (`cancelled`); người ký duyệt
    (`approved`) hoặc trả lại (`returned`, cần `note`). Bước không được phép: 409 với lý do."""
    user = request.auth
    decision = selectors.access_decision(user, decision_id)
    try:
        services.decision_transition(actor=user, decision=decision, to=DecisionStatus(payload.to), note=payload.note)
    except services.TransitionRefused as refused:
        return Status(409, {"detail": refused.message})
    except services.DecisionFrozen as frozen:
        return Status(409, {"detail": frozen.messages[0]})
    except ValidationError as exc:
        return _invalid(exc)
    return _decision_payload(user, decision)


@router.post(
    "/decisions/{int:decision_id}/issue",
    response={200: DecisionOut, 401: Message, 403: Message, 404: Message, 409: Message, 422: ValidationErrorOut},
    summary="Ban hành quyết định: cấp số, ghi sổ khen thưởng, tạo giấy khen",
)
def decision_issue(request, decision_id: int, payload: IssueIn):
    """Quyết định phải đã được người ký duyệt. Cấp số tiếp theo trong năm của cơ quan ban hành (ví dụ
    `05/QĐ-SKHCN`), ghi sổ khen thưởng với tiền thưởng theo ngày ký, tạo mã xác thực giấy khen, chuyển
    hồ sơ sang “Đã có quyết định” và lưu văn bản DOCX. Quyết định thu hồi: ghi các khen thưởng là đã thu
    hồi và hạn nộp lại. Chưa duyệt hoặc đã ban hành: 409."""
    user = request.auth
    decision = selectors.access_decision(user, decision_id)
    try:
        services.decision_issue(actor=user, decision=decision, decision_date=payload.decision_date)
    except services.TransitionRefused as refused:
        return Status(409, {"detail": refused.message})
    except services.DecisionFrozen as frozen:
        return Status(409, {"detail": frozen.messages[0]})
    except ValidationError as exc:
        return _invalid(exc)
    return _decision_payload(user, decision)


@router.get(
    "/decisions/{int:decision_id}/document.docx",
    response={401: Message, 404: Message},
    summary="Văn bản quyết định (DOCX)",
    openapi_extra=_binary(DOCX_TYPE, "Quyết định đã ban hành: bản đã lưu; dự thảo: bản xem trước chưa có số."),
)
def decision_docx(request, decision_id: int):
    """Thể thức theo Nghị định 30/2020/NĐ-CP."""
    decision = selectors.access_decision(request.auth, decision_id)
    if decision.is_issued:
        stored = documents.issued_docx(decision)
        if stored is not None:
            return _stored(stored)
    return _file(documents.decision_docx(decision), DOCX_TYPE, documents.docx_filename(decision))


@router.get(
    "/decisions/{int:decision_id}/document.pdf",
    response={401: Message, 404: Message, 503: Message},
    summary="Văn bản quyết định (PDF)",
    openapi_extra=_binary(documents.PDF_CONTENT_TYPE, "Chuyển từ DOCX bằng LibreOffice; quyết định đã ban hành: lưu lại lần đầu."),
)
def decision_pdf(request, decision_id: int):
    """503 khi máy chủ không chuyển được sang PDF (chưa cài LibreOffice…), với lý do."""
    decision = selectors.access_decision(request.auth, decision_id)
    try:
        if decision.is_issued:
            return _stored(documents.decision_pdf(decision, actor=request.auth))
        content = documents.docx_to_pdf(documents.decision_docx(decision))
    except documents.ConversionError as error:
        return Status(503, {"detail": error.message})
    return _file(content, documents.PDF_CONTENT_TYPE, documents.docx_filename(decision, "pdf"))


@router.get(
    "/decisions/{int:decision_id}/certificates.pdf",
    response={401: Message, 403: Message, 404: Message},
    summary="Giấy khen của quyết định (PDF, in trên giấy trắng)",
    openapi_extra=_binary(documents.PDF_CONTENT_TYPE, "Mỗi trang một giấy khen, có mã QR và mã xác thực."),
)
def decision_certificates(request, decision_id: int):
    """Tệp đã tạo gần nhất; chưa có thì tạo ngay (và lưu). Chỉ quyết định khen thưởng đã ban hành."""
    from thidua.common.documents import generated_versions

    user = request.auth
    decision = _issued_award(selectors.access_decision(user, decision_id))
    stored = generated_versions(decision, "giay_khen_full").order_by("-version").first()
    if stored is None:
        batch = certificates.certificate_batch_start(actor=user, decision=decision, mode="full", inline=True)
        stored = batch.document
    return _stored(stored)


@router.get(
    "/decisions/{int:decision_id}/payments.xlsx",
    response={401: Message, 404: Message},
    summary="Danh sách chi tiền thưởng (Excel)",
    openapi_extra=_binary(XLSX_CONTENT_TYPE, "Người nhận, hình thức, hệ số, mức lương cơ sở ngày ký, số tiền, tổng cộng, số tiền bằng chữ."),
)
def decision_payments(request, decision_id: int):
    decision = _issued_award(selectors.access_decision(request.auth, decision_id))
    return _file(payments.payments_xlsx(decision), XLSX_CONTENT_TYPE, f"chi-tien-thuong-{decision.pk}.xlsx")


@router.post(
    "/decisions/{int:decision_id}/revoke",
    response={201: DecisionOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Lập dự thảo quyết định hủy bỏ khen thưởng",
)
def decision_revoke(request, decision_id: int, payload: RevokeIn):
    """Các khen thưởng (`awards`: mã trong sổ khen thưởng) phải thuộc quyết định này và chưa bị thu hồi.
    Trả về dự thảo quyết định hủy bỏ; trình ký, duyệt và ban hành như mọi quyết định. Khi ban hành, các
    khen thưởng được ghi là đã thu hồi (sổ khen thưởng, trang xác thực, báo cáo) và tiền phải nộp lại có
    hạn 15 ngày làm việc."""
    user = request.auth
    decision = _issued_award(selectors.access_decision(user, decision_id))
    own = set(decision.recipients.exclude(award_record=None).values_list("award_record_id", flat=True))
    foreign = [pk for pk in payload.awards if pk not in own]
    if foreign:
        return _invalid(ValidationError({"awards": _("Không thuộc quyết định này: %(ids)s.") % {"ids": ", ".join(map(str, foreign))}}))
    try:
        revocation = services.revocation_draft(
            actor=user, records=payload.awards, ground=RevocationGround(payload.ground), reason=payload.reason,
            decision_date=payload.decision_date,
        )
    except ValidationError as exc:
        return _invalid(exc)
    except PermissionDenied:
        raise
    return Status(201, _decision_payload(user, revocation))


@public_router.get(
    "/verify/{code}",
    response={200: VerifyOut, 404: Message, 429: Message},
    summary="Xác thực giấy khen theo mã (không cần mã truy cập)",
    auth=None,
)
def verify(request, code: str):
    """Chỉ trả về người (tập thể) được khen thưởng, hình thức, số và ngày quyết định, cơ quan quyết định
    và tình trạng (`valid` hoặc `revoked`). Mã không tồn tại: 404; tra quá nhiều mã không tồn tại: 429."""
    from thidua.decisions.views_public import lookup

    status, facts = lookup(request, code)
    if status == 429:
        return Status(429, {"detail": _("Đã tra quá nhiều mã không tồn tại. Vui lòng thử lại sau ít phút.")})
    if status == 404:
        return Status(404, {"detail": _("Không tìm thấy giấy khen nào có mã này.")})
    return facts
