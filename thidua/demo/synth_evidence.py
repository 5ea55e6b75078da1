"""The evidence of the synthetic province: ratings, initiatives, discipline, leave and the award register.

Planned in Python from the people and units ``synth`` has just planned, then written in bulk (COPY on
PostgreSQL). The rows follow the rules so that a screening over them looks like a real one:

- every person is rated for every year of the history they worked in, every unit for every year.
  A person keeps a "tier" for the whole history (strong, average, weak), so excellence clusters and
  streaks of titles happen: overall about 20 % HTXSNV, 65 % HTTNV, 12 % HTNV, 3 % KHTNV; units a third
  HTXSNV;
- initiatives and research tasks (mostly ``co_so``, a few ``tinh``, very few ``toan_quoc``), mostly by
  strong people, with one to three authors of the same unit;
- a few disciplines (the rating of that year is at most HTNV), pending matters, maternity and unpaid leaves;
- the award register for every year whose decisions fall before ``until``, derived from that evidence
  with the ruleset in force on the decision date (``ruleset_for``): LĐTT for most people rated HTTNV or
  better who worked long enough without discipline; CSTĐCS only with LĐTT and an initiative (or, from
  2024, HTXSNV), within the 15 % quota while Decree 91/2017 applied; CSTĐ tỉnh after three consecutive
  CSTĐCS with an initiative of provincial effect; Bằng khen tỉnh after two consecutive CSTĐCS; Giấy khen;
  TTLĐTT and TTLĐXS for units whose members meet the shares.

Deterministic for a seed: one ``random.Random`` driven in a fixed order.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from typing import Any

from thidua.common.text import nfc
from thidua.organizations.enums import Gender, UnitKind
from thidua.records.enums import (
    DISCIPLINE_RANK,
    AwardSource,
    DisciplineLevel,
    InitiativeKind,
    LeaveKind,
    PendingMatterKind,
    Rating,
    Scope,
)
from thidua.rules.engine import months_worked
from thidua.rules.rulesets import get_at_path, ruleset_for

# Rating ranks as stored per person-year (0: not working that year).
KHTNV, HTNV, HTTNV, HTXSNV = 1, 2, 3, 4
RATING_OF_RANK = {
    KHTNV: Rating.NOT_DONE.value,
    HTNV: Rating.DONE.value,
    HTTNV: Rating.GOOD.value,
    HTXSNV: Rating.EXCELLENT.value,
}

# Cumulative thresholds (HTXSNV, HTTNV, HTNV; KHTNV beyond) per tier: shares 20 % strong, 70 % average,
# 10 % weak give about 20 / 65 / 12 / 3 % overall.
PERSON_TIERS = ((0.2, (0.60, 0.97, 1.0)), (0.9, (0.11, 0.85, 0.97)), (1.0, (0.0, 0.50, 0.87)))
# Units: about 33 / 56 / 9 / 2 %.
UNIT_TIERS = ((0.3, (0.70, 1.0, 1.0)), (0.9, (0.20, 0.88, 0.98)), (1.0, (0.05, 0.65, 0.92)))
STRONG, AVERAGE, WEAK = 0, 1, 2
# Chance per person-year of being first author of a recognised initiative or research task.
INITIATIVE_RATE = {STRONG: 0.22, AVERAGE: 0.03, WEAK: 0.003}
CO_AUTHORS = ((0.6, 0), (0.88, 1), (1.0, 2))  # cumulative share → number of co-authors
DISCIPLINE_RATE = 0.004
DISCIPLINE_LEVELS = (
    (0.7, DisciplineLevel.REPRIMAND),
    (0.95, DisciplineLevel.WARNING),
    (1.0, DisciplineLevel.SALARY_DOWNGRADE),
)
OPEN_PENDING_RATE = 0.004  # per person working in the last year: a matter not yet concluded at ``until``
CLOSED_PENDING_RATE = 0.001
MATERNITY_RATE = 0.05  # per year, women aged 22–40
UNPAID_RATE = 0.002
# Chance that a person or unit who meets the conditions is actually proposed and awarded.
LDTT_TAKEN = 0.95
CSTDCS_TAKEN = {STRONG: 0.6, AVERAGE: 0.3, WEAK: 0.2}
CSTD_TINH_TAKEN = 0.75
BANG_KHEN_TAKEN = 0.25
GIAY_KHEN_RATE = 0.05
THEMATIC_SHARE = 0.25  # Giấy khen from thematic rounds, which do not count towards regular awards
TTLDTT_TAKEN = 0.85
TTLDXS_TAKEN = 0.5
UNIT_BANG_KHEN_TAKEN = 0.08
UNIT_GIAY_KHEN_RATE = 0.05

# Title bits per person-year (the ones later titles look back at).
T_LDTT, T_CSTDCS = 1, 2

THEMATIC_ROUNDS = [
    "Khen thưởng chuyên đề: phong trào “Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau”",
    "Khen thưởng chuyên đề: phong trào thi đua “Chuyển đổi số”",
    "Khen thưởng chuyên đề: phòng, chống dịch COVID-19",
    "Khen thưởng chuyên đề: phong trào “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”",
    "Khen thưởng chuyên đề: tổng kết 10 năm thực hiện Chỉ thị 05-CT/TW",
]
PENDING_NOTES = {
    PendingMatterKind.DISCIPLINE: "Đang xem xét trách nhiệm theo kết luận kiểm tra nội bộ",
    PendingMatterKind.INVESTIGATION: "Đang thanh tra việc thực hiện dự án",
    PendingMatterKind.COMPLAINT: "Có đơn tố cáo đang được xác minh",
}

# ---------------------------------------------------------------- initiative and research titles

_TOPICS: dict[str, dict[str, list[str]]] = {
    "office": {
        "sang_kien": [
            "Ứng dụng phần mềm quản lý văn bản và điều hành trong xử lý hồ sơ công việc",
            "Giải pháp số hóa hồ sơ lưu trữ phục vụ tra cứu nhanh",
            "Xây dựng quy trình tiếp nhận và trả kết quả thủ tục hành chính trực tuyến",
            "Ứng dụng chữ ký số trong trao đổi văn bản điện tử",
            "Giải pháp theo dõi tiến độ thực hiện nhiệm vụ được giao bằng bảng tính dùng chung",
            "Chuẩn hóa mẫu biểu báo cáo thống kê định kỳ",
            "Cải tiến quy trình lập dự toán và quyết toán kinh phí",
            "Ứng dụng mã QR trong quản lý tài sản công",
            "Giải pháp nâng cao hiệu quả công tác tuyên truyền pháp luật trên mạng xã hội",
            "Xây dựng cơ sở dữ liệu cán bộ, công chức phục vụ công tác thi đua, khen thưởng",
        ],
        "de_tai": [
            "Nghiên cứu đề xuất giải pháp nâng cao chỉ số cải cách hành chính",
            "Đánh giá thực trạng và đề xuất giải pháp chuyển đổi số trong cơ quan nhà nước",
            "Nghiên cứu xây dựng bộ tiêu chí đánh giá mức độ hài lòng của người dân",
        ],
    },
    "centre": {
        "sang_kien": [
            "Cải tiến quy trình kiểm định, hiệu chuẩn thiết bị đo",
            "Ứng dụng hệ thống quan trắc tự động trong giám sát chất lượng nước",
            "Giải pháp tiết kiệm điện năng tại trụ sở làm việc",
            "Xây dựng phần mềm quản lý mẫu thử nghiệm",
            "Cải tiến quy trình nhân giống cây trồng bằng phương pháp nuôi cấy mô",
        ],
        "de_tai": [
            "Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất chế phẩm vi sinh xử lý phụ phẩm nông nghiệp",
            "Nghiên cứu xây dựng mô hình canh tác lúa thích ứng với xâm nhập mặn",
            "Nghiên cứu ứng dụng công nghệ IoT trong quản lý nuôi trồng thủy sản",
            "Đánh giá hiện trạng và đề xuất giải pháp bảo vệ nguồn nước mặt trên địa bàn tỉnh",
        ],
    },
    "health": {
        "sang_kien": [
            "Cải tiến quy trình tiếp đón người bệnh tại khoa Khám bệnh",
            "Ứng dụng phần mềm đặt lịch khám bệnh trực tuyến",
            "Giải pháp giảm thời gian chờ cấp phát thuốc ngoại trú",
            "Cải tiến quy trình chăm sóc người bệnh sau phẫu thuật",
            "Áp dụng bảng kiểm an toàn phẫu thuật tại phòng mổ",
        ],
        "de_tai": [
            "Đánh giá kết quả điều trị tăng huyết áp tại bệnh viện",
            "Khảo sát tình hình sử dụng kháng sinh trong điều trị nội trú",
            "Đánh giá hiệu quả phục hồi chức năng sau đột quỵ não",
            "Nghiên cứu tỷ lệ đái tháo đường týp 2 và các yếu tố liên quan ở người trưởng thành",
        ],
    },
    "clinic": {
        "sang_kien": [
            "Giải pháp nâng cao tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi",
            "Ứng dụng sổ sức khỏe điện tử trong quản lý bệnh không lây nhiễm",
            "Cải tiến công tác truyền thông phòng chống sốt xuất huyết tại cộng đồng",
        ],
        "de_tai": ["Khảo sát tình trạng dinh dưỡng của trẻ em dưới 5 tuổi trên địa bàn"],
    },
    "school": {
        "sang_kien": [
            "Một số biện pháp nâng cao chất lượng dạy học môn Toán",
            "Một số biện pháp rèn kỹ năng đọc hiểu văn bản cho học sinh",
            "Ứng dụng công nghệ thông tin trong dạy học môn Khoa học tự nhiên",
            "Một số biện pháp giáo dục kỹ năng sống cho học sinh",
            "Kinh nghiệm tổ chức hoạt động trải nghiệm, hướng nghiệp cho học sinh",
            "Một số biện pháp phát triển năng lực tự học môn Tiếng Anh",
            "Một số biện pháp xây dựng trường học thân thiện, học sinh tích cực",
            "Một số biện pháp nâng cao chất lượng bồi dưỡng học sinh giỏi",
        ],
        "de_tai": [
            "Nghiên cứu vận dụng phương pháp dạy học theo dự án trong chương trình giáo dục phổ thông 2018",
            "Đánh giá thực trạng và giải pháp giảm tỷ lệ học sinh bỏ học",
        ],
    },
    "enterprise": {
        "sang_kien": [
            "Cải tiến hệ thống bơm nhằm tiết kiệm điện năng",
            "Giải pháp giảm tỷ lệ thất thoát nước sạch trên mạng lưới",
            "Cải tiến quy trình bảo dưỡng thiết bị định kỳ",
            "Ứng dụng phần mềm quản lý khách hàng và hóa đơn điện tử",
        ],
        "de_tai": ["Nghiên cứu ứng dụng công nghệ xử lý nước cấp tiết kiệm hóa chất"],
    },
}
# The ministry that recognises an initiative of nationwide effect, by field.
NATIONAL_BODIES = {
    "office": ("BKHCN", "Bộ Khoa học và Công nghệ"),
    "centre": ("BKHCN", "Bộ Khoa học và Công nghệ"),
    "enterprise": ("BKHCN", "Bộ Khoa học và Công nghệ"),
    "school": ("BGDĐT", "Bộ Giáo dục và Đào tạo"),
    "health": ("BYT", "Bộ Y tế"),
    "clinic": ("BYT", "Bộ Y tế"),
}
# Whatever the editor saved, the rows are written as they are (COPY): NFC here, once.
_TOPICS = {
    profile: {kind: [nfc(title) for title in titles] for kind, titles in kinds.items()}
    for profile, kinds in _TOPICS.items()
}
THEMATIC_ROUNDS = [nfc(text) for text in THEMATIC_ROUNDS]
PENDING_NOTES = {kind: nfc(text) for kind, text in PENDING_NOTES.items()}


@dataclass
class EvidencePlan:
    """Rows ready to be written: tuples in the column order of ``COLUMNS``."""

    ratings: list[tuple] = field(default_factory=list)
    initiatives: list[tuple] = field(default_factory=list)
    authors: list[tuple] = field(default_factory=list)
    disciplines: list[tuple] = field(default_factory=list)
    leaves: list[tuple] = field(default_factory=list)
    awards: list[tuple] = field(default_factory=list)


COLUMNS = {
    "ratings": ("person_id", "unit_id", "year", "rating", "note"),
    "initiatives": (
        "id",
        "title",
        "kind",
        "unit_id",
        "scope",
        "recognized_on",
        "recognizing_decision",
        "recognizing_body",
        "applied",
        "effective",
        "summary",
    ),
    "authors": ("initiative_id", "person_id", "order"),
    "disciplines": ("person_id", "level", "pending", "pending_kind", "start", "end", "decision", "note"),
    "leaves": ("person_id", "kind", "start", "end", "note"),
    "awards": (
        "person_id",
        "unit_id",
        "household_name",
        "award_id",
        "period_start",
        "period_end",
        "decision_number",
        "decision_date",
        "issuing_unit_id",
        "issuer_name",
        "register_number",
        "amount",
        "source",
        "counts_for_regular",
        "revoked",
        "note",
    ),
}


def _pick(rng: random.Random, cumulative: tuple[tuple[float, Any], ...]) -> Any:
    draw = rng.random()
    for threshold, value in cumulative:
        if draw < threshold:
            return value
    return cumulative[-1][1]


def draw_rank(rng: random.Random, thresholds: tuple[float, float, float]) -> int:
    draw = rng.random()
    if draw < thresholds[0]:
        return HTXSNV
    if draw < thresholds[1]:
        return HTTNV
    if draw < thresholds[2]:
        return HTNV
    return KHTNV


def draw_tier(rng: random.Random, tiers) -> int:
    draw = rng.random()
    for tier, (threshold, _) in enumerate(tiers):
        if draw < threshold:
            return tier
    return len(tiers) - 1


def _day_in(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _overlaps(start: datetime.date, end: datetime.date | None, year: int) -> bool:
    return start <= datetime.date(year, 12, 31) and (end is None or end >= datetime.date(year, 1, 1))


@dataclass
class YearRules:
    """What the ruleset in force when a year's titles are decided says, as far as synth needs it."""

    ldtt_months: float
    excellence_counts: bool  # HTXSNV alone (without an initiative) is enough for CSTĐCS
    cstdcs_quota: float | None  # max share of LĐTT per issuing unit
    bang_khen_by_cstdcs: bool  # two consecutive CSTĐCS are grounds for a Bằng khen
    bang_khen_since_last: bool  # every year since the previous Bằng khen rated HTTNV or better


