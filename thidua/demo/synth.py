"""A synthetic province for benchmarks and load tests: `thidua synth --people N --years Y --seed S`.

About 2,000 units (the People's Committee; some 25 departments and agencies with their offices,
sub-departments, centres, hospitals and upper-secondary schools; about 100 communes and wards, each with
its offices, schools and clinic; Party committees and unions) and N people with Y years of employment
history, some of them moving between units or promoted, some retiring; and the evidence the rules read
(``synth_evidence``): yearly ratings, initiatives, discipline, leave and the register of past awards.

Speed matters more than ceremony here (100,000 people in well under three minutes), so rows are planned
in Python and written with ``bulk_create`` (the evidence with COPY on PostgreSQL), not through the
per-row services. Everything the services
would derive is derived the same way: tree paths from explicit primary keys with ``path_segment``, and
search text and sort keys with ``organizations.services._refresh_derived`` itself. Instead of one audit
row per object, the run records one ``import`` entry with its parameters.

Deterministic: one ``random.Random(seed)`` drives every choice of the tree and the people in a fixed
order, a second one seeded from the same seed drives the evidence, and the history ends on ``until`` (a
fixed default, not today), so the same seed builds the same rows on any day.
"""

import datetime
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import RoleAssignment, User
from thidua.common import audit
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.demo import names
from thidua.demo.synth_evidence import COLUMNS, EvidencePlan, plan_evidence
from thidua.organizations.enums import Gender, PositionCategory, UnitKind
from thidua.organizations.models import Employment, Person, Unit, UnitSuccession, path_segment
from thidua.organizations.services import _refresh_derived
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative, InitiativeAuthor, Leave
from thidua.rules.models import AwardType

DEFAULT_UNTIL = datetime.date(2026, 1, 1)
DEFAULT_PROVINCE = "Sông Hậu"
DEFAULT_PREFIX = "SX"
HOME_PROVINCE_CODE = "087"
# Birth-registration province codes of the CCCD (Circular 07/2016/TT-BCA) for people born elsewhere.
OTHER_PROVINCE_CODES = ["001", "079", "080", "082", "083", "084", "086", "089", "091", "092", "093", "094", "095", "096", "038", "040"]
# Retirement ages as they stand in the mid-2020s (Labour Code 2019, rising in steps), rounded.
RETIREMENT_AGE = {Gender.MALE: 61, Gender.FEMALE: 57}
EVENT_RATE_PER_YEAR = 0.08  # chance per year of a move or a promotion
QUIT_SHARE = 0.01
COMMUNE_COUNT = 100

LEADER = PositionCategory.LEADER
MANAGER = PositionCategory.MANAGER
STAFF = PositionCategory.STAFF
DIRECT = PositionCategory.DIRECT_WORKER


class SynthRefused(Exception):
    """The database is not one synth may write to (as it is); the message says why, in Vietnamese."""


# ---------------------------------------------------------------- what each kind of unit employs

# (position, category, rank, weight) for the people below the head and deputies. Teachers, doctors and
# nurses count as direct workers: the share of direct workers among awardees is what rules watch.
_Post = tuple[str, str, str, float]
STAFF_POSTS: dict[str, list[_Post]] = {
    "office": [
        ("Chuyên viên", STAFF, "Chuyên viên", 10), ("Chuyên viên", STAFF, "Chuyên viên chính", 3),
        ("Cán sự", STAFF, "Cán sự", 1), ("Kế toán", STAFF, "Kế toán viên", 1), ("Văn thư", STAFF, "Văn thư viên", 0.7),
        ("Lái xe", DIRECT, "Nhân viên", 0.5), ("Bảo vệ", DIRECT, "Nhân viên", 0.3), ("Nhân viên phục vụ", DIRECT, "Nhân viên", 0.3),
    ],
    "centre": [
        ("Viên chức", STAFF, "Chuyên viên", 4), ("Kỹ sư", STAFF, "Kỹ sư", 4), ("Kỹ thuật viên", STAFF, "Kỹ thuật viên", 3),
        ("Kế toán", STAFF, "Kế toán viên", 1), ("Nhân viên", DIRECT, "Nhân viên", 2),
    ],
    "health": [
        ("Bác sĩ", DIRECT, "Bác sĩ", 6), ("Bác sĩ", DIRECT, "Bác sĩ chính", 2), ("Điều dưỡng", DIRECT, "Điều dưỡng", 10),
        ("Dược sĩ", STAFF, "Dược sĩ", 2), ("Kỹ thuật viên", STAFF, "Kỹ thuật y", 2), ("Hộ sinh", DIRECT, "Hộ sinh", 1.5),
        ("Hộ lý", DIRECT, "Nhân viên", 2), ("Kế toán", STAFF, "Kế toán viên", 1),
    ],
    "clinic": [
        ("Bác sĩ", DIRECT, "Bác sĩ", 2), ("Y sĩ", DIRECT, "Y sĩ", 3), ("Điều dưỡng", DIRECT, "Điều dưỡng", 3),
        ("Hộ sinh", DIRECT, "Hộ sinh", 2),
    ],
    "school": [
        ("Giáo viên", DIRECT, "Giáo viên hạng III", 12), ("Giáo viên", DIRECT, "Giáo viên hạng II", 6),
        ("Tổ trưởng chuyên môn", DIRECT, "Giáo viên hạng II", 1.5), ("Nhân viên thư viện", STAFF, "Thư viện viên", 0.5),
        ("Kế toán", STAFF, "Kế toán viên", 0.5), ("Nhân viên y tế", STAFF, "Y sĩ", 0.3), ("Bảo vệ", DIRECT, "Nhân viên", 0.5),
    ],
    "enterprise": [
        ("Công nhân", DIRECT, "Công nhân", 8), ("Kỹ sư", STAFF, "Kỹ sư", 2), ("Nhân viên", STAFF, "Nhân viên", 3),
    ],
}
_STAFF_CHOICES = {
    profile: (posts, list(itertools.accumulate(post[3] for post in posts))) for profile, posts in STAFF_POSTS.items()
}
# A promotion raises the rank and keeps the post.
PROMOTED_RANK = {
    "Chuyên viên": "Chuyên viên chính",
    "Cán sự": "Chuyên viên",
    "Giáo viên hạng III": "Giáo viên hạng II",
    "Bác sĩ": "Bác sĩ chính",
    "Kỹ sư": "Kỹ sư chính",
    "Kỹ thuật viên": "Kỹ sư",
    "Y sĩ": "Bác sĩ",
}
HEAD_RANK = {"office": "Chuyên viên chính", "centre": "Kỹ sư chính", "health": "Bác sĩ chính", "clinic": "Bác sĩ",
             "school": "Giáo viên hạng I", "enterprise": "Kỹ sư"}
