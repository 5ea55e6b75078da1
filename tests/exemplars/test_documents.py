"""The generated documents, read back: the printable programme and the ceremony running order (PDF, text
extracted with pdftotext and pages rendered with pdftoppm), the invitations with their QR codes, the report
(DOCX, Decree 30 layout) and the news item worded like the seed's."""

import datetime
import io
import shutil
import subprocess

import pytest
from docx import Document

from tests.exemplars.conftest import pdf_text, pdf_to_png
from thidua.common.documents import generated_versions
from thidua.exemplars import documents, services_conferences, services_reviews, tokens
from thidua.exemplars.models import Invitation


@pytest.fixture
def held(officer, department, plan, guidance, issued, presentation, author_user, reviewer, assigned):
    """A conference held on the day of the decision, with an accepted presentation, the decision honoured,
    a launched movement, delegates (two present, one away) and its assessment."""
    conference = presentation.conference
    services_conferences.conference_update(actor=officer, conference=conference, held_on=issued.decision_date,
                                           submission_deadline=issued.decision_date - datetime.timedelta(days=1))
    services_reviews.presentation_decide(actor=officer, presentation=presentation, to="accepted")
    services_conferences.conference_decisions_set(actor=officer, conference=conference, decisions=[issued])
    services_conferences.conference_movement_launch(actor=officer, conference=conference, title="Phong trào thi đua yêu nước giai đoạn 2026 – 2030",
                                                    start=issued.decision_date, end=datetime.date(2030, 12, 31),
                                                    tasks=["Tăng cường sự chỉ đạo của Đảng ủy", "Đẩy mạnh công tác tuyên truyền"])
    services_conferences.agenda_default(actor=officer, conference=conference)
    conference = services_conferences.conference_transition(actor=officer, conference=conference, to="programme_published")
    present = [services_conferences.invitation_add(actor=officer, conference=conference, name=name, kind=kind, organisation="Sở Nội vụ")
               for name, kind in (("Lê Văn Khách", "guest"), ("Phạm Thị Nội Bộ", "internal"), ("Võ Văn Vắng", "internal"))]
    for invitation in present[:2]:
        services_conferences.check_in(actor=officer, conference=conference, token=invitation.token)
    services_conferences.invitation_rsvp(invitation=present[2], answer="declined")
    services_conferences.conference_update(actor=officer, conference=conference, outcome="Hội nghị diễn ra trang trọng, thành công.",
                                           report_number="15/BC-SKHCN", report_signer_name="Dương Văn Bon",
                                           news_byline="Bảo Sơn (Văn phòng Sở)", speech_text="Giám đốc Sở đề nghị các phòng, đơn vị thực hiện một số công việc trọng tâm như sau:")
    return services_conferences.conference_transition(actor=officer, conference=conference, to="held")


