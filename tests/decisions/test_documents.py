"""The decision as DOCX (opened with python-docx) and as PDF (converted by LibreOffice), the certificates and
the payment list as PDF: each rendered to PNG with poppler and checked for page count and text, with the
Vietnamese diacritics intact and the fonts embedded."""

import hashlib
import io
import shutil

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.decisions.conftest import approved_dossier, issue, pdf_fonts, pdf_text, pdf_to_png
from tests.factories import make_person
from thidua.decisions import certificates, documents, payments, services
from thidua.decisions.models import Certificate


def _docx_text(content: bytes) -> tuple[list[str], list]:
    document = Document(io.BytesIO(content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(paragraph.text for paragraph in cell.paragraphs)
    return paragraphs, document.tables


def test_issued_docx_is_stored_once_with_its_hash_and_reads_back(issued):
    stored = documents.issued_docx(issued)
    content = stored.file.read()
    assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.version == 1
    assert stored.filename == f"quyet-dinh-01-{issued.year}-skhcn.docx"
    text, tables = _docx_text(content)
    assert "Số: 01/QĐ-SKHCN" in text
    assert "QUYẾT ĐỊNH" in text and "QUYẾT ĐỊNH:" in text
    assert "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text
    assert "Căn cứ Nghị định 152/2025/NĐ-CP;" in text
    assert "Điều 1. Tặng Giấy khen cho các tập thể, cá nhân:" in text
    assert "1. Tập thể Văn phòng Sở, Sở Khoa học và Công nghệ;" in text
    assert "3. Bà Trần Thị Bích Ngọc, Phó Chánh Văn phòng, Văn phòng Sở;" in text
    assert any(line.startswith("Tổng số tiền thưởng: 3.800.000 đồng (Bằng chữ: Ba triệu tám trăm nghìn đồng).") for line in text)
    assert "Dương Văn Bon" in text and "- Như Điều 3;" in text
    # The letterhead and the signature block are tables without borders; no annex in this short decision.
    assert len(tables) == 2


def test_a_long_decision_carries_the_annex_list(officer, manager, signer, office, round_):
    people = [make_person(f"Nguyễn Văn Số {index:02d}", unit=office, gender="nam") for index in range(12)]
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people, collectives=[office])
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    assert decision.with_annex
    issue(decision, officer=officer, signer=signer)
    text, tables = _docx_text(documents.issued_docx(decision).file.read())
    assert "Điều 1. Tặng Giấy khen cho 01 tập thể và 12 cá nhân (có danh sách kèm theo), đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025." in text
    assert "DANH SÁCH" in text
    assert any(line.startswith("(Kèm theo Quyết định số 01/QĐ-SKHCN ngày ") and line.endswith("của Giám đốc Sở Khoa học và Công nghệ)") for line in text)
    annex = tables[-1]
    # Header, "I. TẬP THỂ", 1 collective, "II. CÁ NHÂN", 12 people, total.
    assert len(annex.rows) == 1 + 1 + 1 + 1 + 12 + 1
    assert [cell.text for cell in annex.rows[-2].cells][:2] == ["12", "Ông Nguyễn Văn Số 11"]
    assert annex.rows[-1].cells[-1].text == "10.640.000"


def test_draft_preview_has_a_blank_number_and_is_not_stored(draft):
    text, _tables = _docx_text(documents.decision_docx(draft))
    assert "Số:         /QĐ-SKHCN" in text
    assert documents.issued_docx(draft) is None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: scripts/test installs libreoffice-writer-nogui")
def test_libreoffice_converts_the_decision_and_the_pdf_reads_right(issued, tmp_path):
    stored = documents.decision_pdf(issued)
    content = stored.file.read()
    assert content.startswith(b"%PDF-") and stored.sha256 == hashlib.sha256(content).hexdigest()
    pages = pdf_to_png(content, tmp_path)
    assert len(pages) == 2 and all(page.stat().st_size > 1000 for page in pages)
    text = pdf_text(content, tmp_path)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 01/QĐ-SKHCN", "QUYẾT ĐỊNH", "Trần Thị Bích Ngọc", "Nguyễn Văn Ánh",
                     "Ba triệu tám trăm nghìn đồng", "Dương Văn Bon"):
        assert expected in text, expected
    # Kept: a second request returns the same stored version.
    assert documents.decision_pdf(issued).pk == stored.pk


def test_conversion_says_clearly_when_libreoffice_is_missing(monkeypatch, issued):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(documents.ConversionError) as error:
        documents.docx_to_pdf(b"PK")
    assert "libreoffice-writer-nogui" in error.value.message


