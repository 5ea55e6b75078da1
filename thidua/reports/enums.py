from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """What a summary can be broken down by (the ``by`` keys of the API)."""

    AWARD = "award", _("Danh hiệu, hình thức")
    CATEGORY = "category", _("Danh hiệu / hình thức")
    LEVEL = "level", _("Cấp khen thưởng")
    YEAR = "year", _("Năm")
    SUBJECT = "subject", _("Đối tượng")
    GENDER = "gender", _("Giới tính")
    ETHNICITY = "ethnicity", _("Dân tộc")
    POSITION = "position", _("Nhóm chức vụ")
    UNIT = "unit", _("Đơn vị")


class YearBasis(models.TextChoices):
    # The year an award is "for": the end of its achievement period (LĐTT 2020 is decided in 2021), or the
    # statistical year of its decision date (1 December of the year before to 30 November: the Ministry
    # of Home Affairs' forms count that way).
    ACHIEVEMENT = "achievement", _("Năm thành tích")
    STATISTICAL = "statistical", _("Năm thống kê (01/12 năm trước – 30/11, theo ngày quyết định)")


class Revoked(models.TextChoices):
    EXCLUDE = "exclude", _("Không tính khen thưởng đã thu hồi")
    ONLY = "only", _("Chỉ khen thưởng đã thu hồi")
    INCLUDE = "include", _("Tính cả khen thưởng đã thu hồi")


class Method(models.TextChoices):
    """How an award was given (phương thức khen thưởng, rows of forms 0602 and 0603).

    The award register knows only whether an award counts towards regular ones; thematic and sudden
    awards both say no there, so they are counted together as thematic until records carry their track."""

    REGULAR = "regular", _("Thường xuyên")
    THEMATIC = "thematic", _("Chuyên đề, đột xuất")
