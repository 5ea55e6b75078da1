"""From a chart to the list behind it, in a real browser: the bar of a unit opens the list of exactly
the awards it counts, and the list exports to Excel."""

import pytest

from tests.reports.conftest import register  # noqa: F401  (the hand-counted register, as a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bar_of_the_units_chart_opens_its_list(page, live_server, officer, register, login, screenshot):  # noqa: F811
    login("vanphong")
    page.goto(f"{live_server.url}/thong-ke/?unit=SKHCN&from=2020&to=2021&as_of=2026-01-01")
    page.locator("#chart-units svg").wait_for()
    assert page.locator(".stat", has_text="Danh hiệu thi đua").locator(".stat-value").inner_text() == "8"
    screenshot("reports-overview")

    bar = page.locator('#chart-units a.chart-bar[href*="bucket=SKHCN_QLKH"][href*="category=danh_hieu"]')
    assert bar.count() == 1
    bar.click()
    page.wait_for_url("**/thong-ke/danh-sach/**")

    assert page.locator("#record-count").inner_text().startswith("3 lượt khen thưởng")
    assert page.locator(".narrowing .badge", has_text="Phòng Quản lý khoa học").count() == 1
    rows = page.locator("#results tbody tr")
    assert rows.count() == 3
    assert {rows.nth(i).locator("td").nth(2).inner_text() for i in range(3)} == {
        "Chiến sĩ thi đua cấp tỉnh", "Chiến sĩ thi đua cơ sở", "Lao động tiên tiến"
    }
    screenshot("reports-drilldown-list")

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    assert download.value.suggested_filename == "danh-sach-khen-thuong-SKHCN.xlsx"


def test_the_numbers_table_beside_a_chart_links_to_the_same_list(page, live_server, officer, register, login):  # noqa: F811
    login("vanphong")
    page.goto(f"{live_server.url}/thong-ke/?unit=SKHCN&from=2020&to=2021&as_of=2026-01-01")

    page.locator("#chart-years table a", has_text="1").first.click()
    page.wait_for_url("**/thong-ke/danh-sach/**")

    assert page.locator("#record-count").inner_text().startswith("1 lượt khen thưởng")
    assert "Lao động tiên tiến" in page.locator("#results tbody").inner_text()
