from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """Annual rating (đánh giá, xếp loại). Order matters: see RATING_RANK."""

    EXCELLENT = "HTXSNV", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "HTTNV", _("Hoàn thành tốt nhiệm vụ")
    DONE = "HTNV", _("Hoàn thành nhiệm vụ")
    NOT_DONE = "KHTNV", _("Không hoàn thành nhiệm vụ")


RATING_RANK = {Rating.EXCELLENT: 4, Rating.GOOD: 3, Rating.DONE: 2, Rating.NOT_DONE: 1}


class InitiativeKind(models.TextChoices):
    INITIATIVE = "sang_kien", _("Sáng kiến")
    RESEARCH = "de_tai", _("Đề tài, đề án khoa học")


class Scope(models.TextChoices):
    """Where an initiative or research task is recognised to have effect."""

    BASE = "co_so", _("Cơ sở")
    PROVINCE = "tinh", _("Cấp tỉnh, bộ, ngành")
    NATIONAL = "toan_quoc", _("Toàn quốc")


SCOPE_RANK = {Scope.BASE: 1, Scope.PROVINCE: 2, Scope.NATIONAL: 3}


class DisciplineLevel(models.TextChoices):
    REPRIMAND = "khien_trach", _("Khiển trách")
    WARNING = "canh_cao", _("Cảnh cáo")
    SALARY_DOWNGRADE = "ha_bac_luong", _("Hạ bậc lương")
    DEMOTION = "giang_chuc", _("Giáng chức")
    DISMISSAL_FROM_POST = "cach_chuc", _("Cách chức")
    DISMISSAL = "buoc_thoi_viec", _("Buộc thôi việc")


DISCIPLINE_RANK = {level: rank for rank, level in enumerate(DisciplineLevel.values, start=1)}


class PendingMatterKind(models.TextChoices):
    DISCIPLINE = "xem_xet_ky_luat", _("Đang xem xét kỷ luật")
    INVESTIGATION = "dieu_tra", _("Đang bị điều tra, thanh tra, kiểm tra")
    COMPLAINT = "khieu_nai", _("Có đơn khiếu nại, tố cáo đang được xác minh")


class LeaveKind(models.TextChoices):
    MATERNITY = "thai_san", _("Nghỉ thai sản")
    SICK = "om_dau", _("Nghỉ ốm dài ngày")
    UNPAID = "khong_luong", _("Nghỉ không hưởng lương")
    STUDY = "hoc_tap", _("Đi học tập trung")


# Leave that counts as time worked (maternity leave does: Law on Emulation and Commendation 2022).
LEAVE_COUNTS_AS_WORK = {LeaveKind.MATERNITY: True, LeaveKind.SICK: True, LeaveKind.UNPAID: False, LeaveKind.STUDY: True}


class AwardSource(models.TextChoices):
    IMPORTED = "imported", _("Nhập từ quyết định cũ")
    MANUAL = "manual", _("Nhập tay")
    DECISION = "decision", _("Quyết định trên hệ thống")
