"""The screening page (bình xét) and its Excel export."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import make_person
from tests.rules.conftest import Evidence
from thidua.rules.services import rule_override_create

URL = reverse("rules:screening")
AS_OF = "2026-01-15"


@pytest.fixture
def evidence(office):
    return Evidence(office)


@pytest.fixture
def screened(evidence, office, office2):
    """Three people of the department rated for 2025: one excellent with an initiative, one good,
    one with no rating yet; the office rated as a unit."""
    excellent = evidence.person("Trần Thị Xuất Sắc")
    good = evidence.person("Nguyễn Văn Đạt")
    unrated = evidence.person("Lê Văn Chưa", unit=office2)
    evidence.rate(excellent, 2025, "HTXSNV")
    evidence.rate(good, 2025, "HTTNV")
    evidence.initiative(excellent, 2025)
    evidence.rate(office, 2025, "HTXSNV")
    return {"excellent": excellent, "good": good, "unrated": unrated}


def _get(client, headers=None, **params):
    return client.get(URL, {"unit": "SKHCN", "year": 2025, "as_of": AS_OF, **params}, headers=headers)


def _row(rows, name):
    return next(row for row in rows if row.name == name)


def test_screening_shows_every_person_with_verdicts_and_reasons(officer_client, screened, staff_person):
    response = _get(officer_client)

    assert response.status_code == 200
    page = response.context["page"]
    names = [row.name for row in page.object_list]
    # Vietnamese order, by given name first: Bộ, Chưa, Đạt, Sắc.
    assert names == ["Lê Thị Cán Bộ", "Lê Văn Chưa", "Nguyễn Văn Đạt", "Trần Thị Xuất Sắc"]
    table = response.context["table"]
    assert [award.code for award in table.individual_awards] == ["LDTT", "CSTDCS", "CSTD_TINH"]
    assert [award.code for award in table.collective_awards] == ["TTLDTT", "TTLDXS", "CO_THI_DUA_TINH"]
    excellent = _row(page.object_list, "Trần Thị Xuất Sắc")
    assert [cell.code for cell in excellent.cells] == ["eligible", "eligible", "ineligible"]
    assert [award.code for award in excellent.suggested] == ["CSTDCS"]
    unrated = _row(page.object_list, "Lê Văn Chưa")
    assert unrated.cells[0].code == "needs_review"
    content = response.content.decode()
    assert "Luật Thi đua, khen thưởng 2022 và Nghị định 152/2025/NĐ-CP" in content
    assert "Chưa có kết quả xếp loại năm 2025" in content
    assert "Cần xác minh" in content  # the LĐTT tenure rule is marked "recollection"
    assert "<details>" in content


def test_screening_defaults_to_the_users_unit_last_year_and_today(officer_client, screened):
    response = officer_client.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.cleaned_data["unit"] == "SKHCN"
    assert form.cleaned_data["year"] == timezone.localdate().year - 1
    assert form.cleaned_data["as_of"] == timezone.localdate()


def test_screening_collectives_tab_lists_units(officer_client, screened):
    response = _get(officer_client, tab="tap-the")

    rows = response.context["page"].object_list
    assert [row.code for row in rows] == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]
    office = _row(rows, "Văn phòng Sở")
    assert [cell.award.code for cell in office.cells] == ["TTLDTT", "TTLDXS", "CO_THI_DUA_TINH"]


def test_screening_filters_by_verdict_award_name_and_subunit(officer_client, screened):
    eligible_cstdcs = _get(officer_client, award="CSTDCS", verdict="eligible")
    by_name = _get(officer_client, q="nguyen van dat")
    by_subunit = _get(officer_client, sub="SKHCN_QLKH")

    assert [row.name for row in eligible_cstdcs.context["page"].object_list] == ["Trần Thị Xuất Sắc"]
    assert [row.name for row in by_name.context["page"].object_list] == ["Nguyễn Văn Đạt"]
    assert [row.name for row in by_subunit.context["page"].object_list] == ["Lê Văn Chưa"]


def test_screening_htmx_search_answers_only_the_results(officer_client, screened):
    response = _get(officer_client, headers={"HX-Request": "true"}, q="xuat sac")

    content = response.content.decode()
    assert content.lstrip().startswith('<section id="screening-results"')
    assert "Trần Thị Xuất Sắc" in content
    assert "Nguyễn Văn Đạt" not in content


def test_screening_shows_quota_as_block_under_decree_91(officer_client, evidence):
    people = [evidence.person(f"Đỗ Văn Người {index:02d}") for index in range(10)]
    for person in people:
        evidence.rate(person, 2022, "HTTNV")
    for person in people[:3]:
        evidence.initiative(person, 2022)

    response = officer_client.get(URL, {"unit": "SKHCN_VP", "year": 2022, "as_of": "2023-01-15"})

    (quota,) = response.context["table"].quotas
    assert (quota.status.allowed, quota.status.eligible, quota.blocking, quota.alert_class) == (
        1,
        3,
        True,
        "alert-error",
    )
    assert "Vượt định mức — không được đề nghị quá số cho phép" in response.content.decode()


def test_screening_warns_when_the_date_is_beyond_the_newest_ruleset(officer_client, screened):
    response = _get(officer_client, as_of="2027-06-01")

    assert response.context["table"].ruleset.beyond_validity is True
    assert "đã quá thời hạn hiệu lực" in response.content.decode()


def test_screening_shows_overrides_in_force(officer_client, screened, province):
    rule_override_create(
        actor=None,
        unit=province,
        target="awards.TTLDTT.collective.rules.members_ldtt.params.min_share",
        value=0.7,
        valid_from=datetime.date(2025, 1, 1),
        legal_source="Quyết định 12/2025/QĐ-UBND",
    )

    response = _get(officer_client)

    assert "awards.TTLDTT.collective.rules.members_ldtt.params.min_share" in response.content.decode()


def test_screening_rejects_a_future_year(officer_client, screened):
    response = _get(officer_client, year=timezone.localdate().year + 1)

    assert response.status_code == 200
    assert response.context["table"] is None
    assert "Năm xét không được sau năm hiện tại" in response.content.decode()


def test_screening_of_another_departments_unit_is_not_found(outsider_client, screened):
    assert _get(outsider_client).status_code == 404


def test_screening_is_forbidden_to_staff(staff_client, screened):
    assert _get(staff_client).status_code == 403


def test_screening_query_count_does_not_grow_with_people(officer_client, evidence):
    first = evidence.person("Phạm Văn Một")
    evidence.rate(first, 2025, "HTTNV")
    with CaptureQueriesContext(connection) as one:
        assert _get(officer_client).status_code == 200
    for index in range(4):
        person = evidence.person(f"Phạm Văn Thêm {index}")
        evidence.rate(person, 2025, "HTXSNV")
        evidence.initiative(person, 2025)
    with CaptureQueriesContext(connection) as five:
        response = _get(officer_client)
    assert len(response.context["page"].object_list) == 5
    assert len(five) == len(one)


def test_screening_export_has_a_row_per_person_and_collective(officer_client, screened):
    response = officer_client.get(
        reverse("rules:screening_export"), {"unit": "SKHCN", "year": 2025, "as_of": AS_OF}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="binh-xet-SKHCN-2025.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][0]
        == "Kết quả bình xét năm 2025 — Sở Khoa học và Công nghệ (theo ND152_2025, xét ngày 15/01/2026)"
    )
    assert rows[1] == (
        "STT",
        "Đối tượng",
        "Họ và tên, tên tập thể",
        "Đơn vị, mã đơn vị",
        "LĐTT",
        "CSTĐCS",
        "CSTĐ tỉnh",
        "TTLĐTT",
        "TTLĐXS",
        "Cờ thi đua tỉnh",
        "Đề xuất",
        "Lý do chưa đủ, cần xem xét",
    )
    people = [row for row in rows[2:] if row[1] == "Cá nhân"]
    units = [row for row in rows[2:] if row[1] == "Tập thể"]
    assert [row[2] for row in people] == ["Lê Văn Chưa", "Nguyễn Văn Đạt", "Trần Thị Xuất Sắc"]
    assert [row[3] for row in units] == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]
    excellent = people[2]
    assert excellent[4:7] == ("Đủ điều kiện", "Đủ điều kiện", "Chưa đủ điều kiện")
    assert excellent[7:10] == (None, None, None)
    assert excellent[10] == "CSTĐCS"
    assert excellent[11].startswith("CSTĐ tỉnh: Chưa đủ 03 lần liên tục đạt CSTĐCS (2023 ✗, 2024 ✗, 2025 ✓)")
    unrated = people[0]
    assert unrated[4] == "Cần xem xét"
    assert "LĐTT: Chưa có kết quả xếp loại năm 2025" in unrated[11]


def test_screening_export_respects_the_filters(officer_client, screened):
    response = officer_client.get(
        reverse("rules:screening_export"), {"unit": "SKHCN", "year": 2025, "as_of": AS_OF, "q": "dat"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["Nguyễn Văn Đạt"]


def test_screening_export_is_forbidden_to_staff(staff_client, screened):
    assert staff_client.get(reverse("rules:screening_export"), {"unit": "SKHCN"}).status_code == 403


def test_screening_can_add_bang_khen_tinh(officer_client, screened):
    response = _get(officer_client, extra="BANG_KHEN_TINH")

    table = response.context["table"]
    assert [award.code for award in table.individual_awards] == [
        "LDTT",
        "CSTDCS",
        "CSTD_TINH",
        "BANG_KHEN_TINH",
    ]


def test_person_left_out_of_people_without_employment_in_the_year(officer_client, screened, department):
    make_person("Hoàng Văn Mới", unit=department, start_date=datetime.date(2026, 3, 1))

    response = _get(officer_client)

    assert "Hoàng Văn Mới" not in [row.name for row in response.context["page"].object_list]


def test_screening_defaults_to_a_working_unit_over_a_ceased_one(province):
    from tests.conftest import _client_for
    from tests.factories import make_unit, make_user
    from thidua.accounts.services import role_grant

    old = make_unit(
        "Sở cũ", parent=province, kind="so_nganh", code="A_SO_CU", valid_to=datetime.date(2025, 6, 30)
    )
    new = make_unit(
        "Sở mới", parent=province, kind="so_nganh", code="Z_SO_MOI", valid_from=datetime.date(2025, 7, 1)
    )
    user = make_user("hai_so", role="officer", unit=old)
    role_grant(actor=None, user=user, role="officer", unit=new)

    response = _client_for(user).get(URL)

    assert response.context["root"] == new


def test_screening_shows_a_provincial_quota_as_a_warning_with_its_source(officer_client, evidence, province):
    for index in range(10):
        person = evidence.person(f"Vũ Văn Số {index:02d}")
        evidence.rate(person, 2025, "HTXSNV")
    rule_override_create(
        actor=None,
        unit=province,
        target="parameters.quotas.CSTDCS.max_share",
        value=0.15,
        valid_from=datetime.date(2025, 7, 1),
        legal_source="Quyết định 21/2025/QĐ-UBND",
    )

    response = _get(officer_client, unit="SKHCN_VP")

    (quota,) = response.context["table"].quotas
    assert (quota.status.allowed, quota.status.eligible, quota.alert_class) == (1, 10, "alert-warning")
    assert [note.text for note in quota.overrides] == [
        "Ủy ban nhân dân tỉnh Tiền Giang đặt 15% từ 01/07/2025"
    ]
    content = response.content.decode()
    assert "Vượt định mức — cần cân nhắc" in content
    assert "15% số đạt LĐTT" in content
    assert "Quyết định 21/2025/QĐ-UBND" in content
