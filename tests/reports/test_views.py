"""The report pages: who may open them, the figures they show, the list behind a figure (paginated,
exported), bad query strings, the standard forms, the five-year table and the award history."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_person
from tests.reports.conftest import record

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reports:overview")
RECORDS = reverse("reports:records")


def test_overview_shows_the_figures_and_links_them_to_their_lists(officer_client, register):
    response = officer_client.get(OVERVIEW, {"unit": "SKHCN", "from": 2020, "to": 2021, "as_of": "2026-01-01"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-years"' in html and "<svg" in html
    # 2021 titles: 8 (LĐTT 3, CSTĐCS, CSTĐ tỉnh, TTLĐTT, Gia đình văn hóa… see conftest), linked to their list.
    assert "year=2021" in html and "category=danh_hieu" in html
    assert "đã thu hồi (không tính vào số trên)" in html
    assert response.context["revoked_count"] == 1
    assert [row[1] for row in response.context["category_totals"]] == [8, 4]


def test_a_figures_link_opens_a_list_of_exactly_that_many(officer_client, register):
    response = officer_client.get(OVERVIEW, {"unit": "SKHCN", "from": 2020, "to": 2021, "as_of": "2026-01-01"})
    chart = next(chart for chart in response.context["charts"] if chart.key == "units")
    bar = next(bar for bar in chart.bars if bar.label == "Phòng Quản lý khoa học")

    listed = officer_client.get(bar.urls[0])

    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == bar.values[0] == 3  # LĐTT, CSTĐCS, CSTĐ tỉnh of An


def test_the_list_is_paginated_and_exported(officer_client, register, office):
    for number in range(55):
        person = make_person(f"Người Thứ {number}", unit=office)
        record("LDTT", person=person, start=2019, decided=datetime.date(2020, 2, 1))

    page_two = officer_client.get(RECORDS, {"unit": "SKHCN", "from": 2019, "to": 2019, "page": 2, "as_of": "2026-01-01"})
    export = officer_client.get(reverse("reports:records_export"), {"unit": "SKHCN", "from": 2019, "to": 2019, "as_of": "2026-01-01"})

    assert page_two.status_code == 200
    assert page_two.context["page"].paginator.count == 55
    assert len(page_two.context["rows"]) == 5
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A2"].value == "STT" and sheet["D2"].value == "Danh hiệu, hình thức"
    assert sheet.max_row == 2 + 55
    assert {sheet.cell(row=r, column=11).value for r in range(3, 58)} == {"Văn phòng Sở"}


def test_the_list_uses_the_same_number_of_queries_for_one_or_many_rows(officer_client, register, office):
    params = {"unit": "SKHCN", "from": 2018, "to": 2018, "as_of": "2026-01-01"}
    person = make_person("Một Người", unit=office)
    record("LDTT", person=person, start=2018, decided=datetime.date(2019, 2, 1))
    with CaptureQueriesContext(connection) as one:
        officer_client.get(RECORDS, params)
    for name in ("Hai Người", "Ba Người"):
        record("LDTT", person=make_person(name, unit=office), start=2018, decided=datetime.date(2019, 2, 1))
    with CaptureQueriesContext(connection) as three:
        response = officer_client.get(RECORDS, params)

    assert response.context["page"].paginator.count == 3
    assert len(three) == len(one)


def test_a_unit_out_of_sight_is_not_found(outsider_client, register):
    assert outsider_client.get(OVERVIEW, {"unit": "SKHCN"}).status_code == 404
    assert outsider_client.get(RECORDS, {"unit": "SKHCN"}).status_code == 404


def test_staff_may_not_open_reports(staff_client, register):
    assert staff_client.get(OVERVIEW).status_code == 403


def test_bad_query_strings_say_what_is_wrong(officer_client, register):
    response = officer_client.get(OVERVIEW, {"unit": "SKHCN", "from": 2022, "to": 2020})
    unknown_award = officer_client.get(RECORDS, {"unit": "SKHCN", "award": "KHONG_CO"})
    foreign_bucket = officer_client.get(RECORDS, {"unit": "SKHCN_VP", "bucket": "SKHCN_QLKH"})

    assert response.status_code == 400
    assert "“Đến năm” phải bằng hoặc sau “Từ năm”." in response.content.decode()
    assert "Không có danh hiệu, hình thức khen thưởng mã “KHONG_CO”." in unknown_award.content.decode()
    assert "không trực thuộc Văn phòng Sở" in foreign_bucket.content.decode()


def test_the_successor_page_tells_which_units_were_merged_in(admin_client_, register):
    response = admin_client_.get(OVERVIEW, {"unit": "SKHCN_MOI", "from": 2020, "to": 2021, "as_of": "2026-01-01"})

    assert response.status_code == 200
    assert "Gồm cả số liệu của các đơn vị đã hợp nhất" in response.content.decode()
    assert [row[1] for row in response.context["category_totals"]] == [8, 4]


def test_form_pages_and_files(officer_client, register):
    params = {"unit": "SKHCN", "year": 2022}
    listing = officer_client.get(reverse("reports:form_list"), params)
    page = officer_client.get(reverse("reports:form_detail", args=["0603"]), params)
    workbook = officer_client.get(reverse("reports:form_xlsx", args=["0603"]), params)
    printed = officer_client.get(reverse("reports:form_pdf", args=["0603"]), params)

    assert listing.status_code == 200
    # For 2022 the forms of Circular 03/2018 were still in force.
    assert sorted(item["template"].slug for item in listing.context["items"] if item["in_force"]) == ["0701", "0702", "0703"]
    assert page.status_code == 200 and "chưa xác thực" in page.content.decode()
    assert "Mẫu này không phải mẫu có hiệu lực cho năm 2022." in page.content.decode()
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(workbook.content))["0603"]["A1"].value == "Biểu số: 0603.N/BNV-TĐKT"
    assert printed["Content-Type"] == "application/pdf" and printed.content.startswith(b"%PDF")
    assert officer_client.get(reverse("reports:form_detail", args=["9999"]), params).status_code == 404


def test_five_year_page_and_files(officer_client, register):
    params = {"unit": "SKHCN", "from": 2020, "to": 2021, "as_of": "2026-01-01"}
    page = officer_client.get(reverse("reports:five_year"), params)
    workbook = officer_client.get(reverse("reports:five_year_xlsx"), params)
    printed = officer_client.get(reverse("reports:five_year_pdf"), params)

    assert page.status_code == 200
    assert "BẢNG TỔNG HỢP KẾT QUẢ KHEN THƯỞNG GIAI ĐOẠN 2020–2021" in page.content.decode()
    assert load_workbook(io.BytesIO(workbook.content)).active["A3"].value == "BẢNG TỔNG HỢP KẾT QUẢ KHEN THƯỞNG GIAI ĐOẠN 2020–2021"
    assert printed.content.startswith(b"%PDF")


def test_person_history_page_pdf_and_workbook(officer_client, register):
    an = register["people"]["an"]

    page = officer_client.get(reverse("reports:person_history", args=[an.pk]))
    printed = officer_client.get(reverse("reports:person_history_pdf", args=[an.pk]))
    workbook = officer_client.get(reverse("reports:person_history_xlsx", args=[an.pk]))

    assert page.status_code == 200
    entries = page.context["history"].entries
    assert [entry.award_code for entry in entries] == ["LDTT", "LDTT", "CSTDCS", "CSTD_TINH", "BANG_KHEN_TTG"]
    # LĐTT 2020 was decided while An was in the office, which has since been merged.
    assert entries[0].unit_then.startswith("Văn phòng Sở") and entries[0].unit_now.startswith("Văn phòng Sở (sau hợp nhất)")
    assert entries[1].unit_then.startswith("Phòng Quản lý khoa học")
    assert printed.content.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet["A1"].value == "QUÁ TRÌNH KHEN THƯỞNG"


def test_revoked_awards_are_marked_in_the_history(officer_client, register):
    chi = register["people"]["chi"]

    history = officer_client.get(reverse("reports:person_history", args=[chi.pk])).context["history"]

    assert [(entry.award_code, entry.revoked) for entry in history.entries] == [("CSTDCS", True)]
    assert ("Số khen thưởng", "0") in history.facts


def test_unit_history_follows_the_merger_back(admin_client_, register):
    response = admin_client_.get(reverse("reports:unit_history", args=["SKHCN_MOI_VP"]))

    history = response.context["history"]
    assert {unit.code for unit in history.predecessors} == {"SKHCN_VP", "SKHCN_QLKH"}
    assert [entry.award_code for entry in history.entries] == ["TTLDTT", "BANG_KHEN_TTG"]


def test_history_of_someone_out_of_sight_is_not_found(outsider_client, register):
    an = register["people"]["an"]
    assert outsider_client.get(reverse("reports:person_history", args=[an.pk])).status_code == 404
    assert outsider_client.get(reverse("reports:unit_history", args=["SKHCN"])).status_code == 404


def test_staff_sees_their_own_history(staff_client, staff_person):
    assert staff_client.get(reverse("reports:person_history", args=[staff_person.pk])).status_code == 200


def test_person_and_unit_pages_link_to_the_history(officer_client, register):
    an = register["people"]["an"]
    person_page = officer_client.get(reverse("organizations:person_detail", args=[an.pk])).content.decode()
    unit_page = officer_client.get(reverse("organizations:unit_detail", args=["SKHCN_VP"])).content.decode()

    assert reverse("reports:person_history", args=[an.pk]) in person_page
    assert reverse("reports:unit_history", args=["SKHCN_VP"]) in unit_page


def test_the_sidebar_offers_reports_to_readers_only(officer_client, staff_client, register):
    assert "Thống kê, báo cáo" in officer_client.get(reverse("common:dashboard")).content.decode()
    assert "Thống kê, báo cáo" not in staff_client.get(reverse("common:dashboard")).content.decode()


def test_initiatives_list_and_export(officer_client, register, office):
    from thidua.records.services import initiative_create

    initiative_create(actor=None, authors=[register["people"]["an"]], title="Số hóa hồ sơ", kind="sang_kien",
                      unit=office, scope="co_so", recognized_on=datetime.date(2021, 5, 1))
    params = {"unit": "SKHCN", "from": 2020, "to": 2021, "year": 2021, "as_of": "2026-01-01"}

    listing = officer_client.get(reverse("reports:initiatives"), params)
    export = officer_client.get(reverse("reports:initiatives_export"), params)

    assert listing.context["page"].paginator.count == 1
    assert load_workbook(io.BytesIO(export.content)).active["B3"].value == "Số hóa hồ sơ"
