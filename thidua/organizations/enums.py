from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE_COMMITTEE = "ubnd_tinh", _("Ủy ban nhân dân tỉnh")
    DEPARTMENT = "so_nganh", _("Sở, ban, ngành")
    OFFICE = "phong", _("Phòng, văn phòng, thanh tra")
    CENTRE = "trung_tam", _("Trung tâm, đơn vị sự nghiệp")
    SUB_DEPARTMENT = "chi_cuc", _("Chi cục")
    COMMUNE = "xa", _("Xã, phường, đặc khu")
    SCHOOL = "truong", _("Trường học")
    ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp")
    PARTY_COMMITTEE = "dang_uy", _("Đảng ủy, chi bộ")
    TRADE_UNION = "cong_doan", _("Công đoàn")
    YOUTH_UNION = "doan_thanh_nien", _("Đoàn Thanh niên")


class SuccessionKind(models.TextChoices):
    MERGER = "merger", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia, tách")
    RENAME = "rename", _("Đổi tên")
    TRANSFER = "transfer", _("Chuyển giao")


class Gender(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")


class PositionCategory(models.TextChoices):
    """Leaders vs staff vs direct workers: the share of direct workers among awardees is watched."""

    LEADER = "lanh_dao", _("Lãnh đạo")
    MANAGER = "quan_ly", _("Quản lý cấp phòng")
    STAFF = "chuyen_mon", _("Công chức, viên chức chuyên môn")
    DIRECT_WORKER = "truc_tiep", _("Người lao động trực tiếp")