FEMALE_SHARE = {"school": 0.75, "health": 0.65, "clinic": 0.7, "enterprise": 0.3}

# ---------------------------------------------------------------- the tree

_OFFICE_TOOLS = ["Văn phòng", "Phòng Kế hoạch – Tài chính"]
# (code, name, head, deputy, offices, sub-departments, centres). Names follow the 2025 organisation of
# provincial agencies; offices "Văn phòng" and planning-finance are added to the larger ones.
DEPARTMENTS: list[tuple[str, str, str, str, list[str], list[str], list[str]]] = [
    ("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh", "Chánh Văn phòng", "Phó Chánh Văn phòng",
     ["Phòng Tổng hợp", "Phòng Kinh tế", "Phòng Văn hóa – Xã hội", "Phòng Nội chính", "Phòng Hành chính – Tổ chức",
      "Phòng Quản trị – Tài vụ", "Phòng Ngoại vụ"],
     [], ["Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm Tin học – Công báo", "Nhà khách Ủy ban nhân dân tỉnh"]),
    ("SNV", "Sở Nội vụ", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Tổ chức – Biên chế và Tổ chức phi chính phủ", "Phòng Công chức – Viên chức",
      "Phòng Xây dựng chính quyền và Công tác thanh niên", "Phòng Lao động – Tiền lương – Bảo hiểm xã hội",
      "Phòng Người có công", "Phòng Văn thư – Lưu trữ"],
     ["Ban Thi đua – Khen thưởng"],
     ["Trung tâm Lưu trữ lịch sử", "Trung tâm Dịch vụ việc làm", "Trung tâm Điều dưỡng người có công"]),
    ("STP", "Sở Tư pháp", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Xây dựng, kiểm tra văn bản và Phổ biến, giáo dục pháp luật", "Phòng Hành chính tư pháp",
      "Phòng Bổ trợ tư pháp", "Phòng Quản lý xử lý vi phạm hành chính"],
     [], ["Trung tâm Trợ giúp pháp lý nhà nước", "Phòng Công chứng số 1", "Trung tâm Dịch vụ đấu giá tài sản"]),
    ("STC", "Sở Tài chính", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Quản lý ngân sách", "Phòng Tài chính doanh nghiệp", "Phòng Quản lý giá và công sản",
      "Phòng Đăng ký kinh doanh", "Phòng Tổng hợp, quy hoạch", "Phòng Kinh tế ngành",
      "Phòng Doanh nghiệp, kinh tế tập thể và tư nhân"],
     [], ["Trung tâm Xúc tiến đầu tư và Hỗ trợ doanh nghiệp"]),
    ("SCT", "Sở Công Thương", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Quản lý công nghiệp", "Phòng Quản lý thương mại", "Phòng Quản lý năng lượng",
      "Phòng Kỹ thuật an toàn – Môi trường"],
     ["Chi cục Quản lý thị trường"], ["Trung tâm Khuyến công và Xúc tiến thương mại"]),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Quản lý tài nguyên nước", "Phòng Khoáng sản", "Phòng Kinh tế hợp tác và Phát triển nông thôn",
      "Phòng Quản lý đất đai", "Phòng Biển, hải đảo và Biến đổi khí hậu"],
     ["Chi cục Thủy lợi", "Chi cục Trồng trọt và Bảo vệ thực vật", "Chi cục Chăn nuôi và Thú y", "Chi cục Kiểm lâm",
      "Chi cục Thủy sản", "Chi cục Bảo vệ môi trường", "Chi cục Quản lý chất lượng nông lâm sản và thủy sản"],
     ["Văn phòng Đăng ký đất đai", "Trung tâm Khuyến nông", "Trung tâm Quan trắc tài nguyên và môi trường",
      "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn", "Trung tâm Giống nông nghiệp", "Trung tâm Phát triển quỹ đất"]),
    ("SXD", "Sở Xây dựng", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Quy hoạch – Kiến trúc", "Phòng Quản lý xây dựng", "Phòng Phát triển đô thị và Hạ tầng kỹ thuật",
      "Phòng Quản lý nhà và Thị trường bất động sản", "Phòng Quản lý vận tải, phương tiện và người lái",
      "Phòng Quản lý kết cấu hạ tầng giao thông"],
     ["Chi cục Giám định xây dựng"],
     ["Trung tâm Kiểm định chất lượng xây dựng", "Trung tâm Đăng kiểm phương tiện", "Ban Quản lý bến xe, bến tàu"]),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Giáo dục mầm non – Tiểu học", "Phòng Giáo dục trung học",
      "Phòng Giáo dục chuyên nghiệp – Giáo dục thường xuyên", "Phòng Tổ chức cán bộ",
      "Phòng Khảo thí và Kiểm định chất lượng giáo dục"],
     [], ["Trung tâm Giáo dục thường xuyên tỉnh", "Trung tâm Hỗ trợ phát triển giáo dục hòa nhập"]),
    ("SYT", "Sở Y tế", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Phòng Tổ chức cán bộ", "Phòng Bảo trợ xã hội và Trẻ em"],
     ["Chi cục Dân số", "Chi cục An toàn vệ sinh thực phẩm"],
     ["Trung tâm Kiểm soát bệnh tật", "Trung tâm Kiểm nghiệm", "Trung tâm Giám định y khoa", "Trung tâm Pháp y",
      "Trung tâm Công tác xã hội"]),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Quản lý khoa học", "Phòng Quản lý công nghệ và Đổi mới sáng tạo", "Phòng Chuyển đổi số",
      "Phòng Bưu chính, Viễn thông", "Phòng Tiêu chuẩn, Đo lường, Chất lượng"],
     [], ["Trung tâm Khoa học và Công nghệ", "Trung tâm Công nghệ thông tin và Truyền thông"]),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Quản lý văn hóa và Gia đình", "Phòng Quản lý thể dục thể thao", "Phòng Quản lý du lịch",
      "Phòng Báo chí, Xuất bản"],
     [], ["Thư viện tỉnh", "Bảo tàng tỉnh", "Trung tâm Văn hóa – Nghệ thuật", "Trung tâm Huấn luyện và Thi đấu thể thao",
          "Trung tâm Thông tin và Xúc tiến du lịch", "Đoàn Nghệ thuật cải lương", "Ban Quản lý di tích"]),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "Giám đốc Sở", "Phó Giám đốc Sở",
     ["Phòng Chính sách dân tộc", "Phòng Quản lý tôn giáo"], [], []),
    ("TTT", "Thanh tra tỉnh", "Chánh Thanh tra tỉnh", "Phó Chánh Thanh tra tỉnh",
     ["Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Nghiệp vụ 3", "Phòng Nghiệp vụ 4",
      "Phòng Tiếp công dân và Xử lý đơn", "Phòng Phòng, chống tham nhũng"], [], []),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp", "Trưởng ban", "Phó Trưởng ban",
     ["Phòng Quản lý đầu tư", "Phòng Quản lý doanh nghiệp", "Phòng Quản lý quy hoạch – Xây dựng – Môi trường"],
     [], ["Trung tâm Dịch vụ hạ tầng khu công nghiệp"]),
    ("BPTTH", "Báo và Phát thanh, Truyền hình tỉnh", "Tổng Biên tập", "Phó Tổng Biên tập",
     ["Ban Thời sự", "Ban Chuyên đề", "Ban Văn nghệ – Giải trí", "Ban Kỹ thuật – Công nghệ", "Ban Báo in",
      "Ban Báo điện tử"], [], []),
    ("TCT", "Trường Chính trị tỉnh", "Hiệu trưởng", "Phó Hiệu trưởng",
     ["Khoa Xây dựng Đảng", "Khoa Lý luận cơ sở", "Khoa Nhà nước và Pháp luật", "Phòng Quản lý đào tạo"], [], []),
    ("TDH", "Trường Đại học tỉnh", "Hiệu trưởng", "Phó Hiệu trưởng",
     ["Khoa Sư phạm", "Khoa Kinh tế", "Khoa Công nghệ thông tin", "Khoa Nông nghiệp và Tài nguyên môi trường",
      "Khoa Ngoại ngữ", "Phòng Đào tạo", "Phòng Quản lý khoa học", "Phòng Tổ chức – Hành chính"], [], []),
    ("TCDYT", "Trường Cao đẳng Y tế", "Hiệu trưởng", "Phó Hiệu trưởng",
     ["Khoa Điều dưỡng", "Khoa Dược", "Khoa Y học cơ sở", "Phòng Đào tạo"], [], []),
    ("TCDN", "Trường Cao đẳng Kỹ thuật – Công nghệ", "Hiệu trưởng", "Phó Hiệu trưởng",
     ["Khoa Cơ khí", "Khoa Điện – Điện tử", "Khoa Công nghệ thông tin", "Khoa Nông nghiệp", "Phòng Đào tạo",
      "Phòng Công tác học sinh, sinh viên"], [], []),
    ("BQLDD", "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp tỉnh", "Giám đốc", "Phó Giám đốc",
     ["Phòng Kế hoạch – Kỹ thuật", "Phòng Điều hành dự án 1", "Phòng Điều hành dự án 2"], [], []),
    ("BQLGT", "Ban Quản lý dự án đầu tư xây dựng công trình giao thông và nông nghiệp tỉnh", "Giám đốc", "Phó Giám đốc",
     ["Phòng Kế hoạch – Kỹ thuật", "Phòng Điều hành dự án 1", "Phòng Điều hành dự án 2"], [], []),
    ("QDTPT", "Quỹ Đầu tư phát triển tỉnh", "Giám đốc", "Phó Giám đốc",
     ["Phòng Nghiệp vụ", "Phòng Kế toán – Ngân quỹ"], [], []),
    ("LMHTX", "Liên minh Hợp tác xã tỉnh", "Chủ tịch", "Phó Chủ tịch",
     ["Ban Kiểm tra", "Ban Tuyên truyền – Đào tạo"], [], ["Quỹ Hỗ trợ phát triển hợp tác xã"]),
    ("QPTDAT", "Quỹ Phát triển đất tỉnh", "Giám đốc", "Phó Giám đốc", ["Phòng Nghiệp vụ"], [], []),
]
HOSPITALS = [
    "Bệnh viện Đa khoa tỉnh", "Bệnh viện Y học cổ truyền", "Bệnh viện Lao và Bệnh phổi", "Bệnh viện Tâm thần",
    "Bệnh viện Sản – Nhi", "Bệnh viện Mắt", "Bệnh viện Phục hồi chức năng", "Bệnh viện Ung bướu",
]
ENTERPRISES = [
    "Công ty TNHH Một thành viên Xổ số kiến thiết", "Công ty Cổ phần Cấp nước",
    "Công ty TNHH Một thành viên Khai thác công trình thủy lợi", "Công ty Cổ phần Công trình đô thị",
]
_PLACE_FIRST = (
    "Tân Mỹ Long Bình Phú Hòa An Thạnh Vĩnh Hưng Thới Phước Đông Tây Nhơn Hiệp Thuận Lợi Xuân Kim Hậu Tịnh Song "
    "Trung Phong Định Hội Quới Lương Điền"
).split()
_PLACE_SECOND = (
    "Phú Thạnh Hòa Long Bình Hưng Thuận Lợi An Phước Mỹ Tân Thới Đông Tây Hiệp Trung Quới Điền Nhuận Khánh Thành "
    "Hội Xuân Định Phong Lộc Thủy Sơn Hảo"
).split()


