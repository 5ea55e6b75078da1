"""The API contracts of issue 9: /reports/summary, /reports/forms/<form>.xlsx, /people/{id}/history."""

import io

import pytest
from openpyxl import load_workbook

from tests.api.conftest import bearer_client

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/reports/summary"


@pytest.fixture
def officer_api(officer):
    return bearer_client(officer)


@pytest.fixture
def outsider_api(outsider):
    return bearer_client(outsider)


@pytest.fixture
def admin_api(admin_user):
    return bearer_client(admin_user)


def test_summary_by_award_and_year(officer_api, register):
    response = officer_api.get(SUMMARY, {"unit": "SKHCN", "from": 2020, "to": 2021, "by": "award,year", "as_of": "2026-01-01"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"rows", "total"}
    assert body["total"] == 12
    assert {"award": "LDTT", "year": 2021, "count": 3} in body["rows"]
    assert {"award": "LDTT", "year": 2020, "count": 1} in body["rows"]
    assert all(set(row) == {"award", "year", "count"} for row in body["rows"])
    assert sum(row["count"] for row in body["rows"]) == body["total"]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("unit", [{"unit": "SKHCN", "count": 1}, {"unit": "SKHCN_VP", "count": 7}, {"unit": "SKHCN_QLKH", "count": 4}]),
        ("subject", [{"subject": "collective", "count": 2}, {"subject": "household", "count": 1}, {"subject": "individual", "count": 9}]),
    ],
)
def test_summary_by_unit_and_subject(officer_api, register, by, expected):
    response = officer_api.get(SUMMARY, {"unit": "SKHCN", "from": 2020, "to": 2021, "by": by, "as_of": "2026-01-01"})

    assert sorted(response.json()["rows"], key=lambda row: row[by]) == sorted(expected, key=lambda row: row[by])


def test_summary_by_gender_counts_people(officer_api, register):
    rows = officer_api.get(SUMMARY, {"unit": "SKHCN", "from": 2020, "to": 2021, "by": "gender,subject"}).json()["rows"]

    assert {(row["gender"], row["subject"]): row["count"] for row in rows} == {
        ("nam", "individual"): 5, ("nu", "individual"): 3, ("", "individual"): 1, ("", "collective"): 2, ("", "household"): 1,
    }


def test_summary_of_the_successor_includes_the_merged_units(admin_api, register):
    after = admin_api.get(SUMMARY, {"unit": "SKHCN_MOI", "from": 2020, "to": 2021, "by": "year", "as_of": "2026-01-01"}).json()
    before = admin_api.get(SUMMARY, {"unit": "SKHCN_MOI", "from": 2020, "to": 2021, "by": "year", "as_of": "2025-06-01"}).json()

    assert after == {"rows": [{"year": 2020, "count": 1}, {"year": 2021, "count": 11}], "total": 12}
    assert before == {"rows": [], "total": 0}


def test_summary_refuses_bad_parameters(officer_api, register):
    response = officer_api.get(SUMMARY, {"unit": "SKHCN", "from": 2022, "to": 2020, "by": "award,colour"})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"by", "to"}
    assert "colour" in errors["by"][0]


def test_summary_outside_the_callers_sight_is_not_found(outsider_api, register):
    assert outsider_api.get(SUMMARY, {"unit": "SKHCN"}).status_code == 404


def test_summary_needs_a_token(client, register):
    assert client.get(SUMMARY).status_code == 401


def test_form_as_xlsx(officer_api, register):
    response = officer_api.get("/api/v1/reports/forms/0603.xlsx", {"unit": "SKHCN", "year": 2022})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["0603"]
    assert sheet["A1"].value == "Biểu số: 0603.N/BNV-TĐKT"
    data = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "01")
    assert sheet.cell(row=data, column=4).value == 2


def test_five_year_table_as_xlsx(officer_api, register):
    response = officer_api.get("/api/v1/reports/forms/tong-hop.xlsx", {"unit": "SKHCN", "year": 2021, "from": 2020})

    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["A3"].value == "BẢNG TỔNG HỢP KẾT QUẢ KHEN THƯỞNG GIAI ĐOẠN 2020–2021"


def test_unknown_form_is_not_found(officer_api, register):
    response = officer_api.get("/api/v1/reports/forms/0999.xlsx", {"unit": "SKHCN", "year": 2022})

    assert response.status_code == 404
    assert "0999" in response.json()["detail"]


def test_person_history(officer_api, register):
    an = register["people"]["an"]

    response = officer_api.get(f"/api/v1/people/{an.pk}/history")

    assert response.status_code == 200
    body = response.json()
    assert body["person"] == {"id": an.pk, "full_name": "Nguyễn Văn An"}
    assert body["count"] == 5
    first = body["items"][0]
    assert (first["award"], first["period_end"], first["decision_date"], first["revoked"]) == ("LDTT", 2020, "2021-02-10", False)
    assert first["unit_then"].startswith("Văn phòng Sở") and first["unit_now"].startswith("Văn phòng Sở (sau hợp nhất)")


def test_person_history_out_of_sight(outsider_api, register):
    assert outsider_api.get(f"/api/v1/people/{register['people']['an'].pk}/history").status_code == 404
