"""The call for presentations in the browser: a staff member submits a presentation with its file, the blind
reviewer (who never sees the author) scores it, the organiser accepts it, builds the programme from it and
publishes it; the programme is then on the public conference page, with no login."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.exemplars.conftest import AUTHOR_NAME, docx_by, make_conference
from tests.factories import make_person, make_user
from thidua.exemplars import services_conferences
from thidua.exemplars.models import Presentation

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _sign_in(browser, live_server, username: str, password: str):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_from_submission_to_the_published_programme(browser, live_server, officer, department, office, password, tmp_path):
    conference = make_conference(officer, department, held_on=datetime.date.today() + datetime.timedelta(days=30))
    services_conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")
    reviewer = make_user("phanbien", role="council_member", unit=department,
                         person=make_person("Trần Văn Phản Biện", unit=department, position="Phó Giám đốc Sở"))
    services_conferences.reviewer_assign(actor=officer, conference=conference, user=reviewer)
    author = make_user("tacgia", role="staff", unit=office, person=make_person(AUTHOR_NAME, unit=office, position="Chuyên viên"))
    upload = tmp_path / "tham-luan.docx"
    upload.write_bytes(docx_by(AUTHOR_NAME))

    # 1. The staff member submits from the conference page.
    context, page = _sign_in(browser, live_server, author.username, password)
    page.goto(f"{live_server.url}/hoi-nghi/")
    page.get_by_role("link", name=conference.title).click()
    page.get_by_role("link", name="Gửi tham luận").click()
    page.get_by_label("Tên tham luận").fill("Số hóa hồ sơ thi đua, khen thưởng")
    page.get_by_label("Tóm tắt").fill("Kinh nghiệm số hóa hồ sơ khen thưởng.")
    page.get_by_label("Tệp tham luận (PDF hoặc DOCX)").set_input_files(str(upload))
    page.get_by_role("button", name="Gửi tham luận").click()
    expect(page.get_by_text("Đã gửi tham luận.")).to_be_visible()
    expect(page.get_by_text(AUTHOR_NAME).first).to_be_visible()
    presentation = Presentation.objects.get()
    assert presentation.blind_source == "auto"
    _shot(page, "conference-1-submitted")
    context.close()

    # 2. The reviewer scores it without ever seeing who wrote it.
    context, page = _sign_in(browser, live_server, reviewer.username, password)
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/phan-bien/")
    page.get_by_role("link", name="Số hóa hồ sơ thi đua, khen thưởng").click()
    assert AUTHOR_NAME not in page.content() and "Văn phòng Sở" not in page.content()
    for criterion, points in zip(conference.criteria.all(), (35, 34, 18), strict=True):
        page.get_by_label(re.compile(rf"^{re.escape(criterion.name)} ")).fill(str(points))
    page.get_by_label("Đề nghị chọn").check()
    page.get_by_label("Nhận xét").fill("Thiết thực, có thể nhân rộng.")
    _shot(page, "conference-2-blind-review")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Đã gửi đánh giá.")).to_be_visible()
    expect(page.get_by_text("Đã chấm: 87 điểm")).to_be_visible()
    context.close()

    # 3. The organiser accepts it, builds the programme and publishes it.
    context, page = _sign_in(browser, live_server, officer.username, password)
    page.goto(f"{live_server.url}/hoi-nghi/tham-luan/{presentation.pk}/")
    expect(page.get_by_text("Thiết thực, có thể nhân rộng.")).to_be_visible()
    page.get_by_label("Được chọn trình bày").check()
    page.get_by_label("Ý kiến gửi tác giả").fill("Trình bày 15 phút.")
    page.get_by_role("button", name="Gửi quyết định cho tác giả").click()
    expect(page.get_by_text("Tác giả đã được thông báo.")).to_be_visible()
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/chuong-trinh/")
    page.get_by_role("button", name="Tạo chương trình mẫu").click()
    expect(page.get_by_text("Tham luận: Số hóa hồ sơ thi đua, khen thưởng")).to_be_visible()
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/")
    page.get_by_role("button", name="Công bố chương trình").click()
    expect(page.get_by_text("Hội nghị: Đã công bố chương trình.")).to_be_visible()
    _shot(page, "conference-3-published")
    context.close()

    # 4. Anyone sees it, without signing in.
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/vinh-danh/hoi-nghi/")
    page.get_by_role("link", name=conference.title).click()
    expect(page.get_by_role("heading", name=conference.title)).to_be_visible()
    expect(page.get_by_text("Tham luận: Số hóa hồ sơ thi đua, khen thưởng")).to_be_visible()
    expect(page.get_by_text(AUTHOR_NAME).first).to_be_visible()  # accepted and on the programme: the speaker is public
    _shot(page, "conference-4-public")
    context.close()
