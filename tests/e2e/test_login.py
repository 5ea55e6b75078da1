import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_and_logout_in_browser(page, live_server, officer, login, screenshot):
    login("vanphong")
    assert page.locator("h1").first.inner_text() == "Tổng quan"
    assert page.locator(".sidebar").get_by_text("Cá nhân").is_visible()
    screenshot("dashboard")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_server.url}/tai-khoan/dang-nhap/")
    assert page.get_by_text("Bạn đã đăng xuất.").is_visible()


def test_wrong_password_shows_message_in_browser(page, live_server, officer, screenshot):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", "vanphong")
    page.fill("input[name=password]", "mat-khau-sai")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    screenshot("login-error")
