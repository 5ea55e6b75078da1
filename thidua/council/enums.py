from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch Hội đồng")
    STANDING_VICE_CHAIR = "standing_vice_chair", _("Phó Chủ tịch thường trực")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch")
    MEMBER = "member", _("Ủy viên")
    SECRETARY = "secretary", _("Ủy viên, Thư ký")


# One person at a time may hold these roles in a council.
SINGLE_HOLDER_ROLES = (MemberRole.CHAIR, MemberRole.STANDING_VICE_CHAIR, MemberRole.SECRETARY)


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã gửi thành viên")
    VOTING = "voting", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")
    CANCELLED = "cancelled", _("Đã hủy")


# source → targets. ``closed`` and ``cancelled`` are final: corrections go through a new session. Voting
# may open from a draft too (the API's create-then-open flow); publishing only sends the agenda out.
SESSION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    SessionStatus.DRAFT: (SessionStatus.PUBLISHED, SessionStatus.VOTING, SessionStatus.CANCELLED),
    SessionStatus.PUBLISHED: (SessionStatus.VOTING, SessionStatus.CANCELLED),
    SessionStatus.VOTING: (SessionStatus.CLOSED,),
    SessionStatus.CLOSED: (),
    SessionStatus.CANCELLED: (),
}

# The agenda and the attendance can change until voting opens.
PREPARING_STATUSES = (SessionStatus.DRAFT, SessionStatus.PUBLISHED)
# A nominee on the agenda of such a session is taken: it cannot be put on another one.
ACTIVE_STATUSES = (SessionStatus.DRAFT, SessionStatus.PUBLISHED, SessionStatus.VOTING)


class Choice(models.TextChoices):
    YES = "dong_y", _("Đồng ý")
    NO = "khong_dong_y", _("Không đồng ý")
    ABSTAIN = "khong_bieu_quyet", _("Không biểu quyết")


class VoteSource(models.TextChoices):
    """Where a counted vote came from. Paper ballots are counted by hand and entered as totals
    (``PaperTally``); these two are counted by the system, one counter set each."""

    ELECTRONIC = "dien_tu", _("Phiếu điện tử")
    WRITTEN = "van_ban", _("Ý kiến bằng văn bản")


class ItemResult(models.TextChoices):
    APPROVED = "approved", _("Được thông qua")
    REJECTED = "rejected", _("Không được thông qua")
