"""Council sessions over the API: create a session with its agenda, open voting, cast the caller's own
secret ballot, close, read.

A session is seen by members of its council and by holders of ``council.view``/``council.manage`` on its
unit (``council.selectors``); anyone else gets 404. Preparing, opening and closing are the secretary's
(403 otherwise). A step the session's state refuses answers 409 with the reason; a ballot that does not
cover each nominee under vote exactly once with a valid choice answers 400; a second ballot of the same
member answers 409. No response ever holds an individual choice: the session shows how many took part,
and the totals once closed.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from ninja import Field, Router, Schema, Status

from thidua.api.errors import validation_error_payload
from thidua.api.schemas import InputSchema, IsoDate, Message, Text, ValidationErrorOut
from thidua.council import ballots, selectors, services
from thidua.council.ballots import CouncilRefused
from thidua.council.enums import SessionStatus
from thidua.council.models import Session

router = Router(tags=["Hội đồng Thi đua – Khen thưởng"])


# ---------------------------------------------------------------- shapes


class SessionCreateIn(InputSchema):
    council: int = Field(description="Mã số Hội đồng.")
    nominees: list[int] = Field(description="Mã các đề nghị đang “Trình Hội đồng” đưa vào chương trình họp.")
    held_on: IsoDate | None = Field(None, description="Ngày họp; mặc định hôm nay.")
    title: Text = Field("", max_length=300, description="Nội dung phiên họp; để trống thì tự đặt.")
    place: Text = Field("", max_length=200)


class OpenIn(InputSchema):
    nominees: list[int] | None = Field(None, description="Chỉ biểu quyết các đề nghị này; bỏ trống: toàn bộ chương trình.")
    present: list[Text] | None = Field(
        None, description="Tên đăng nhập của các thành viên có mặt; bỏ trống: dùng danh sách điểm danh đã ghi."
    )


class VoteIn(InputSchema):
    nominee: int = Field(description="Mã đề nghị.")
    choice: Text = Field(description="dong_y (đồng ý), khong_dong_y (không đồng ý) hoặc khong_bieu_quyet (không biểu quyết).")


class BallotIn(InputSchema):
    votes: list[VoteIn] = Field(description="Đúng một ý kiến cho mỗi đề nghị đang biểu quyết.")


class ReceiptOut(Schema):
    receipt: str = Field(description="Mã biên nhận: chỉ trả về một lần, hệ thống chỉ lưu dạng băm SHA-256.")


class CouncilBrief(Schema):
    id: int
    name: str
    unit: str


class AgendaItemOut(Schema):
    nominee: int
    name: str
    award: str
    proposing_unit: str
    opened: bool = Field(description="Đang (đã) được đưa ra biểu quyết.")


class ParticipationOut(Schema):
    members: int = Field(description="Tổng số thành viên trong nhiệm kỳ vào ngày họp.")
    present: int
    voted: int = Field(description="Số thành viên có mặt đã bỏ phiếu điện tử.")
    written: int = Field(description="Số thành viên vắng mặt có ý kiến bằng văn bản.")
    total: int = Field(description="voted + written.")


class TallyOut(Schema):
    nominee: int
    name: str
    award: str
    yes: int
    no: int
    abstain: int
    base: int = Field(description="Số thành viên làm căn cứ tính tỉ lệ (toàn bộ Hội đồng hoặc số dự họp, theo quy định).")
    share: Decimal | None = Field(description="Tỉ lệ đồng ý trên căn cứ, 4 chữ số thập phân.")
    result: str = Field(description="approved hoặc rejected.")


class SessionOut(Schema):
    id: int
    council: CouncilBrief
    held_on: datetime.date
    title: str
    status: str
    ruleset: str
    quorum_required: int | None
    participation: ParticipationOut
    agenda: list[AgendaItemOut]
    tallies: list[TallyOut] | None = Field(description="Chỉ có khi phiên họp đã kết thúc; không bao giờ có phiếu của từng người.")


# ---------------------------------------------------------------- helpers


def _payload(session: Session) -> dict:
    session.refresh_from_db()
    progress = selectors.progress(session)
    items = selectors.agenda(session)
    tallies = None
    if session.status == SessionStatus.CLOSED:
        tallies = [
            {"nominee": item.nominee_id, "name": selectors.subject_name(item.nominee), "award": item.nominee.award.code,
             "yes": item.yes_count, "no": item.no_count, "abstain": item.abstain_count, "base": item.base, "share": item.share,
             "result": item.result}
            for item in items if item.opened
        ]
    return {
        "id": session.pk,
        "council": {"id": session.council_id, "name": session.council.name, "unit": session.council.unit.code},
        "held_on": session.held_on,
        "title": session.title,
        "status": session.status,
        "ruleset": session.ruleset_code,
        "quorum_required": session.quorum_required,
        "participation": {"members": progress.members, "present": progress.present, "voted": progress.voted,
                          "written": progress.written, "total": progress.participants},
        "agenda": [
            {"nominee": item.nominee_id, "name": selectors.subject_name(item.nominee), "award": item.nominee.award.code,
             "proposing_unit": item.nominee.nomination.proposing_unit.code, "opened": item.opened}
            for item in items
        ],
        "tallies": tallies,
    }


def _refused(refusal: CouncilRefused) -> Status:
    return Status(refusal.status_code, {"detail": refusal.message})


# ---------------------------------------------------------------- endpoints


@router.post(
    "/council-sessions",
    response={201: SessionOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Lập phiên họp Hội đồng với chương trình họp",
)
def session_create(request, payload: SessionCreateIn):
    """Phiên họp dự thảo của Hội đồng `council` với các đề nghị `nominees` (đang “Trình Hội đồng”, thuộc
    đợt xét của đơn vị có Hội đồng, chưa nằm trong phiên họp khác). Chỉ thư ký Hội đồng (trong nhiệm kỳ
    vào ngày họp) được lập (403)."""
    user = request.auth
    council = selectors.access_council(user, payload.council)
    try:
        session = services.session_create(actor=user, council=council, nominees=payload.nominees, held_on=payload.held_on,
                                          title=payload.title, place=payload.place)
    except ValidationError as exc:
        return Status(422, validation_error_payload(exc))
    return Status(201, _payload(session))


@router.post(
    "/council-sessions/{int:session_id}/open",
    response={200: SessionOut, 401: Message, 403: Message, 404: Message, 409: Message, 422: ValidationErrorOut},
    summary="Mở bỏ phiếu kín",
)
def session_open(request, session_id: int, payload: OpenIn | None = None):
    """Mở bỏ phiếu cho toàn bộ chương trình hoặc các đề nghị `nominees`. `present`: tên đăng nhập của
    các thành viên có mặt (ghi điểm danh); bỏ trống thì dùng điểm danh đã ghi. Không đủ số thành viên dự
    họp theo quy định, hay phiên họp không ở trạng thái mở được: 409 với lý do."""
    user = request.auth
    session = selectors.access_session(user, session_id)
    payload = payload or OpenIn()
    present = None
    if payload.present is not None:
        by_username = {
            m.user.username: m for m in selectors.memberships_on(session.council, session.held_on)
        }
        unknown = [name for name in payload.present if name not in by_username]
        if unknown:
            return Status(422, validation_error_payload(ValidationError({"present": [
                _("%(name)s không phải thành viên Hội đồng vào ngày họp.") % {"name": name} for name in unknown
            ]})))
        present = [by_username[name] for name in payload.present]
    try:
        services.voting_open(actor=user, session=session, nominees=payload.nominees, present=present)
    except CouncilRefused as refusal:
        return _refused(refusal)
    except ValidationError as exc:
        return Status(422, validation_error_payload(exc))
    return _payload(session)


@router.post(
    "/council-sessions/{int:session_id}/ballots",
    response={201: ReceiptOut, 400: Message, 401: Message, 403: Message, 404: Message, 409: Message},
    summary="Bỏ phiếu kín (phiếu của chính người gọi)",
)
@sensitive_variables("payload")
def ballot_cast(request, session_id: int, payload: BallotIn):
    """Phiếu của thành viên đang gọi (mã truy cập của chính mình; không ai bỏ phiếu thay). Mỗi đề nghị
    đang biểu quyết đúng một ý kiến: `dong_y`, `khong_dong_y` hoặc `khong_bieu_quyet`; thiếu, thừa hay sai:
    400. Bỏ phiếu lần thứ hai: 409. Không phải thành viên có mặt: 403. Trả về mã biên nhận một lần duy
    nhất; hệ thống không lưu ai đã chọn gì."""
    user = request.auth
    session = selectors.access_session(user, session_id)
    try:
        code = ballots.ballot_cast(actor=user, session=session, votes=[vote.model_dump() for vote in payload.votes])
    except CouncilRefused as refusal:
        return _refused(refusal)
    return Status(201, {"receipt": code})


@router.post(
    "/council-sessions/{int:session_id}/close",
    response={200: SessionOut, 401: Message, 403: Message, 404: Message, 409: Message},
    summary="Kết thúc biểu quyết và tính kết quả",
)
def session_close(request, session_id: int):
    """Tính số phiếu, áp dụng tỉ lệ theo quy định (trên tổng số thành viên Hội đồng khi quy định như
    vậy), chuyển từng đề nghị sang `approved`/`rejected` trong một giao dịch và trả về kết quả. Phiên họp
    đã kết thúc không thể mở lại hay sửa: 409."""
    user = request.auth
    session = selectors.access_session(user, session_id)
    try:
        services.session_close(actor=user, session=session)
    except CouncilRefused as refusal:
        return _refused(refusal)
    return _payload(session)


@router.get(
    "/council-sessions/{int:session_id}",
    response={200: SessionOut, 401: Message, 404: Message},
    summary="Một phiên họp Hội đồng",
)
def session_detail(request, session_id: int):
    """Trạng thái, chương trình họp, số thành viên đã tham gia biểu quyết; kết quả từng đề nghị khi đã
    kết thúc. Không bao giờ có phiếu của từng người."""
    return _payload(selectors.access_session(request.auth, session_id))