@dataclass
class _Tree:
    """Units planned in memory with their primary keys, so paths are known before any INSERT."""

    next_pk: int
    units: list[Unit] = field(default_factory=list)
    # Per unit, parallel to ``units``: staff profile (or "" when nobody is employed there), the
    # relative number of people, the titles of head and deputy, and the top-level group it belongs to.
    profiles: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    heads: list[tuple[str, str]] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)

    def add(
        self,
        code: str,
        name: str,
        kind: str,
        parent: Unit | None,
        *,
        short_name: str = "",
        profile: str = "",
        weight: float = 0.0,
        head: tuple[str, str] = ("", ""),
    ) -> Unit:
        pk = self.next_pk
        self.next_pk += 1
        unit = Unit(
            pk=pk,
            code=code,
            name=clean_text(name),
            short_name=short_name,
            kind=kind,
            parent_id=parent.pk if parent else None,
            path=(parent.path if parent else "") + path_segment(pk),
            depth=parent.depth + 1 if parent else 0,
        )
        index = len(self.units)
        # The group of a unit is its ancestor just below the province (a department, a commune…).
        self._group_by_pk[pk] = index if unit.depth <= 1 else self._group_by_pk[parent.pk]
        self.groups.append(self._group_by_pk[pk])
        self.units.append(unit)
        self.profiles.append(profile)
        self.weights.append(weight)
        self.heads.append(head)
        return unit

    def __post_init__(self) -> None:
        self._group_by_pk: dict[int, int] = {}


