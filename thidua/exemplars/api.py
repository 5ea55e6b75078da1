"""Exemplars and conferences over the API:

- ``GET /api/v1/exemplars`` (the registry in the caller's sight), ``POST /api/v1/exemplars`` (propose);
- ``POST /api/v1/conferences`` (create), ``GET /api/v1/conferences/{id}`` (the conference as the caller
  may see it);
- ``POST /api/v1/conferences/{id}/presentations`` (submit a presentation, multipart with its file);
- ``POST /api/v1/presentations/{id}/reviews`` (an assigned reviewer scores a presentation).

Reads go through the selectors: what is out of sight answers 404; a caller who sees but may not act gets
403; a step the workflow refuses answers 409; invalid input 422. Under blind review a reviewer's view of a
presentation never carries its authors or unit (``selectors.presentation_for_reviewer``).
"""

import datetime
import math
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from thidua.accounts import scopes
from thidua.api.errors import validation_error_payload
from thidua.api.schemas import InputSchema, IsoDate, Message, Text, ValidationErrorOut
from thidua.exemplars import selectors, services, services_conferences, services_reviews
from thidua.exemplars.enums import PUBLIC_STATUSES, ExemplarStatus, Recommendation
from thidua.exemplars.models import Conference, Exemplar, Presentation, Review
from thidua.exemplars.services import TransitionRefused

router = Router(tags=["Điển hình tiên tiến, hội nghị"])

PAGE_SIZE = 50


def _invalid(exc: ValidationError) -> Status:
    return Status(422, validation_error_payload(exc))


def _recommendation(value: Any) -> Any:
    if value not in Recommendation.values:
        raise PydanticCustomError("thidua_choice", _("Đề nghị phải là một trong: %(values)s.") % {"values": ", ".join(Recommendation.values)})
    return value


def _time(value: Any) -> Any:
    if value is None or isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        raise PydanticCustomError("thidua_time", _("Giờ phải có dạng HH:MM, ví dụ 07:30.")) from None


IsoTime = Annotated[datetime.time, BeforeValidator(_time)]


# ---------------------------------------------------------------- shapes


class ExemplarIn(InputSchema):
    person: int | None = Field(None, description="Mã cá nhân (điển hình là cá nhân).")
    collective: Text | None = Field(None, description="Mã đơn vị (điển hình là tập thể).")
    unit: Text | None = Field(None, description="Mã đơn vị đề xuất; mặc định đơn vị hiện tại của cá nhân.")
    headline: Text = Field(min_length=1, max_length=300, description="Điển hình về việc gì.")
    field_of_work: Text = Field("", max_length=200)
    period_start: int = Field(ge=1945, le=2100)
    period_end: int = Field(ge=1945, le=2100)
    summary: Text = Field("", max_length=5000)
    story_html: Text = Field("", max_length=200000, description="HTML; chỉ giữ các thẻ được phép (p, strong, em, ul, ol, li, h3, h4, blockquote, a, figure, img của ảnh đã tải lên).")
    awards: list[int] = Field(default_factory=list, description="Mã các khen thưởng trong sổ làm căn cứ.")
    initiatives: list[int] = Field(default_factory=list, description="Mã các sáng kiến, đề tài.")


class ExemplarOut(Schema):
    id: int
    subject: Literal["individual", "collective"]
    person: int | None
    collective: str | None
    name: str
    unit: str
    headline: str
    field_of_work: str
    period_start: int
    period_end: int
    status: str
    summary: str
    story_html: str
    awards: list[int]
    initiatives: list[int]
    published: bool
    consent: list[str] = Field(description="Các phần người được biểu dương đồng ý công khai.")
    public: bool = Field(description="Đang hiển thị trên bảng vinh danh công khai.")


