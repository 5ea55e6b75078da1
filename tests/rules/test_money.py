import datetime
from decimal import Decimal

import pytest

from thidua.rules import money
from thidua.rules.services import base_salary_set, rule_override_create


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        (Decimal(702_000), "up", 710_000),
        (Decimal(702_000), "nearest", 700_000),
        (Decimal(705_000), "nearest", 710_000),
        (Decimal(704_999), "nearest", 700_000),
        (Decimal(700_000), "up", 700_000),
        (Decimal("700000.01"), "up", 710_000),
    ],
)
def test_round_amount_boundaries(value, mode, expected):
    assert money.round_amount(value, unit=10_000, mode=mode) == expected


@pytest.mark.parametrize(
    ("award", "subject", "day", "coefficient", "base", "amount"),
    [
        ("LDTT", "individual", datetime.date(2025, 7, 1), "0.3", 2_340_000, 710_000),  # 702.000 rounded up
        ("BANG_KHEN_TINH", "individual", datetime.date(2025, 6, 30), "1.0", 2_340_000, 2_340_000),  # Decree 98
        ("BANG_KHEN_TINH", "individual", datetime.date(2025, 7, 1), "1.5", 2_340_000, 3_510_000),  # Decree 152 art. 54
        ("BANG_KHEN_TINH", "collective", datetime.date(2025, 7, 1), "3.0", 2_340_000, 7_020_000),
        ("GIAY_KHEN", "individual", datetime.date(2020, 8, 10), "0.3", 1_490_000, 450_000),  # the seed's Giấy khen
        ("GIAY_KHEN", "collective", datetime.date(2020, 8, 10), "0.6", 1_490_000, 900_000),  # 894.000 rounded up
        ("CSTD_TINH", "individual", datetime.date(2023, 6, 30), "3.0", 1_490_000, 4_470_000),
        ("CSTD_TINH", "individual", datetime.date(2023, 7, 1), "3.0", 1_800_000, 5_400_000),
    ],
)
def test_reward_amount_uses_coefficient_and_base_salary_on_decision_date(db, award, subject, day, coefficient, base, amount):
    result = money.reward_amount(award=award, subject=subject, decision_date=day)
    assert (result.coefficient, result.base_salary, result.amount) == (Decimal(coefficient), base, amount)


def test_household_gets_one_and_a_half_times_the_individual_amount(db):
    result = money.reward_amount(award="BANG_KHEN_TINH", subject="household", decision_date=datetime.date(2025, 7, 1))
    assert result.multiplier == Decimal("1.5")
    assert result.amount == 5_270_000  # 1.5 × 1.5 × 2.340.000 = 5.265.000 → up to 5.270.000


def test_rounding_mode_is_a_ruleset_parameter(db):
    rule_override_create(
        actor=None, target="parameters.money.rounding", value="nearest", valid_from=datetime.date(2025, 7, 1),
        legal_source="Ví dụ tính toán đã công bố", certainty="provincial",
    )
    result = money.reward_amount(award="LDTT", subject="individual", decision_date=datetime.date(2025, 8, 1))
    assert (result.rounding, result.amount) == ("nearest", 700_000)


def test_admin_base_salary_row_wins_from_its_date(db):
    base_salary_set(actor=None, effective_from=datetime.date(2026, 7, 1), amount=2_600_000, legal_source="Nghị định mới")
    assert money.base_salary_on(datetime.date(2026, 6, 30)).amount == 2_340_000
    assert money.base_salary_on(datetime.date(2026, 7, 1)).amount == 2_600_000


def test_no_coefficient_is_an_error(db):
    with pytest.raises(money.MoneyError):
        money.reward_amount(award="GIA_DINH_VAN_HOA", subject="household", decision_date=datetime.date(2025, 7, 1))


def test_only_the_highest_title_for_the_same_period_is_paid():
    items = [
        money.AwardForPayment("a", "p1", "LDTT", True, 10, 2025, 2025),
        money.AwardForPayment("b", "p1", "CSTDCS", True, 20, 2025, 2025),
        money.AwardForPayment("c", "p1", "GIAY_KHEN", False, 15, 2025, 2025),
        money.AwardForPayment("d", "p2", "LDTT", True, 10, 2025, 2025),
        money.AwardForPayment("e", "p1", "LDTT", True, 10, 2024, 2024),
    ]
    assert money.payable(items) == {"b", "c", "d", "e"}


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (450_000, "Bốn trăm năm mươi nghìn đồng"),
        (1_520_000, "Một triệu năm trăm hai mươi nghìn đồng"),
        (2_105_015, "Hai triệu một trăm linh năm nghìn không trăm mười lăm đồng"),
        (21_000_000, "Hai mươi mốt triệu đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (14_240_000, "Mười bốn triệu hai trăm bốn mươi nghìn đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert money.amount_in_words(amount) == words
