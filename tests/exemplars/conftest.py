"""Exemplars and conferences: a conference of the department (plan and guidance from the document register,
review criteria), an assigned reviewer from outside the submitting office, presentations of the office,
and an issued decision of the Director to honour at the conference (the decisions tests' fixtures)."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.decisions.conftest import (  # noqa: F401  (fixtures)
    approved_dossier,
    director,
    dossier,
    draft,
    issue,
    issued,
    pdf_text,
    pdf_to_png,
    people,
    round_,
    signer,
)
from tests.factories import make_person, make_user
from thidua.common.models import LegalDocument
from thidua.exemplars import services_conferences, services_reviews

AUTHOR_NAME = "Nguyễn Thị Tác Giả"
TODAY = datetime.date.today


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(province):
    return LegalDocument.objects.create(number="204/KH-UBND", issued_on=datetime.date(2019, 7, 12), issuer="Ủy ban nhân dân tỉnh Tiền Giang",
                                        title="Kế hoạch tổ chức Hội nghị điển hình tiên tiến các cấp tiến tới Đại hội Thi đua yêu nước tỉnh Tiền Giang lần thứ VI năm 2020",
                                        unit=province)


@pytest.fixture
def guidance(province):
    return LegalDocument.objects.create(number="140/HD-SNV", issued_on=datetime.date(2019, 8, 22), issuer="Sở Nội vụ tỉnh Tiền Giang",
                                        title="Hướng dẫn tổ chức hội nghị điển hình tiên tiến các cấp", unit=province)


def make_conference(officer, department, *, blind=True, held_on=None, documents=()):
    held_on = held_on or TODAY() + datetime.timedelta(days=20)
    return services_conferences.conference_create(
        actor=officer, organising_unit=department, title="Hội nghị điển hình tiên tiến giai đoạn 2020 – 2025", held_on=held_on,
        starts_at=datetime.time(7, 30), venue="Hội trường Sở", period_start=2020, period_end=2025, legal_bases=list(documents),
        purposes=["Tổng kết phong trào thi đua yêu nước giai đoạn 2020 – 2025.", "Biểu dương các tập thể, cá nhân điển hình tiên tiến."],
        submission_deadline=held_on - datetime.timedelta(days=10), blind_review=blind,
        criteria=[("Tính thực tiễn", 40), ("Chất lượng nội dung", 40), ("Hình thức", 20)],
        speaker_name="Dương Văn Bon", speaker_title="Giám đốc Sở Khoa học và Công nghệ",
    )


@pytest.fixture
def conference(officer, department, plan, guidance):
    return make_conference(officer, department, documents=[plan, guidance])


@pytest.fixture
def open_conference(officer, conference):
    return services_conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")


@pytest.fixture
def reviewer(department):
    """A deputy director sitting on the council: no conference.manage, outside the submitting office."""
    person = make_person("Trần Văn Phản Biện", unit=department, position="Phó Giám đốc Sở")
    return make_user("phanbien", role="council_member", unit=department, person=person)


@pytest.fixture
def reviewer_client(reviewer):
    return client_for(reviewer)


@pytest.fixture
def assigned(officer, open_conference, reviewer):
    return services_conferences.reviewer_assign(actor=officer, conference=open_conference, user=reviewer)


def docx_by(author: str, *, body: str = "Nội dung tham luận về thi đua.") -> bytes:
    """A small DOCX whose properties, comments and tracked changes all name ``author``."""
    from docx import Document

    document = Document()
    document.add_paragraph(body)
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    document.core_properties.title = f"Tham luận của {author}"
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = data.replace(b"</Properties>", f"<Company>Văn phòng của {author}</Company></Properties>".encode())
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", f'<w:body><w:p><w:ins w:id="1" w:author="{author}" w:date="2020-07-01T00:00:00Z"><w:r><w:t>thêm</w:t></w:r></w:ins></w:p>'.encode())
            target.writestr(item, data)
        target.writestr("word/comments.xml", f'<?xml version="1.0"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="{author}" w:initials="NTG"><w:p><w:r><w:t>ghi chú</w:t></w:r></w:p></w:comment></w:comments>'.encode())
    return out.getvalue()


def pdf_by(author: str) -> bytes:
    """A PDF (reportlab, uncompressed) whose information dictionary and XMP name ``author``."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    page.setAuthor(author)
    page.setTitle(f"Tham luận của {author}")
    page.drawString(72, 720, "Noi dung tham luan")
    page.showPage()
    page.save()
    content = buffer.getvalue()
    xmp = f'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{author}</dc:creator></x:xmpmeta><?xpacket end="w"?>'.encode()
    return content.replace(b"%%EOF", b"%" + xmp + b"\n%%EOF")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def author_person(office):
    return make_person(AUTHOR_NAME, unit=office, position="Chuyên viên", gender="nu")


@pytest.fixture
def author_user(office, author_person):
    return make_user("tacgia", role="staff", unit=office, person=author_person)


@pytest.fixture
def presentation(author_user, author_person, open_conference, office, assigned):
    return services_reviews.presentation_submit(
        actor=author_user, conference=open_conference, unit=office, title="Ứng dụng chữ ký số trong văn thư",
        abstract="Kinh nghiệm triển khai chữ ký số tại đơn vị.", authors=[{"person": author_person, "name": AUTHOR_NAME, "affiliation": "Văn phòng Sở"}],
        file=upload(f"Tham luan - {AUTHOR_NAME}.docx", docx_by(AUTHOR_NAME)),
    )