class ExemplarList(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    next: int | None
    items: list[ExemplarOut]


class CriterionIn(InputSchema):
    name: Text = Field(min_length=1, max_length=300)
    max_points: int = Field(ge=1, le=100)


class ConferenceIn(InputSchema):
    organising_unit: Text = Field(min_length=1, max_length=40, description="Mã đơn vị tổ chức.")
    title: Text = Field(min_length=1, max_length=300)
    held_on: IsoDate
    starts_at: IsoTime | None = Field(None, description="Giờ khai mạc, HH:MM.")
    venue: Text = Field("", max_length=300)
    period_start: int = Field(ge=1945, le=2100)
    period_end: int = Field(ge=1945, le=2100)
    legal_bases: list[int] = Field(default_factory=list, description="Mã các văn bản trong sổ văn bản (kế hoạch, hướng dẫn).")
    purposes: list[Text] = Field(default_factory=list)
    submission_deadline: IsoDate | None = None
    blind_review: bool = False
    criteria: list[CriterionIn] = Field(default_factory=list, description="Tiêu chí đánh giá tham luận.")
    speaker_name: Text = Field("", max_length=120)
    speaker_title: Text = Field("", max_length=200)


class DocumentOut(Schema):
    id: int
    number: str
    issued_on: datetime.date
    issuer: str
    title: str


class CriterionOut(Schema):
    id: int
    name: str
    max_points: int


class AgendaOut(Schema):
    order: int
    starts_at: datetime.time | None
    ends_at: datetime.time | None
    kind: str
    title: str
    speaker: str


class DecisionBrief(Schema):
    id: int
    reference: str
    decision_date: datetime.date | None
    subject: str


class MovementBrief(Schema):
    id: int
    title: str
    status: str


class AuthorOut(Schema):
    name: str
    affiliation: str


class PresentationOut(Schema):
    id: int
    title: str
    abstract: str
    status: str
    revision: int
    authors: list[AuthorOut] | None = Field(description="null với người đánh giá ẩn danh.")
    unit: str | None = Field(description="Mã đơn vị gửi; null với người đánh giá ẩn danh.")
    decision_message: str | None = Field(description="Ý kiến gửi tác giả; không có với người đánh giá.")


class ConferenceOut(Schema):
    id: int
    title: str
    status: str
    organising_unit: str
    held_on: datetime.date
    starts_at: datetime.time | None
    venue: str
    period_start: int
    period_end: int
    legal_bases: list[DocumentOut]
    purposes: list[str]
    submission_deadline: datetime.date | None
    blind_review: bool
    criteria: list[CriterionOut]
    role: str = Field(description="organiser, observer, reviewer hoặc participant.")
    programme: list[AgendaOut] | None = Field(description="Có khi chương trình đã công bố (người tổ chức luôn thấy).")
    decisions: list[DecisionBrief]
    honourees: int = Field(description="Số tập thể, cá nhân được khen thưởng tại hội nghị.")
    launched_movement: MovementBrief | None
    presentations: list[PresentationOut] = Field(description="Những tham luận người gọi được xem.")


class ReviewScoreIn(InputSchema):
    criterion: int = Field(description="Mã tiêu chí.")
    points: int = Field(ge=0, le=100)


class ReviewIn(InputSchema):
    scores: list[ReviewScoreIn] = Field(description="Điểm của từng tiêu chí của hội nghị, mỗi tiêu chí đúng một lần.")
    recommendation: Annotated[Literal["accept", "revise", "reject"], BeforeValidator(_recommendation)]
    comment: Text = Field("", max_length=5000)


class ReviewScoreOut(Schema):
    criterion: int
    name: str
    points: int
    max_points: int


class ReviewOut(Schema):
    id: int
    presentation: int
    total: int
    recommendation: str
    comment: str
    scores: list[ReviewScoreOut]


# ---------------------------------------------------------------- payloads


def _exemplar_payload(exemplar: Exemplar) -> dict:
    return {
        "id": exemplar.pk, "subject": "collective" if exemplar.collective_id else "individual", "person": exemplar.person_id,
        "collective": exemplar.collective.code if exemplar.collective_id else None, "name": exemplar.subject_name, "unit": exemplar.unit.code,
        "headline": exemplar.headline, "field_of_work": exemplar.field_of_work, "period_start": exemplar.period_start,
        "period_end": exemplar.period_end, "status": exemplar.status, "summary": exemplar.summary, "story_html": exemplar.story_html,
        "awards": sorted(record.pk for record in exemplar.awards.all()),
        "initiatives": sorted(initiative.pk for initiative in exemplar.initiatives.all()),
        "published": exemplar.published, "consent": sorted(exemplar.consented()), "public": exemplar.is_public,
    }


def _presentation_payload(presentation: Presentation, role: str) -> dict:
    if role == selectors.REVIEWER:
        view = selectors.presentation_for_reviewer(presentation)
        return {"id": view.id, "title": view.title, "abstract": view.abstract, "status": view.status, "revision": view.revision,
                "authors": [{"name": name, "affiliation": ""} for name in view.authors] if view.authors is not None else None,
                "unit": presentation.unit.code if view.unit_name is not None else None, "decision_message": None}
    return {"id": presentation.pk, "title": presentation.title, "abstract": presentation.abstract, "status": presentation.status,
            "revision": presentation.revision,
            "authors": [{"name": author.name, "affiliation": author.affiliation} for author in presentation.authors.all()],
            "unit": presentation.unit.code, "decision_message": presentation.decision_message}


def _conference_payload(user, conference: Conference) -> dict:
    conference = Conference.objects.select_related("organising_unit", "launched_movement").get(pk=conference.pk)
    if selectors.is_organiser(user, conference):
        role = selectors.ORGANISER
    elif scopes.can(user, "audit.view", conference.organising_unit):
        role = selectors.OBSERVER
    elif selectors.is_reviewer(user, conference):
        role = selectors.REVIEWER
    else:
        role = selectors.PARTICIPANT
    if role in (selectors.ORGANISER, selectors.OBSERVER):
        presentations = [(p, role) for p in selectors.presentations_of(conference)]
    else:
        own = list(selectors.presentations_of_participant(user, conference))
        presentations = [(p, selectors.PARTICIPANT) for p in own]
        if role == selectors.REVIEWER:
            mine = {p.pk for p in own}
            presentations += [(p, selectors.REVIEWER) for p in selectors.presentations_to_review(user, conference).select_related("unit")
                              .prefetch_related("authors") if p.pk not in mine]
    programme_visible = role in (selectors.ORGANISER, selectors.OBSERVER) or conference.status in PUBLIC_STATUSES
    movement = conference.launched_movement
    return {
        "id": conference.pk, "title": conference.title, "status": conference.status, "organising_unit": conference.organising_unit.code,
        "held_on": conference.held_on, "starts_at": conference.starts_at, "venue": conference.venue,
        "period_start": conference.period_start, "period_end": conference.period_end,
        "legal_bases": [{"id": d.pk, "number": d.number, "issued_on": d.issued_on, "issuer": d.issuer, "title": d.title}
                        for d in conference.legal_bases.order_by("issued_on")],
        "purposes": conference.purposes, "submission_deadline": conference.submission_deadline, "blind_review": conference.blind_review,
        "criteria": [{"id": c.pk, "name": c.name, "max_points": c.max_points} for c in conference.criteria.all()],
        "role": role,
        "programme": [{"order": item.order, "starts_at": item.starts_at, "ends_at": item.ends_at, "kind": item.kind, "title": item.title,
                       "speaker": item.speaker} for item in conference.agenda.all()] if programme_visible else None,
        "decisions": [{"id": d.pk, "reference": d.reference, "decision_date": d.decision_date, "subject": d.subject}
                      for d in selectors.honoured_decisions(conference)],
        "honourees": len(selectors.honourees(conference)),
        "launched_movement": {"id": movement.pk, "title": movement.title, "status": movement.status} if movement else None,
        "presentations": [_presentation_payload(p, r) for p, r in presentations],
    }


def _review_payload(review: Review) -> dict:
    return {"id": review.pk, "presentation": review.presentation_id, "total": review.total, "recommendation": review.recommendation,
            "comment": review.comment,
            "scores": [{"criterion": s.criterion_id, "name": s.criterion.name, "points": s.points, "max_points": s.criterion.max_points}
                       for s in review.scores.select_related("criterion")]}


def _unit(user, code: str, field: str):
    """The unit with this code when the caller sees it (404 otherwise, as everywhere in the API)."""
    from thidua.organizations.selectors import access_unit

    return access_unit(user, code)


# ---------------------------------------------------------------- endpoints


@router.get("/exemplars", response={200: ExemplarList, 401: Message, 422: ValidationErrorOut}, summary="Danh sách điển hình tiên tiến")
def exemplar_list(
    request,
    q: Annotated[str, Query(max_length=200, description="Tìm theo tên, nội dung, lĩnh vực (có dấu hoặc không dấu).")] = "",
    status: Annotated[str | None, Query(description="proposed, returned, confirmed hoặc withdrawn.")] = None,
    unit: Annotated[str | None, Query(description="Mã đơn vị: điển hình của đơn vị này và các đơn vị cấp dưới.")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
):
    """Những điển hình trong phạm vi được xem: đã công nhận với mọi người trong đơn vị, đề xuất với lãnh
    đạo, cán bộ thi đua; người được biểu dương luôn thấy của mình."""
    from thidua.common.text import search_terms

    user = request.auth
    queryset = selectors.exemplars_visible_to(user).prefetch_related("awards", "initiatives")
    if status:
        if status not in ExemplarStatus.values:
            return _invalid(ValidationError({"status": _("Trạng thái phải là một trong: %(values)s.") % {"values": ", ".join(ExemplarStatus.values)}}))
        queryset = queryset.filter(status=status)
    if unit:
        try:
            queryset = queryset.filter(unit__path__startswith=_unit(user, unit, "unit").path)
        except ValidationError as exc:
            return _invalid(exc)
    for term in search_terms(q):
        queryset = queryset.filter(search_text__contains=term)
    queryset = queryset.order_by("-period_end", "id")
    count = queryset.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    start = (page - 1) * PAGE_SIZE
    items = [_exemplar_payload(exemplar) for exemplar in queryset[start : start + PAGE_SIZE]] if start < count else []
    return {"count": count, "page": page, "pages": pages, "page_size": PAGE_SIZE, "next": page + 1 if page < pages else None, "items": items}


@router.post("/exemplars", response={201: ExemplarOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
             summary="Đề xuất điển hình tiên tiến")
def exemplar_create(request, payload: ExemplarIn):
    """Đơn vị (lãnh đạo đơn vị, cán bộ thi đua) đề xuất một cá nhân (`person`) hoặc tập thể (`collective`);
    cán bộ thi đua công nhận trên hệ thống. Câu chuyện (`story_html`) được lọc, chỉ giữ các thẻ được phép."""
    from thidua.organizations.selectors import access_person
    from thidua.records.models import AwardRecord, Initiative

    user = request.auth
    try:
        if (payload.person is None) == (payload.collective is None):
            raise ValidationError({"person": _("Gửi đúng một trong hai: person (cá nhân) hoặc collective (mã tập thể).")})
        person = access_person(user, payload.person) if payload.person is not None else None
        collective = _unit(user, payload.collective, "collective") if payload.collective else None
        unit = _unit(user, payload.unit, "unit") if payload.unit else None
        awards = list(AwardRecord.objects.filter(pk__in=payload.awards))
        initiatives = list(Initiative.objects.filter(pk__in=payload.initiatives))
        if len(awards) != len(set(payload.awards)):
            raise ValidationError({"awards": _("Có mã khen thưởng không tồn tại.")})
        if len(initiatives) != len(set(payload.initiatives)):
            raise ValidationError({"initiatives": _("Có mã sáng kiến, đề tài không tồn tại.")})
        if payload.period_end < payload.period_start:
            raise ValidationError({"period_end": _("Năm kết thúc phải từ năm bắt đầu trở đi.")})
        exemplar = services.exemplar_propose(
            actor=user, person=person, collective=collective, unit=unit, awards=awards, initiatives=initiatives, headline=payload.headline,
            field_of_work=payload.field_of_work, period_start=payload.period_start, period_end=payload.period_end, summary=payload.summary,
            story_html=payload.story_html,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _exemplar_payload(exemplar))


@router.post("/conferences", response={201: ConferenceOut, 401: Message, 403: Message, 422: ValidationErrorOut},
             summary="Tạo hội nghị điển hình tiên tiến")
def conference_create(request, payload: ConferenceIn):
    """Hội nghị ở trạng thái `planning`, với các văn bản căn cứ (`legal_bases`, mã trong sổ văn bản), mục
    đích, hạn gửi và tiêu chí đánh giá tham luận. Chỉ người tổ chức (cán bộ thi đua của đơn vị) tạo được."""
    from thidua.common.selectors import legal_documents_visible_to

    user = request.auth
    try:
        unit = _unit(user, payload.organising_unit, "organising_unit")
        if not scopes.can(user, "conference.manage", unit):
            raise PermissionDenied
        documents = list(legal_documents_visible_to(user).filter(pk__in=payload.legal_bases))
        if len(documents) != len(set(payload.legal_bases)):
            raise ValidationError({"legal_bases": _("Có mã văn bản không có trong sổ văn bản bạn được xem.")})
        if payload.period_end < payload.period_start:
            raise ValidationError({"period_end": _("Năm kết thúc phải từ năm bắt đầu trở đi.")})
        conference = services_conferences.conference_create(
            actor=user, organising_unit=unit, title=payload.title, held_on=payload.held_on, starts_at=payload.starts_at, venue=payload.venue,
            period_start=payload.period_start, period_end=payload.period_end, legal_bases=documents, purposes=payload.purposes,
            submission_deadline=payload.submission_deadline, blind_review=payload.blind_review,
            criteria=[(c.name, c.max_points) for c in payload.criteria], speaker_name=payload.speaker_name, speaker_title=payload.speaker_title,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _conference_payload(user, conference))


@router.get("/conferences/{int:conference_id}", response={200: ConferenceOut, 401: Message, 404: Message}, summary="Một hội nghị")
def conference_detail(request, conference_id: int):
    """Hội nghị như người gọi được xem: chương trình khi đã công bố; các tham luận của người gọi (hoặc tất cả
    với người tổ chức); với người đánh giá ẩn danh, tham luận không có tác giả và đơn vị."""
    user = request.auth
    return _conference_payload(user, selectors.access_conference(user, conference_id))


@router.post("/conferences/{int:conference_id}/presentations",
             response={201: PresentationOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
             summary="Gửi tham luận")
def presentation_create(
    request,
    conference_id: int,
    title: Form[str],
    unit: Form[str],
    authors: Form[list[str]],
    abstract: Form[str] = "",
    file: File[UploadedFile] = None,
):
    """Gửi dạng multipart: `title`, `unit` (mã đơn vị gửi, thuộc đơn vị tổ chức), `authors` (mỗi giá trị
    “Họ tên | chức vụ, đơn vị”, gửi nhiều lần), `abstract`, `file` (PDF hoặc DOCX, tối đa 20 MB). Chỉ khi
    hội nghị đang nhận tham luận."""
    user = request.auth
    conference = selectors.access_conference(user, conference_id)
    try:
        submitting = _unit(user, unit, "unit")
        if not selectors.may_submit_for(user, conference, submitting):
            raise PermissionDenied
        people = []
        for line in authors:
            name, _separator, affiliation = line.partition("|")
            people.append({"name": name.strip(), "affiliation": affiliation.strip()})
        if getattr(user, "person_id", None):
            for author in people:
                if author["name"].casefold() == user.person.full_name.casefold():
                    author["person"] = user.person
        presentation = services_reviews.presentation_submit(actor=user, conference=conference, unit=submitting, title=title,
                                                            abstract=abstract, authors=people, file=file)
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _presentation_payload(presentation, selectors.PARTICIPANT))


@router.post("/presentations/{int:presentation_id}/reviews",
             response={200: ReviewOut, 201: ReviewOut, 401: Message, 403: Message, 404: Message, 409: Message, 422: ValidationErrorOut},
             summary="Đánh giá một tham luận")
def review_create(request, presentation_id: int, payload: ReviewIn):
    """Người đánh giá được phân công chấm từng tiêu chí (số nguyên từ 0 đến điểm tối đa) và đề nghị
    (`accept`, `revise`, `reject`). Gửi lần nữa thì cập nhật đánh giá của chính mình (200) khi Ban Tổ chức
    chưa quyết định; tham luận đã có quyết định: 409."""
    user = request.auth
    presentation, role = selectors.access_presentation(user, presentation_id)
    if role != selectors.REVIEWER:
        raise PermissionDenied
    scores: dict[int, int] = {}
    for score in payload.scores:
        if score.criterion in scores:
            return _invalid(ValidationError({"scores": _("Tiêu chí %(id)d được chấm hai lần.") % {"id": score.criterion}}))
        scores[score.criterion] = score.points
    try:
        review, created = services_reviews.review_submit(actor=user, presentation=presentation, scores=scores,
                                                         recommendation=payload.recommendation, comment=payload.comment)
    except TransitionRefused as refusal:
        return Status(409, {"detail": refusal.message})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201 if created else 200, _review_payload(review))
