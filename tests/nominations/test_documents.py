"""Generated dossier documents: the tờ trình, the danh sách trích ngang and the báo cáo thành tích, opened
with python-docx; stored versions and hashes; access from the dossier page."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from tests.factories import make_person
from thidua.common.models import AuditEntry, GeneratedDocument
from thidua.nominations import documents, services
from thidua.records.services import rating_set
from thidua.rules.models import AwardType


@pytest.fixture
def round_(officer, department):
    return services.round_create(
        actor=officer, awarding_unit=department, title="Xét khen thưởng năm 2025", period_start=2025, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code__in=["LDTT", "GIAY_KHEN"]),
    )


@pytest.fixture
def person(office):
    person = make_person("Nguyễn Văn An", unit=office, recruited_on=datetime.date(2015, 1, 1), birth_date=datetime.date(1985, 3, 4))
    rating_set(actor=None, person=person, year=2024, rating="HTTNV")
    rating_set(actor=None, person=person, year=2025, rating="HTXSNV")
    return person


@pytest.fixture
def dossier(manager, office, round_, person):
    nomination = services.nomination_create(actor=manager, round=round_, proposing_unit=office)
    services.nominee_add(actor=manager, nomination=nomination, award=AwardType.objects.get(code="LDTT"), person=person,
                         summary="Hoàn thành xuất sắc nhiệm vụ năm 2025.")
    return nomination


def _texts(content: bytes) -> tuple[list[str], list[list[list[str]]]]:
    document = Document(io.BytesIO(content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    for table in tables:
        for row in table:
            for cell in row:
                paragraphs.extend(cell.splitlines())
    return paragraphs, tables


def test_cover_letter_docx_has_headings_and_counts(dossier):
    texts, _tables = _texts(documents.cover_letter_docx(dossier))
    joined = "\n".join(texts)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    assert "TỜ TRÌNH" in texts
    assert "Về việc đề nghị khen thưởng Lao động tiên tiến năm 2025" in texts
    assert f"Kính gửi: {dossier.round.awarding_unit.name}" in texts
    assert "01 cá nhân" in joined
    assert "Nơi nhận:" in texts


def test_nominee_list_docx_table_has_names_and_awards(dossier, person):
    texts, tables = _texts(documents.nominee_list_docx(dossier))
    assert "DANH SÁCH TRÍCH NGANG" in texts
    table = tables[-2]  # the last table is the signature block
    assert table[0][0] == "STT"
    assert table[1][0] == "1"
    assert table[1][1] == "Nguyễn Văn An"
    assert table[1][2] == "1985"
    assert table[1][6] == AwardType.objects.get(code="LDTT").name
    assert table[1][7] == "Hoàn thành xuất sắc nhiệm vụ năm 2025."


def test_achievement_report_docx_lists_rating_years(dossier, person):
    nominee = dossier.nominees.get()
    texts, tables = _texts(documents.achievement_report_docx(nominee))
    assert "BÁO CÁO THÀNH TÍCH" in texts
    assert "- Họ và tên: Nguyễn Văn An" in texts
    assert "- Sinh ngày, tháng, năm: 04/03/1985" in texts
    ratings = next(table for table in tables if table[0] == ["Năm", "Xếp loại"])
    assert [row[0] for row in ratings[1:]] == ["2025", "2024"]


def test_document_generate_versions_increase_and_same_content_same_hash(dossier, manager):
    first = documents.nomination_document_generate(actor=manager, nomination=dossier, kind="to_trinh")
    second = documents.nomination_document_generate(actor=manager, nomination=dossier, kind="to_trinh")
    assert (first.version, second.version) == (1, 2)
    assert first.sha256 == second.sha256
    assert len(first.sha256) == 64
    other = documents.nomination_document_generate(actor=manager, nomination=dossier, kind="danh_sach")
    assert other.version == 1
    assert AuditEntry.objects.filter(note__startswith="Tạo tờ trình").count() == 2


def test_document_generate_report_per_nominee(dossier, officer):
    nominee = dossier.nominees.get()
    stored = documents.nomination_document_generate(actor=officer, nomination=dossier, kind=f"bao_cao_thanh_tich:{nominee.pk}")
    assert stored.kind == f"bao_cao_thanh_tich:{nominee.pk}"
    assert stored.version == 1


def test_document_generate_refuses_unknown_kind_and_foreign_nominee(dossier, manager):
    with pytest.raises(ValidationError):
        documents.nomination_document_generate(actor=manager, nomination=dossier, kind="bao_cao_thanh_tich:999999")
    with pytest.raises(ValidationError):
        documents.nomination_document_generate(actor=manager, nomination=dossier, kind="khac")
    assert GeneratedDocument.objects.count() == 0


def test_document_generate_refuses_outsider(dossier, outsider):
    with pytest.raises(PermissionDenied):
        documents.nomination_document_generate(actor=outsider, nomination=dossier, kind="to_trinh")


def test_document_generate_view_redirects_with_message(dossier, manager_client):
    response = manager_client.post(reverse("nominations:document_generate", args=[dossier.pk]), {"kind": "danh_sach"}, follow=True)
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == ["Đã tạo Danh sách trích ngang, phiên bản 1."]
    stored = GeneratedDocument.objects.get()
    assert stored.kind == "danh_sach"
    page = response.content.decode()
    assert reverse("nominations:document_file", args=[dossier.pk, stored.pk]) in page
    assert stored.sha256[:10] in page


def test_document_file_view_serves_docx(dossier, manager, manager_client):
    stored = documents.nomination_document_generate(actor=manager, nomination=dossier, kind="to_trinh")
    response = manager_client.get(reverse("nominations:document_file", args=[dossier.pk, stored.pk]))
    assert response.status_code == 200
    texts, _tables = _texts(b"".join(response.streaming_content))
    assert "TỜ TRÌNH" in texts


def test_document_views_outsider_404(dossier, manager, outsider_client):
    stored = documents.nomination_document_generate(actor=manager, nomination=dossier, kind="to_trinh")
    assert outsider_client.get(reverse("nominations:document_file", args=[dossier.pk, stored.pk])).status_code == 404
    assert outsider_client.post(reverse("nominations:document_generate", args=[dossier.pk]), {"kind": "to_trinh"}).status_code == 404
    assert GeneratedDocument.objects.count() == 1
