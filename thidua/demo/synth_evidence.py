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
from thidua.records.enums import DISCIPLINE_RANK, DisciplineLevel, InitiativeKind, LeaveKind, PendingMatterKind, Rating, Scope
from thidua.rules.engine import months_worked
from thidua.rules.rulesets import get_at_path, ruleset_for

# Rating ranks as stored per person-year (0: not working that year).
KHTNV, HTNV, HTTNV, HTXSNV = 1, 2, 3, 4
RATING_OF_RANK = {KHTNV: Rating.NOT_DONE.value, HTNV: Rating.DONE.value, HTTNV: Rating.GOOD.value, HTXSNV: Rating.EXCELLENT.value}

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
DISCIPLINE_LEVELS = ((0.7, DisciplineLevel.REPRIMAND), (0.95, DisciplineLevel.WARNING), (1.0, DisciplineLevel.SALARY_DOWNGRADE))
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

# Title bits per person-year and unit-year.
T_LDTT, T_CSTDCS, T_CSTD_TINH, T_BANG_KHEN, T_GIAY_KHEN, T_TTLDTT, T_TTLDXS = 1, 2, 4, 8, 16, 32, 64

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
_TOPICS = {profile: {kind: [nfc(title) for title in titles] for kind, titles in kinds.items()} for profile, kinds in _TOPICS.items()}
THEMATIC_ROUNDS = [nfc(text) for text in THEMATIC_ROUNDS]
PENDING_NOTES = {kind: nfc(text) for kind, text in PENDING_NOTES.items()}
_SCOPE_SUFFIX = {Scope.BASE: "", Scope.PROVINCE: " trên địa bàn tỉnh", Scope.NATIONAL: ""}


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
        "id", "title", "kind", "unit_id", "scope", "recognized_on", "recognizing_decision", "recognizing_body",
        "applied", "effective", "summary",
    ),
    "authors": ("initiative_id", "person_id", "order"),
    "disciplines": ("person_id", "level", "pending", "pending_kind", "start", "end", "decision", "note"),
    "leaves": ("person_id", "kind", "start", "end", "note"),
    "awards": (
        "person_id", "unit_id", "household_name", "award_id", "period_start", "period_end", "decision_number",
        "decision_date", "issuing_unit_id", "issuer_name", "register_number", "amount", "source",
        "counts_for_regular", "revoked", "note",
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
    """What the ruleset in force on the decision dates for a year's titles says, as synth needs it."""

    ldtt_months: float
    excellence_counts: bool  # HTXSNV alone (without an initiative) is enough for CSTĐCS
    cstdcs_quota: float | None  # max share of LĐTT per unit


def year_rules(year: int) -> YearRules:
    ruleset = ruleset_for(datetime.date(year + 1, 2, 1))
    document = ruleset.document
    months = get_at_path(document, "awards.LDTT.individual.rules.tenure.params.months")
    excellent = get_at_path(document, "awards.CSTDCS.individual.rules.achievement.params.rules.excellent")
    quota = get_at_path(document, "parameters.quotas.CSTDCS")
    return YearRules(
        ldtt_months=float(months) if months is not None else 6.0,
        excellence_counts=excellent is not None,
        cstdcs_quota=float(quota["max_share"]) if quota and quota.get("max_share") is not None else None,
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
    plan = EvidencePlan()
    one_day = datetime.timedelta(days=1)
    last_day = until - one_day
    last_year = last_day.year if (last_day.month, last_day.day) == (12, 31) else last_day.year - 1
    year_list = list(range(first_year, last_year + 1))
    if not year_list:
        return plan
    # Titles for a year are decided by May of the next; only decisions taken before ``until`` exist.
    award_years = [year for year in year_list if datetime.date(year + 1, 5, 31) < until]
    offset = {year: index for index, year in enumerate(year_list)}
    n_years = len(year_list)

    units = tree.units
    first_unit_pk = units[0].pk
    parent_index = [unit.parent_id - first_unit_pk if unit.parent_id else -1 for unit in units]
    group_of = tree.groups

    # ------------------------------------------------------------ people, year by year
    persons = people.persons
    count = len(persons)
    employments_of: list[list] = [[] for _ in range(count)]
    first_person_pk = persons[0].pk if persons else 0
    for employment in people.employments:
        employments_of[employment.person_id - first_person_pk].append(employment)

    tiers = bytearray(count)
    ratings = [bytearray(n_years) for _ in range(count)]
    home = [[-1] * n_years for _ in range(count)]  # the unit worked in at the year's end (or last in the year)
    member = [bytearray(n_years) for _ in range(count)]  # still working there on 31/12
    tenure: list[tuple[datetime.date, datetime.date | None]] = []
    disciplines: dict[int, list[tuple[str, datetime.date, datetime.date]]] = {}
    pending: dict[int, list[tuple[datetime.date, datetime.date | None]]] = {}
    unpaid: dict[int, list[tuple[str, datetime.date, datetime.date]]] = {}
    initiative_seeds: list[tuple[int, int, int]] = []  # (person index, year, unit index)
    colleagues: dict[tuple[int, int], list[int]] = {}

    for index, person in enumerate(persons):
        periods = employments_of[index]
        start = min(person.recruited_on or periods[0].start_date, periods[0].start_date)
        end = periods[-1].end_date
        tenure.append((start, end))
        tier = draw_tier(rng, PERSON_TIERS)
        tiers[index] = tier
        thresholds = PERSON_TIERS[tier][1]
        person_ratings = ratings[index]
        person_home = home[index]
        last_leave_end = datetime.date.min
        cursor = 0
        for year in year_list:
            year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            first_period = periods[0].start_date
            if first_period > year_end or (end is not None and end < year_start):
                continue
            y = offset[year]
            until_day = year_end if end is None or end >= year_end else end
            while cursor + 1 < len(periods) and periods[cursor + 1].start_date <= until_day:
                cursor += 1
            unit_index = periods[cursor].unit_id - first_unit_pk
            person_home[y] = unit_index
            if end is None or end >= year_end:
                member[index][y] = 1
            colleagues.setdefault((unit_index, year), []).append(index)
            worked_from = max(first_period, year_start)

            forced = 0
            if rng.random() < DISCIPLINE_RATE:
                level = _pick(rng, DISCIPLINE_LEVELS)
                begins = _day_in(rng, worked_from, until_day)
                disciplines.setdefault(index, []).append((level, begins, begins + datetime.timedelta(days=364)))
                forced = KHTNV if rng.random() < 0.25 else HTNV
            person_ratings[y] = forced or draw_rank(rng, thresholds)

            if year == last_year and end is None and rng.random() < OPEN_PENDING_RATE:
                begins = _day_in(rng, max(worked_from, datetime.date(year, 9, 1)), last_day)
                pending.setdefault(index, []).append((begins, None))
            elif rng.random() < CLOSED_PENDING_RATE:
                # Settled within the year, before the titles of the year are decided.
                begins = _day_in(rng, worked_from, until_day)
                pending.setdefault(index, []).append((begins, min(begins + datetime.timedelta(days=rng.randint(30, 75)), until_day)))

            age = year - person.birth_date.year
            if person.gender == Gender.FEMALE and 22 <= age <= 40 and rng.random() < MATERNITY_RATE:
                begins = _day_in(rng, worked_from, year_end)
                finishes = begins + datetime.timedelta(days=182)
                if begins > last_leave_end and (end is None or finishes <= end) and finishes < until:
                    plan.leaves.append((person.pk, LeaveKind.MATERNITY.value, begins, finishes, ""))
                    last_leave_end = finishes
            elif rng.random() < UNPAID_RATE:
                begins = _day_in(rng, worked_from, year_end)
                finishes = begins + datetime.timedelta(days=rng.randint(30, 240))
                if begins > last_leave_end and (end is None or finishes <= end) and finishes < until:
                    plan.leaves.append((person.pk, LeaveKind.UNPAID.value, begins, finishes, "Nghỉ việc riêng không hưởng lương"))
                    unpaid.setdefault(index, []).append((LeaveKind.UNPAID.value, begins, finishes))
                    last_leave_end = finishes

            if rng.random() < INITIATIVE_RATE[tier]:
                initiative_seeds.append((index, year, unit_index))

        for y, rank in enumerate(person_ratings):
            if rank:
                plan.ratings.append((person.pk, None, year_list[y], RATING_OF_RANK[rank], ""))

    for index, items in disciplines.items():
        pk = persons[index].pk
        for level, begins, finishes in items:
            group = units[group_of[home[index][offset[begins.year]]]]
            number = f"{rng.randint(5, 180)}/QĐ-{_suffix(group)}"
            plan.disciplines.append((pk, level.value, False, "", begins, finishes, number, ""))
    for index, items in pending.items():
        for begins, finishes in items:
            kind = rng.choice(list(PendingMatterKind))
            plan.disciplines.append((persons[index].pk, "", True, kind.value, begins, finishes, "", PENDING_NOTES[kind]))

    # ------------------------------------------------------------ initiatives and research
    initiatives: dict[int, list[tuple[int, str, str, bool]]] = {}  # person index → (year, kind, scope, applied)
    next_pk = first_initiative_pk
    for index, year, unit_index in initiative_seeds:
        unit = units[unit_index]
        group = units[group_of[unit_index]]
        profile = tree.profiles[unit_index] or "office"
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
            place = f"{unit.name}, {group.name}" if unit.kind == UnitKind.OFFICE and unit.depth > 1 else unit.name
            title = f"{topic} tại {place}"
        else:
            title = f"{topic}{_SCOPE_SUFFIX[scope]}"
        recognized_on = _day_in(rng, datetime.date(year, 8, 1), datetime.date(year, 12, 20))
        if scope == Scope.BASE:
            decision, body = f"{rng.randint(20, 250)}/QĐ-{_suffix(group)}", group.name
        elif scope == Scope.PROVINCE:
            decision, body = f"{rng.randint(1000, 3200)}/QĐ-UBND", f"Ủy ban nhân dân tỉnh {province}"
        else:
            ministry, body = NATIONAL_BODIES.get(profile, NATIONAL_BODIES["office"])
            decision = f"{rng.randint(100, 3000)}/QĐ-{ministry}"
        plan.initiatives.append(
            (next_pk, title[:500], kind.value, unit.pk, scope.value, recognized_on, decision, body, applied, applied, "")
        )
        pool = colleagues.get((unit_index, year), [])
        wanted = _pick(rng, CO_AUTHORS)
        others = [other for other in pool if other != index]
        authors = [index, *(rng.sample(others, min(wanted, len(others))) if wanted and others else [])]
        for order, author in enumerate(authors, start=1):
            plan.authors.append((next_pk, persons[author].pk, order))
            initiatives.setdefault(author, []).append((year, kind.value, scope.value, applied))
        next_pk += 1

    # ------------------------------------------------------------ units: ratings
    unit_tiers = [draw_tier(rng, UNIT_TIERS) for _ in units]
    unit_ratings = [bytearray(n_years) for _ in units]
    for unit_index, unit in enumerate(units):
        thresholds = UNIT_TIERS[unit_tiers[unit_index]][1]
        for y, year in enumerate(year_list):
            rank = draw_rank(rng, thresholds)
            unit_ratings[unit_index][y] = rank
            plan.ratings.append((None, unit.pk, year, RATING_OF_RANK[rank], ""))

    # ------------------------------------------------------------ the award register
    titles = [bytearray(n_years) for _ in range(count)]
    unit_titles = [bytearray(n_years) for _ in units]
    last_cstd_tinh = [0] * count
    last_bang_khen = [0] * count
    unit_last_bang_khen = [0] * len(units)
    decisions: dict[tuple[str, int, int], tuple[str, datetime.date, int]] = {}
    root = units[0]

    def decision(kind: str, group_index: int, year: int) -> tuple[str, datetime.date, int]:
        """One decision per issuer, year and kind: (number, date, issuing unit pk)."""
        key = (kind, group_index, year)
        found = decisions.get(key)
        if found is None:
            if kind in ("province", "bang_khen"):
                issuer = root
                day = _day_in(rng, datetime.date(year + 1, 3, 1), datetime.date(year + 1, 5, 20))
                number = f"{rng.randint(250, 1400)}/QĐ-UBND"
            else:
                issuer = units[group_index]
                day = _day_in(rng, datetime.date(year + 1, 1, 5), datetime.date(year + 1, 2, 25))
                number = f"{rng.randint(2, 60) + (1 if kind == 'giay_khen' else 0)}/QĐ-{_suffix(issuer)}"
            found = decisions[key] = (number, day, issuer.pk)
        return found

    def add_award(code: str, year: int, kind: str, group_index: int, *, person: int | None = None, unit: int | None = None,
                  period_start: int | None = None, regular: bool = True, note: str = "") -> None:
        number, day, issuer = decision(kind, 0 if kind in ("province", "bang_khen") else group_index, year)
        plan.awards.append(
            (person, unit, "", award_ids[code], period_start or year, year, number, day, issuer, "", "", None,
             "imported", regular, False, note)
        )

    def pending_on(index: int, day: datetime.date) -> bool:
        return any(begins <= day and (finishes is None or finishes >= day) for begins, finishes in pending.get(index, ()))

    def disciplined_in(index: int, year: int, minimum: DisciplineLevel = DisciplineLevel.REPRIMAND) -> bool:
        if index not in disciplines:
            return False
        return any(
            DISCIPLINE_RANK[level] >= DISCIPLINE_RANK[minimum] and _overlaps(begins, finishes, year)
            for level, begins, finishes in disciplines[index]
        )

    for year in award_years:
        rules = year_rules(year)
        y = offset[year]
        # LĐTT, and the CSTĐCS candidates by issuing unit (the quota is counted per department or commune).
        ldtt_by_group: dict[int, int] = {}
        candidates_by_group: dict[int, list[int]] = {}
        for index in range(count):
            rank = ratings[index][y]
            if not rank:
                continue
            group_index = group_of[home[index][y]]
            base_day = decision("base", group_index, year)[1]
            if rank < HTTNV or disciplined_in(index, year) or pending_on(index, base_day):
                continue
            start, end = tenure[index]
            full_year = start <= datetime.date(year, 1, 1) and (end is None or end >= datetime.date(year, 12, 31))
            if not (full_year and index not in unpaid):
                worked = months_worked((start, end), unpaid.get(index, []), year)
                if worked is None or worked < rules.ldtt_months:
                    continue
            if rng.random() >= LDTT_TAKEN:
                continue
            titles[index][y] |= T_LDTT
            ldtt_by_group[group_index] = ldtt_by_group.get(group_index, 0) + 1
            works = [item for item in initiatives.get(index, ()) if item[0] == year]
            achieved = any(kind == InitiativeKind.INITIATIVE or applied for _, kind, _, applied in works)
            if achieved or (rules.excellence_counts and rank == HTXSNV):
                candidates_by_group.setdefault(group_index, []).append(index)
        for group_index, candidates in candidates_by_group.items():
            chosen = [index for index in candidates if rng.random() < CSTDCS_TAKEN[tiers[index]]]
            if rules.cstdcs_quota is not None:
                allowed = math.floor(ldtt_by_group[group_index] * rules.cstdcs_quota + 1e-9)
                if len(chosen) > allowed:
                    chosen = sorted(rng.sample(chosen, allowed))
            for index in chosen:
                titles[index][y] |= T_CSTDCS
        # Person by person: the titles of this year in the register, then the higher ones.
        for index in range(count):
            marks = titles[index][y]
            rank = ratings[index][y]
            if not rank:
                continue
            pk = persons[index].pk
            group_index = group_of[home[index][y]]
            if marks & T_LDTT:
                add_award("LDTT", year, "base", group_index, person=pk)
            if marks & T_CSTDCS:
                add_award("CSTDCS", year, "base", group_index, person=pk)
                province_day = decision("province", 0, year)[1]
                streak = y >= 2 and all(titles[index][y - back] & T_CSTDCS for back in (1, 2))
                if (
                    streak
                    and year - 2 > last_cstd_tinh[index]
                    and any(
                        year - 2 <= item_year <= year and scope != Scope.BASE
                        for item_year, _, scope, _ in initiatives.get(index, ())
                    )
                    and not pending_on(index, province_day)
                    and rng.random() < CSTD_TINH_TAKEN
                ):
                    titles[index][y] |= T_CSTD_TINH
                    last_cstd_tinh[index] = year
                    add_award("CSTD_TINH", year, "province", group_index, person=pk, period_start=year - 2)
            if y >= 1 and year - 1 > last_bang_khen[index] and rank >= HTTNV:
                two_cstdcs = marks & T_CSTDCS and titles[index][y - 1] & T_CSTDCS
                works = [item for item in initiatives.get(index, ()) if year - 1 <= item[0] <= year]
                excellent = (
                    ratings[index][y] == HTXSNV
                    and ratings[index][y - 1] == HTXSNV
                    and (
                        sum(1 for item in works if item[1] == InitiativeKind.INITIATIVE) >= 2
                        or sum(1 for item in works if item[1] == InitiativeKind.RESEARCH and item[3]) >= 2
                    )
                )
                # Decree 98/2023 art. 33.7: every year since the previous Bằng khen rated HTTNV or better.
                since = range(max(last_bang_khen[index] + 1, first_year), year + 1) if last_bang_khen[index] else ()
                steady = all(ratings[index][offset[k]] in (0, HTTNV, HTXSNV) for k in since)
                bang_khen_day = decision("bang_khen", 0, year)[1]
                if (
                    (two_cstdcs or excellent)
                    and steady
                    and not pending_on(index, bang_khen_day)
                    and rng.random() < BANG_KHEN_TAKEN
                ):
                    titles[index][y] |= T_BANG_KHEN
                    last_bang_khen[index] = year
                    add_award("BANG_KHEN_TINH", year, "bang_khen", group_index, person=pk, period_start=year - 1)
            if rank >= HTTNV and not disciplined_in(index, year) and rng.random() < GIAY_KHEN_RATE:
                thematic = rng.random() < THEMATIC_SHARE
                titles[index][y] |= T_GIAY_KHEN
                add_award(
                    "GIAY_KHEN", year, "giay_khen", group_index, person=pk, regular=not thematic,
                    note=rng.choice(THEMATIC_ROUNDS) if thematic else "",
                )

        # Units: what their members achieved this year, summed up the tree.
        size = [0] * len(units)
        not_done = [0] * len(units)
        with_ldtt = [0] * len(units)
        with_cstdcs = [0] * len(units)
        warned = [0] * len(units)
        for index in range(count):
            if not member[index][y]:
                continue
            unit_index = home[index][y]
            size[unit_index] += 1
            not_done[unit_index] += ratings[index][y] < HTNV
            with_ldtt[unit_index] += bool(titles[index][y] & T_LDTT)
            with_cstdcs[unit_index] += bool(titles[index][y] & T_CSTDCS)
            warned[unit_index] += index in disciplines and disciplined_in(index, year, DisciplineLevel.WARNING)
        for unit_index in range(len(units) - 1, 0, -1):
            parent = parent_index[unit_index]
            if parent >= 0:
                size[parent] += size[unit_index]
                not_done[parent] += not_done[unit_index]
                with_ldtt[parent] += with_ldtt[unit_index]
                with_cstdcs[parent] += with_cstdcs[unit_index]
                warned[parent] += warned[unit_index]
        for unit_index, unit in enumerate(units):
            if unit.depth == 0 or not size[unit_index]:
                continue
            rank = unit_ratings[unit_index][y]
            group_index = group_of[unit_index]
            clean = not_done[unit_index] == 0 and warned[unit_index] == 0
            if clean and rank >= HTTNV and with_ldtt[unit_index] * 2 > size[unit_index] and rng.random() < TTLDTT_TAKEN:
                unit_titles[unit_index][y] |= T_TTLDTT
                add_award("TTLDTT", year, "base", group_index, unit=unit.pk)
            if (
                clean
                and rank == HTXSNV
                and with_ldtt[unit_index] >= 0.7 * size[unit_index] - 1e-9
                and with_cstdcs[unit_index] >= 1
                and rng.random() < TTLDXS_TAKEN
            ):
                unit_titles[unit_index][y] |= T_TTLDXS
                add_award("TTLDXS", year, "province", group_index, unit=unit.pk)
            if (
                y >= 1
                and year - 1 > unit_last_bang_khen[unit_index]
                and rank == HTXSNV
                and unit_ratings[unit_index][y - 1] == HTXSNV
                and rng.random() < UNIT_BANG_KHEN_TAKEN
            ):
                unit_last_bang_khen[unit_index] = year
                add_award("BANG_KHEN_TINH", year, "bang_khen", group_index, unit=unit.pk, period_start=year - 1)
            if rank >= HTTNV and rng.random() < UNIT_GIAY_KHEN_RATE:
                add_award("GIAY_KHEN", year, "giay_khen", group_index, unit=unit.pk)
    return plan


def _suffix(unit) -> str:
    """The issuer's abbreviation in a decision number: QĐ-SKHCN for a department, QĐ-UBND for a commune."""
    if unit.kind in (UnitKind.COMMUNE, UnitKind.PROVINCE_COMMITTEE):
        return "UBND"
    if unit.kind == UnitKind.ENTERPRISE:
        return "CT"
    return unit.short_name or unit.code.rsplit("_", 1)[-1]


def counts(plan: EvidencePlan) -> dict[str, int]:
    return {name: len(rows) for name, rows in vars(plan).items()}