def year_rules(year: int) -> YearRules:
    document = ruleset_for(datetime.date(year + 1, 2, 1)).document
    months = get_at_path(document, "awards.LDTT.individual.rules.tenure.params.months")
    quota = get_at_path(document, "parameters.quotas.CSTDCS")
    return YearRules(
        ldtt_months=float(months) if months is not None else 6.0,
        excellence_counts=get_at_path(
            document, "awards.CSTDCS.individual.rules.achievement.params.rules.excellent"
        )
        is not None,
        cstdcs_quota=float(quota["max_share"]) if quota and quota.get("max_share") is not None else None,
        bang_khen_by_cstdcs=get_at_path(
            document, "awards.BANG_KHEN_TINH.individual.rules.grounds.params.rules.cstdcs"
        )
        is not None,
        bang_khen_since_last=get_at_path(document, "awards.BANG_KHEN_TINH.individual.rules.since_last")
        is not None,
    )


def plan_evidence(
    rng: random.Random,
    tree,
    people,
    *,
    until: datetime.date,
    first_year: int,
    province: str,
    award_ids: dict[str, int],
    first_initiative_pk: int,
) -> EvidencePlan:
    """Ratings, initiatives, discipline, leave and awards for the planned ``tree`` and ``people``, for the
    years from ``first_year`` to the last one that ended before ``until``."""
    planner = _Planner(
        rng, tree, people, until=until, first_year=first_year, province=province, award_ids=award_ids
    )
    if not planner.years:
        return planner.plan
    planner.people_years()
    planner.conduct()
    planner.initiatives(first_initiative_pk)
    planner.unit_ratings()
    for year in planner.years:
        # Titles for a year are decided by May of the next; only decisions taken before ``until`` exist.
        if datetime.date(year + 1, 5, 31) < until:
            rules = year_rules(year)
            planner.base_titles(year, rules)
            planner.higher_titles(year, rules)
            planner.unit_titles(year)
    return planner.plan


