"""Decisions need approved nominees: a round of the department (Giấy khen, Lao động tiên tiến), a dossier
of the office with people and a collective, appraised and approved; a signer (the Director)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from tests.factories import make_person, make_user
from thidua.decisions import services
from thidua.nominations import services as nominations
from thidua.nominations.enums import AttachmentKind, NominationStatus
from thidua.nominations.models import NominationAttachment
from thidua.rules.models import AwardType

REQUIRED = (AttachmentKind.COVER_LETTER, AttachmentKind.ACHIEVEMENT_REPORT, AttachmentKind.SCREENING_MINUTES, AttachmentKind.AWARD_MINUTES,
            AttachmentKind.INITIATIVE_PROOF)


def award(code: str) -> AwardType:
    return AwardType.objects.get(code=code)


@pytest.fixture
def director(department):
    return make_person("Dương Văn Bon", unit=department, position="Giám đốc", gender="nam")


@pytest.fixture
def signer(department, director):
    return make_user("giamdoc", role="signer", unit=department, person=director)


@pytest.fixture
def round_(officer, department):
    return nominations.round_create(
        actor=officer, awarding_unit=department, title="Khen thưởng năm 2025", period_start=2025, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code__in=["GIAY_KHEN", "LDTT", "BANG_KHEN_TINH"]),
    )


@pytest.fixture
def people(office):
    return [
        make_person("Nguyễn Văn Ánh", unit=office, gender="nam", position="Chuyên viên"),
        make_person("Trần Thị Bích Ngọc", unit=office, gender="nu", position="Phó Chánh Văn phòng"),
        make_person("Lê Hoàng Dũng", unit=office, gender="nam", position="Kế toán"),
    ]


def approved_dossier(*, manager, officer, unit, round_, individuals, collectives=(), code="GIAY_KHEN"):
    """A dossier of ``unit`` proposing ``code`` for everyone given, received and approved as a whole."""
    nomination = nominations.nomination_create(actor=manager, round=round_, proposing_unit=unit)
    for person in individuals:
        nominations.nominee_add(actor=manager, nomination=nomination, award=award(code), person=person, summary="Hoàn thành xuất sắc nhiệm vụ.")
    for collective in collectives:
        nominations.nominee_add(actor=manager, nomination=nomination, award=award(code), unit=collective, summary="Tập thể tiêu biểu.")
    for kind in REQUIRED:
        attachment = NominationAttachment(nomination=nomination, kind=kind, original_name=f"{kind}.pdf", size=10, sha256="0" * 64)
        attachment.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        attachment.save()
    nominations.nomination_transition(actor=manager, nomination=nomination, to=NominationStatus.SUBMITTED)
    nominations.nomination_transition(actor=officer, nomination=nomination, to=NominationStatus.UNDER_REVIEW)
    nominations.nomination_transition(actor=officer, nomination=nomination, to=NominationStatus.APPROVED)
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def dossier(manager, officer, office, round_, people):
    return approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people, collectives=[office])


@pytest.fixture
def draft(officer, dossier, signer):
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(dossier.nominees.all()))
    return decision


def issue(decision, *, officer, signer, day=None):
    services.decision_transition(actor=officer, decision=decision, to="submitted")
    services.decision_transition(actor=signer, decision=decision, to="approved")
    return services.decision_issue(actor=officer, decision=decision, decision_date=day)


@pytest.fixture
def issued(draft, officer, signer):
    return issue(draft, officer=officer, signer=signer)


# ---------------------------------------------------------------- reading the PDFs we make (poppler-utils)


def _poppler(tool: str) -> str:
    import shutil

    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed: scripts/test installs it")
    return path


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text with every run of white space made one space."""
    import subprocess

    source = tmp_path / "text-source.pdf"
    source.write_bytes(content)
    text = subprocess.run([_poppler("pdftotext"), str(source), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    # Lines wrap where the layout wants: compare words, not line breaks.
    return " ".join(text.split())


def pdf_to_png(content: bytes, tmp_path, *, resolution: int = 30) -> list:
    """Render every page to PNG (as a printer would see it); returns the image files."""
    import subprocess

    directory = tmp_path / f"png-{len(list(tmp_path.iterdir()))}"
    directory.mkdir()
    source = directory / "document.pdf"
    source.write_bytes(content)
    subprocess.run([_poppler("pdftoppm"), "-r", str(resolution), "-png", str(source), str(directory / "page")], check=True, capture_output=True)
    return sorted(directory.glob("page*.png"))


def pdf_fonts(content: bytes, tmp_path) -> str:
    import subprocess

    source = tmp_path / "fonts-source.pdf"
    source.write_bytes(content)
    return subprocess.run([_poppler("pdffonts"), str(source)], capture_output=True, check=True).stdout.decode("utf-8")
