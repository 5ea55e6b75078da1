import datetime
import hashlib
import io

import pytest
from docx import Document

from thidua.common.documents import Letterhead, OfficialDocument, vietnamese_date


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2020, 8, 10), "Tiền Giang, ngày 10 tháng 8 năm 2020"),
        (datetime.date(2021, 1, 5), "Tiền Giang, ngày 05 tháng 01 năm 2021"),
        (datetime.date(2021, 2, 28), "Tiền Giang, ngày 28 tháng 02 năm 2021"),
        (datetime.date(2021, 3, 9), "Tiền Giang, ngày 09 tháng 3 năm 2021"),
    ],
)
def test_vietnamese_date_leading_zeros(day, text):
    assert vietnamese_date(day, "Tiền Giang") == text


def _letter(body_text: str) -> bytes:
    head = Letterhead("UBND tỉnh Tiền Giang", "Sở Khoa học và Công nghệ", "15/KH-SKHCN", "Tiền Giang", datetime.date(2020, 8, 10))
    document = OfficialDocument(head, "Kế hoạch", "Phát động phong trào thi đua giai đoạn 2020 – 2025")
    document.paragraph(body_text)
    document.signature(authority=["GIÁM ĐỐC"], name="Dương Văn Bon", recipients=["Các phòng, đơn vị", "Lưu: VT"])
    return document.to_bytes()


def test_official_document_layout_and_text():
    document = Document(io.BytesIO(_letter("Đẩy mạnh phong trào thi đua yêu nước.")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    header = document.tables[0]
    assert header.cell(0, 0).text.split("\n") == ["UBND TỈNH TIỀN GIANG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert header.cell(0, 1).text.split("\n") == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header.cell(1, 0).text == "Số: 15/KH-SKHCN"
    assert header.cell(1, 1).text == "Tiền Giang, ngày 10 tháng 8 năm 2020"
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "KẾ HOẠCH" in texts and "Đẩy mạnh phong trào thi đua yêu nước." in texts
    assert document.tables[-1].cell(0, 1).text.split("\n")[-1] == "Dương Văn Bon"


def test_same_content_gives_same_bytes_and_different_content_differs():
    first, again, other = _letter("Nội dung A."), _letter("Nội dung A."), _letter("Nội dung B.")
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(again).hexdigest()
    assert hashlib.sha256(first).hexdigest() != hashlib.sha256(other).hexdigest()


def test_same_content_gives_same_bytes_across_clock_seconds(monkeypatch):
    """python-docx stamps zip entries with the wall clock; the stored hash must not depend on it."""
    import time as time_module

    first = _letter("Nội dung A.")
    real = time_module.localtime
    monkeypatch.setattr(time_module, "localtime", lambda *args: real(time_module.time() + 3600))
    later = _letter("Nội dung A.")
    assert first == later
