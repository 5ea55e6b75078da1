"""A dossier's round trip in the browser: the unit sends it, the officer receives it and returns it with what
to complete, the unit adds the missing document and sends it again, the officer sees what changed and sends it
to the council. The dossier is prepared through the services up to the point of sending; every step after
that is done in the page."""

import datetime
import re

import pytest

from tests.factories import make_person
from thidua.nominations import attachments, services
from thidua.nominations.enums import AttachmentKind
from thidua.nominations.models import Nomination
from thidua.records.services import rating_set
from thidua.rules.models import AwardType

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Đề nghị tặng Giấy khen năm 2025 — Văn phòng Sở"
REASON = "Hồ sơ đề nghị khen thưởng tập thể chưa có báo cáo thành tích riêng của tập thể."
ITEMS = ["Bổ sung báo cáo thành tích của tập thể Văn phòng Sở năm 2025", "Ghi rõ số phiếu đồng ý trong biên bản họp xét"]


def _pdf(text: str) -> bytes:
    """A one-page PDF with one line of (ASCII) text and a correct cross-reference table."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


@pytest.fixture
def dossier(officer, manager, department, office):
    """A draft with a person and the office itself proposed for Giấy khen, and the three documents of a form
    dossier (tờ trình, báo cáo thành tích, biên bản xét khen thưởng)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = datetime.date.today()
    round_ = services.round_create(
        actor=officer, awarding_unit=department, title=f"Khen thưởng tổng kết năm {today.year - 1}", track="chuyen_de",
        period_start=today.year - 1, period_end=today.year - 1, opens_on=today - datetime.timedelta(days=10),
        submission_deadline=today + datetime.timedelta(days=20), accepted_awards=AwardType.objects.filter(code="GIAY_KHEN"),
    )
    person = make_person("Nguyễn Văn An", unit=office, recruited_on=datetime.date(2015, 1, 1))
    rating_set(actor=None, person=person, year=today.year - 1, rating="HTXSNV")
    nomination = services.nomination_create(actor=manager, round=round_, proposing_unit=office, title=TITLE)
    giay_khen = AwardType.objects.get(code="GIAY_KHEN")
    services.nominee_add(actor=manager, nomination=nomination, award=giay_khen, person=person,
                         summary="Hoàn thành xuất sắc nhiệm vụ tham mưu tổng hợp.")
    services.nominee_add(actor=manager, nomination=nomination, award=giay_khen, unit=office, summary="Hoàn thành tốt nhiệm vụ năm.")
    for kind, name in [(AttachmentKind.COVER_LETTER, "to-trinh.pdf"), (AttachmentKind.ACHIEVEMENT_REPORT, "bao-cao-thanh-tich-ca-nhan.pdf"),
                       (AttachmentKind.AWARD_MINUTES, "bien-ban-hop-xet.pdf")]:
        attachments.nomination_attachment_add(actor=manager, nomination=nomination, kind=kind, file=SimpleUploadedFile(name, _pdf(name)))
    return nomination


def _act(page, label: str) -> None:
    """Press the workflow button whose label names the target status (in the "Xử lý hồ sơ" card)."""
    page.locator("#xu-ly").get_by_role("button", name=re.compile(label)).click()
    page.wait_for_load_state()


def _status(page) -> str:
    return page.locator(".page-head .subtitle").inner_text()


def _switch(page, login, username: str) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    login(username)