def _head_titles(name: str) -> tuple[str, str]:
    for prefix, head in (
        ("Văn phòng", "Chánh Văn phòng"), ("Phòng", "Trưởng phòng"), ("Chi cục", "Chi cục trưởng"), ("Ban", "Trưởng ban"),
        ("Khoa", "Trưởng khoa"), ("Đoàn", "Trưởng đoàn"), ("Trường", "Hiệu trưởng"), ("Trạm", "Trạm trưởng"),
    ):
        if name.startswith(prefix):
            return head, f"Phó {head}"
    return "Giám đốc", "Phó Giám đốc"


def _commune_names(rng: random.Random, count: int) -> list[str]:
    candidates = [f"{first} {second}" for first in _PLACE_FIRST for second in _PLACE_SECOND if first != second]
    return rng.sample(candidates, count)


def plan_tree(rng: random.Random, *, first_pk: int, province: str, prefix: str) -> _Tree:
    tree = _Tree(next_pk=first_pk)
    root = tree.add(
        prefix, f"Ủy ban nhân dân tỉnh {province}", UnitKind.PROVINCE_COMMITTEE, None, short_name="UBND",
        profile="office", weight=1.0, head=("Chủ tịch Ủy ban nhân dân tỉnh", "Phó Chủ tịch Ủy ban nhân dân tỉnh"),
    )
    communes = _commune_names(rng, COMMUNE_COUNT)

    for code, name, head, deputy, offices, sub_departments, centres in DEPARTMENTS:
        dept_code = f"{prefix}_{code}"
        department = tree.add(
            dept_code, name, UnitKind.DEPARTMENT, root, short_name=code, profile="office", weight=1.5, head=(head, deputy)
        )
        serial = itertools.count(1)
        all_offices = ([] if code == "VPUBND" else ["Văn phòng Sở" if name.startswith("Sở") else "Văn phòng"])
        all_offices += (["Phòng Kế hoạch – Tài chính"] if len(offices) >= 4 and code != "VPUBND" else []) + offices
        for office in all_offices:
            tree.add(f"{dept_code}_{next(serial):02d}", office, UnitKind.OFFICE, department, profile="office", weight=6,
                     head=_head_titles(office))
        for sub in sub_departments:
            tree.add(f"{dept_code}_{next(serial):02d}", sub, UnitKind.SUB_DEPARTMENT, department, profile="office",
                     weight=12, head=_head_titles(sub))
        for centre in centres:
            tree.add(f"{dept_code}_{next(serial):02d}", centre, UnitKind.CENTRE, department, profile="centre", weight=10,
                     head=_head_titles(centre))
        if code == "SYT":
            for hospital in HOSPITALS:
                tree.add(f"{dept_code}_{next(serial):02d}", f"{hospital} {province}", UnitKind.CENTRE, department,
                         profile="health", weight=70)
            for place in rng.sample(communes, 12):
                tree.add(f"{dept_code}_{next(serial):02d}", f"Trung tâm Y tế khu vực {place}", UnitKind.CENTRE, department,
                         profile="health", weight=35)
        if code == "SGDDT":
            for place in sorted(rng.sample(communes, 40)):
                tree.add(f"{dept_code}_{next(serial):02d}", f"Trường Trung học phổ thông {place}", UnitKind.SCHOOL,
                         department, profile="school", weight=50, head=("Hiệu trưởng", "Phó Hiệu trưởng"))
        party = "Đảng ủy" if len(all_offices) + len(sub_departments) + len(centres) >= 6 else "Chi bộ"
        tree.add(f"{dept_code}_DU", f"{party} {name}", UnitKind.PARTY_COMMITTEE, department)
        tree.add(f"{dept_code}_CD", f"Công đoàn cơ sở {name}", UnitKind.TRADE_UNION, department)
        tree.add(f"{dept_code}_DTN", f"Chi đoàn {name}", UnitKind.YOUTH_UNION, department)

    for index, place in enumerate(communes, start=1):
        ward = rng.random() < 0.2
        title = f"phường {place}" if ward else f"xã {place}"
        commune_code = f"{prefix}_X{index:03d}"
        commune = tree.add(
            commune_code, f"Ủy ban nhân dân {title}", UnitKind.COMMUNE, root, profile="office", weight=3,
            head=("Chủ tịch Ủy ban nhân dân", "Phó Chủ tịch Ủy ban nhân dân"),
        )
        serial = itertools.count(1)
        offices = ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
                   "Phòng Kinh tế, Hạ tầng và Đô thị" if ward else "Phòng Kinh tế",
                   "Phòng Văn hóa – Xã hội", "Trung tâm Phục vụ hành chính công"]
        for office in offices:
            tree.add(f"{commune_code}_{next(serial):02d}", office, UnitKind.OFFICE, commune, profile="office", weight=5,
                     head=_head_titles(office))
        schools = [("Trường Mầm non", rng.randint(1, 3), 14), ("Trường Tiểu học", rng.randint(2, 5), 22),
                   ("Trường Trung học cơ sở", rng.randint(1, 3), 28)]
        for level, count, weight in schools:
            for letter in ("A", "B", "C", "D")[:count] if count > 1 else ("",):
                school_name = f"{level} {place} {letter}".strip()
                tree.add(f"{commune_code}_{next(serial):02d}", school_name, UnitKind.SCHOOL, commune, profile="school",
                         weight=weight, head=("Hiệu trưởng", "Phó Hiệu trưởng"))
        tree.add(f"{commune_code}_{next(serial):02d}", f"Trạm Y tế {title}", UnitKind.CENTRE, commune, profile="clinic",
                 weight=6, head=("Trạm trưởng", "Phó Trạm trưởng"))
        tree.add(f"{commune_code}_DU", f"Đảng ủy {title}", UnitKind.PARTY_COMMITTEE, commune)
        tree.add(f"{commune_code}_CD", f"Công đoàn cơ sở {title}", UnitKind.TRADE_UNION, commune)
        tree.add(f"{commune_code}_DTN", f"Đoàn Thanh niên {title}", UnitKind.YOUTH_UNION, commune)

    for index, enterprise in enumerate(ENTERPRISES, start=1):
        tree.add(f"{prefix}_DN{index:02d}", f"{enterprise} {province}", UnitKind.ENTERPRISE, root, profile="enterprise",
                 weight=30)
    tree.add(f"{prefix}_DU", "Đảng ủy Ủy ban nhân dân tỉnh", UnitKind.PARTY_COMMITTEE, root)
    tree.add(f"{prefix}_CD", "Công đoàn Viên chức tỉnh", UnitKind.TRADE_UNION, root)
    tree.add(f"{prefix}_DTN", "Đoàn Khối các cơ quan tỉnh", UnitKind.YOUTH_UNION, root)
    return tree


