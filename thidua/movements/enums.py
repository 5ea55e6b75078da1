from django.db import models
from django.utils.translation import gettext_lazy as _


class MovementKind(models.TextChoices):
    REGULAR = "thuong_xuyen", _("Thường xuyên")
    ROUND = "theo_dot", _("Theo đợt")
    THEMATIC = "chuyen_de", _("Chuyên đề")


class MovementStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    LAUNCHED = "launched", _("Đã phát động")
    CLOSED = "closed", _("Đã tổng kết")


# The whole workflow: source status → the statuses it may move to (movements.services.movement_transition).
MOVEMENT_TRANSITIONS: dict[str, set[str]] = {
    MovementStatus.DRAFT: {MovementStatus.LAUNCHED},
    MovementStatus.LAUNCHED: {MovementStatus.CLOSED},
    MovementStatus.CLOSED: set(),
}


class Participation(models.TextChoices):
    SUBTREE = "subtree", _("Toàn bộ đơn vị trực thuộc đơn vị phát động")
    CHOSEN = "chosen", _("Các đơn vị được chọn")


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Không duyệt")


class ClusterKind(models.TextChoices):
    CLUSTER = "cum", _("Cụm thi đua")
    BLOC = "khoi", _("Khối thi đua")


class ReviewKind(models.TextChoices):
    MID_TERM = "so_ket", _("Sơ kết")
    FINAL = "tong_ket", _("Tổng kết")