def test_revocation_decision_docx_lists_what_to_return(issued, officer, signer):
    records = [line.award_record_id for line in issued.recipients.order_by("order")[1:3]]
    revocation = services.revocation_draft(actor=officer, records=records, ground="khai_man", reason="Báo cáo thành tích kê khai sáng kiến không có thật")
    revocation = issue(revocation, officer=officer, signer=signer)
    text, tables = _docx_text(documents.issued_docx(revocation).file.read())
    assert revocation.reference == "02/QĐ-SKHCN" and "Số: 02/QĐ-SKHCN" in text
    assert ("Điều 1. Hủy bỏ khen thưởng đối với 02 cá nhân có tên dưới đây, lý do: gian dối, kê khai không đúng thành tích để được "
            "khen thưởng; báo cáo thành tích kê khai sáng kiến không có thật.") in text
    assert any(line.startswith("1. Nguyễn Văn Ánh — Giấy khen, Quyết định số 01/QĐ-SKHCN ngày ") for line in text)
    assert any("trong thời hạn 15 ngày làm việc kể từ ngày ký Quyết định này (hạn cuối: ngày " in line for line in text)
    (returns,) = [table for table in tables if table.rows[0].cells[-1].text == "Tiền thưởng nộp lại (đồng)"]
    assert [[cell.text for cell in row.cells] for row in returns.rows[1:]] == [
        ["1", "Nguyễn Văn Ánh", "Giấy khen", "760.000"], ["2", "Trần Thị Bích Ngọc", "Giấy khen", "760.000"], ["", "Tổng cộng", "", "1.520.000"]]


def test_certificates_pdf_one_page_each_with_text_qr_and_embedded_fonts(issued, tmp_path):
    content = certificates.render_certificates(certificates.certificate_texts(issued, base_url="https://thidua.example.gov.vn"))
    pages = pdf_to_png(content, tmp_path)
    assert len(pages) == 4
    text = pdf_text(content, tmp_path)
    assert text.count("GIẤY KHEN") == 4
    assert "Tập thể Văn phòng Sở" in text and "Bà Trần Thị Bích Ngọc" in text and "Ông Nguyễn Văn Ánh" in text
    assert "Quyết định số 01/QĐ-SKHCN" in text and "Số sổ: 001/" in text
    for code in Certificate.objects.filter(decision=issued).values_list("code", flat=True):
        assert certificates.format_code(code) in text
    fonts = pdf_fonts(content, tmp_path)
    assert "LiberationSerif" in fonts
    for line in fonts.splitlines()[2:]:
        assert line.split()[-5] == "yes", line  # the "emb" column
    # The QR codes were computed once and kept for the next print.
    assert set(Certificate.objects.filter(decision=issued).values_list("qr_payload", flat=True)) == {
        f"HTTPS://THIDUA.EXAMPLE.GOV.VN/XAC-THUC/{code}" for code in Certificate.objects.filter(decision=issued).values_list("code", flat=True)}


def test_overlay_mode_prints_only_the_fields_and_the_test_print_draws_a_grid(issued, officer, department, tmp_path):
    template = certificates.template_save(actor=officer, unit=department, name="Phôi Giấy khen 2020", width_mm=297, height_mm=210,
                                          fields={"position": {"visible": False}, "name": {"x": 60, "y": 80, "size": 28}})
    content = certificates.render_certificates(certificates.certificate_texts(issued), mode="overlay", template=template)
    assert len(pdf_to_png(content, tmp_path)) == 4
    text = pdf_text(content, tmp_path)
    assert "GIẤY KHEN" not in text and "CỘNG HÒA" not in text  # printed on the blank already
    assert "Nguyễn Văn Ánh" in text and "Chuyên viên" not in text  # the hidden field stays blank
    grid = pdf_text(certificates.test_print(template), tmp_path)
    assert "Họ tên, tên tập thể (x=60.0, y=80.0, rộng 197.0 mm)" in grid
    assert "In thử mẫu phôi “Phôi Giấy khen 2020” — 297 × 210 mm" in grid


def test_payment_list_pdf_and_xlsx(issued, tmp_path):
    content = payments.payments_pdf(issued)
    assert len(pdf_to_png(content, tmp_path)) == 1
    text = pdf_text(content, tmp_path)
    assert "DANH SÁCH CHI TIỀN THƯỞNG" in text and "Số tiền bằng chữ: Ba triệu tám trăm nghìn đồng." in text
    assert "Bà Trần Thị Bích Ngọc" in text and "2.530.000" in text and "3.800.000" in text
    sheet = load_workbook(io.BytesIO(payments.payments_xlsx(issued))).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    header = rows.index(tuple(payments.HEADERS))
    assert rows[header + 1][:7] == (1, "Tập thể Văn phòng Sở", "Sở Khoa học và Công nghệ", "Giấy khen", "0,6", 2530000, 1520000)
    assert rows[header + 5][1] == "Tổng cộng" and rows[header + 5][6] == 3800000
    assert rows[header + 7][0] == "Số tiền bằng chữ: Ba triệu tám trăm nghìn đồng."
