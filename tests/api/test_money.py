"""GET /api/v1/money: coefficient × base salary on the decision date, by the ruleset then in force."""

import pytest
from django.test import Client

URL = "/api/v1/money"


def test_money_before_decree_152_uses_the_old_coefficient(officer_api):
    response = officer_api.get(
        URL, {"award": "BANG_KHEN_TINH", "subject": "individual", "decision_date": "2025-06-30"}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["coefficient"], body["base_salary"], body["amount"]) == (1.0, 2340000, 2340000)
    assert body["ruleset"] == "ND98_2023"
    assert body["amount_in_words"] == "Hai triệu ba trăm bốn mươi nghìn đồng"


def test_money_from_the_day_decree_152_takes_effect(officer_api):
    response = officer_api.get(
        URL, {"award": "BANG_KHEN_TINH", "subject": "individual", "decision_date": "2025-07-01"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "coefficient": 1.5,
        "base_salary": 2340000,
        "amount": 3510000,
        "multiplier": 1.0,
        "ruleset": "ND152_2025",
        "rounding": "up",
        "amount_in_words": "Ba triệu năm trăm mười nghìn đồng",
        "source": "Điều 49–55 Nghị định 152/2025/NĐ-CP",
        "certainty": "verified",
        "base_salary_source": "Nghị định 73/2024/NĐ-CP",
        "base_salary_certainty": "verified",
    }


def test_money_for_a_household_is_one_and_a_half_times_rounded_up(officer_api):
    body = officer_api.get(
        URL, {"award": "BANG_KHEN_TINH", "subject": "household", "decision_date": "2025-07-01"}
    ).json()

    # 1.5 × 2,340,000 × 1.5 = 5,265,000 → up to the next 10,000 đ
    assert (body["coefficient"], body["multiplier"], body["amount"]) == (1.5, 1.5, 5270000)


def test_money_for_an_award_without_coefficient_is_refused(officer_api):
    response = officer_api.get(
        URL, {"award": "TTLDTT", "subject": "individual", "decision_date": "2025-07-01"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "award": ["Quy định ND152_2025 không có hệ số tiền thưởng cho TTLDTT (individual)."]
    }


def test_money_before_the_base_salary_timeline_is_refused(officer_api):
    response = officer_api.get(URL, {"award": "LDTT", "subject": "individual", "decision_date": "2010-01-01"})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "decision_date": ["Chưa có mức lương cơ sở áp dụng cho ngày 01/01/2010."]
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"award": "LDTT", "subject": "company", "decision_date": "2025-07-01"}, "subject"),
        ({"award": "LDTT", "subject": "individual", "decision_date": "01/07/2025"}, "decision_date"),
        ({"award": "LDTT", "subject": "individual"}, "decision_date"),
    ],
)
def test_money_with_invalid_parameters_is_refused(officer_api, params, field):
    response = officer_api.get(URL, params)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_money_with_a_unit_outside_scope_is_not_found(outsider_api, department):
    response = outsider_api.get(
        URL, {"award": "LDTT", "subject": "individual", "decision_date": "2025-07-01", "unit": "SKHCN"}
    )

    assert response.status_code == 404


def test_money_needs_a_token(db):
    response = Client().get(URL, {"award": "LDTT", "subject": "individual", "decision_date": "2025-07-01"})

    assert response.status_code == 401
