"""The demo data: the seed's Department of Science and Technology of Tiền Giang, re-enacted.

The Sở Khoa học và Công nghệ tỉnh Tiền Giang with its offices, centres, Party committee and unions under
the provincial People's Committee; Director Dương Văn Bon (named in the seed) and about sixty staff with
synthetic names; two other departments so that scoping shows; and the merger of 1 July 2025, when Tiền
Giang and Đồng Tháp became the new Đồng Tháp province: every old unit gets ``valid_to`` 30/06/2025 and a
successor, and everyone still working moves to the successor unit that day, so the history survives.

Everything is written through the services, so paths, search text, sort keys and audit rows are what
production would write. ``build_demo`` runs the ``STAGES`` in order inside one transaction; later features
add their own stage (movements, councils, decisions…) by appending a function that takes ``DemoData``.
The random generator has a fixed seed: the same code builds the same people every time.
"""

import datetime
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from thidua.accounts.enums import Role
from thidua.accounts.models import User
from thidua.accounts.services import role_grant, user_create
from thidua.accounts.validators import DEMO_PASSWORD
from thidua.demo import names
from thidua.organizations import services as org
from thidua.organizations.enums import Gender, PositionCategory, SuccessionKind, UnitKind
from thidua.organizations.models import Person, Unit

if TYPE_CHECKING:
    from thidua.nominations.models import Nomination, Nominee

MERGER_DAY = datetime.date(2025, 7, 1)
MERGER_BASIS = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"
)
SEED = 20200810  # the day of the seed's conference
TIEN_GIANG_CODE = "082"  # CCCD prefix of people whose birth was registered in Tiền Giang
DONG_THAP_CODE = "087"

LEADER = PositionCategory.LEADER
MANAGER = PositionCategory.MANAGER
STAFF = PositionCategory.STAFF
WORKER = PositionCategory.DIRECT_WORKER


@dataclass
class DemoData:
    """What the stages build, for the stages after them (and for the tests)."""

    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    actor: User | None = None
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    taken_cccd: set[str] = field(default_factory=set)
    taken_names: set[str] = field(default_factory=set)
    # The 2020 dossiers by story ("in_council_vp", "resubmitted_qlkh", "forwarded_qlkh"…; see
    # nominations_data), and the seed's 02 collectives and 14 individuals proposed for Giấy khen.
    nominations: dict[str, "Nomination"] = field(default_factory=dict)
    seed_nominees: list["Nominee"] = field(default_factory=list)


# ---------------------------------------------------------------- units

