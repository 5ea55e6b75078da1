"""`thidua eligibility`: the table, the JSON (the API's shape) and the refusals."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.api.conftest import bearer_client
from tests.rules.conftest import Evidence


@pytest.fixture
def people(office):
    evidence = Evidence(office)
    good = evidence.person("Nguyễn Văn Đạt")
    weak = evidence.person("Trần Văn Yếu")
    evidence.rate(good, 2025, "HTTNV")
    evidence.rate(weak, 2025, "HTNV")
    evidence.rate(office, 2025, "HTTNV")
    return {"good": good, "weak": weak}


def _run(*args) -> str:
    out = io.StringIO()
    call_command("eligibility", *args, stdout=out)
    return out.getvalue()


def test_eligibility_command_prints_a_vietnamese_table(people):
    output = _run("--unit", "SKHCN_VP", "--year", "2025", "--award", "LDTT", "--as-of", "2026-01-15")

    lines = output.splitlines()
    assert lines[0] == "Đơn vị: Văn phòng Sở (SKHCN_VP) — thành tích năm 2025"
    assert (
        lines[1]
        == "Quy định: Luật Thi đua, khen thưởng 2022 và Nghị định 152/2025/NĐ-CP (ND152_2025), xét ngày 15/01/2026"
    )
    assert lines[3].split("  ")[0] == "Cá nhân, tập thể"
    assert lines[5] == "Nguyễn Văn Đạt    LĐTT       Đủ điều kiện       —"
    assert lines[6] == (
        "Trần Văn Yếu      LĐTT       Chưa đủ điều kiện  "
        "Năm 2025 xếp loại HTNV, chưa đạt mức HTTNV — Điều 24 Luật Thi đua, khen thưởng 2022"
    )
    assert lines[-1] == "LĐTT: 1 đủ điều kiện, 0 cần xem xét, 1 chưa đủ điều kiện"


def test_eligibility_command_without_award_screens_every_annual_title(people):
    output = _run("--unit", "SKHCN_VP", "--year", "2025", "--as-of", "2026-01-15")

    assert output.splitlines()[-6:] == [
        "LĐTT: 1 đủ điều kiện, 0 cần xem xét, 1 chưa đủ điều kiện",
        "CSTĐCS: 0 đủ điều kiện, 0 cần xem xét, 2 chưa đủ điều kiện",
        "CSTĐ tỉnh: 0 đủ điều kiện, 0 cần xem xét, 2 chưa đủ điều kiện",
        "TTLĐTT: 0 đủ điều kiện, 0 cần xem xét, 1 chưa đủ điều kiện",
        "TTLĐXS: 0 đủ điều kiện, 0 cần xem xét, 1 chưa đủ điều kiện",
        "Cờ thi đua tỉnh: 0 đủ điều kiện, 0 cần xem xét, 1 chưa đủ điều kiện",
    ]


def test_eligibility_command_json_is_the_api_answer(people, officer):
    output = _run(
        "--unit", "SKHCN_VP", "--year", "2025", "--award", "LDTT", "--as-of", "2026-01-15", "--json"
    )

    api = bearer_client(officer).get(
        "/api/v1/eligibility", {"unit": "SKHCN_VP", "year": 2025, "award": "LDTT", "as_of": "2026-01-15"}
    )
    assert json.loads(output) == api.json()
    assert [item["person"] for item in json.loads(output)["items"]] == [people["good"].pk, people["weak"].pk]


def test_eligibility_command_json_without_award_holds_every_annual_title(people):
    payload = json.loads(_run("--unit", "SKHCN_VP", "--year", "2025", "--as-of", "2026-01-15", "--json"))

    assert sorted({item["award"] for item in payload["items"]}) == [
        "CO_THI_DUA_TINH",
        "CSTDCS",
        "CSTD_TINH",
        "LDTT",
        "TTLDTT",
        "TTLDXS",
    ]
    assert {item["unit"] for item in payload["items"] if "unit" in item} == {"SKHCN_VP"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "KHONG_CO", "--year", "2025"], "Không có đơn vị mã “KHONG_CO”."),
        (
            ["--unit", "SKHCN_VP", "--year", "2025", "--award", "NOPE"],
            "Không có danh hiệu, hình thức khen thưởng mã “NOPE”.",
        ),
        (["--unit", "SKHCN_VP", "--year", "1980"], "Năm xét phải từ 1990 trở về sau."),
        (
            ["--unit", "SKHCN_VP", "--year", str(timezone.localdate().year + 1)],
            f"Năm xét không được sau năm hiện tại ({timezone.localdate().year}).",
        ),
        (
            ["--unit", "SKHCN_VP", "--year", "2025", "--as-of", "15/01/2026"],
            "Ngày phải có dạng YYYY-MM-DD: 15/01/2026",
        ),
    ],
)
def test_eligibility_command_refuses_unknown_input(people, args, message):
    with pytest.raises(CommandError) as error:
        _run(*args)

    assert str(error.value) == message
