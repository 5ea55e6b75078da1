import datetime

import pytest

from tests.factories import make_person
from thidua.movements.services import movement_create
from thidua.rules.models import AwardType

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft_movement(officer, department, office, office2):
    make_person("Nguyễn Văn An", unit=office)
    make_person("Trần Thị Bích", unit=office)
    today = datetime.date.today()
    return movement_create(
        actor=officer,
        title="Thi đua hoàn thành xuất sắc nhiệm vụ năm " + str(today.year),
        kind="theo_dot",
        launching_unit=department,
        start=today,
        end=today + datetime.timedelta(days=300),
        registration_deadline=today + datetime.timedelta(days=30),
        purpose="Động viên công chức, viên chức hoàn thành xuất sắc nhiệm vụ.",
        tasks=["Đẩy mạnh cải cách hành chính", "Ứng dụng công nghệ thông tin"],
        planned_awards=list(AwardType.objects.filter(code__in=["LDTT", "CSTDCS", "TTLDTT"])),
    )


def _stat(page, label):
    return page.locator(".stat", has_text=label).locator(".stat-value").inner_text()


def test_launch_register_and_watch_the_dashboard(page, live_server, officer, manager, draft_movement, login, screenshot):
    page.on("dialog", lambda dialog: dialog.accept())  # the launch button asks for confirmation
    detail = f"{live_server.url}/phong-trao/{draft_movement.pk}/"

    login("vanphong")
    page.goto(detail)
    page.get_by_role("button", name="Phát động phong trào").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã phát động").first.is_visible()
    assert _stat(page, "đơn vị đã đăng ký") == "0/3"
    page.get_by_role("button", name="Đăng xuất").click()

    login("truongphong")
    page.goto(f"{live_server.url}/phong-trao/{draft_movement.pk}/dang-ky/?unit=SKHCN_VP")
    page.locator("#register-title").wait_for()
    page.get_by_label("TTLĐTT", exact=True).check()
    page.get_by_label("Nguyễn Văn An: LĐTT", exact=True).check()
    page.get_by_role("button", name="Lưu đăng ký").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã đăng ký").first.is_visible()
    screenshot("movement-registration")
    page.get_by_role("button", name="Đăng xuất").click()

    login("vanphong")
    page.goto(detail)
    assert _stat(page, "đơn vị đã đăng ký") == "1/3"
    assert _stat(page, "cá nhân đã đăng ký") == "1"
    screenshot("movement-dashboard")
