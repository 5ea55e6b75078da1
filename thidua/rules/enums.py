from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardCategory(models.TextChoices):
    """Titles (danh hiệu thi đua) and forms (hình thức khen thưởng) are kept apart: mixing them
    corrupted a vendor's national statistics."""

    TITLE = "danh_hieu", _("Danh hiệu thi đua")
    FORM = "hinh_thuc", _("Hình thức khen thưởng")


class Subject(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
    HOUSEHOLD = "household", _("Hộ gia đình")


class AwardLevel(models.TextChoices):
    BASE = "co_so", _("Cấp cơ sở")
    PROVINCE = "tinh", _("Cấp tỉnh, bộ, ngành")
    STATE = "nha_nuoc", _("Cấp Nhà nước")


class Certainty(models.TextChoices):
    """How sure thidua is of a legal fact (domain.md marks): shown next to every parameter."""

    VERIFIED = "verified", _("Đã đối chiếu văn bản")
    RECOLLECTION = "recollection", _("Theo thực tiễn, cần xác minh")
    PROVINCIAL = "provincial", _("Do tỉnh, cơ quan quy định")


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Đủ điều kiện")
    INELIGIBLE = "ineligible", _("Chưa đủ điều kiện")
    NEEDS_REVIEW = "needs_review", _("Cần xem xét")


class RoundingMode(models.TextChoices):
    UP = "up", _("Làm tròn lên hàng chục nghìn đồng")
    NEAREST = "nearest", _("Làm tròn đến hàng chục nghìn đồng gần nhất")
