"""A hand-counted award register for the report tests.

    province (UBND_TG)
    ├── department SKHCN  ── merged on 01/07/2025 into new_department SKHCN_MOI
    │   ├── office SKHCN_VP     ┐ both merged on 01/07/2025 into new_office SKHCN_MOI_VP
    │   └── office2 SKHCN_QLKH  ┘
    ├── new_department SKHCN_MOI (from 01/07/2025)
    │   └── new_office SKHCN_MOI_VP
    └── other_department SYT

People and their awards (decision dates in brackets):
- An (male): office, "chuyên môn"; moved to office2 as "quản lý" on 01/03/2021.
  LĐTT 2020 [10/02/2021, in office]; LĐTT 2021, CSTĐCS 2021 [10/02/2022, office2];
  CSTĐ tỉnh 2019–2021 [01/04/2022]; Bằng khen Thủ tướng 2021 [10/05/2022].
- Bình (female, direct worker): office. LĐTT 2021 [10/02/2022]; Giấy khen 2021, thematic [05/12/2021];
  Bằng khen tỉnh 2020–2021 [01/04/2022].
- Chí (male, leader): office2. CSTĐCS 2021 [10/02/2022], REVOKED.
- Em (gender not recorded): office until 31/12/2021, then left. LĐTT 2021 [15/02/2022].
- Dũng: other_department. LĐTT 2021 [10/02/2022].
- office (collective): TTLĐTT 2021 [10/02/2022]; Bằng khen Thủ tướng 2021 [10/05/2022].
- a household, issued by the department: Gia đình văn hóa 2021 [20/01/2022].

So the department, 2020–2021 by year of achievement, without the revoked one: 12 awards (2020: 1,
2021: 11); office 7, office2 4, the department itself 1.
"""

import datetime

import pytest

from tests.factories import make_person, make_unit
from thidua.organizations import services as org
from thidua.organizations.enums import SuccessionKind
from thidua.records.models import AwardRecord
from thidua.records.services import award_record_create
from thidua.rules.models import AwardType

MERGER_DAY = datetime.date(2025, 7, 1)
AFTER_MERGER = datetime.date(2026, 1, 1)
BEFORE_MERGER = datetime.date(2025, 6, 1)


def award(code: str) -> AwardType:
    return AwardType.objects.get(code=code)


def record(code: str, *, person=None, unit=None, household_name: str = "", start: int, end: int | None = None,
           decided: datetime.date, issuing_unit=None, regular: bool = True, issuer_name: str = "") -> AwardRecord:
    return award_record_create(
        actor=None,
        award=award(code),
        person=person,
        unit=unit,
        household_name=household_name,
        period_start=start,
        period_end=end or start,
        decision_number=f"{decided.day}/QĐ-TEST",
        decision_date=decided,
        issuing_unit=issuing_unit,
        issuer_name=issuer_name,
        counts_for_regular=regular,
    )


@pytest.fixture
def register(province, department, office, office2, other_department):
    """The people, the awards and the merger described in the module docstring."""
    an = make_person("Nguyễn Văn An", unit=office, gender="nam", position_category="chuyen_mon", start_date=datetime.date(2015, 1, 1))
    org.employment_start(actor=None, person=an, unit=office2, start_date=datetime.date(2021, 3, 1), position="Phó Trưởng phòng", position_category="quan_ly")
    binh = make_person("Trần Thị Bình", unit=office, gender="nu", position="Nhân viên", position_category="truc_tiep", start_date=datetime.date(2016, 1, 1))
    chi = make_person("Lê Văn Chí", unit=office2, gender="nam", position="Trưởng phòng", position_category="lanh_dao", start_date=datetime.date(2015, 1, 1))
    em = make_person("Võ Thị Em", unit=office, start_date=datetime.date(2010, 1, 1))
    org.employment_update(actor=None, employment=em.employments.get(), end_date=datetime.date(2021, 12, 31))
    dung = make_person("Phạm Văn Dũng", unit=other_department, gender="nam", start_date=datetime.date(2015, 1, 1))

    d = datetime.date
    rows = {
        "an_ldtt_2020": record("LDTT", person=an, start=2020, decided=d(2021, 2, 10), issuing_unit=department),
        "an_ldtt_2021": record("LDTT", person=an, start=2021, decided=d(2022, 2, 10), issuing_unit=department),
        "an_cstdcs_2021": record("CSTDCS", person=an, start=2021, decided=d(2022, 2, 10), issuing_unit=department),
        "an_cstd_tinh": record("CSTD_TINH", person=an, start=2019, end=2021, decided=d(2022, 4, 1), issuing_unit=province),
        "an_bk_ttg": record("BANG_KHEN_TTG", person=an, start=2021, decided=d(2022, 5, 10), issuer_name="Thủ tướng Chính phủ"),
        "binh_ldtt_2021": record("LDTT", person=binh, start=2021, decided=d(2022, 2, 10), issuing_unit=department),
        "binh_giay_khen": record("GIAY_KHEN", person=binh, start=2021, decided=d(2021, 12, 5), issuing_unit=department, regular=False),
        "binh_bk_tinh": record("BANG_KHEN_TINH", person=binh, start=2020, end=2021, decided=d(2022, 4, 1), issuing_unit=province),
        "chi_cstdcs_revoked": record("CSTDCS", person=chi, start=2021, decided=d(2022, 2, 10), issuing_unit=department),
        "em_ldtt_2021": record("LDTT", person=em, start=2021, decided=d(2022, 2, 15), issuing_unit=department),
        "dung_ldtt_2021": record("LDTT", person=dung, start=2021, decided=d(2022, 2, 10), issuing_unit=other_department),
        "office_ttldtt": record("TTLDTT", unit=office, start=2021, decided=d(2022, 2, 10), issuing_unit=department),
        "office_bk_ttg": record("BANG_KHEN_TTG", unit=office, start=2021, decided=d(2022, 5, 10), issuer_name="Thủ tướng Chính phủ"),
        "household": record("GIA_DINH_VAN_HOA", household_name="Hộ ông Nguyễn Văn Tư", start=2021, decided=d(2022, 1, 20), issuing_unit=department),
    }
    # Revocation is the decisions app's business; here the register row is simply marked.
    AwardRecord.objects.filter(pk=rows["chi_cstdcs_revoked"].pk).update(revoked=True)

    new_department = make_unit("Sở Khoa học và Công nghệ (sau hợp nhất)", parent=province, kind="so_nganh", code="SKHCN_MOI", valid_from=MERGER_DAY)
    new_office = make_unit("Văn phòng Sở (sau hợp nhất)", parent=new_department, kind="phong", code="SKHCN_MOI_VP", valid_from=MERGER_DAY)
    org.unit_record_succession(actor=None, predecessors=[department], successor=new_department, kind=SuccessionKind.MERGER, effective_on=MERGER_DAY)
    org.unit_record_succession(actor=None, predecessors=[office, office2], successor=new_office, kind=SuccessionKind.MERGER, effective_on=MERGER_DAY)
    for unit in (department, office, office2):
        unit.refresh_from_db()
    return {
        "people": {"an": an, "binh": binh, "chi": chi, "em": em, "dung": dung},
        "records": rows,
        "new_department": new_department,
        "new_office": new_office,
    }
