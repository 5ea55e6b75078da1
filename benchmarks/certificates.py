"""Benchmark: 1,000 certificates of one decision into one print-ready PDF (Vietnamese text, embedded fonts).

    .venv/bin/python benchmarks/certificates.py [--recipients N] [--keep]

Creates a fresh PostgreSQL database ``thidua_bench_decisions`` on postgres://postgres@127.0.0.1:5432
(THIDUA_BENCH_SERVER overrides the server), migrates it and drops it at the end (``--keep`` leaves it).
It builds a department with N people, a round and a dossier proposing all of them for Giấy khen,
appraised and approved, then drafts and issues the decision through the services (timed too: the
register, the money and the certificates' codes for N lines), and times:

  (a) the certificates' PDF with every QR code encoded while printing (a public address other than the one
      the codes were encoded for when the decision was issued): texts, QR codes (kept on the rows), drawing;
  (b) the usual case: the QR codes encoded at issue, read from the rows;
  (c) the same decision printed onto a calibrated blank (overlay mode).

Each PDF is checked: N pages, every font embedded (``pdffonts`` when poppler-utils is installed).
Target: (a) under 3 s for 1,000 certificates.
"""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_URL = os.environ.get("THIDUA_BENCH_SERVER", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASE = "thidua_bench_decisions"
TARGET_SECONDS = 3.0
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hương", "Khánh", "Linh", "Ngọc", "Phúc", "Quỳnh", "Thảo", "Trung", "Vy", "Yến"]
MIDDLE = ["Văn", "Thị", "Hoàng", "Minh", "Ngọc", "Thanh", "Đức", "Thu"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi"]


def _server():
    import psycopg

    return psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True)


def create_database() -> None:
    with _server() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    with _server() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def setup_django() -> None:
    create_database()
    os.environ["DATABASE_URL"] = f"{SERVER_URL}/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    os.environ["THIDUA_ENV"] = "development"
    os.environ.pop("THIDUA_DEBUG", None)
    os.environ.setdefault("THIDUA_DATA_DIR", tempfile.mkdtemp(prefix="thidua-bench-"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Generated files go to a temporary folder, not to the checkout; the PDF task runs at once.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="thidua-bench-media-")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", interactive=False, verbosity=0)


def build_decision(recipients: int, *, collectives: int = 0):
    """An issued decision giving Giấy khen to ``recipients`` people (and ``collectives`` offices), built
    through the services. Returns (decision, seconds to draft, seconds to issue)."""
    from django.core.files.base import ContentFile

    from thidua.accounts.services import role_grant, user_create
    from thidua.decisions import services
    from thidua.nominations import services as nominations
    from thidua.nominations.enums import AttachmentKind, NominationStatus
    from thidua.nominations.models import NominationAttachment
    from thidua.organizations import services as org
    from thidua.rules.models import AwardType

    province = org.unit_create(actor=None, code="UBND_TG", name="Ủy ban nhân dân tỉnh Tiền Giang", kind="ubnd_tinh", parent=None,
                               valid_from=datetime.date(2000, 1, 1), short_name="UBND")
    department = org.unit_create(actor=None, code="SKHCN_TG", name="Sở Khoa học và Công nghệ", kind="so_nganh", parent=province,
                                 valid_from=datetime.date(2000, 1, 1), short_name="SKHCN")
    offices = [org.unit_create(actor=None, code=f"SKHCN_P{index:02d}", name=f"Phòng Nghiệp vụ số {index}", kind="phong", parent=department,
                               valid_from=datetime.date(2000, 1, 1)) for index in range(1, 11)]
    officer = user_create(actor=None, username="bench-officer", password="mat-khau-bench-2026")
    role_grant(actor=None, user=officer, role="officer", unit=department)
    director = org.person_create(actor=None, full_name="Dương Văn Bon", unit=department, position="Giám đốc", gender="nam",
                                 start_date=datetime.date(2015, 1, 1))
    signer = user_create(actor=None, username="bench-signer", password="mat-khau-bench-2026", person=director)
    role_grant(actor=None, user=signer, role="signer", unit=department)
    round_ = nominations.round_create(
        actor=officer, awarding_unit=department, title="Khen thưởng tổng kết năm 2025", period_start=2025, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code="GIAY_KHEN"),
    )
    nomination = nominations.nomination_create(actor=officer, round=round_, proposing_unit=department)
    award = AwardType.objects.get(code="GIAY_KHEN")
    for index in range(recipients):
        office = offices[index % len(offices)]
        name = f"{FAMILY[index % 10]} {MIDDLE[(index // 10) % 8]} {GIVEN[(index // 80) % 16]}"
        person = org.person_create(actor=None, full_name=name, unit=office, position="Chuyên viên", gender="nu" if index % 3 else "nam",
                                   start_date=datetime.date(2015, 1, 1))
        nominations.nominee_add(actor=officer, nomination=nomination, award=award, person=person, summary="Hoàn thành xuất sắc nhiệm vụ.")
    for office in offices[:collectives]:
        nominations.nominee_add(actor=officer, nomination=nomination, award=award, unit=office, summary="Tập thể tiêu biểu.")
    for kind in (AttachmentKind.COVER_LETTER, AttachmentKind.ACHIEVEMENT_REPORT, AttachmentKind.AWARD_MINUTES, AttachmentKind.SCREENING_MINUTES):
        attachment = NominationAttachment(nomination=nomination, kind=kind, original_name=f"{kind}.pdf", size=10, sha256="0" * 64)
        attachment.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 bench"), save=False)
        attachment.save()
    nominations.nomination_transition(actor=officer, nomination=nomination, to=NominationStatus.SUBMITTED)
    nominations.nomination_transition(actor=officer, nomination=nomination, to=NominationStatus.UNDER_REVIEW)
    nominations.nomination_transition(actor=officer, nomination=nomination, to=NominationStatus.APPROVED)

    started = time.perf_counter()
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    drafted = time.perf_counter() - started
    services.decision_transition(actor=officer, decision=decision, to="submitted")
    services.decision_transition(actor=signer, decision=decision, to="approved")
    started = time.perf_counter()
    decision = services.decision_issue(actor=officer, decision=decision)
    issued = time.perf_counter() - started
    return decision, drafted, issued, officer


def check_pdf(content: bytes, pages: int) -> str:
    """"N pages, fonts embedded" from poppler, or what could not be checked."""
    if not shutil.which("pdfinfo"):
        return "not checked (poppler-utils missing)"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
        counted = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        fonts = subprocess.run(["pdffonts", handle.name], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    embedded = all(line.split()[-5] == "yes" for line in fonts)
    names = sorted({line.split()[0].split("+")[-1] for line in fonts})
    assert counted == pages, (counted, pages)
    assert embedded, fonts
    return f"{counted} pages, fonts embedded: {', '.join(names)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE}")
    arguments = parser.parse_args()
    setup_django()
    try:
        print(f"Building a decision of {arguments.recipients} people through the services…")
        started = time.perf_counter()
        decision, drafted, issued, officer = build_decision(arguments.recipients)
        print(f"  set-up {time.perf_counter() - started:.1f} s; draft {drafted:.2f} s; issue (number, register, money, codes, "
              f"dossier decided, DOCX stored) {issued:.2f} s")

        from thidua.decisions import certificates

        runs = []
        # (a) a public address other than the one the codes were encoded for at issue: every QR code is
        # encoded again while printing (the slowest case); (b) the usual case, the codes read from the rows.
        for label, base_url in (("(b) QR codes as encoded at issue", certificates.public_base_url()),
                                ("(a) QR codes encoded while printing", "https://thidua.tiengiang.gov.vn")):
            started = time.perf_counter()
            texts = certificates.certificate_texts(decision, base_url=base_url)
            content = certificates.render_certificates(texts)
            seconds = time.perf_counter() - started
            runs.append(seconds)
            print(f"{label}: {seconds:.2f} s for {len(texts)} certificates ({len(texts) / seconds:,.0f}/s), "
                  f"{len(content) / 1024 / 1024:.1f} MB — {check_pdf(content, len(texts))}")
        template = certificates.template_save(actor=officer, unit=decision.issuing_unit, name="Phôi Giấy khen", width_mm=297,
                                              height_mm=210, fields={})
        started = time.perf_counter()
        content = certificates.render_certificates(certificates.certificate_texts(decision, base_url="https://thidua.tiengiang.gov.vn"),
                                                   mode="overlay", template=template)  # the codes of (a), kept on the rows
        seconds = time.perf_counter() - started
        print(f"(c) onto pre-printed blanks: {seconds:.2f} s — {check_pdf(content, arguments.recipients)}")
        slowest = max(runs)
        verdict = "met" if slowest < TARGET_SECONDS else "MISSED"
        print(f"Target: 1,000 certificates in one PDF under {TARGET_SECONDS:.0f} s — {verdict} (slowest case {slowest:.2f} s)")
    finally:
        if not arguments.keep:
            drop_database()


if __name__ == "__main__":
    main()
