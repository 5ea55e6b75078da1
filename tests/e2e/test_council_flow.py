"""A council session in the browser: the secretary prepares it and opens voting, members vote on their own
pages (separate browser contexts, one of them a phone), the secretary watches the progress update, closes
and sees the tallies; the nominees become approved or rejected."""

import pytest

from tests.council.conftest import make_council, make_in_council
from tests.e2e.conftest import SCREENSHOTS
from thidua.nominations.models import Nominee

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _sign_in(browser, live_server, username: str, password: str, **context_args):
    context = browser.new_context(locale="vi-VN", **context_args)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _vote(page, live_server, session_id: int, choices: dict[int, str]) -> str:
    page.goto(f"{live_server.url}/hoi-dong/phien-hop/{session_id}/bo-phieu/")
    for nominee_id, choice in choices.items():
        page.locator(f"input[name=nominee_{nominee_id}][value={choice}]").check()
    page.get_by_role("button", name="Gửi phiếu").click()
    page.locator("[data-receipt]").wait_for()
    return page.locator("[data-receipt]").inner_text()


def test_secret_ballot_from_opening_to_tallies(browser, live_server, officer, manager, office, department, password):
    council, members = make_council(officer, department, size=5, prefix="hd")
    nominees = make_in_council(officer, manager, office=office, department=department, people=2)
    first, second = nominees

    secretary_context, secretary = _sign_in(browser, live_server, "hd2", password, viewport={"width": 1280, "height": 900})
    secretary.goto(f"{live_server.url}/hoi-dong/{council.pk}/phien-hop/them/")
    secretary.fill("input[name=place]", "Phòng họp Sở")
    secretary.get_by_role("button", name="Lập phiên họp").click()
    secretary.wait_for_url("**/hoi-dong/phien-hop/*/")
    session_id = int(secretary.url.rstrip("/").rsplit("/", 1)[1])
    assert secretary.get_by_text("Đã lập phiên họp.").is_visible()

    secretary.get_by_role("button", name="Gửi chương trình cho thành viên").click()
    secretary.wait_for_load_state()
    for membership in members:
        secretary.locator("#diem-danh").get_by_label(f"{membership.name} — {membership.get_role_display()}").check()
    secretary.get_by_role("button", name="Lưu điểm danh").click()
    secretary.wait_for_load_state()
    assert secretary.get_by_text("Đã ghi nhận 5 thành viên có mặt.").is_visible()
    _shot(secretary, "council-0-secretary-preparing")
    secretary.get_by_role("button", name="Mở bỏ phiếu").click()
    secretary.wait_for_load_state()
    progress = secretary.locator("[data-progress]")
    assert progress.inner_text() == "0/5"
    _shot(secretary, "council-1-secretary-voting-open")

    # Three members vote, each on their own device; the first on a phone.
    voters = [("hd1", {first.pk: "dong_y", second.pk: "khong_dong_y"}, {"viewport": PHONE, "is_mobile": True, "has_touch": True}),
              ("hd3", {first.pk: "dong_y", second.pk: "dong_y"}, {}),
              ("hd4", {first.pk: "dong_y", second.pk: "khong_bieu_quyet"}, {})]
    receipts = []
    contexts = [secretary_context]
    for number, (username, choices, device) in enumerate(voters, start=1):
        context, member = _sign_in(browser, live_server, username, password, **device)
        contexts.append(context)
        if number == 1:
            member.goto(f"{live_server.url}/hoi-dong/phien-hop/{session_id}/bo-phieu/")
            member.locator(f"input[name=nominee_{first.pk}][value=dong_y]").check()
            _shot(member, "council-2-member-ballot-phone")
        receipts.append(_vote(member, live_server, session_id, choices))
        if number == 1:
            _shot(member, "council-3-member-receipt-phone")
            # A second ballot is refused.
            member.goto(f"{live_server.url}/hoi-dong/phien-hop/{session_id}/bo-phieu/")
            assert member.get_by_text("Bạn đã bỏ phiếu trong phiên họp này.").is_visible()
        # The secretary's page updates by itself (htmx polling every 3 s), showing counts only.
        progress.filter(has_text=f"{number}/5").wait_for(timeout=10_000)
    assert len(set(receipts)) == 3
    page_text = secretary.locator("#tien-do").inner_text()
    assert "3/5 thành viên đã bỏ phiếu" in page_text
    assert "Đồng ý" not in page_text and "Không đồng ý" not in page_text
    _shot(secretary, "council-4-secretary-progress")

    secretary.get_by_label("Tôi xác nhận kết thúc biểu quyết; sau đó phiên họp không thể thay đổi.").check()
    secretary.get_by_role("button", name="Kết thúc biểu quyết").click()
    secretary.wait_for_url(f"**/hoi-dong/phien-hop/{session_id}/ket-qua/")
    rows = secretary.locator(".tally-table tbody tr")
    first_row = secretary.locator(f'.tally-table tr[data-nominee="{first.pk}"]').inner_text()
    second_row = secretary.locator(f'.tally-table tr[data-nominee="{second.pk}"]').inner_text()
    assert rows.count() == 2
    assert "60,00%" in first_row and "Được thông qua" in first_row
    assert "20,00%" in second_row and "Không được thông qua" in second_row
    _shot(secretary, "council-5-tally")

    # A member checks the receipt on the tally page.
    member = contexts[2].pages[0]
    member.goto(f"{live_server.url}/hoi-dong/phien-hop/{session_id}/ket-qua/")
    member.fill("input[name=code]", receipts[1])
    member.get_by_role("button", name="Kiểm tra").click()
    assert member.get_by_text("Biên nhận hợp lệ").is_visible()
    _shot(member, "council-6-receipt-checked")

    assert Nominee.objects.get(pk=first.pk).status == "approved"
    assert Nominee.objects.get(pk=second.pk).status == "rejected"
    for context in contexts:
        context.close()