# ---------------------------------------------------------------- people and their history


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class _People:
    persons: list[Person] = field(default_factory=list)
    employments: list[Employment] = field(default_factory=list)


def plan_people(
    rng: random.Random,
    tree: _Tree,
    *,
    count: int,
    years: int,
    until: datetime.date,
    first_person_pk: int,
    taken_cccd: set[str],
) -> _People:
    window_start = _years_after(until, -years)
    employable = [index for index, weight in enumerate(tree.weights) if weight > 0]
    cumulative = list(itertools.accumulate(tree.weights[index] for index in employable))
    total_weight = cumulative[-1]
    siblings: dict[int | None, list[int]] = {}
    in_group: dict[int, list[int]] = {}
    for index in employable:
        siblings.setdefault(tree.units[index].parent_id, []).append(index)
        in_group.setdefault(tree.groups[index], []).append(index)
    # Head and deputies first: the first people placed in a unit hold its leading posts.
    deputies_wanted = [
        1 if total_weight == 0 or count * weight / total_weight < 15 else 2 if count * weight / total_weight < 60 else 3
        for weight in tree.weights
    ]
    placed = [0] * len(tree.units)
    result = _People()

    def post_in(index: int) -> tuple[str, str, str, bool]:
        """(position, category, rank, whether it is the head's or a deputy's post) for a newcomer."""
        head, deputy = tree.heads[index]
        seat = placed[index]
        placed[index] += 1
        if head and seat <= deputies_wanted[index]:
            unit = tree.units[index]
            # Heads of the province, its agencies and communes lead; heads below them manage.
            category = LEADER if unit.depth <= 1 and unit.kind != UnitKind.ENTERPRISE else MANAGER
            rank = "Chuyên viên cao cấp" if unit.depth == 0 or (seat == 0 and unit.kind == UnitKind.DEPARTMENT) else HEAD_RANK[tree.profiles[index]]
            return (head if seat == 0 else deputy), category, rank, True
        posts, cumulative_weights = _STAFF_CHOICES[tree.profiles[index]]
        position, category, rank, _weight = rng.choices(posts, cum_weights=cumulative_weights, k=1)[0]
        return position, category, rank, False

    def move_target(index: int) -> int:
        draw = rng.random()
        pool = siblings[tree.units[index].parent_id] if draw < 0.5 else in_group[tree.groups[index]] if draw < 0.8 else None
        if pool is None or len(pool) < 2:
            return employable[rng.choices(range(len(employable)), cum_weights=cumulative, k=1)[0]]
        return rng.choice(pool)

    one_day = datetime.timedelta(days=1)
    for serial in range(count):
        pk = first_person_pk + serial
        index = employable[rng.choices(range(len(employable)), cum_weights=cumulative, k=1)[0]]
        profile = tree.profiles[index]
        gender = names.pick_gender(rng, FEMALE_SHARE.get(profile, 0.5))
        ethnicity = names.pick_ethnicity(rng)
        family, middle, given = names.person_name(rng, gender, ethnicity)
        retirement_age = RETIREMENT_AGE[gender]
        # A few are past retirement age: they retired within the window.
        age = rng.randint(23, retirement_age + min(1, years - 1))
        born = _years_after(until, -age) - datetime.timedelta(days=rng.randrange(365))
        recruited = _years_after(born, rng.randint(22, 30)) + datetime.timedelta(days=rng.randrange(365))
        if recruited >= until - datetime.timedelta(days=30):
            recruited = until - datetime.timedelta(days=rng.randint(30, 400))
        has_cccd = rng.random() < 0.98
        province_code = HOME_PROVINCE_CODE if rng.random() < 0.85 else rng.choice(OTHER_PROVINCE_CODES)
        cccd = names.cccd(rng, province_code=province_code, gender=gender, born=born, taken=taken_cccd) if has_cccd else None

        start = max(recruited, window_start)
        retired_on = _years_after(born, retirement_age)
        last_day = until - one_day
        end = retired_on if retired_on <= last_day else None
        if end is None and rng.random() < QUIT_SHARE:
            end = start + datetime.timedelta(days=rng.randrange(max(1, (last_day - start).days)))
        if end is not None and end < start:
            end = start
        stop = end or last_day
        span_years = (stop - start).days / 365.25
        event_count = sum(rng.random() < EVENT_RATE_PER_YEAR for _ in range(int(span_years)))
        event_days = sorted(
            {start + datetime.timedelta(days=rng.randint(30, (stop - start).days)) for _ in range(event_count)}
        ) if event_count and (stop - start).days > 30 else []

        periods = [(index, start, *post_in(index))]
        for day in event_days:
            last_index, _started, last_position, last_category, last_rank, leads = periods[-1]
            promoted = PROMOTED_RANK.get(last_rank)
            if promoted and not leads and rng.random() < 0.4:
                periods.append((last_index, day, last_position, last_category, promoted, False))
                continue
            target = move_target(last_index)
            if not leads and tree.profiles[target] == tree.profiles[last_index]:
                # Same kind of work elsewhere: the post and rank go with the person.
                periods.append((target, day, last_position, last_category, last_rank, False))
            else:
                periods.append((target, day, *post_in(target)))

        person = Person(
            pk=pk,
            family_name=family,
            middle_name=middle,
            given_name=given,
            gender=gender,
            birth_date=born,
            ethnicity=ethnicity,
            cccd=cccd,
            recruited_on=recruited,
        )
        _refresh_derived(person)
        for number, (unit_index, begins, post, post_category, post_rank, _leads) in enumerate(periods):
            finishes = periods[number + 1][1] - one_day if number + 1 < len(periods) else end
            result.employments.append(
                Employment(
                    person_id=pk,
                    unit_id=tree.units[unit_index].pk,
                    position=post,
                    position_category=post_category,
                    rank=post_rank,
                    start_date=begins,
                    end_date=finishes,
                    note="Nghỉ hưu" if finishes is not None and finishes == retired_on and number + 1 == len(periods) else "",
                )
            )
        if end is None:
            person.current_unit_id = tree.units[periods[-1][0]].pk
            person.current_position = periods[-1][2]
            person.current_position_category = periods[-1][3]
        result.persons.append(person)
    return result


