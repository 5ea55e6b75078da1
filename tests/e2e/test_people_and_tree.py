import datetime

import pytest

from tests.factories import make_person, make_unit
from thidua.organizations import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(office, office2):
    make_person("Nguyễn Văn An", unit=office)
    make_person("Nguyễn Thị Ánh", unit=office2)
    make_person("Trần Văn Bình", unit=office)
    make_person("Đặng Thị Đào", unit=office2)


def _results(page):
    return page.locator("#person-results tbody tr td:first-child").all_inner_texts()


def _search(page, text):
    with page.expect_response(lambda r: "/to-chuc/" in r.url and "q=" in r.url):
        page.fill("input[name=q]", text)
    page.wait_for_function("() => !document.querySelector('#person-results.htmx-request, .htmx-request')")


def test_search_a_person_with_and_without_diacritics(page, live_server, officer, people, login, screenshot):
    login("vanphong")
    page.goto(f"{live_server.url}/to-chuc/ca-nhan/")
    assert page.locator("h1").first.inner_text() == "Cá nhân"

    _search(page, "nguyen van an")
    assert page.locator("#person-results").get_by_role("link", name="Nguyễn Văn An").is_visible()
    assert page.locator("#person-results").get_by_text("Trần Văn Bình").count() == 0

    _search(page, "Đặng Thị Đào")
    assert page.locator("#person-results").get_by_role("link", name="Đặng Thị Đào").is_visible()
    assert page.locator("#person-results").get_by_text("Nguyễn Văn An").count() == 0

    _search(page, "dang thi dao")
    assert page.locator("#person-results").get_by_role("link", name="Đặng Thị Đào").is_visible()
    assert "q=dang%20thi%20dao" in page.url  # the URL keeps the search (htmx pushes it)
    screenshot("person-search")

    _search(page, "không có ai tên này")
    assert page.locator("#person-results .empty").is_visible()


def test_unit_tree_expands_collapses_and_shows_ceased_units(page, live_server, officer, department, office, office2, login, screenshot):
    old = make_unit("Chi cục Tiêu chuẩn Đo lường Chất lượng", parent=department, kind="chi_cuc", code="CCTDC")
    services.unit_update(actor=None, unit=old, valid_to=datetime.date(2025, 6, 30))
    login("vanphong")
    page.goto(f"{live_server.url}/to-chuc/don-vi/")
    tree = page.locator("ul.tree")
    assert tree.get_by_role("link", name="Sở Khoa học và Công nghệ").is_visible()
    assert tree.get_by_role("link", name="Văn phòng Sở").is_visible()
    assert tree.get_by_text("Chi cục Tiêu chuẩn Đo lường Chất lượng").count() == 0  # ceased today

    page.get_by_role("button", name="Thu gọn").click()
    assert not tree.get_by_role("link", name="Văn phòng Sở").is_visible()
    page.locator("ul.tree summary").first.click()
    assert tree.get_by_role("link", name="Văn phòng Sở").is_visible()

    page.fill("input[name=at]", "2020-08-10")
    page.get_by_role("button", name="Xem").click()
    assert tree.get_by_role("link", name="Chi cục Tiêu chuẩn Đo lường Chất lượng").is_visible()
    screenshot("unit-tree-2020")

    tree.get_by_role("link", name="Văn phòng Sở").click()
    assert page.locator("h1").first.inner_text() == "Văn phòng Sở"