class _Planner:
    """The evidence of one synthetic province, planned in memory. People and units are addressed by
    their position in ``people.persons`` and ``tree.units``; years by their offset in ``years``."""

    def __init__(self, rng, tree, people, *, until, first_year, province, award_ids) -> None:
        self.rng, self.tree, self.until, self.province, self.award_ids = rng, tree, until, province, award_ids
        self.plan = EvidencePlan()
        last_day = until - datetime.timedelta(days=1)
        self.last_day = last_day
        last_year = last_day.year if (last_day.month, last_day.day) == (12, 31) else last_day.year - 1
        self.years = list(range(first_year, last_year + 1))
        self.offset = {year: index for index, year in enumerate(self.years)}
        self.units = tree.units
        self.first_unit_pk = self.units[0].pk
        self.parent_index = [
            unit.parent_id - self.first_unit_pk if unit.parent_id else -1 for unit in self.units
        ]
        self.group_of = tree.groups
        self.persons = people.persons
        count = len(self.persons)
        first_person_pk = self.persons[0].pk if self.persons else 0
        self.employments: list[list] = [[] for _ in range(count)]
        for employment in people.employments:
            self.employments[employment.person_id - first_person_pk].append(employment)
        n_years = len(self.years)
        self.tiers = bytearray(count)
        self.ratings = [bytearray(n_years) for _ in range(count)]  # rank per year, 0 when not working
        self.home = [[-1] * n_years for _ in range(count)]  # unit at the year's end (or last of the year)
        self.member = [bytearray(n_years) for _ in range(count)]  # still working there on 31/12
        self.titles = [bytearray(n_years) for _ in range(count)]  # T_LDTT | T_CSTDCS
        self.tenure: list[tuple[datetime.date, datetime.date | None]] = []
        self.disciplines: dict[int, list[tuple[DisciplineLevel, datetime.date, datetime.date]]] = {}
        self.pending: dict[int, list[tuple[datetime.date, datetime.date | None]]] = {}
        self.unpaid: dict[int, list[tuple[str, datetime.date, datetime.date]]] = {}
        self.works: dict[int, list[tuple[int, str, str, bool]]] = {}  # (year, kind, scope, applied)
        self.initiative_seeds: list[tuple[int, int, int]] = []  # (person, year, unit)
        self.colleagues: dict[tuple[int, int], list[int]] = {}
        self.unit_rank = [bytearray(n_years) for _ in self.units]
        self.last_cstd_tinh = [0] * count
        self.last_bang_khen = [0] * count
        self.unit_last_bang_khen = [0] * len(self.units)
        self.decisions: dict[tuple[str, int, int], tuple[str, datetime.date, int]] = {}

    # ------------------------------------------------------------ people, year by year

    def people_years(self) -> None:
        """Per person and year worked: the unit, the rating, and the draws for discipline, pending
        matters, leave and initiatives, in one pass so that each year's draws stay together."""
        rng = self.rng
        for index, person in enumerate(self.persons):
            periods = self.employments[index]
            first_period = periods[0].start_date
            end = periods[-1].end_date
            self.tenure.append((min(person.recruited_on or first_period, first_period), end))
            tier = draw_tier(rng, PERSON_TIERS)
            self.tiers[index] = tier
            thresholds = PERSON_TIERS[tier][1]
            last_leave_end = datetime.date.min
            cursor = 0
            for y, year in enumerate(self.years):
                year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
                if first_period > year_end or (end is not None and end < year_start):
                    continue
                until_day = year_end if end is None or end >= year_end else end
                while cursor + 1 < len(periods) and periods[cursor + 1].start_date <= until_day:
                    cursor += 1
                unit_index = periods[cursor].unit_id - self.first_unit_pk
                self.home[index][y] = unit_index
                self.member[index][y] = end is None or end >= year_end
                self.colleagues.setdefault((unit_index, year), []).append(index)
                worked_from = max(first_period, year_start)

                forced = 0
                if rng.random() < DISCIPLINE_RATE:
                    begins = _day_in(rng, worked_from, until_day)
                    self.disciplines.setdefault(index, []).append(
                        (_pick(rng, DISCIPLINE_LEVELS), begins, begins + datetime.timedelta(days=364))
                    )
                    # A person disciplined in a year is rated no higher than HTNV for it.
                    forced = KHTNV if rng.random() < 0.25 else HTNV
                self.ratings[index][y] = forced or draw_rank(rng, thresholds)

                if year == self.years[-1] and end is None and rng.random() < OPEN_PENDING_RATE:
                    begins = _day_in(rng, max(worked_from, datetime.date(year, 9, 1)), self.last_day)
                    self.pending.setdefault(index, []).append((begins, None))
                elif rng.random() < CLOSED_PENDING_RATE:
                    # Settled within the year, before the titles of the year are decided.
                    begins = _day_in(rng, worked_from, until_day)
                    settled = min(begins + datetime.timedelta(days=rng.randint(30, 75)), until_day)
                    self.pending.setdefault(index, []).append((begins, settled))

                age = year - person.birth_date.year
                leave = None
                if person.gender == Gender.FEMALE and 22 <= age <= 40 and rng.random() < MATERNITY_RATE:
                    begins = _day_in(rng, worked_from, year_end)
                    leave = (LeaveKind.MATERNITY.value, begins, begins + datetime.timedelta(days=182), "")
                elif rng.random() < UNPAID_RATE:
                    begins = _day_in(rng, worked_from, year_end)
                    finishes = begins + datetime.timedelta(days=rng.randint(30, 240))
                    leave = (LeaveKind.UNPAID.value, begins, finishes, "Nghỉ việc riêng không hưởng lương")
                if (
                    leave
                    and leave[1] > last_leave_end
                    and (end is None or leave[2] <= end)
                    and leave[2] < self.until
                ):
                    self.plan.leaves.append((person.pk, *leave))
                    last_leave_end = leave[2]
                    if leave[0] == LeaveKind.UNPAID:
                        self.unpaid.setdefault(index, []).append(leave[:3])

                if rng.random() < INITIATIVE_RATE[tier]:
                    self.initiative_seeds.append((index, year, unit_index))
            for y, rank in enumerate(self.ratings[index]):
                if rank:
                    self.plan.ratings.append((person.pk, None, self.years[y], RATING_OF_RANK[rank], ""))

    def conduct(self) -> None:
        rng = self.rng
        for index, items in self.disciplines.items():
            for level, begins, finishes in items:
                group = self.units[self.group_of[self.home[index][self.offset[begins.year]]]]
                number = f"{rng.randint(5, 180)}/QĐ-{_suffix(group)}"
                self.plan.disciplines.append(
                    (self.persons[index].pk, level.value, False, "", begins, finishes, number, "")
                )
        for index, items in self.pending.items():
            for begins, finishes in items:
                kind = rng.choice(list(PendingMatterKind))
                self.plan.disciplines.append(
                    (self.persons[index].pk, "", True, kind.value, begins, finishes, "", PENDING_NOTES[kind])
                )

    # ------------------------------------------------------------ initiatives and research

    def initiatives(self, first_pk: int) -> None:
        rng = self.rng
        for pk, (index, year, unit_index) in enumerate(self.initiative_seeds, start=first_pk):
            unit = self.units[unit_index]
            group = self.units[self.group_of[unit_index]]
            profile = self.tree.profiles[unit_index] or "office"
            kind = InitiativeKind.RESEARCH if rng.random() < 0.15 else InitiativeKind.INITIATIVE
            draw = rng.random()
            if kind == InitiativeKind.RESEARCH:
                scope = Scope.NATIONAL if draw < 0.02 else Scope.PROVINCE if draw < 0.3 else Scope.BASE
                applied = rng.random() < 0.7
            else:
                scope = Scope.NATIONAL if draw < 0.008 else Scope.PROVINCE if draw < 0.1 else Scope.BASE
                applied = rng.random() < 0.95
            topic = rng.choice(_TOPICS[profile][kind.value])
            if scope == Scope.BASE:
                place = (
                    f"{unit.name}, {group.name}"
                    if unit.kind == UnitKind.OFFICE and unit.depth > 1
                    else unit.name
                )
                title = f"{topic} tại {place}"
                decision, body = f"{rng.randint(20, 250)}/QĐ-{_suffix(group)}", group.name
            elif scope == Scope.PROVINCE:
                title = f"{topic} trên địa bàn tỉnh"
                decision, body = f"{rng.randint(1000, 3200)}/QĐ-UBND", f"Ủy ban nhân dân tỉnh {self.province}"
            else:
                title = topic
                ministry, body = NATIONAL_BODIES[profile]
                decision = f"{rng.randint(100, 3000)}/QĐ-{ministry}"
            recognized_on = _day_in(rng, datetime.date(year, 8, 1), datetime.date(year, 12, 20))
            self.plan.initiatives.append(
                (
                    pk,
                    title[:500],
                    kind.value,
                    unit.pk,
                    scope.value,
                    recognized_on,
                    decision,
                    body,
                    applied,
                    applied,
                    "",
                )
            )
            others = [other for other in self.colleagues.get((unit_index, year), []) if other != index]
            wanted = min(_pick(rng, CO_AUTHORS), len(others))
            for order, author in enumerate([index, *(rng.sample(others, wanted) if wanted else [])], start=1):
                self.plan.authors.append((pk, self.persons[author].pk, order))
                self.works.setdefault(author, []).append((year, kind.value, scope.value, applied))

    def unit_ratings(self) -> None:
        for unit_index, unit in enumerate(self.units):
            thresholds = UNIT_TIERS[draw_tier(self.rng, UNIT_TIERS)][1]
            for y, year in enumerate(self.years):
                rank = draw_rank(self.rng, thresholds)
                self.unit_rank[unit_index][y] = rank
                self.plan.ratings.append((None, unit.pk, year, RATING_OF_RANK[rank], ""))

    # ------------------------------------------------------------ the award register

    def decision(self, kind: str, group_index: int, year: int) -> tuple[str, datetime.date, int]:
        """One decision per issuer, year and kind: (number, date, issuing unit pk). The department or
        commune decides LĐTT, CSTĐCS, TTLĐTT and Giấy khen early in the next year; the province its own
        titles and Bằng khen in spring."""
        provincial = kind in ("province", "bang_khen")
        key = (kind, 0 if provincial else group_index, year)
        found = self.decisions.get(key)
        if found is None:
            rng = self.rng
            if provincial:
                issuer = self.units[0]
                day = _day_in(rng, datetime.date(year + 1, 3, 1), datetime.date(year + 1, 5, 20))
                number = f"{rng.randint(250, 1400)}/QĐ-UBND"
            else:
                issuer = self.units[group_index]
                day = _day_in(rng, datetime.date(year + 1, 1, 5), datetime.date(year + 1, 2, 25))
                number = f"{rng.randint(2, 60)}/QĐ-{_suffix(issuer)}"
            found = self.decisions[key] = (number, day, issuer.pk)
        return found

    def award(
        self,
        code: str,
        year: int,
        kind: str,
        group_index: int,
        *,
        person: int | None = None,
        unit: int | None = None,
        since: int | None = None,
        regular: bool = True,
        note: str = "",
    ) -> None:
        number, day, issuer = self.decision(kind, group_index, year)
        self.plan.awards.append(
            (
                person,
                unit,
                "",
                self.award_ids[code],
                since or year,
                year,
                number,
                day,
                issuer,
                "",
                "",
                None,
                AwardSource.IMPORTED.value,
                regular,
                False,
                note,
            )
        )

    def pending_on(self, index: int, day: datetime.date) -> bool:
        return any(
            begins <= day and (end is None or end >= day) for begins, end in self.pending.get(index, ())
        )

    def disciplined_in(
        self, index: int, year: int, minimum: DisciplineLevel = DisciplineLevel.REPRIMAND
    ) -> bool:
        return index in self.disciplines and any(
            DISCIPLINE_RANK[level] >= DISCIPLINE_RANK[minimum] and _overlaps(begins, end, year)
            for level, begins, end in self.disciplines[index]
        )

    def base_titles(self, year: int, rules: YearRules) -> None:
        """LĐTT and CSTĐCS, decided by each department or commune (the CSTĐCS quota counts there)."""
        rng, y = self.rng, self.offset[year]
        ldtt_by_group: dict[int, int] = {}
        candidates: dict[int, list[int]] = {}
        for index, ratings in enumerate(self.ratings):
            rank = ratings[y]
            if rank < HTTNV or self.disciplined_in(index, year):
                continue
            group_index = self.group_of[self.home[index][y]]
            if self.pending_on(index, self.decision("base", group_index, year)[1]):
                continue
            start, end = self.tenure[index]
            whole_year = start <= datetime.date(year, 1, 1) and (
                end is None or end >= datetime.date(year, 12, 31)
            )
            if not whole_year or index in self.unpaid:
                worked = months_worked((start, end), self.unpaid.get(index, []), year)
                if worked is None or worked < rules.ldtt_months:
                    continue
            if rng.random() >= LDTT_TAKEN:
                continue
            self.titles[index][y] |= T_LDTT
            ldtt_by_group[group_index] = ldtt_by_group.get(group_index, 0) + 1
            achieved = any(
                item_year == year and (kind == InitiativeKind.INITIATIVE or applied)
                for item_year, kind, _, applied in self.works.get(index, ())
            )
            if achieved or (rules.excellence_counts and rank == HTXSNV):
                candidates.setdefault(group_index, []).append(index)
        for group_index, indexes in candidates.items():
            chosen = [index for index in indexes if rng.random() < CSTDCS_TAKEN[self.tiers[index]]]
            if rules.cstdcs_quota is not None:
                allowed = math.floor(ldtt_by_group[group_index] * rules.cstdcs_quota + 1e-9)
                if len(chosen) > allowed:
                    chosen = sorted(rng.sample(chosen, allowed))
            for index in chosen:
                self.titles[index][y] |= T_CSTDCS

    def higher_titles(self, year: int, rules: YearRules) -> None:
        """The register rows of the year person by person: LĐTT and CSTĐCS as decided, then CSTĐ tỉnh,
        Bằng khen tỉnh and Giấy khen where the evidence allows."""
        rng, y = self.rng, self.offset[year]
        for index, person in enumerate(self.persons):
            rank = self.ratings[index][y]
            if not rank:
                continue
            marks, group_index, pk = self.titles[index][y], self.group_of[self.home[index][y]], person.pk
            works = self.works.get(index, ())
            if marks & T_LDTT:
                self.award("LDTT", year, "base", group_index, person=pk)
            if marks & T_CSTDCS:
                self.award("CSTDCS", year, "base", group_index, person=pk)
                # Three consecutive CSTĐCS (not counted before) and an initiative of provincial effect.
                if (
                    y >= 2
                    and all(self.titles[index][y - back] & T_CSTDCS for back in (1, 2))
                    and year - 2 > self.last_cstd_tinh[index]
                    and any(
                        year - 2 <= item_year <= year and scope != Scope.BASE
                        for item_year, _, scope, _ in works
                    )
                    and not self.pending_on(index, self.decision("province", group_index, year)[1])
                    and rng.random() < CSTD_TINH_TAKEN
                ):
                    self.last_cstd_tinh[index] = year
                    self.award("CSTD_TINH", year, "province", group_index, person=pk, since=year - 2)
            if (
                y >= 1
                and year - 1 > self.last_bang_khen[index]
                and self.bang_khen_grounds(index, year, rules)
            ):
                if (
                    not self.pending_on(index, self.decision("bang_khen", group_index, year)[1])
                    and rng.random() < BANG_KHEN_TAKEN
                ):
                    self.last_bang_khen[index] = year
                    self.award("BANG_KHEN_TINH", year, "bang_khen", group_index, person=pk, since=year - 1)
            if rank >= HTTNV and not self.disciplined_in(index, year) and rng.random() < GIAY_KHEN_RATE:
                thematic = rng.random() < THEMATIC_SHARE
                self.award(
                    "GIAY_KHEN",
                    year,
                    "giay_khen",
                    group_index,
                    person=pk,
                    regular=not thematic,
                    note=rng.choice(THEMATIC_ROUNDS) if thematic else "",
                )

    def bang_khen_grounds(self, index: int, year: int, rules: YearRules) -> bool:
        """Bằng khen tỉnh for the two years ending in ``year``: two consecutive CSTĐCS (from the 2022 Law),
        or two years HTXSNV with two initiatives (two research tasks applied, from the 2022 Law)."""
        y, ratings = self.offset[year], self.ratings[index]
        if rules.bang_khen_by_cstdcs and self.titles[index][y] & self.titles[index][y - 1] & T_CSTDCS:
            grounds = True
        else:
            works = [item for item in self.works.get(index, ()) if year - 1 <= item[0] <= year]
            if rules.bang_khen_by_cstdcs:
                enough = (
                    sum(1 for item in works if item[1] == InitiativeKind.INITIATIVE) >= 2
                    or sum(1 for item in works if item[1] == InitiativeKind.RESEARCH and item[3]) >= 2
                )
            else:
                enough = len(works) >= 2
            grounds = ratings[y] == HTXSNV and ratings[y - 1] == HTXSNV and enough
        if not grounds:
            return False
        if rules.bang_khen_since_last and self.last_bang_khen[index]:
            # Decree 98/2023 art. 33.7: every year since the previous Bằng khen rated HTTNV or better.
            since = range(self.last_bang_khen[index] + 1, year + 1)
            return all(ratings[self.offset[k]] in (0, HTTNV, HTXSNV) for k in since if k in self.offset)
        return True

    def unit_titles(self, year: int) -> None:
        """TTLĐTT, TTLĐXS, Bằng khen and Giấy khen for units, from what their members (everyone in the
        subtree on 31/12, as the engine counts them) achieved, summed up the tree."""
        rng, y, n = self.rng, self.offset[year], len(self.units)
        size, not_done, with_ldtt, with_cstdcs, warned = [0] * n, [0] * n, [0] * n, [0] * n, [0] * n
        for index in range(len(self.persons)):
            if not self.member[index][y]:
                continue
            unit_index = self.home[index][y]
            size[unit_index] += 1
            not_done[unit_index] += self.ratings[index][y] < HTNV
            with_ldtt[unit_index] += bool(self.titles[index][y] & T_LDTT)
            with_cstdcs[unit_index] += bool(self.titles[index][y] & T_CSTDCS)
            warned[unit_index] += self.disciplined_in(index, year, DisciplineLevel.WARNING)
        # Children come after their parents in the tree's order: add each unit into its parent, last first.
        for unit_index in range(n - 1, 0, -1):
            parent = self.parent_index[unit_index]
            for counter in (size, not_done, with_ldtt, with_cstdcs, warned):
                counter[parent] += counter[unit_index]
        for unit_index, unit in enumerate(self.units):
            if unit.depth == 0 or not size[unit_index]:
                continue
            rank, group_index = self.unit_rank[unit_index][y], self.group_of[unit_index]
            clean = not_done[unit_index] == 0 and warned[unit_index] == 0
            if (
                clean
                and rank >= HTTNV
                and with_ldtt[unit_index] * 2 > size[unit_index]
                and rng.random() < TTLDTT_TAKEN
            ):
                self.award("TTLDTT", year, "base", group_index, unit=unit.pk)
            if (
                clean
                and rank == HTXSNV
                and with_ldtt[unit_index] >= 0.7 * size[unit_index] - 1e-9
                and with_cstdcs[unit_index] >= 1
                and rng.random() < TTLDXS_TAKEN
            ):
                self.award("TTLDXS", year, "province", group_index, unit=unit.pk)
            if (
                y >= 1
                and year - 1 > self.unit_last_bang_khen[unit_index]
                and rank == HTXSNV
                and self.unit_rank[unit_index][y - 1] == HTXSNV
                and rng.random() < UNIT_BANG_KHEN_TAKEN
            ):
                self.unit_last_bang_khen[unit_index] = year
                self.award("BANG_KHEN_TINH", year, "bang_khen", group_index, unit=unit.pk, since=year - 1)
            if rank >= HTTNV and rng.random() < UNIT_GIAY_KHEN_RATE:
                self.award("GIAY_KHEN", year, "giay_khen", group_index, unit=unit.pk)


def _suffix(unit) -> str:
    """The issuer's abbreviation in a decision number: QĐ-SKHCN for a department, QĐ-UBND for a commune."""
    if unit.kind in (UnitKind.COMMUNE, UnitKind.PROVINCE_COMMITTEE):
        return "UBND"
    if unit.kind == UnitKind.ENTERPRISE:
        return "CT"
    return unit.short_name or unit.code.rsplit("_", 1)[-1]