# ---------------------------------------------------------------- writing

# The awards synth writes into the register; the catalog is loaded after every migrate.
REGISTER_AWARDS = ("LDTT", "CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH", "GIAY_KHEN", "TTLDTT", "TTLDXS")


@dataclass
class SynthResult:
    units: int
    people: int
    employments: int
    timings: list[tuple[str, float]]
    evidence: dict[str, int] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.timings)


def wipe() -> None:
    """Delete every unit, person, employment, succession link and role assignment (``--replace``), and
    the evidence about them: ratings, initiatives, discipline, leave and the award register.

    Records of later features that point at units, people or awards protect them: then nothing is deleted.
    """
    try:
        with transaction.atomic():
            for model in (AwardRecord, InitiativeAuthor, Initiative, AnnualRating, Discipline, Leave):
                model.objects.all().delete()
            Employment.objects.all().delete()
            UnitSuccession.objects.all().delete()
            RoleAssignment.objects.all().delete()
            User.objects.filter(person__isnull=False).update(person=None)
            Person.objects.all().delete()
            Unit.objects.update(parent=None)
            Unit.objects.all().delete()
    except ProtectedError as error:
        raise SynthRefused(
            _("Không thể xóa dữ liệu cũ: còn %(count)d bản ghi khác tham chiếu đến đơn vị hoặc cá nhân.")
            % {"count": len(error.protected_objects)}
        ) from None


