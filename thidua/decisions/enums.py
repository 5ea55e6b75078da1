from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    AWARD = "award", _("Quyết định khen thưởng")
    REVOCATION = "revocation", _("Quyết định hủy bỏ, thu hồi khen thưởng")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Trình ký")
    RETURNED = "returned", _("Trả lại dự thảo")
    APPROVED = "approved", _("Đã duyệt, chờ ban hành")
    ISSUED = "issued", _("Đã ban hành")
    CANCELLED = "cancelled", _("Đã hủy dự thảo")


# Who takes each step: the officer who drafts (and, once approved, issues: takes the number, as the
# văn thư does) or the signer (người có thẩm quyền) who reviews the draft.
DRAFTER, SIGNER = "drafter", "signer"

# The whole decision workflow: source → {target: the side that may move it there}. ``issued`` is reached
# only through ``services.decision_issue`` (number, register, documents); nothing leaves ``issued``.
DECISION_TRANSITIONS: dict[str, dict[str, str]] = {
    DecisionStatus.DRAFT: {DecisionStatus.SUBMITTED: DRAFTER, DecisionStatus.CANCELLED: DRAFTER},
    DecisionStatus.RETURNED: {DecisionStatus.SUBMITTED: DRAFTER, DecisionStatus.CANCELLED: DRAFTER},
    DecisionStatus.SUBMITTED: {
        DecisionStatus.APPROVED: SIGNER,
        DecisionStatus.RETURNED: SIGNER,
        DecisionStatus.DRAFT: DRAFTER,
    },
    DecisionStatus.APPROVED: {DecisionStatus.ISSUED: DRAFTER, DecisionStatus.RETURNED: SIGNER},
    DecisionStatus.ISSUED: {},
    DecisionStatus.CANCELLED: {},
}

# A draft can be edited only in these statuses; everything else is frozen (issued: for ever).
EDITABLE_STATUSES = (DecisionStatus.DRAFT, DecisionStatus.RETURNED)
# Statuses in which a decision still holds its nominees or award records (no second decision may take them).
LIVE_STATUSES = (
    DecisionStatus.DRAFT,
    DecisionStatus.RETURNED,
    DecisionStatus.SUBMITTED,
    DecisionStatus.APPROVED,
    DecisionStatus.ISSUED,
)


class SignerAuthority(models.TextChoices):
    """The authority word before the signer's title (Decree 30/2020, Appendix I)."""

    HEAD = "", _("Thủ trưởng ký trực tiếp")
    DEPUTY = "KT.", _("KT. — ký thay thủ trưởng")
    COLLECTIVE = "TM.", _("TM. — thay mặt tập thể")
    ACTING = "Q.", _("Q. — quyền thủ trưởng")
    BY_ORDER = "TL.", _("TL. — thừa lệnh")
    BY_DELEGATION = "TUQ.", _("TUQ. — thừa ủy quyền")


class Grouping(models.TextChoices):
    """How approved nominees are gathered into draft decisions."""

    PER_AWARD = "per_award", _("Mỗi danh hiệu, hình thức một quyết định")
    PER_AWARD_SUBJECT = "per_award_subject", _("Mỗi danh hiệu, hình thức một quyết định, tách tập thể và cá nhân")
    COMBINED = "combined", _("Một quyết định chung, kèm danh sách")


class RevocationGround(models.TextChoices):
    """Grounds for revoking an award (Law on Emulation and Commendation 2022, art. 93, as summarised in
    the project's domain notes: false declarations, forged papers, an award against the law, later
    findings). The labels paraphrase the article: check the wording against the law's text."""

    FALSE_DECLARATION = "khai_man", _("Gian dối, kê khai không đúng thành tích để được khen thưởng")
    FORGED_PAPERS = "gia_mao", _("Làm giả hồ sơ, giấy tờ để được khen thưởng")
    UNLAWFUL_AWARD = "trai_luat", _("Đề nghị, xét, quyết định khen thưởng không đúng quy định của pháp luật")
    LATER_FINDINGS = "phat_hien_sau", _("Phát hiện sau khi khen thưởng có vi phạm trong thời gian đạt thành tích")


class CertificateMode(models.TextChoices):
    FULL = "full", _("In toàn bộ trên giấy trắng")
    OVERLAY = "overlay", _("In nội dung lên phôi in sẵn")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class AttachmentKind(models.TextChoices):
    SIGNED_SCAN = "ban_ky", _("Bản đã ký, đóng dấu (scan)")
    SIGNED_PDF = "ky_so", _("Bản ký số (PDF)")
