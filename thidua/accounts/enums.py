from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    OFFICER = "officer", _("Cán bộ thi đua – khen thưởng")
    UNIT_MANAGER = "unit_manager", _("Lãnh đạo đơn vị")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng TĐKT")
    COUNCIL_SECRETARY = "council_secretary", _("Thư ký Hội đồng TĐKT")
    SIGNER = "signer", _("Người ký quyết định")
    STAFF = "staff", _("Công chức, viên chức, người lao động")
    AUDITOR = "auditor", _("Thanh tra, kiểm tra")