def _next_pk(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def write_rows(model, columns: tuple[str, ...], rows: list[tuple], *, batch_size: int) -> None:
    """Insert ``rows`` (tuples in ``columns`` order, attribute names) in bulk: COPY on PostgreSQL, which
    is several times faster than INSERT for hundreds of thousands of rows, else ``bulk_create``."""
    if not rows:
        return
    stamped = any(f.name == "created_at" for f in model._meta.concrete_fields)
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=batch_size)
        return
    names = [model._meta.get_field(column).column for column in columns]
    if stamped:
        names += ["created_at", "updated_at"]
    quote = connection.ops.quote_name
    statement = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
    now = timezone.now()
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        if stamped:
            for row in rows:
                copy.write_row((*row, now, now))
        else:
            for row in rows:
                copy.write_row(row)


def write_objects(model, objects: list, *, batch_size: int) -> None:
    """Insert unsaved model instances in bulk: COPY on PostgreSQL (with each field's own conversion to
    the database value), else ``bulk_create``."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objects[0].pk is None)]
    now = timezone.now()
    for obj in objects:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
    quote = connection.ops.quote_name
    statement = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    prepare = [(f.attname, f.get_db_prep_save) for f in fields]
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for obj in objects:
            copy.write_row([convert(getattr(obj, attname), connection) for attname, convert in prepare])


def write_evidence(plan: EvidencePlan, *, batch_size: int, step: Callable[[str, float], float], started: float) -> float:
    write_rows(AnnualRating, COLUMNS["ratings"], plan.ratings, batch_size=batch_size)
    started = step(_("ghi kết quả xếp loại"), started)
    write_rows(Initiative, COLUMNS["initiatives"], plan.initiatives, batch_size=batch_size)
    write_rows(InitiativeAuthor, COLUMNS["authors"], plan.authors, batch_size=batch_size)
    started = step(_("ghi sáng kiến, đề tài"), started)
    write_rows(Discipline, COLUMNS["disciplines"], plan.disciplines, batch_size=batch_size)
    write_rows(Leave, COLUMNS["leaves"], plan.leaves, batch_size=batch_size)
    started = step(_("ghi kỷ luật, thời gian nghỉ"), started)
    write_rows(AwardRecord, COLUMNS["awards"], plan.awards, batch_size=batch_size)
    return step(_("ghi sổ khen thưởng"), started)


def synth_province(
    *,
    people: int,
    years: int,
    seed: int,
    until: datetime.date = DEFAULT_UNTIL,
    province: str = DEFAULT_PROVINCE,
    prefix: str = DEFAULT_PREFIX,
    replace: bool = False,
    actor=None,
    batch_size: int = 5000,
    progress: Callable[[str, float], None] | None = None,
) -> SynthResult:
    """Build the synthetic province in the configured database, all or nothing."""
    if people < 0 or years < 1:
        raise SynthRefused(_("Số người phải từ 0 trở lên và số năm từ 1 trở lên."))
    timings: list[tuple[str, float]] = []

    def step(label: str, started: float) -> float:
        now = time.perf_counter()
        timings.append((label, now - started))
        if progress is not None:
            progress(label, now - started)
        return now

    started = time.perf_counter()
    award_ids = dict(AwardType.objects.filter(code__in=REGISTER_AWARDS).values_list("code", "pk"))
    if len(award_ids) != len(REGISTER_AWARDS):
        raise SynthRefused(_("Danh mục khen thưởng chưa được nạp: chạy “thidua migrate” trước."))
    if Unit.objects.exists():
        if not replace:
            raise SynthRefused(
                _("Cơ sở dữ liệu đã có đơn vị. Dùng --replace để xóa toàn bộ đơn vị, cá nhân, phân quyền, minh chứng và sổ khen thưởng rồi tạo lại.")
            )
        wipe()
        started = step(_("xóa dữ liệu cũ"), started)

    rng = random.Random(seed)
    tree = plan_tree(rng, first_pk=_next_pk(Unit), province=province, prefix=prefix)
    taken = set(Person.objects.exclude(cccd__isnull=True).values_list("cccd", flat=True))
    planned = plan_people(
        rng, tree, count=people, years=years, until=until, first_person_pk=_next_pk(Person), taken_cccd=taken
    )
    started = step(_("lập dữ liệu"), started)
    # A stream of its own, so that the evidence does not shift the people a seed has always given.
    evidence = plan_evidence(
        random.Random(f"{seed}:evidence"),
        tree,
        planned,
        until=until,
        first_year=_years_after(until, -years).year,
        province=province,
        award_ids=award_ids,
        first_initiative_pk=_next_pk(Initiative),
    )
    evidence_counts = {name: len(rows) for name, rows in vars(evidence).items()}
    started = step(_("lập minh chứng"), started)

    with transaction.atomic():
        Unit.objects.bulk_create(tree.units, batch_size=batch_size)
        started = step(_("ghi đơn vị"), started)
        write_objects(Person, planned.persons, batch_size=batch_size)
        started = step(_("ghi cá nhân"), started)
        write_objects(Employment, planned.employments, batch_size=batch_size)
        started = step(_("ghi quá trình công tác"), started)
        started = write_evidence(evidence, batch_size=batch_size, step=step, started=started)
        # Explicit primary keys leave PostgreSQL's sequences behind; the next INSERT must not collide.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Unit, Person, Initiative]):
                cursor.execute(statement)
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=tree.units[0],
            note=(
                f"thidua synth --people {people} --years {years} --seed {seed} --until {until.isoformat()}: "
                f"{len(tree.units)} đơn vị, {len(planned.persons)} cá nhân, {len(planned.employments)} quá trình công tác, "
                f"{evidence_counts['ratings']} kết quả xếp loại, {evidence_counts['initiatives']} sáng kiến và đề tài, "
                f"{evidence_counts['disciplines']} kỷ luật và vụ việc, {evidence_counts['leaves']} thời gian nghỉ, "
                f"{evidence_counts['awards']} khen thưởng đã nhận"
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Unit, Person, Employment, AnnualRating, Initiative, InitiativeAuthor, Discipline, Leave, AwardRecord):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    step(_("hoàn tất"), started)
    return SynthResult(
        units=len(tree.units),
        people=len(planned.persons),
        employments=len(planned.employments),
        timings=timings,
        evidence=evidence_counts,
    )
