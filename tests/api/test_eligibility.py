"""GET /api/v1/eligibility: the contract, scope and refusals."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_person
from tests.rules.conftest import Evidence

URL = "/api/v1/eligibility"
AS_OF = "2026-01-15"


@pytest.fixture
def people(office, office2):
    evidence = Evidence(office)
    good = evidence.person("Nguyễn Văn Đạt")
    excellent = evidence.person("Trần Thị Xuất Sắc", unit=office2)
    evidence.rate(good, 2025, "HTTNV")
    evidence.rate(excellent, 2025, "HTXSNV")
    evidence.initiative(excellent, 2025)
    evidence.rate(office, 2025, "HTTNV")
    return {"good": good, "excellent": excellent}


def _get(client, **params):
    return client.get(URL, {"unit": "SKHCN", "year": 2025, "as_of": AS_OF, **params})


def test_eligibility_lists_people_of_the_subtree_with_reasons(officer_api, people):
    response = _get(officer_api, award="LDTT")

    assert response.status_code == 200
    body = response.json()
    assert body["ruleset"] == "ND152_2025"
    assert body["ruleset_name"] == "Luật Thi đua, khen thưởng 2022 và Nghị định 152/2025/NĐ-CP"
    assert body["as_of"] == AS_OF
    assert body["quotas"] == []
    assert [(item["person"], item["award"], item["verdict"]) for item in body["items"]] == [
        (people["good"].pk, "LDTT", "eligible"),
        (people["excellent"].pk, "LDTT", "eligible"),
    ]
    first = body["items"][0]
    assert set(first) == {"person", "award", "verdict", "reasons"}
    assert [reason["rule"] for reason in first["reasons"]] == ["rating", "tenure", "discipline", "pending"]
    assert first["reasons"][0] == {
        "rule": "rating",
        "label": "Xếp loại từ Hoàn thành tốt nhiệm vụ trở lên",
        "passed": True,
        "message": "Năm 2025 xếp loại HTTNV (yêu cầu từ HTTNV trở lên) — Điều 24 Luật Thi đua, khen thưởng 2022",
        "source": "Điều 24 Luật Thi đua, khen thưởng 2022",
        "certainty": "verified",
    }
    assert first["reasons"][1]["certainty"] == "recollection"


def test_eligibility_reports_undecided_rules_as_null(officer_api, people, department):
    unrated = make_person("Lê Văn Chưa", unit=department)

    body = _get(officer_api, award="LDTT", person=unrated.pk).json()

    (item,) = body["items"]
    assert (item["person"], item["verdict"]) == (unrated.pk, "needs_review")
    assert item["reasons"][0]["passed"] is None
    assert item["reasons"][0]["message"].startswith("Chưa có kết quả xếp loại năm 2025")


def test_eligibility_of_a_composite_rule_gives_its_parts(officer_api, people):
    body = _get(officer_api, award="CSTDCS", person=people["excellent"].pk).json()

    (item,) = body["items"]
    assert item["verdict"] == "eligible"
    achievement = next(reason for reason in item["reasons"] if reason["rule"] == "achievement")
    assert [child["rule"] for child in achievement["children"]] == [
        "achievement.excellent",
        "achievement.initiative",
        "achievement.research",
    ]
    assert "children" not in item["reasons"][0]


def test_eligibility_of_a_collective_award_lists_units(officer_api, people):
    body = _get(officer_api, award="TTLDTT").json()

    assert [item["unit"] for item in body["items"]] == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]
    office = body["items"][1]
    assert set(office) == {"unit", "award", "verdict", "reasons"}
    assert office["verdict"] == "eligible"


def test_eligibility_as_of_chooses_the_ruleset(officer_api, people):
    old = _get(officer_api, award="CSTDCS", year=2023, as_of="2023-06-01").json()
    new = _get(officer_api, award="CSTDCS", year=2023, as_of="2025-07-01").json()

    assert (old["ruleset"], new["ruleset"]) == ("ND91_2017", "ND152_2025")


def test_eligibility_shows_quotas(officer_api, office):
    evidence = Evidence(office)
    for index in range(10):
        person = evidence.person(f"Đỗ Văn Người {index:02d}")
        evidence.rate(person, 2022, "HTTNV")
        if index < 3:
            evidence.initiative(person, 2022)

    body = officer_api.get(
        URL, {"unit": "SKHCN_VP", "year": 2022, "award": "CSTDCS", "as_of": "2023-01-15"}
    ).json()

    (quota,) = body["quotas"]
    assert {key: quota[key] for key in ("allowed", "eligible", "mode", "exceeded")} == {
        "allowed": 1,
        "eligible": 3,
        "mode": "block",
        "exceeded": True,
    }


def test_eligibility_with_an_unknown_award_is_refused_in_vietnamese(officer_api, people):
    response = _get(officer_api, award="KHONG_CO")

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["query", "award"],
                "field": "award",
                "msg": "Không có danh hiệu, hình thức khen thưởng mã “KHONG_CO”.",
                "type": "value_error",
            }
        ],
        "errors": {"award": ["Không có danh hiệu, hình thức khen thưởng mã “KHONG_CO”."]},
    }


def test_eligibility_with_an_award_the_ruleset_does_not_screen_is_refused(officer_api, people):
    response = _get(officer_api, award="GIA_DINH_VAN_HOA")

    assert response.status_code == 422
    assert response.json()["errors"]["award"] == [
        "Quy định ND152_2025 không có tiêu chuẩn xét Gia đình văn hóa cho cá nhân hoặc tập thể."
    ]


@pytest.mark.parametrize("year", [1980, timezone.localdate().year + 1])
def test_eligibility_with_an_impossible_year_is_refused(officer_api, people, year):
    response = _get(officer_api, award="LDTT", year=year)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["year"]


def test_eligibility_with_a_bad_date_is_refused(officer_api, people):
    response = _get(officer_api, award="LDTT", as_of="15/01/2026")

    assert response.status_code == 422
    assert response.json()["errors"] == {"as_of": ["Ngày phải có dạng YYYY-MM-DD, ví dụ 1985-04-30."]}


def test_eligibility_of_another_departments_unit_is_not_found(outsider_api, people):
    response = _get(outsider_api, award="LDTT")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_eligibility_of_a_person_outside_scope_is_not_found(officer_api, people, other_department):
    stranger = make_person("Phan Văn Ngoài", unit=other_department)

    assert _get(officer_api, award="LDTT", person=stranger.pk).status_code == 404


def test_eligibility_is_not_for_staff(staff_api, people):
    assert _get(staff_api, award="LDTT").status_code == 404


def test_eligibility_needs_a_token(people):
    assert _get(Client(), award="LDTT").status_code == 401