def test_unit_sends_officer_returns_unit_completes_officer_sends_to_council(page, live_server, dossier, login, screenshot, tmp_path):
    detail = f"{live_server.url}/ho-so/{dossier.pk}/"

    # The unit manager sends the draft.
    login("truongphong")
    page.goto(detail)
    assert "Dự thảo" in _status(page)
    assert page.locator("#tai-lieu").get_by_text("còn thiếu").count() == 0
    _act(page, "Đã gửi")
    assert "Đã gửi" in _status(page)
    assert page.get_by_text("Hồ sơ đã chuyển sang “Đã gửi”.").is_visible()
    screenshot("nomination-1-sent")

    # The officer finds it in "waiting for me", receives it and returns it with what to complete.
    _switch(page, login, "vanphong")
    page.goto(f"{live_server.url}/ho-so/")
    page.get_by_role("link", name=re.compile("Chờ tôi xử lý")).click()
    page.wait_for_load_state()
    page.locator("#results").get_by_role("link", name=TITLE).click()
    page.wait_for_url(detail)
    _act(page, "Đang thẩm định")
    assert "Đang thẩm định" in _status(page)
    assert page.locator("#thong-tin").get_by_text("Hạn thẩm định").is_visible()
    page.get_by_label("Ghi chú, lý do").fill(REASON)
    page.get_by_label(re.compile("Nội dung cần bổ sung")).fill("\n".join(ITEMS))
    _act(page, "Trả lại")
    assert "Trả lại để bổ sung" in _status(page)
    screenshot("nomination-2-returned-by-officer")

    # The unit sees the banner with the items, uploads the missing report and sends the dossier again.
    _switch(page, login, "truongphong")
    page.goto(detail)
    banner = page.locator(".alert-warning")
    assert "Hồ sơ bị trả lại để bổ sung." in banner.inner_text()
    assert REASON in banner.inner_text()
    assert banner.locator("li").all_inner_texts() == ITEMS
    screenshot("nomination-3-returned-banner")
    upload = page.locator("#tai-lieu form[enctype='multipart/form-data']")
    upload.get_by_label("Loại tài liệu").select_option(label="Báo cáo thành tích")
    path = tmp_path / "bao-cao-thanh-tich-tap-the.pdf"
    path.write_bytes(_pdf("Bao cao thanh tich tap the Van phong So"))
    upload.locator("input[type=file]").set_input_files(str(path))
    upload.get_by_role("button", name="Tải lên").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã đính kèm “bao-cao-thanh-tich-tap-the.pdf”.").is_visible()
    assert page.locator("#tai-lieu").get_by_role("link", name="bao-cao-thanh-tich-tap-the.pdf").is_visible()
    _act(page, "Đã gửi")
    assert "Đã gửi" in _status(page)
    assert page.locator(".alert-warning").count() == 0

    # The officer sees both submissions and what changed, receives it again and sends it to the council.
    _switch(page, login, "vanphong")
    page.goto(f"{live_server.url}/ho-so/?tab=cho-toi")
    row = page.locator("#results tr", has_text=TITLE)
    assert "gửi lần 2" in row.inner_text()
    row.get_by_role("link", name=TITLE).click()
    page.wait_for_url(detail)
    timeline = page.locator("#lich-su")
    steps = timeline.locator("ol > li")
    assert steps.count() == 4
    assert "Dự thảo → Đã gửi" in steps.nth(0).inner_text()
    assert "Trả lại để bổ sung" in steps.nth(2).inner_text() and ITEMS[0] in steps.nth(2).inner_text()
    assert "Trả lại để bổ sung → Đã gửi" in steps.nth(3).inner_text()
    assert "Bổ sung tài liệu: Báo cáo thành tích — bao-cao-thanh-tich-tap-the.pdf" in steps.nth(3).inner_text()
    screenshot("nomination-4-timeline-what-changed")
    _act(page, "Đang thẩm định")
    _act(page, "Trình Hội đồng")
    assert "Trình Hội đồng" in _status(page)
    nominees = page.locator("#de-nghi tbody tr", has_text="Giấy khen")
    assert nominees.count() == 2
    assert all("Trình Hội đồng" in text for text in nominees.all_inner_texts())
    assert timeline.locator("ol > li").count() == 6
    screenshot("nomination-5-in-council")

    dossier = Nomination.objects.get(pk=dossier.pk)
    assert (dossier.status, dossier.submission_count) == ("in_council", 2)
    assert list(dossier.transitions.values_list("to_status", flat=True)) == [
        "submitted", "under_review", "returned", "submitted", "under_review", "in_council",
    ]
