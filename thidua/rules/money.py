"""Reward money: coefficient × base salary in force on the decision date, rounded as the ruleset says.

Decree 152/2025 art. 49.2 says "làm tròn số lên hàng chục nghìn đồng": read as rounding *up* to the
next 10,000 đ (the default); published worked examples round to the *nearest* 10,000, so the mode is a
ruleset parameter (``parameters.money.rounding``: "up" or "nearest").
"""

import datetime
import json
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import lru_cache

from thidua.rules.rulesets import DATA_DIR, ruleset_for

INDIVIDUAL, COLLECTIVE, HOUSEHOLD = "individual", "collective", "household"


class MoneyError(Exception):
    pass


@dataclass(frozen=True)
class BaseSalary:
    effective_from: datetime.date
    amount: int
    legal_source: str
    certainty: str


@lru_cache(maxsize=1)
def shipped_base_salaries() -> tuple[BaseSalary, ...]:
    document = json.loads((DATA_DIR / "base_salary.json").read_text(encoding="utf-8"))
    return tuple(
        BaseSalary(datetime.date.fromisoformat(row["effective_from"]), int(row["amount"]), row["legal_source"], row["certainty"])
        for row in document["rates"]
    )


def base_salary_timeline() -> list[BaseSalary]:
    """The shipped timeline with the rows an admin added (same date: the admin's row wins), newest first."""
    from thidua.rules.models import BaseSalaryRate

    by_day = {rate.effective_from: rate for rate in shipped_base_salaries()}
    for row in BaseSalaryRate.objects.all():
        by_day[row.effective_from] = BaseSalary(row.effective_from, row.amount, row.legal_source, row.certainty)
    return sorted(by_day.values(), key=lambda rate: rate.effective_from, reverse=True)


def base_salary_on(day: datetime.date) -> BaseSalary:
    for rate in base_salary_timeline():
        if rate.effective_from <= day:
            return rate
    raise MoneyError(f"Chưa có mức lương cơ sở áp dụng cho ngày {day:%d/%m/%Y}.")


def round_amount(value: Decimal, *, unit: int, mode: str) -> int:
    steps = value / Decimal(unit)
    rounding = ROUND_CEILING if mode == "up" else ROUND_HALF_UP
    return int(steps.quantize(Decimal(1), rounding=rounding)) * unit


@dataclass(frozen=True)
class RewardAmount:
    award: str
    subject: str
    coefficient: Decimal
    base_salary: int
    multiplier: Decimal
    amount: int
    rounding: str
    ruleset: str
    source: str
    certainty: str
    base_salary_source: str
    base_salary_certainty: str


def reward_amount(*, award: str, subject: str, decision_date: datetime.date, unit=None) -> RewardAmount:
    """The money for one award to one recipient. Households receive 1.5× the individual amount
    (the multiplier is a ruleset parameter)."""
    ruleset = ruleset_for(decision_date, unit)
    money = ruleset.param("money") or {}
    coefficients = money.get("coefficients", {}).get(award)
    if not coefficients:
        raise MoneyError(f"Quy định {ruleset.code} không có hệ số tiền thưởng cho {award}.")
    multiplier = Decimal(1)
    lookup = subject
    if subject == HOUSEHOLD:
        lookup = INDIVIDUAL
        multiplier = Decimal(str(money.get("household_multiplier", 1)))
    if lookup not in coefficients:
        raise MoneyError(f"Quy định {ruleset.code} không có hệ số tiền thưởng cho {award} ({subject}).")
    coefficient = Decimal(str(coefficients[lookup]))
    base = base_salary_on(decision_date)
    raw = coefficient * Decimal(base.amount) * multiplier
    mode = money.get("rounding", "up")
    amount = round_amount(raw, unit=int(money.get("rounding_unit", 10000)), mode=mode)
    return RewardAmount(
        award=award,
        subject=subject,
        coefficient=coefficient,
        base_salary=base.amount,
        multiplier=multiplier,
        amount=amount,
        rounding=mode,
        ruleset=ruleset.code,
        source=money.get("source", ""),
        certainty=money.get("certainty", "verified"),
        base_salary_source=base.legal_source,
        base_salary_certainty=base.certainty,
    )


@dataclass(frozen=True)
class AwardForPayment:
    key: object  # the caller's identifier for the award (a record id, a nominee id…)
    recipient: object  # anything hashable naming the recipient
    award: str
    is_title: bool
    precedence: int
    period_start: int
    period_end: int


def payable(awards: list[AwardForPayment]) -> set[object]:
    """Keys of the awards to pay: where one recipient has several titles for the same achievement
    period, only the highest is paid (forms — Giấy khen, Bằng khen — are paid on their own)."""
    keep: set[object] = set()
    best: dict[tuple, AwardForPayment] = {}
    for item in awards:
        if not item.is_title:
            keep.add(item.key)
            continue
        group = (item.recipient, item.period_start, item.period_end)
        current = best.get(group)
        if current is None or item.precedence > current.precedence:
            best[group] = item
    keep |= {item.key for item in best.values()}
    return keep


def amount_in_words(amount: int) -> str:
    """Vietnamese words for an amount of đồng: 1.520.000 → "Một triệu năm trăm hai mươi nghìn đồng"."""
    if amount == 0:
        return "Không đồng"
    digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]

    def three(number: int, full: bool) -> str:
        hundreds, rest = divmod(number, 100)
        tens, ones = divmod(rest, 10)
        words = []
        if full or hundreds:
            words += [digits[hundreds], "trăm"]
        if tens == 0 and ones and (full or hundreds):
            words.append("linh")
        if tens == 1:
            words.append("mười")
        elif tens > 1:
            words += [digits[tens], "mươi"]
        if ones:
            if ones == 1 and tens > 1:
                words.append("mốt")
            elif ones == 5 and tens >= 1:
                words.append("lăm")
            elif ones == 4 and tens > 1:
                words.append("tư")
            else:
                words.append(digits[ones])
        return " ".join(words)

    groups = []
    number = amount
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    scales = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        full = index != len(groups) - 1
        words.append(three(group, full))
        if scales[index]:
            words.append(scales[index])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
