"""Statuses and kinds of exemplars and conferences, with their transition tables.

Each workflow has one transition service (``services.exemplar_transition``,
``services.conference_transition``, ``services.presentation_decide``) that reads these tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExemplarStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đơn vị đề xuất")
    RETURNED = "returned", _("Trả lại để bổ sung")
    CONFIRMED = "confirmed", _("Đã công nhận")
    WITHDRAWN = "withdrawn", _("Đã rút")


# source → {target: who may move it there}: the proposing unit ("proposer", ``exemplar.propose``) or the
# confirming officer ("confirmer", ``exemplar.confirm``).
PROPOSER, CONFIRMER = "proposer", "confirmer"
EXEMPLAR_TRANSITIONS: dict[str, dict[str, str]] = {
    ExemplarStatus.PROPOSED: {ExemplarStatus.CONFIRMED: CONFIRMER, ExemplarStatus.RETURNED: CONFIRMER, ExemplarStatus.WITHDRAWN: PROPOSER},
    ExemplarStatus.RETURNED: {ExemplarStatus.PROPOSED: PROPOSER, ExemplarStatus.WITHDRAWN: PROPOSER},
    # A confirmed exemplar may later be taken off the registry (e.g. after a revocation).
    ExemplarStatus.CONFIRMED: {ExemplarStatus.WITHDRAWN: CONFIRMER},
    ExemplarStatus.WITHDRAWN: {},
}
# The proposer may edit the story while the officer has not confirmed it; the officer may always edit.
PROPOSER_EDITABLE = (ExemplarStatus.PROPOSED, ExemplarStatus.RETURNED)


class ConsentField(models.TextChoices):
    """What the holder (or, for a collective, its unit) agrees to show on the public honour board.
    Without ``name`` the exemplar does not appear publicly at all."""

    NAME = "name", _("Họ tên (tên tập thể), danh hiệu điển hình, lĩnh vực, giai đoạn")
    UNIT = "unit", _("Chức vụ, đơn vị công tác")
    STORY = "story", _("Câu chuyện điển hình")
    PHOTOS = "photos", _("Hình ảnh")
    AWARDS = "awards", _("Khen thưởng đã nhận")
    INITIATIVES = "initiatives", _("Sáng kiến, đề tài")
    REPLICATIONS = "replications", _("Kết quả nhân rộng")


class ConferenceStatus(models.TextChoices):
    PLANNING = "planning", _("Đang chuẩn bị")
    OPEN = "open_for_submissions", _("Nhận tham luận")
    PUBLISHED = "programme_published", _("Đã công bố chương trình")
    HELD = "held", _("Đã tổ chức")
    REPORTED = "reported", _("Đã báo cáo kết quả")


# The conference workflow: source → the statuses it may move to (``services.conference_transition``).
CONFERENCE_TRANSITIONS: dict[str, set[str]] = {
    ConferenceStatus.PLANNING: {ConferenceStatus.OPEN},
    ConferenceStatus.OPEN: {ConferenceStatus.PUBLISHED},
    # A published programme may be taken back to amend it before the day.
    ConferenceStatus.PUBLISHED: {ConferenceStatus.HELD, ConferenceStatus.OPEN},
    ConferenceStatus.HELD: {ConferenceStatus.REPORTED},
    ConferenceStatus.REPORTED: set(),
}
# The statuses in which the conference's page and programme are public.
PUBLIC_STATUSES = (ConferenceStatus.PUBLISHED, ConferenceStatus.HELD, ConferenceStatus.REPORTED)
# The programme (agenda, honoured decisions) may change until the conference is held.
PROGRAMME_EDITABLE = (ConferenceStatus.PLANNING, ConferenceStatus.OPEN, ConferenceStatus.PUBLISHED)


class PresentationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi, chờ đánh giá")
    REVISIONS = "revisions_required", _("Cần chỉnh sửa")
    ACCEPTED = "accepted", _("Được chọn trình bày")
    REJECTED = "rejected", _("Không được chọn")
    WITHDRAWN = "withdrawn", _("Tác giả rút")


# Decisions of the organiser (and the authors' own steps): source → {target: who}.
ORGANISER, AUTHOR = "organiser", "author"
PRESENTATION_TRANSITIONS: dict[str, dict[str, str]] = {
    PresentationStatus.SUBMITTED: {
        PresentationStatus.ACCEPTED: ORGANISER,
        PresentationStatus.REVISIONS: ORGANISER,
        PresentationStatus.REJECTED: ORGANISER,
        PresentationStatus.WITHDRAWN: AUTHOR,
    },
    # The authors send the revised text (``presentation_resubmit``), or give up.
    PresentationStatus.REVISIONS: {PresentationStatus.SUBMITTED: AUTHOR, PresentationStatus.WITHDRAWN: AUTHOR},
    PresentationStatus.ACCEPTED: {},
    PresentationStatus.REJECTED: {},
    PresentationStatus.WITHDRAWN: {},
}
DECISIONS = (PresentationStatus.ACCEPTED, PresentationStatus.REVISIONS, PresentationStatus.REJECTED)
# Reviews are written while the organiser has not decided.
REVIEWABLE = (PresentationStatus.SUBMITTED,)


class Recommendation(models.TextChoices):
    ACCEPT = "accept", _("Đề nghị chọn")
    REVISE = "revise", _("Đề nghị chỉnh sửa")
    REJECT = "reject", _("Đề nghị không chọn")


class AgendaKind(models.TextChoices):
    OPENING = "opening", _("Khai mạc, giới thiệu đại biểu")
    REPORT = "period_report", _("Báo cáo tổng kết giai đoạn")
    PRESENTATION = "presentation", _("Tham luận")
    CEREMONY = "award_ceremony", _("Khen thưởng, vinh danh")
    SPEECH = "speech", _("Phát biểu chỉ đạo")
    LAUNCH = "launch", _("Phát động phong trào thi đua")
    BREAK = "break", _("Giải lao")
    CLOSING = "closing", _("Bế mạc")
    OTHER = "other", _("Nội dung khác")


class InvitationKind(models.TextChoices):
    INTERNAL = "internal", _("Trong cơ quan")
    GUEST = "guest", _("Khách mời")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("Chưa trả lời")
    ATTENDING = "attending", _("Tham dự")
    DECLINED = "declined", _("Không tham dự")
