from django.db import models
from django.utils.translation import gettext_lazy as _


class Track(models.TextChoices):
    REGULAR = "cong_trang", _("Khen thưởng theo công trạng (thường xuyên)")
    THEMATIC = "chuyen_de", _("Khen thưởng theo đợt, chuyên đề")
    SUDDEN = "dot_xuat", _("Khen thưởng đột xuất")
    SERVICE_YEARS = "nien_han", _("Khen thưởng quá trình cống hiến theo niên hạn")
    LIFETIME = "cong_hien", _("Khen thưởng quá trình cống hiến")
    FOREIGN = "doi_ngoai", _("Khen thưởng đối ngoại")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang nhận hồ sơ")
    CLOSED = "closed", _("Đã kết thúc")


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    UNDER_REVIEW = "under_review", _("Đang thẩm định")
    RETURNED = "returned", _("Trả lại để bổ sung")
    IN_COUNCIL = "in_council", _("Trình Hội đồng")
    APPROVED = "approved", _("Được chấp thuận")
    REJECTED = "rejected", _("Không chấp thuận")
    DECIDED = "decided", _("Đã có quyết định")
    WITHDRAWN = "withdrawn", _("Đã rút")
    FORWARDED = "forwarded", _("Đã trình cấp trên")


# Who acts on each target status: the proposing unit or the awarding unit (services check the permission).
PROPOSER, AWARDER = "proposer", "awarder"

# The whole dossier workflow: source → {target: the side that may move it there}.
NOMINATION_TRANSITIONS: dict[str, dict[str, str]] = {
    NominationStatus.DRAFT: {NominationStatus.SUBMITTED: PROPOSER, NominationStatus.WITHDRAWN: PROPOSER},
    NominationStatus.SUBMITTED: {
        NominationStatus.UNDER_REVIEW: AWARDER,
        NominationStatus.RETURNED: AWARDER,
        NominationStatus.WITHDRAWN: PROPOSER,
    },
    NominationStatus.UNDER_REVIEW: {
        NominationStatus.RETURNED: AWARDER,
        NominationStatus.IN_COUNCIL: AWARDER,
        NominationStatus.APPROVED: AWARDER,
        NominationStatus.REJECTED: AWARDER,
        NominationStatus.FORWARDED: AWARDER,
    },
    NominationStatus.RETURNED: {NominationStatus.SUBMITTED: PROPOSER, NominationStatus.WITHDRAWN: PROPOSER},
    NominationStatus.IN_COUNCIL: {NominationStatus.APPROVED: AWARDER, NominationStatus.REJECTED: AWARDER},
    NominationStatus.APPROVED: {NominationStatus.DECIDED: AWARDER, NominationStatus.FORWARDED: AWARDER},
    NominationStatus.REJECTED: {},
    NominationStatus.DECIDED: {},
    NominationStatus.WITHDRAWN: {},
    NominationStatus.FORWARDED: {},
}


class NomineeStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xét")
    IN_COUNCIL = "in_council", _("Trình Hội đồng")
    APPROVED = "approved", _("Được chấp thuận")
    REJECTED = "rejected", _("Không chấp thuận")
    FORWARDED = "forwarded", _("Trình cấp trên")
    DECIDED = "decided", _("Đã có quyết định")


# Per-nominee decisions of the awarding unit while the dossier is under review: source → targets. The
# others in the same dossier wait; ``in_council`` nominees are decided by the council's vote (issue 6),
# which uses the same service. Undoing (back to ``pending``) is allowed until the dossier moves on.
NOMINEE_DECISIONS: dict[str, tuple[str, ...]] = {
    NomineeStatus.PENDING: (NomineeStatus.APPROVED, NomineeStatus.REJECTED, NomineeStatus.IN_COUNCIL),
    NomineeStatus.IN_COUNCIL: (NomineeStatus.APPROVED, NomineeStatus.REJECTED, NomineeStatus.PENDING),
    NomineeStatus.APPROVED: (NomineeStatus.PENDING,),
    NomineeStatus.REJECTED: (NomineeStatus.PENDING,),
    NomineeStatus.FORWARDED: (),
    NomineeStatus.DECIDED: (),
}

# Nominees still waiting for an answer from the awarding unit.
OPEN_NOMINEE_STATUSES = (NomineeStatus.PENDING, NomineeStatus.IN_COUNCIL)


class AttachmentKind(models.TextChoices):
    COVER_LETTER = "to_trinh", _("Tờ trình")
    ACHIEVEMENT_REPORT = "bao_cao_thanh_tich", _("Báo cáo thành tích")
    SCREENING_MINUTES = "bien_ban_binh_xet", _("Biên bản bình xét")
    AWARD_MINUTES = "bien_ban_xet_khen_thuong", _("Biên bản xét khen thưởng")
    INITIATIVE_PROOF = "minh_chung_sang_kien", _("Minh chứng sáng kiến, đề tài")
    SHORT_REPORT = "bao_cao_tom_tat", _("Báo cáo tóm tắt thành tích")
    OTHER = "khac", _("Tài liệu khác")