def test_programme_pdf_has_the_agenda_and_the_honourees(held, tmp_path):
    content = documents.programme_pdf(held)
    text = pdf_text(content, tmp_path)
    assert text.startswith("ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG SỞ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert "CHƯƠNG TRÌNH" in text and "HỘI NGHỊ ĐIỂN HÌNH TIÊN TIẾN GIAI ĐOẠN 2020 – 2025" in text
    for piece in ("07:30 – 07:50", "Tham luận: Ứng dụng chữ ký số trong văn thư", "Nguyễn Thị Tác Giả – Văn phòng Sở",
                  "Giấy khen cho 01 tập thể và 03 cá nhân", "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG TẠI HỘI NGHỊ",
                  "Nguyễn Văn Ánh", "Trần Thị Bích Ngọc", "Bế mạc hội nghị"):
        assert piece in text, piece
    pages = pdf_to_png(content, tmp_path, resolution=60)
    assert len(pages) >= 1 and all(page.stat().st_size > 5000 for page in pages)


def test_ceremony_running_order_calls_the_collective_then_the_individuals_in_turns(held, officer, tmp_path):
    held.ceremony_batch_size = 2
    held.save(update_fields=["ceremony_batch_size"])
    batches = documents.ceremony_batches(held)
    assert [len(batch["lines"]) for batch in batches] == [1, 2, 1] and batches[0]["collective"]
    text = pdf_text(documents.ceremony_pdf(held), tmp_path)
    assert "KỊCH BẢN TRAO KHEN THƯỞNG" in text and f"Quyết định số {held.decisions.get().reference}" in text
    assert "Lượt 1: 01 tập thể" in text and "Lượt 2: 02 cá nhân" in text and "Lượt 3: 01 cá nhân" in text
    assert "Mời Dương Văn Bon, Giám đốc Sở Khoa học và Công nghệ lên trao khen thưởng (3 lượt)." in text


def test_invitations_carry_a_qr_that_decodes_to_the_invitation(held, tmp_path):
    invitation = Invitation.objects.filter(conference=held).first()
    content = documents.invitations_pdf(held, [invitation], base_url="http://thidua.example.vn")
    text = pdf_text(content, tmp_path)
    assert "GIẤY MỜI" in text and invitation.name in text and tokens.format_token(invitation.token) in text
    assert f"http://thidua.example.vn/thu-moi/{invitation.token}" in text
    zbar = shutil.which("zbarimg")
    if zbar:  # decode the printed QR when a reader is installed
        (page,) = pdf_to_png(content, tmp_path, resolution=150)
        decoded = subprocess.run([zbar, "-q", "--raw", str(page)], capture_output=True, text=True).stdout.strip()
        assert tokens.normalise_token(decoded) == invitation.token


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_report_in_the_decree_30_layout_with_everything_the_issue_lists(held):
    content = documents.report_docx(held)
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm), round(section.left_margin.mm)) == (210, 297, 30)
    text = _docx_text(content)
    decision = held.decisions.get()
    for piece in (
        "Số: 15/BC-SKHCN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Kết quả hội nghị điển hình tiên tiến giai đoạn 2020 – 2025",
        "Kế hoạch số 204/KH-UBND ngày 12 tháng 7 năm 2019 của Ủy ban nhân dân tỉnh Tiền Giang về tổ chức Hội nghị điển hình tiên tiến",
        "Hướng dẫn số 140/HD-SNV ngày 22 tháng 8 năm 2019 của Sở Nội vụ tỉnh Tiền Giang",
        "I. MỤC ĐÍCH CỦA HỘI NGHỊ", "- Tổng kết phong trào thi đua yêu nước giai đoạn 2020 – 2025.",
        "Ban Tổ chức đã mời 3 đại biểu (2 đại biểu trong cơ quan, 1 khách mời); 0 đại biểu xác nhận tham dự, 1 đại biểu báo vắng. "
        "Có mặt tại Hội nghị: 2 đại biểu (1 đại biểu trong cơ quan, 1 khách mời).",
        "1. “Ứng dụng chữ ký số trong văn thư” – Nguyễn Thị Tác Giả (Văn phòng Sở).",
        f"Giấy khen cho 01 tập thể và 03 cá nhân điển hình tiên tiến trong phong trào thi đua yêu nước giai đoạn 2020 – 2025 (Quyết định số {decision.reference}",
        "phát động phong trào thi đua yêu nước giai đoạn 2026 – 2030", "- Tăng cường sự chỉ đạo của Đảng ủy",
        "VII. ĐÁNH GIÁ CHUNG", "Hội nghị diễn ra trang trọng, thành công.", "GIÁM ĐỐC", "Dương Văn Bon", "Nơi nhận:",
    ):
        assert piece in text, piece
    assert "Nguyễn Văn Ánh" in text and "Văn phòng Sở" in text  # the honourees' table


def test_news_item_reads_like_the_seed(held):
    text = documents.news_text(held)
    paragraphs = text.strip().split("\n\n")
    assert paragraphs[0] == "Hội nghị điển hình tiên tiến giai đoạn 2020 – 2025"
    assert paragraphs[1].startswith("Thực hiện Kế hoạch số 204/KH-UBND ngày 12 tháng 7 năm 2019 của Ủy ban nhân dân tỉnh Tiền Giang về tổ chức")
    assert f"Ngày {held.held_on.day}/{held.held_on.month}/{held.held_on.year}, Sở Khoa học và Công nghệ đã tiến hành tổ chức hội nghị" in paragraphs[1]
    assert paragraphs[1].endswith("nhằm mục đích:") and paragraphs[2] == "- Tổng kết phong trào thi đua yêu nước giai đoạn 2020 – 2025."
    assert ("Trong dịp này, Giám đốc Sở Khoa học và Công nghệ đã tặng Giấy khen cho 01 tập thể và 03 cá nhân điển hình tiên tiến trong "
            "phong trào thi đua yêu nước giai đoạn (2020 - 2025).") in text
    assert "Tại Hội nghị này, các đại biểu cũng đã được nghe và chia sẻ kinh nghiệm với 01 tham luận" in text
    assert ("Đến dự Hội nghị, ông Dương Văn Bon, Giám đốc Sở Khoa học và Công nghệ đã phát biểu chỉ đạo và phát động phong trào thi đua yêu nước "
            "giai đoạn 2026 – 2030.") in text
    assert paragraphs[-3:] == ["- Tăng cường sự chỉ đạo của Đảng ủy", "- Đẩy mạnh công tác tuyên truyền", "Bảo Sơn (Văn phòng Sở)"]


def test_reporting_stores_versions_and_regenerating_adds_one(held, officer):
    held = services_conferences.conference_transition(actor=officer, conference=held, to="reported")
    documents.conference_report_generate(actor=officer, conference=held)
    versions = list(generated_versions(held, documents.REPORT_KIND).order_by("version"))
    assert [version.version for version in versions] == [1, 2]
    # The same content gives the same bytes: the report's hash is stable.
    assert versions[0].sha256 == versions[1].sha256


def test_pdf_renders_look_right(held, tmp_path):
    """Writes the rendered pages to var/screenshots for a person to look at."""
    from tests.e2e.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, content in (("programme", documents.programme_pdf(held)), ("ceremony", documents.ceremony_pdf(held)),
                          ("invitation", documents.invitations_pdf(held, list(held.invitations.all()[:1])))):
        for index, page in enumerate(pdf_to_png(content, tmp_path, resolution=70), start=1):
            shutil.copy(page, SCREENSHOTS / f"exemplars-{name}-{index}.png")
