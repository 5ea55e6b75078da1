"""The minutes and the vote-count report, opened with python-docx: Decree 30 layout, attendance, counts
and percentages per nominee, the resulting list; stored as versions with their hash."""

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from tests.council.conftest import ballot, make_in_council, open_session, scan
from thidua.common.models import GeneratedDocument
from thidua.council import ballots, documents, services


@pytest.fixture
def closed(council, members, nominees):
    session = open_session(council, members, nominees, present=members[:8])
    for index, membership in enumerate(members[:8]):
        first = "dong_y" if index < 7 else "khong_dong_y"
        ballots.ballot_cast(actor=membership.user, session=session, votes=ballot(nominees, first, "dong_y" if index < 5 else "khong_dong_y", "khong_bieu_quyet"))
    ballots.written_vote_enter(actor=members[1].user, session=session, membership=members[9], votes=ballot(nominees, "dong_y"), document=scan())
    return services.session_close(actor=members[1].user, session=session, conclusion="Đề nghị Giám đốc Sở tặng Giấy khen.")


def _open(stored: GeneratedDocument):
    with stored.file.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _rows(document, header: str) -> list[list[str]]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT" and header in [c.text for c in t.rows[0].cells])
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_minutes_hold_attendance_quorum_counts_and_the_resulting_list(closed, members, nominees):
    stored = documents.session_documents(closed).get(kind=documents.MINUTES)
    document = _open(stored)
    text = _text(document)
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.left_margin, section.right_margin)
    assert [round(size.mm) for size in sizes] == [210, 297, 30, 15]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG" in text and "Số: 01/BB-HĐTĐKT" in text
    assert "ngày 10 tháng 3 năm 2026" in text
    assert "BIÊN BẢN" in text
    assert "Tổng số thành viên Hội đồng: 10; có mặt: 8; vắng mặt: 2 (trong đó 1 thành viên có ý kiến bằng văn bản)." in text
    assert "đạt yêu cầu tối thiểu 7 thành viên (66,67% tổng số thành viên" in text
    attendance = _rows(document, "Tham dự")
    assert len(attendance) == 10
    assert attendance[0][1:4] == [members[0].name, "Giám đốc Sở", "Chủ tịch Hội đồng"]
    assert [row[4] for row in attendance].count("Có mặt") == 8
    assert "Vắng mặt, có ý kiến bằng văn bản" in [row[4] for row in attendance]
    results = {row[1]: row for row in _rows(document, "Tỉ lệ đồng ý")}
    first = results[nominees[0].person.full_name]
    # 7 on screen + 1 written = 8 yes of 10 members.
    assert first[4:9] == ["8", "1", "0", "80,00%", "Thông qua"]
    assert results[nominees[1].person.full_name][4:9] == ["6", "3", "0", "60,00%", "Thông qua"]
    assert results[nominees[2].person.full_name][4:9] == ["1", "0", "8", "10,00%", "Không thông qua"]
    assert "Hội đồng thống nhất đề nghị khen thưởng 2 tập thể, cá nhân có tên sau:" in text
    assert f"{nominees[0].person.full_name} — Văn phòng Sở" in text
    assert "Giấy khen: số phiếu đồng ý trên 50% tổng số thành viên Hội đồng (Quy chế Hội đồng TĐKT (tỉnh quy định))." in text
    assert "Đề nghị Giám đốc Sở tặng Giấy khen." in text
    assert "CHỦ TỊCH HỘI ĐỒNG" in text and members[0].name in text and members[1].name in text
    fonts = {run.font.name for paragraph in document.paragraphs for run in paragraph.runs if run.text.strip()}
    assert fonts == {"Times New Roman"}


def test_count_report_holds_ballots_by_kind_percentages_and_the_receipt_fingerprint(closed, nominees):
    from thidua.council.selectors import receipt_fingerprint

    document = _open(documents.session_documents(closed).get(kind=documents.COUNT_REPORT))
    text = _text(document)
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Số: 01/BBKP-HĐTĐKT" in text
    assert "- Số phiếu điện tử: 8 (kèm 8 mã biên nhận)" in text
    assert "- Số ý kiến bằng văn bản của thành viên vắng mặt: 1" in text
    assert "- Tổng số phiếu thu về: 9" in text
    assert receipt_fingerprint(closed) in text
    rows = {row[1]: row for row in _rows(document, "Căn cứ tính tỉ lệ")}
    assert rows[nominees[0].person.full_name][3:8] == ["8 (80,00%)", "1 (10,00%)", "0 (0,00%)", "10", "Thông qua"]
    assert "III. DANH SÁCH ĐƯỢC THÔNG QUA" in text and "Giấy khen (2):" in text


def test_documents_are_versions_with_their_hash_and_only_for_closed_sessions(closed, council, members, officer, manager, office, department):
    first = documents.session_documents(closed).get(kind=documents.MINUTES)
    again = documents.session_document_generate(actor=members[1].user, session=closed, kind=documents.MINUTES)
    assert (first.version, again.version) == (1, 2)
    # A closed session gives the same text every time; both versions are kept, each with its own hash.
    assert _text(_open(again)) == _text(_open(first))
    for stored in (first, again):
        with stored.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == stored.sha256
    with pytest.raises(PermissionDenied):
        documents.session_document_generate(actor=members[4].user, session=closed, kind=documents.MINUTES)
    others = make_in_council(officer, manager, office=office, department=department, people=1)
    draft = services.session_create(actor=members[1].user, council=council, nominees=others, held_on=closed.held_on)
    with pytest.raises(ValidationError) as refused:
        documents.session_document_generate(actor=members[1].user, session=draft, kind=documents.MINUTES)
    assert refused.value.message_dict["kind"] == ["Biên bản chỉ được tạo sau khi phiên họp kết thúc biểu quyết."]