# (code, name, short name, kind, parent code). These existed until the merger; their dates of creation
# are not part of the demo, so valid_from stays empty ("since before the records start").
UNITS_BEFORE_MERGER: list[tuple[str, str, str, str, str | None]] = [
    ("UBND_TG", "Ủy ban nhân dân tỉnh Tiền Giang", "UBND", UnitKind.PROVINCE_COMMITTEE, None),
    ("SKHCN_TG", "Sở Khoa học và Công nghệ tỉnh Tiền Giang", "SKHCN", UnitKind.DEPARTMENT, "UBND_TG"),
    ("SKHCN_TG_VP", "Văn phòng Sở", "VP", UnitKind.OFFICE, "SKHCN_TG"),
    ("SKHCN_TG_TTRA", "Thanh tra Sở", "TTr", UnitKind.OFFICE, "SKHCN_TG"),
    ("SKHCN_TG_KHTC", "Phòng Kế hoạch – Tài chính", "KHTC", UnitKind.OFFICE, "SKHCN_TG"),
    ("SKHCN_TG_QLKH", "Phòng Quản lý khoa học", "QLKH", UnitKind.OFFICE, "SKHCN_TG"),
    ("SKHCN_TG_QLCN", "Phòng Quản lý công nghệ và Thị trường công nghệ", "QLCN", UnitKind.OFFICE, "SKHCN_TG"),
    ("SKHCN_TG_TDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "TĐC", UnitKind.SUB_DEPARTMENT, "SKHCN_TG"),
    ("SKHCN_TG_TTTK", "Trung tâm Thông tin và Thống kê khoa học và công nghệ", "TTTK", UnitKind.CENTRE, "SKHCN_TG"),
    ("SKHCN_TG_TTUD", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "TTƯD", UnitKind.CENTRE, "SKHCN_TG"),
    ("SKHCN_TG_DU", "Đảng ủy Sở Khoa học và Công nghệ", "ĐU", UnitKind.PARTY_COMMITTEE, "SKHCN_TG"),
    ("SKHCN_TG_CD", "Công đoàn cơ sở Sở Khoa học và Công nghệ", "CĐCS", UnitKind.TRADE_UNION, "SKHCN_TG"),
    ("SKHCN_TG_DTN", "Chi đoàn Sở Khoa học và Công nghệ", "CĐTN", UnitKind.YOUTH_UNION, "SKHCN_TG"),
    ("SNV_TG", "Sở Nội vụ tỉnh Tiền Giang", "SNV", UnitKind.DEPARTMENT, "UBND_TG"),
    ("SNV_TG_VP", "Văn phòng Sở", "VP", UnitKind.OFFICE, "SNV_TG"),
    ("SNV_TG_CCVC", "Phòng Công chức – Viên chức", "CCVC", UnitKind.OFFICE, "SNV_TG"),
    ("SNV_TG_TDKT", "Ban Thi đua – Khen thưởng", "BTĐKT", UnitKind.SUB_DEPARTMENT, "SNV_TG"),
    ("SYT_TG", "Sở Y tế tỉnh Tiền Giang", "SYT", UnitKind.DEPARTMENT, "UBND_TG"),
    ("SYT_TG_VP", "Văn phòng Sở", "VP", UnitKind.OFFICE, "SYT_TG"),
    ("SYT_TG_NVY", "Phòng Nghiệp vụ Y", "NVY", UnitKind.OFFICE, "SYT_TG"),
    ("SYT_TG_BVDK", "Bệnh viện Đa khoa Trung tâm Tiền Giang", "BVĐKTTTG", UnitKind.CENTRE, "SYT_TG"),
    # The old Đồng Tháp province, whose department merged with Tiền Giang's.
    ("UBND_DT_CU", "Ủy ban nhân dân tỉnh Đồng Tháp", "UBND", UnitKind.PROVINCE_COMMITTEE, None),
    ("SKHCN_DT_CU", "Sở Khoa học và Công nghệ tỉnh Đồng Tháp", "SKHCN", UnitKind.DEPARTMENT, "UBND_DT_CU"),
    ("SKHCN_DT_CU_VP", "Văn phòng Sở", "VP", UnitKind.OFFICE, "SKHCN_DT_CU"),
    ("SKHCN_DT_CU_TT", "Trung tâm Thông tin và Ứng dụng khoa học công nghệ", "TTƯD", UnitKind.CENTRE, "SKHCN_DT_CU"),
]

UNIT_NOTES = {
    "UBND_DT_CU": "Tỉnh Đồng Tháp trước khi hợp nhất với tỉnh Tiền Giang ngày 01/07/2025.",
    "UBND_DT": "Tỉnh Đồng Tháp mới, hợp nhất tỉnh Tiền Giang và tỉnh Đồng Tháp từ ngày 01/07/2025.",
}

# (code, name, short name, kind, parent code, succession kind, predecessor codes), valid from 01/07/2025.
# Listed parents first. The first predecessor of a merged unit is the one whose head keeps the post.
UNITS_AFTER_MERGER: list[tuple[str, str, str, str, str | None, str, list[str]]] = [
    ("UBND_DT", "Ủy ban nhân dân tỉnh Đồng Tháp", "UBND", UnitKind.PROVINCE_COMMITTEE, None,
     SuccessionKind.MERGER, ["UBND_TG", "UBND_DT_CU"]),
    ("SKHCN_DT", "Sở Khoa học và Công nghệ tỉnh Đồng Tháp", "SKHCN", UnitKind.DEPARTMENT, "UBND_DT",
     SuccessionKind.MERGER, ["SKHCN_TG", "SKHCN_DT_CU"]),
    ("SKHCN_DT_VP", "Văn phòng Sở", "VP", UnitKind.OFFICE, "SKHCN_DT",
     SuccessionKind.MERGER, ["SKHCN_TG_VP", "SKHCN_DT_CU_VP"]),
    ("SKHCN_DT_KHTC", "Phòng Kế hoạch – Tài chính", "KHTC", UnitKind.OFFICE, "SKHCN_DT",
     SuccessionKind.TRANSFER, ["SKHCN_TG_KHTC"]),
    ("SKHCN_DT_QLKH", "Phòng Quản lý khoa học", "QLKH", UnitKind.OFFICE, "SKHCN_DT",
     SuccessionKind.TRANSFER, ["SKHCN_TG_QLKH"]),
    ("SKHCN_DT_QLCN", "Phòng Quản lý công nghệ và Đổi mới sáng tạo", "QLCN", UnitKind.OFFICE, "SKHCN_DT",
     SuccessionKind.TRANSFER, ["SKHCN_TG_QLCN"]),
    # The sub-department became an office of the department.
    ("SKHCN_DT_TDC", "Phòng Tiêu chuẩn, Đo lường, Chất lượng", "TĐC", UnitKind.OFFICE, "SKHCN_DT",
     SuccessionKind.TRANSFER, ["SKHCN_TG_TDC"]),
    ("SKHCN_DT_TT", "Trung tâm Khoa học và Công nghệ", "TTKHCN", UnitKind.CENTRE, "SKHCN_DT",
     SuccessionKind.MERGER, ["SKHCN_TG_TTUD", "SKHCN_TG_TTTK", "SKHCN_DT_CU_TT"]),
    ("SKHCN_DT_DU", "Đảng ủy Sở Khoa học và Công nghệ", "ĐU", UnitKind.PARTY_COMMITTEE, "SKHCN_DT",
     SuccessionKind.TRANSFER, ["SKHCN_TG_DU"]),
    ("SKHCN_DT_CD", "Công đoàn cơ sở Sở Khoa học và Công nghệ", "CĐCS", UnitKind.TRADE_UNION, "SKHCN_DT",
     SuccessionKind.TRANSFER, ["SKHCN_TG_CD"]),
    ("SKHCN_DT_DTN", "Chi đoàn Sở Khoa học và Công nghệ", "CĐTN", UnitKind.YOUTH_UNION, "SKHCN_DT",
     SuccessionKind.TRANSFER, ["SKHCN_TG_DTN"]),
    # Department inspectorates were abolished in 2025; their work went to the provincial inspectorate.
    ("TTRA_DT", "Thanh tra tỉnh Đồng Tháp", "TTr", UnitKind.DEPARTMENT, "UBND_DT",
     SuccessionKind.TRANSFER, ["SKHCN_TG_TTRA"]),
    ("SNV_DT", "Sở Nội vụ tỉnh Đồng Tháp", "SNV", UnitKind.DEPARTMENT, "UBND_DT", SuccessionKind.MERGER, ["SNV_TG"]),
    ("SNV_DT_VP", "Văn phòng Sở", "VP", UnitKind.OFFICE, "SNV_DT", SuccessionKind.TRANSFER, ["SNV_TG_VP"]),
    ("SNV_DT_CCVC", "Phòng Công chức – Viên chức", "CCVC", UnitKind.OFFICE, "SNV_DT",
     SuccessionKind.TRANSFER, ["SNV_TG_CCVC"]),
    ("SNV_DT_TDKT", "Ban Thi đua – Khen thưởng", "BTĐKT", UnitKind.SUB_DEPARTMENT, "SNV_DT",
     SuccessionKind.TRANSFER, ["SNV_TG_TDKT"]),
    ("SYT_DT", "Sở Y tế tỉnh Đồng Tháp", "SYT", UnitKind.DEPARTMENT, "UBND_DT", SuccessionKind.MERGER, ["SYT_TG"]),
    ("SYT_DT_VP", "Văn phòng Sở", "VP", UnitKind.OFFICE, "SYT_DT", SuccessionKind.TRANSFER, ["SYT_TG_VP"]),
    ("SYT_DT_NVY", "Phòng Nghiệp vụ Y", "NVY", UnitKind.OFFICE, "SYT_DT", SuccessionKind.TRANSFER, ["SYT_TG_NVY"]),
    ("SYT_DT_BVDK", "Bệnh viện Đa khoa Trung tâm Tiền Giang", "BVĐKTTTG", UnitKind.CENTRE, "SYT_DT",
     SuccessionKind.TRANSFER, ["SYT_TG_BVDK"]),
]


def units_before_merger(data: DemoData) -> None:
    for code, name, short_name, kind, parent_code in UNITS_BEFORE_MERGER:
        data.units[code] = org.unit_create(
            actor=data.actor,
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            parent=data.units[parent_code] if parent_code else None,
            note=UNIT_NOTES.get(code, ""),
        )


# ---------------------------------------------------------------- people


@dataclass
class Slot:
    """A post in a unit, filled by one synthetic person."""

    unit: str
    position: str
    category: str
    rank: str
    key: str = ""  # a name for the person, for the stages and accounts that refer to them
    ethnicity: str = ""  # forced, so that a few non-Kinh colleagues are always there
    province: str = TIEN_GIANG_CODE
    born: tuple[int, int] = (1966, 1996)
    hired: tuple[int, int] = (1990, 2019)
    retired_on: datetime.date | None = None
    note: str = ""


def _slots(unit: str, position: str, category: str, rank: str, count: int, **extra) -> list[Slot]:
    return [Slot(unit, position, category, rank, **extra) for _ in range(count)]


_HEAD_BORN = (1964, 1982)
_SENIOR = "Chuyên viên chính"
_OFFICER = "Chuyên viên"
_WORKER_RANK = "Nhân viên"

SKHCN_TG_SLOTS: list[Slot] = [
    Slot("SKHCN_TG", "Phó Giám đốc Sở", LEADER, _SENIOR, born=_HEAD_BORN, hired=(1990, 2000)),
    Slot("SKHCN_TG", "Phó Giám đốc Sở", LEADER, _SENIOR, born=_HEAD_BORN, hired=(1990, 2002)),
    Slot("SKHCN_TG_VP", "Chánh Văn phòng", MANAGER, _SENIOR, born=_HEAD_BORN),
    Slot("SKHCN_TG_VP", "Phó Chánh Văn phòng", MANAGER, _OFFICER, born=_HEAD_BORN),
    Slot("SKHCN_TG_VP", "Chuyên viên", STAFF, _OFFICER, key="tdkt_officer",
         note="Phụ trách công tác thi đua – khen thưởng"),
    Slot("SKHCN_TG_VP", "Kế toán", STAFF, "Kế toán viên"),
    Slot("SKHCN_TG_VP", "Văn thư", STAFF, "Văn thư viên", ethnicity="Hoa"),
    *_slots("SKHCN_TG_VP", "Chuyên viên", STAFF, _OFFICER, 2),
    Slot("SKHCN_TG_VP", "Lái xe", WORKER, _WORKER_RANK, key="driver"),
    Slot("SKHCN_TG_VP", "Lái xe", WORKER, _WORKER_RANK),
    Slot("SKHCN_TG_VP", "Bảo vệ", WORKER, _WORKER_RANK),
    Slot("SKHCN_TG_VP", "Nhân viên phục vụ", WORKER, _WORKER_RANK),
    Slot("SKHCN_TG_TTRA", "Chánh Thanh tra", MANAGER, "Thanh tra viên chính", born=_HEAD_BORN),
    Slot("SKHCN_TG_TTRA", "Phó Chánh Thanh tra", MANAGER, "Thanh tra viên", born=_HEAD_BORN),
    *_slots("SKHCN_TG_TTRA", "Thanh tra viên", STAFF, "Thanh tra viên", 2),
    Slot("SKHCN_TG_KHTC", "Trưởng phòng", MANAGER, _SENIOR, born=_HEAD_BORN),
    Slot("SKHCN_TG_KHTC", "Phó Trưởng phòng", MANAGER, _OFFICER, born=_HEAD_BORN),
    *_slots("SKHCN_TG_KHTC", "Chuyên viên", STAFF, _OFFICER, 3),
    Slot("SKHCN_TG_QLKH", "Trưởng phòng", MANAGER, _SENIOR, key="qlkh_head", born=_HEAD_BORN),
    Slot("SKHCN_TG_QLKH", "Phó Trưởng phòng", MANAGER, _OFFICER, born=_HEAD_BORN),
    Slot("SKHCN_TG_QLKH", "Chuyên viên", STAFF, _OFFICER, key="qlkh_staff", born=(1986, 1994), hired=(2012, 2018)),
    *_slots("SKHCN_TG_QLKH", "Chuyên viên", STAFF, _OFFICER, 3),
    Slot("SKHCN_TG_QLCN", "Trưởng phòng", MANAGER, _SENIOR, born=_HEAD_BORN),
    Slot("SKHCN_TG_QLCN", "Phó Trưởng phòng", MANAGER, _OFFICER, born=_HEAD_BORN),
    Slot("SKHCN_TG_QLCN", "Chuyên viên", STAFF, _OFFICER, ethnicity="Khmer"),
    *_slots("SKHCN_TG_QLCN", "Chuyên viên", STAFF, _OFFICER, 2),
    Slot("SKHCN_TG_TDC", "Chi cục trưởng", MANAGER, _SENIOR, born=_HEAD_BORN),
    Slot("SKHCN_TG_TDC", "Phó Chi cục trưởng", MANAGER, _OFFICER, key="tdc_deputy", born=_HEAD_BORN),
    *_slots("SKHCN_TG_TDC", "Chuyên viên", STAFF, _OFFICER, 3),
    *_slots("SKHCN_TG_TDC", "Kiểm định viên", STAFF, "Kỹ sư", 2),
    Slot("SKHCN_TG_TDC", "Kế toán", STAFF, "Kế toán viên"),
    Slot("SKHCN_TG_TTTK", "Giám đốc Trung tâm", MANAGER, "Kỹ sư chính", born=_HEAD_BORN),
    Slot("SKHCN_TG_TTTK", "Phó Giám đốc Trung tâm", MANAGER, "Kỹ sư", born=_HEAD_BORN),
    *_slots("SKHCN_TG_TTTK", "Kỹ sư", STAFF, "Kỹ sư", 2),
    Slot("SKHCN_TG_TTTK", "Thư viện viên", STAFF, "Thư viện viên", ethnicity="Hoa"),
    Slot("SKHCN_TG_TTTK", "Kế toán", STAFF, "Kế toán viên"),
    Slot("SKHCN_TG_TTTK", "Kỹ thuật viên", STAFF, "Kỹ thuật viên"),
    Slot("SKHCN_TG_TTUD", "Giám đốc Trung tâm", MANAGER, "Kỹ sư chính", born=_HEAD_BORN),
    Slot("SKHCN_TG_TTUD", "Phó Giám đốc Trung tâm", MANAGER, "Kỹ sư", born=_HEAD_BORN),
    Slot("SKHCN_TG_TTUD", "Kỹ sư", STAFF, "Kỹ sư", key="researcher"),
    *_slots("SKHCN_TG_TTUD", "Kỹ sư", STAFF, "Kỹ sư", 3),
    *_slots("SKHCN_TG_TTUD", "Kỹ thuật viên", STAFF, "Kỹ thuật viên", 2),
    Slot("SKHCN_TG_TTUD", "Kế toán", STAFF, "Kế toán viên"),
    Slot("SKHCN_TG_TTUD", "Công nhân", WORKER, _WORKER_RANK),
    # Recruited after the conference of 10/8/2020.
    Slot("SKHCN_TG_VP", "Chuyên viên", STAFF, _OFFICER, born=(1995, 1999), hired=(2021, 2023)),
    Slot("SKHCN_TG_QLCN", "Chuyên viên", STAFF, _OFFICER, born=(1994, 1999), hired=(2022, 2024)),
    Slot("SKHCN_TG_TTUD", "Kỹ thuật viên", STAFF, "Kỹ thuật viên", born=(1996, 2000), hired=(2021, 2024)),
    # Retired before the merger.
    Slot("SKHCN_TG_KHTC", "Chuyên viên", STAFF, _SENIOR, born=(1961, 1962), hired=(1990, 1994),
         retired_on=datetime.date(2022, 3, 31)),
    Slot("SKHCN_TG_VP", "Lái xe", WORKER, _WORKER_RANK, born=(1963, 1963), hired=(1990, 1995),
         retired_on=datetime.date(2023, 9, 30)),
]

OTHER_SLOTS: list[Slot] = [
    Slot("SKHCN_DT_CU", "Giám đốc Sở", LEADER, _SENIOR, province=DONG_THAP_CODE, born=_HEAD_BORN, hired=(1990, 2000)),
    Slot("SKHCN_DT_CU", "Phó Giám đốc Sở", LEADER, _SENIOR, province=DONG_THAP_CODE, born=_HEAD_BORN),
    Slot("SKHCN_DT_CU_VP", "Chánh Văn phòng", MANAGER, _SENIOR, province=DONG_THAP_CODE, born=_HEAD_BORN),
    *_slots("SKHCN_DT_CU_VP", "Chuyên viên", STAFF, _OFFICER, 2, province=DONG_THAP_CODE),
    Slot("SKHCN_DT_CU_TT", "Giám đốc Trung tâm", MANAGER, "Kỹ sư chính", province=DONG_THAP_CODE, born=_HEAD_BORN),
    *_slots("SKHCN_DT_CU_TT", "Kỹ sư", STAFF, "Kỹ sư", 2, province=DONG_THAP_CODE),
    Slot("SNV_TG", "Giám đốc Sở", LEADER, "Chuyên viên cao cấp", born=_HEAD_BORN, hired=(1990, 1998)),
    Slot("SNV_TG_VP", "Chánh Văn phòng", MANAGER, _SENIOR, born=_HEAD_BORN),
    Slot("SNV_TG_CCVC", "Trưởng phòng", MANAGER, _SENIOR, born=_HEAD_BORN),
    Slot("SNV_TG_CCVC", "Chuyên viên", STAFF, _OFFICER),
    Slot("SNV_TG_TDKT", "Trưởng ban", MANAGER, _SENIOR, born=_HEAD_BORN),
    *_slots("SNV_TG_TDKT", "Chuyên viên", STAFF, _OFFICER, 2),
    Slot("SYT_TG", "Giám đốc Sở", LEADER, "Bác sĩ cao cấp", born=_HEAD_BORN, hired=(1990, 1998)),
    Slot("SYT_TG_VP", "Chuyên viên", STAFF, _OFFICER),
    Slot("SYT_TG_NVY", "Trưởng phòng", MANAGER, "Bác sĩ chính", born=_HEAD_BORN),
    Slot("SYT_TG_BVDK", "Giám đốc Bệnh viện", MANAGER, "Bác sĩ chính", born=_HEAD_BORN),
    *_slots("SYT_TG_BVDK", "Bác sĩ", STAFF, "Bác sĩ", 2),
    *_slots("SYT_TG_BVDK", "Điều dưỡng", STAFF, "Điều dưỡng", 2),
]

# The title held before promotion to a post, for the managers' earlier career.
_JUNIOR_TITLE = {"Kỹ sư chính": "Kỹ sư", "Bác sĩ chính": "Bác sĩ", "Thanh tra viên chính": "Thanh tra viên"}


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _synthetic_person(data: DemoData, slot: Slot) -> dict:
    rng = data.rng
    gender = names.pick_gender(rng, 0.2 if slot.category == WORKER else 0.5)
    ethnicity = slot.ethnicity or "Kinh"
    while True:
        family, middle, given = names.person_name(rng, gender, ethnicity)
        full_name = f"{family} {middle} {given}"
        if full_name not in data.taken_names:
            data.taken_names.add(full_name)
            break
    born = names.birth_date(rng, born_from=datetime.date(slot.born[0], 1, 1), born_to=datetime.date(slot.born[1], 12, 31))
    earliest = max(datetime.date(slot.hired[0], 1, 1), datetime.date(born.year + 22, born.month, min(born.day, 28)))
    latest = max(earliest, min(datetime.date(slot.hired[1], 12, 31), datetime.date(born.year + 32, 12, 31)))
    recruited = _day_between(rng, earliest, latest)
    has_cccd = rng.random() < 0.9
    return {
        "family_name": family,
        "middle_name": middle,
        "given_name": given,
        "gender": gender,
        "ethnicity": ethnicity,
        "birth_date": born,
        "recruited_on": recruited,
        "cccd": names.cccd(rng, province_code=slot.province, gender=gender, born=born, taken=data.taken_cccd)
        if has_cccd
        else None,
    }


def _career(data: DemoData, slot: Slot, recruited: datetime.date, others: list[str]) -> list[tuple[str, str, datetime.date]]:
    """(unit code, position, start) from recruitment to the slot's post: managers were promoted from a
    staff post (sometimes in another office); a fifth of the staff moved between offices once."""
    rng = data.rng
    latest_move = datetime.date(min(slot.hired[1] + 6, 2019), 12, 31)
    earliest_move = recruited + datetime.timedelta(days=3 * 365)
    if earliest_move >= latest_move:
        return [(slot.unit, slot.position, recruited)]
    moved_on = _day_between(rng, earliest_move, latest_move)
    if slot.category == MANAGER:
        first_unit = rng.choice(others) if rng.random() < 0.3 else slot.unit
        first_position = _JUNIOR_TITLE.get(slot.rank, _OFFICER)
        return [(first_unit, first_position, recruited), (slot.unit, slot.position, moved_on)]
    if slot.category == STAFF and rng.random() < 0.2:
        return [(rng.choice(others), slot.position, recruited), (slot.unit, slot.position, moved_on)]
    return [(slot.unit, slot.position, recruited)]


def _department_of(code: str) -> str:
    kinds = {unit_code: (kind, parent) for unit_code, _, _, kind, parent in UNITS_BEFORE_MERGER}
    while kinds[code][0] != UnitKind.DEPARTMENT and kinds[code][1]:
        code = kinds[code][1]
    return code


def _fill(data: DemoData, slots: list[Slot]) -> None:
    for slot in slots:
        fields = _synthetic_person(data, slot)
        department = _department_of(slot.unit)
        # Earlier posts are in another working office of the same department.
        others = [
            code
            for code, _, _, kind, parent in UNITS_BEFORE_MERGER
            if parent == department and code != slot.unit and kind in (UnitKind.OFFICE, UnitKind.CENTRE, UnitKind.SUB_DEPARTMENT)
        ] or [slot.unit]
        career = _career(data, slot, fields["recruited_on"], others)
        (first_unit, first_position, first_day), later = career[0], career[1:]
        person = org.person_create(
            actor=data.actor,
            unit=data.units[first_unit],
            position=first_position,
            position_category=slot.category if not later else STAFF,
            rank=slot.rank if not later else _JUNIOR_TITLE.get(slot.rank, _OFFICER),
            start_date=first_day,
            **fields,
        )
        for unit_code, position, start in later:
            org.employment_start(
                actor=data.actor,
                person=person,
                unit=data.units[unit_code],
                start_date=start,
                position=position,
                position_category=slot.category,
                rank=slot.rank,
                note=slot.note,
            )
        if not later and slot.note:
            employment = person.employments.get()
            org.employment_update(actor=data.actor, employment=employment, note=slot.note)
        if slot.retired_on:
            employment = person.employments.filter(end_date__isnull=True).get()
            org.employment_update(actor=data.actor, employment=employment, end_date=slot.retired_on, note="Nghỉ hưu")
        if slot.key:
            data.people[slot.key] = person


def people_before_merger(data: DemoData) -> None:
    # The seed names the Director; nothing else is known about him, so his record holds only what the
    # seed says (no birth date or ID number is made up for a real person).
    director = org.person_create(
        actor=data.actor,
        family_name="Dương",
        middle_name="Văn",
        given_name="Bon",
        gender=Gender.MALE,
        unit=data.units["SKHCN_TG"],
        position="Giám đốc Sở",
        position_category=LEADER,
        rank="Chuyên viên cao cấp",
        start_date=datetime.date(2016, 1, 1),
    )
    data.taken_names.add("Dương Văn Bon")
    data.people["director"] = director
    _fill(data, SKHCN_TG_SLOTS)
    _fill(data, OTHER_SLOTS)


# ---------------------------------------------------------------- the merger of 1 July 2025

# Where two heads meet in a merged unit, the head from the first predecessor keeps the post and the
# other becomes a deputy; a sub-department turned office renames its posts; so does the inspectorate.
_DEPUTY_OF = {
    "Giám đốc Sở": "Phó Giám đốc Sở",
    "Chánh Văn phòng": "Phó Chánh Văn phòng",
    "Giám đốc Trung tâm": "Phó Giám đốc Trung tâm",
}
_RENAMED_POSTS = {
    "SKHCN_TG_TDC": {"Chi cục trưởng": "Trưởng phòng", "Phó Chi cục trưởng": "Phó Trưởng phòng"},
    "SKHCN_TG_TTRA": {"Chánh Thanh tra": "Trưởng phòng", "Phó Chánh Thanh tra": "Phó Trưởng phòng"},
}


def merger_2025(data: DemoData) -> None:
    successor_of: dict[str, str] = {}
    first_predecessors: set[str] = set()
    for code, name, short_name, kind, parent_code, succession_kind, predecessors in UNITS_AFTER_MERGER:
        unit = org.unit_create(
            actor=data.actor,
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            parent=data.units[parent_code] if parent_code else None,
            valid_from=MERGER_DAY,
            note=UNIT_NOTES.get(code, ""),
        )
        data.units[code] = unit
        org.unit_record_succession(
            actor=data.actor,
            predecessors=[data.units[p] for p in predecessors],
            successor=unit,
            kind=succession_kind,
            effective_on=MERGER_DAY,
            legal_basis=MERGER_BASIS,
        )
        for predecessor in predecessors:
            data.units[predecessor].refresh_from_db()
            successor_of[predecessor] = code
        first_predecessors.add(predecessors[0])

    old_units = [data.units[code] for code in successor_of]
    for person in Person.objects.filter(current_unit__in=old_units).select_related("current_unit").order_by("id"):
        old_code = person.current_unit.code
        current = person.employments.get(end_date__isnull=True)
        position = _RENAMED_POSTS.get(old_code, {}).get(current.position, current.position)
        if old_code not in first_predecessors:
            position = _DEPUTY_OF.get(position, position)
        org.employment_start(
            actor=data.actor,
            person=person,
            unit=data.units[successor_of[old_code]],
            start_date=MERGER_DAY,
            position=position,
            position_category=current.position_category,
            rank=current.rank,
            note=current.note,
        )
    for key, person in data.people.items():
        data.people[key] = Person.objects.get(pk=person.pk)


# ---------------------------------------------------------------- accounts

# (username, role, unit codes, person key). Roles are held on the old units and on their successors,
# so that a demo user sees both the history and today's organisation.
DEMO_ACCOUNTS: list[tuple[str, str, list[str], str]] = [
    ("admin", Role.ADMIN, ["UBND_DT", "UBND_TG", "UBND_DT_CU"], ""),
    ("vanphong", Role.OFFICER, ["SKHCN_DT", "SKHCN_TG"], "tdkt_officer"),
    ("giamdoc", Role.SIGNER, ["SKHCN_DT", "SKHCN_TG"], "director"),
    ("truongphong", Role.UNIT_MANAGER, ["SKHCN_DT_QLKH", "SKHCN_TG_QLKH"], "qlkh_head"),
    ("canbo", Role.STAFF, ["SKHCN_DT_QLKH", "SKHCN_TG_QLKH"], "qlkh_staff"),
]


def accounts(data: DemoData) -> None:
    for username, role, unit_codes, person_key in DEMO_ACCOUNTS:
        user = user_create(
            actor=data.actor,
            username=username,
            password=DEMO_PASSWORD,
            person=data.people[person_key] if person_key else None,
            is_demo=True,
        )
        for code in unit_codes:
            role_grant(actor=data.actor, user=user, role=role, unit=data.units[code])
        data.users[username] = user


# ---------------------------------------------------------------- evidence 2015–2025

EVIDENCE_YEARS = range(2015, 2026)
# The register holds the titles decided before the demo's screening: those of 2024 (and 2025) are what
# the screening page (bình xét) of the demo is for.
REGISTER_YEARS = range(2015, 2024)
TIEN_GIANG_BODY = "Ủy ban nhân dân tỉnh Tiền Giang"

# Ratings the story needs; everyone else's are drawn with the synthetic province's shares. The Director
# is a real person named in the seed: nothing about his work is made up, so he has no rating or title
# (his screening says so: the evidence is missing).
SCRIPTED_RATINGS: dict[str, dict[int, str]] = {
    "qlkh_head": dict.fromkeys(range(2019, 2026), "HTXSNV"),
    "qlkh_staff": {2019: "HTXSNV", 2020: "HTTNV", 2023: "HTXSNV", 2024: "HTTNV"},
    "researcher": {2021: "HTTNV", 2022: "HTXSNV", 2023: "HTXSNV", 2024: "HTXSNV"},
    "tdkt_officer": dict.fromkeys(EVIDENCE_YEARS, "HTTNV"),
    "driver": {2024: "HTNV"},  # reprimanded that year: rated no higher than HTNV
    "tdc_deputy": {2024: "HTTNV"},
    "mother": {2024: "HTTNV"},
}
SCRIPTED_UNIT_RATINGS: dict[str, dict[int, str]] = {
    "SKHCN_TG_QLKH": dict.fromkeys(range(2019, 2025), "HTXSNV"),
    "SKHCN_DT_QLKH": {2025: "HTXSNV"},
}
WORKING_OFFICES = [
    "SKHCN_TG_VP", "SKHCN_TG_TTRA", "SKHCN_TG_KHTC", "SKHCN_TG_QLKH", "SKHCN_TG_QLCN", "SKHCN_TG_TDC",
    "SKHCN_TG_TTTK", "SKHCN_TG_TTUD",
]
SUCCESSOR_OFFICES = ["SKHCN_DT_VP", "SKHCN_DT_KHTC", "SKHCN_DT_QLKH", "SKHCN_DT_QLCN", "SKHCN_DT_TDC", "SKHCN_DT_TT"]


@dataclass(frozen=True)
class DemoInitiative:
    year: int
    authors: list[str]  # person keys, or "office:<code>" for the first other colleague of that office
    kind: str
    scope: str
    title: str
    recognized_on: tuple[int, int]  # (month, day)
    applied: bool = True


DEMO_INITIATIVES = [
    DemoInitiative(2017, ["office:SKHCN_TG_QLCN"], "sang_kien", "co_so",
                   "Xây dựng trang thông tin điện tử về sở hữu trí tuệ tỉnh Tiền Giang", (11, 20)),
    DemoInitiative(2018, ["tdkt_officer"], "sang_kien", "co_so",
                   "Ứng dụng chữ ký số trong trao đổi văn bản điện tử tại Sở", (10, 25)),
    DemoInitiative(2019, ["qlkh_head", "qlkh_staff"], "sang_kien", "co_so",
                   "Ứng dụng phần mềm quản lý hồ sơ khoa học tại Sở", (10, 15)),
    DemoInitiative(2020, ["qlkh_head"], "sang_kien", "co_so",
                   "Số hóa quy trình tiếp nhận hồ sơ đăng ký nhiệm vụ khoa học và công nghệ", (11, 5)),
    DemoInitiative(2021, ["qlkh_head", "office:SKHCN_TG_QLKH"], "de_tai", "tinh",
                   "Xây dựng cơ sở dữ liệu chuyên gia khoa học và công nghệ tỉnh Tiền Giang", (12, 8)),
    DemoInitiative(2022, ["qlkh_head"], "sang_kien", "co_so",
                   "Theo dõi tiến độ đề tài, dự án khoa học và công nghệ bằng bảng điều khiển trực tuyến", (10, 28)),
    DemoInitiative(2022, ["office:SKHCN_TG_TDC"], "sang_kien", "co_so",
                   "Cải tiến quy trình kiểm định cân đối chứng tại các chợ trên địa bàn tỉnh", (11, 14)),
    DemoInitiative(2023, ["researcher", "office:SKHCN_TG_TTUD"], "de_tai", "co_so",
                   "Nghiên cứu ứng dụng chế phẩm vi sinh xử lý phụ phẩm nông nghiệp làm phân bón hữu cơ", (12, 1)),
    DemoInitiative(2024, ["qlkh_head", "qlkh_staff"], "sang_kien", "tinh",
                   "Truy xuất nguồn gốc sản phẩm nông nghiệp chủ lực của tỉnh bằng mã QR", (11, 22)),
    DemoInitiative(2024, ["researcher"], "sang_kien", "co_so",
                   "Ứng dụng công nghệ nuôi cấy mô trong nhân giống chuối già lùn", (12, 10)),
    DemoInitiative(2025, ["qlkh_staff"], "sang_kien", "co_so",
                   "Ứng dụng trí tuệ nhân tạo hỗ trợ tra cứu văn bản pháp luật về khoa học và công nghệ", (11, 18),
                   applied=False),
]


def _employment_on(person: Person, day: datetime.date):
    return next(
        (e for e in person.employments.all() if e.start_date <= day and (e.end_date is None or e.end_date >= day)), None
    )


def _worked_in(person: Person, year: int) -> bool:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return any(e.start_date <= end and (e.end_date is None or e.end_date >= start) for e in person.employments.all())


def _tenure(person: Person) -> tuple[datetime.date, datetime.date | None]:
    """First day of service and last day (None while employed), as the eligibility engine reads them."""
    periods = sorted(person.employments.all(), key=lambda e: e.start_date)
    first = min(person.recruited_on or periods[0].start_date, periods[0].start_date)
    return first, periods[-1].end_date


def _department_on(unit: Unit) -> Unit:
    while unit.kind != UnitKind.DEPARTMENT and unit.parent_id:
        unit = unit.parent
    return unit


def evidence_2015_2025(data: DemoData) -> None:
    """Ratings, initiatives, a reprimand, a pending matter, a maternity leave and the register of past
    titles for the staff of the Tiền Giang Department of Science and Technology, 2015–2025 — all through
    the records services, so every row is audited as it would be in production."""
    rng = random.Random(f"{SEED}:evidence")  # a stream of its own: earlier stages keep their people
    department = data.units["SKHCN_TG"]
    staff = list(
        Person.objects.filter(employments__unit__path__startswith=department.path)
        .exclude(pk=data.people["director"].pk)
        .distinct()
        .order_by("pk")
        .prefetch_related("employments__unit__parent")
    )
    keyed = {person.pk for person in data.people.values()}
    data.people["mother"] = next(
        person
        for person in staff
        if person.gender == Gender.FEMALE
        and person.birth_date.year >= 1986
        and person.pk not in keyed
        and _tenure(person)[0] < datetime.date(2024, 1, 1)
    )
    ratings = _demo_ratings(data, rng, staff)
    unit_ratings = _demo_unit_ratings(data, rng)
    _demo_conduct(data)
    works = _demo_initiatives(data, rng, staff, keyed)
    _demo_register(data, rng, staff, keyed, ratings, unit_ratings, works)


def _demo_ratings(data: DemoData, rng: random.Random, staff: list[Person]) -> dict[int, dict[int, str]]:
    """Drawn with the synthetic province's shares for everyone, then the story's own."""
    from thidua.demo.synth_evidence import PERSON_TIERS, RATING_OF_RANK, draw_rank, draw_tier
    from thidua.records.services import rating_set

    key_of = {person.pk: key for key, person in data.people.items()}
    ratings: dict[int, dict[int, str]] = {}
    for person in staff:
        thresholds = PERSON_TIERS[draw_tier(rng, PERSON_TIERS)][1]
        drawn = {year: RATING_OF_RANK[draw_rank(rng, thresholds)] for year in EVIDENCE_YEARS}
        scripted = SCRIPTED_RATINGS.get(key_of.get(person.pk, ""), {})
        ratings[person.pk] = {
            year: scripted.get(year, drawn[year]) for year in EVIDENCE_YEARS if _worked_in(person, year)
        }
        for year, rating in ratings[person.pk].items():
            rating_set(actor=data.actor, person=person, year=year, rating=rating)
    return ratings


def _demo_unit_ratings(data: DemoData, rng: random.Random) -> dict[str, dict[int, str]]:
    """The department and its offices until 2024; the successor offices for 2025."""
    from thidua.demo.synth_evidence import RATING_OF_RANK, UNIT_TIERS, draw_rank, draw_tier
    from thidua.records.services import rating_set

    rated = [(code, range(2015, 2025)) for code in ["SKHCN_TG", *WORKING_OFFICES]]
    rated += [(code, range(2025, 2026)) for code in SUCCESSOR_OFFICES]
    unit_ratings: dict[str, dict[int, str]] = {}
    for code, years in rated:
        thresholds = UNIT_TIERS[draw_tier(rng, UNIT_TIERS)][1]
        scripted = SCRIPTED_UNIT_RATINGS.get(code, {})
        unit_ratings[code] = {year: scripted.get(year) or RATING_OF_RANK[draw_rank(rng, thresholds)] for year in years}
        for year, rating in unit_ratings[code].items():
            rating_set(actor=data.actor, unit=data.units[code], year=year, rating=rating)
    return unit_ratings


def _demo_conduct(data: DemoData) -> None:
    """A reprimand (so a rated year falls short), a pending inspection (so a verdict waits) and a
    maternity leave (which counts as time worked)."""
    from thidua.records.services import discipline_create, leave_create

    discipline_create(
        actor=data.actor,
        person=data.people["driver"],
        level="khien_trach",
        start=datetime.date(2024, 6, 10),
        end=datetime.date(2025, 6, 9),
        decision="42/QĐ-SKHCN",
        note="Vi phạm quy định quản lý, sử dụng xe công",
    )
    discipline_create(
        actor=data.actor,
        person=data.people["tdc_deputy"],
        pending=True,
        pending_kind="dieu_tra",
        start=datetime.date(2024, 11, 20),
        note="Đang thanh tra việc quản lý, sử dụng kinh phí kiểm định phương tiện đo năm 2024",
    )
    leave_create(
        actor=data.actor,
        person=data.people["mother"],
        kind="thai_san",
        start=datetime.date(2024, 2, 1),
        end=datetime.date(2024, 7, 31),
        note="Nghỉ thai sản sinh con thứ hai",
    )


def _demo_initiatives(
    data: DemoData, rng: random.Random, staff: list[Person], keyed: set[int]
) -> dict[int, list[tuple[int, str, str, bool]]]:
    """The initiatives and research tasks; returns (year, kind, scope, applied) per author."""
    from thidua.records.services import initiative_create

    def colleague(code: str, year: int, besides: list[Person]) -> Person:
        day = datetime.date(year, 12, 31)
        return next(
            person
            for person in staff
            if person.pk not in keyed
            and person not in besides
            and (employment := _employment_on(person, day)) is not None
            and employment.unit.code == code
        )

    works: dict[int, list[tuple[int, str, str, bool]]] = {}
    for item in DEMO_INITIATIVES:
        authors: list[Person] = []
        for name in item.authors:
            office = name.removeprefix("office:")
            authors.append(colleague(office, item.year, authors) if office != name else data.people[name])
        recognized_on = datetime.date(item.year, *item.recognized_on)
        unit = _employment_on(authors[0], recognized_on).unit
        if item.scope == "co_so":
            decision, body = f"{rng.randint(60, 190)}/QĐ-SKHCN", _department_on(unit).name
        else:
            decision, body = f"{rng.randint(1800, 3100)}/QĐ-UBND", TIEN_GIANG_BODY
        initiative_create(
            actor=data.actor,
            authors=authors,
            title=item.title,
            kind=item.kind,
            unit=unit,
            scope=item.scope,
            recognized_on=recognized_on,
            recognizing_decision=decision,
            recognizing_body=body,
            applied=item.applied,
            effective=item.applied,
        )
        for author in authors:
            works.setdefault(author.pk, []).append((item.year, item.kind, item.scope, item.applied))
    return works


def _demo_register(data, rng, staff, keyed, ratings, unit_ratings, works) -> None:
    """The register of past titles, as the department's and the province's decisions of each year gave
    them under the ruleset then in force (the tests check it against the engine)."""
    from thidua.demo.synth_evidence import year_rules
    from thidua.records.services import award_record_create
    from thidua.rules.engine import months_worked
    from thidua.rules.models import AwardType

    awards = {award.code: award for award in AwardType.objects.all()}
    department, province = data.units["SKHCN_TG"], data.units["UBND_TG"]
    titles: dict[tuple[int, int], set[str]] = {}

    def register(code, year, number, day, issuer, *, person=None, unit=None, since=None) -> None:
        award_record_create(
            actor=data.actor,
            award=awards[code],
            person=person,
            unit=unit,
            period_start=since or year,
            period_end=year,
            decision_number=number,
            decision_date=day,
            issuing_unit=issuer,
            source="imported",
        )
        if person is not None:
            titles.setdefault((person.pk, year), set()).add(code)

    def achieved(person: Person, year: int) -> bool:
        return any(y == year and (kind == "sang_kien" or applied) for y, kind, _, applied in works.get(person.pk, ()))

    for year in REGISTER_YEARS:
        rules = year_rules(year)
        number, day = f"{rng.randint(5, 40):02d}/QĐ-SKHCN", datetime.date(year + 1, 1, rng.randint(8, 28))
        ldtt = [
            person
            for person in staff
            if ratings[person.pk].get(year) in ("HTTNV", "HTXSNV")
            and (months_worked(_tenure(person), [], year) or 0) >= rules.ldtt_months
        ]
        for person in ldtt:
            register("LDTT", year, number, day, department, person=person)
        # Decree 91/2017: an initiative was required, and CSTĐCS were at most 15 % of LĐTT. From the 2022
        # Law HTXSNV is enough; the department proposed about half of those (and everyone in the story).
        candidates = [
            person
            for person in ldtt
            if achieved(person, year)
            or (
                rules.excellence_counts
                and ratings[person.pk][year] == "HTXSNV"
                and (person.pk in keyed or rng.random() < 0.5)
            )
        ]
        if rules.cstdcs_quota is not None:
            candidates = candidates[: math.floor(len(ldtt) * rules.cstdcs_quota + 1e-9)]
        for person in candidates:
            register("CSTDCS", year, number, day, department, person=person)
        for code in WORKING_OFFICES:
            members = [
                person
                for person in staff
                if (employment := _employment_on(person, datetime.date(year, 12, 31))) and employment.unit.code == code
            ]
            with_ldtt = sum(1 for person in members if "LDTT" in titles.get((person.pk, year), ()))
            with_cstdcs = sum(1 for person in members if "CSTDCS" in titles.get((person.pk, year), ()))
            all_done = all(ratings[person.pk][year] != "KHTNV" for person in members)
            if not (members and all_done and with_ldtt * 2 > len(members)):
                continue
            if unit_ratings[code][year] in ("HTTNV", "HTXSNV"):
                register("TTLDTT", year, number, day, department, unit=data.units[code])
            excellent = unit_ratings[code][year] == "HTXSNV" and with_cstdcs and with_ldtt >= 0.7 * len(members)
            if code == "SKHCN_TG_QLKH" and year in (2022, 2023) and excellent:
                province_day = datetime.date(year + 1, 4, rng.randint(3, 25))
                register("TTLDXS", year, f"{rng.randint(600, 900)}/QĐ-UBND", province_day, province, unit=data.units[code])

    # The head of the science office: two years HTXSNV with two initiatives gave a Bằng khen (Decree
    # 91/2017), three consecutive CSTĐCS with a research task of provincial effect the title of
    # provincial emulation fighter.
    head = data.people["qlkh_head"]
    two_years = [item for item in works.get(head.pk, ()) if item[0] in (2019, 2020)]
    if all(ratings[head.pk][year] == "HTXSNV" for year in (2019, 2020)) and len(two_years) >= 2:
        register("BANG_KHEN_TINH", 2020, "1025/QĐ-UBND", datetime.date(2021, 4, 16), province, person=head, since=2019)
    provincial = any(item[0] in (2019, 2020, 2021) and item[2] != "co_so" for item in works.get(head.pk, ()))
    if provincial and all("CSTDCS" in titles.get((head.pk, year), ()) for year in (2019, 2020, 2021)):
        register("CSTD_TINH", 2021, "865/QĐ-UBND", datetime.date(2022, 4, 12), province, person=head, since=2019)


def movements(data: DemoData) -> None:
    from thidua.demo.movements_data import movements_2015_2025

    movements_2015_2025(data)


def nominations(data: DemoData) -> None:
    from thidua.demo.nominations_data import nominations_2020

    nominations_2020(data)


def councils(data: DemoData) -> None:
    from thidua.demo.council_data import council_2020

    council_2020(data)


def decisions(data: DemoData) -> None:
    from thidua.demo.decisions_data import decision_2020

    decision_2020(data)


def exemplars(data: DemoData) -> None:
    from thidua.demo.exemplars_data import conference_2020

    conference_2020(data)


STAGES: list[Callable[[DemoData], None]] = [
    units_before_merger,
    people_before_merger,
    merger_2025,
    accounts,
    evidence_2015_2025,
    movements,
    nominations,
    councils,
    decisions,
    exemplars,
]


def build_demo(stages: list[Callable[[DemoData], None]] | None = None) -> DemoData:
    """Load the demo into the configured database (which should hold no demo yet), all or nothing."""
    data = DemoData()
    with transaction.atomic():
        for stage in stages if stages is not None else STAGES:
            stage(data)
    return data


def demo_is_loaded() -> bool:
    return User.objects.filter(is_demo=True).exists()
