"""The decision as a document: DOCX in the Decree 30/2020 layout (``common.documents.OfficialDocument``),
and PDF converted from that DOCX by LibreOffice (``soffice --headless``).

An issued decision's DOCX is generated once, in the issuing transaction, and stored with its hash
(``store_generated``); its PDF is converted from that stored DOCX (a background task after commit, or on
the first download) and stored too. A draft is previewed with a blank number and not stored.

Layout (domain notes §9): letterhead with the number; "QUYẾT ĐỊNH" and the subject; the authority line;
the legal bases in italics; the proposal; "QUYẾT ĐỊNH:"; Điều 1 (who gets what; the list inline or as
an annex), Điều 2 (money and fund; for a revocation: what to return and by when), Điều 3 (effect,
executors); the signature block with "Nơi nhận"; the annex list on a new page.
"""

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.shared import Mm, Pt

from thidua.common.documents import (
    FONT,
    Letterhead,
    OfficialDocument,
    _set_font,
    generated_versions,
    store_generated,
)
from thidua.decisions import wording
from thidua.decisions.enums import DecisionKind, RevocationGround
from thidua.movements.documents import legal_basis_line, place_of
from thidua.rules import money

DOCX_KIND = "quyet_dinh"
PDF_KIND = "quyet_dinh_pdf"
PDF_CONTENT_TYPE = "application/pdf"
FONTS_DIR = Path(__file__).resolve().parent.parent / "common" / "fonts"
CONVERSION_TIMEOUT_SECONDS = int(os.environ.get("THIDUA_SOFFICE_TIMEOUT", "120"))


class ConversionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- pieces


def _letterhead(decision) -> Letterhead:
    unit = decision.issuing_unit
    number = decision.reference or f"        /{decision.type_code}-{unit.document_code}"
    return Letterhead(
        parent_body=unit.parent.name.upper() if unit.parent_id else "",
        body=unit.name.upper(),
        number=number,
        place=place_of(unit),
        day=decision.decision_date or timezone.localdate(),
    )


def _article(document: OfficialDocument, label: str, text: str) -> None:
    paragraph = document.document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(6), Pt(0)
    _set_font(paragraph.add_run(f"{label} "), 14, bold=True)
    _set_font(paragraph.add_run(text), 14)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def authority_phrase(decision) -> str:
    """ "Giám đốc Sở Khoa học và Công nghệ" (for "… của Giám đốc Sở …" in the annex and the certificates)."""
    unit = decision.issuing_unit
    return f"{wording.head_title(unit).capitalize()} {unit.name}"


def _table_xml(headers: list[str], widths_mm: list[float], rows: list[tuple[list[str], bool]], aligns: str = "cllr") -> str:
    """A bordered table as one XML string: python-docx builds cells one object at a time, which takes
    about a second for 500 rows; this takes milliseconds. ``rows``: (cells, bold); ``aligns``: one letter
    per column, c(entre), l(eft) or r(ight)."""
    twips = [int(width * 56.7) for width in widths_mm]
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    justify = {"c": '<w:jc w:val="center"/>', "r": '<w:jc w:val="right"/>', "l": ""}

    def cell(text: str, width: int, *, bold: bool, align: str) -> str:
        run_props = f"<w:rPr>{fonts}{'<w:b/>' if bold else ''}<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr>"
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="20" w:after="20"/>{justify[align]}</w:pPr>'
            f'<w:r>{run_props}<w:t xml:space="preserve">{escape(str(text))}</w:t></w:r></w:p></w:tc>'
        )

    header = "".join(cell(text, width, bold=True, align="c") for text, width in zip(headers, twips, strict=True))
    body = [
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + "".join(cell(text, width, bold=bold, align=align) for text, width, align in zip(cells, twips, aligns, strict=True))
        + "</w:tr>"
        for cells, bold in rows
    ]
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
    border = "".join(f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (
        '<w:tbl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{border}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f'<w:tr><w:trPr><w:tblHeader/></w:trPr>{header}</w:tr>'
        + "".join(body)
        + "</w:tbl>"
    )


def _append_table(document: OfficialDocument, xml: str) -> None:
    body = document.document.element.body
    table = parse_xml(xml)
    # Before the section properties, which must stay the body's last child.
    if body.sectPr is not None:
        body.sectPr.addprevious(table)
    else:
        body.append(table)


def lines_with_money(decision) -> list:
    """The lines with their money: stored once issued; for a draft, priced on the planned day (or today)
    without saving, so that the preview shows what Điều 2 will say."""
    from thidua.decisions.services import _price

    lines = list(decision.recipients.select_related("award", "person", "unit", "award_record"))
    if not decision.is_issued:
        _price(decision, lines, decision.decision_date or timezone.localdate())
    return lines


# ---------------------------------------------------------------- award decisions


def _article_1(document: OfficialDocument, decision, lines: list) -> None:
    awards = list(dict.fromkeys(line.award for line in lines))
    subjects = [line.subject for line in lines]
    achievement = decision.achievement.strip().rstrip(".")
    if decision.with_annex:
        if len(awards) == 1:
            _article(document, "Điều 1.", f"{_capitalise(wording.award_phrase(awards[0]))} cho {wording.counts_text(subjects)} "
                                          f"(có danh sách kèm theo), {achievement}.")
        else:
            _article(document, "Điều 1.", f"Khen thưởng {wording.counts_text(subjects)} có tên trong danh sách kèm theo, {achievement}, gồm:")
            for award in awards:
                group = [line.subject for line in lines if line.award == award]
                document.paragraph(f"- {_capitalise(wording.award_phrase(award))}: {wording.counts_text(group)};")
        return
    for award in awards:
        group = [line for line in lines if line.award == award]
        label = "Điều 1." if award == awards[0] else ""
        text = f"{_capitalise(wording.award_phrase(award))} cho {wording.who_text([line.subject for line in group])}:"
        if label:
            _article(document, label, text)
        else:
            document.paragraph(text)
        for index, line in enumerate(group, start=1):
            who = f"Tập thể {line.name}" if line.subject == "collective" else f"{line.salutation} {line.name}".strip()
            document.paragraph(f"{index}. {who}{', ' + line.position if line.position else ''};")
    if achievement:
        document.paragraph(f"{_capitalise(achievement)}.")


def _article_2(document: OfficialDocument, decision, lines: list) -> None:
    paid = [line for line in lines if line.amount]
    if not paid:
        _article(document, "Điều 2.", "Khen thưởng tại Điều 1 không kèm theo tiền thưởng.")
        return
    groups: dict[tuple, list] = {}
    for line in paid:
        groups.setdefault((line.award.name, line.subject, line.amount, line.coefficient, line.base_salary), []).append(line)
    subject_words = {"individual": "cá nhân", "collective": "tập thể", "household": "hộ gia đình"}
    if len(groups) == 1:
        (award, subject, amount, coefficient, base), group = next(iter(groups.items()))
        _article(document, "Điều 2.", f"Mỗi {subject_words[subject]} được tặng {award} kèm theo tiền thưởng "
                                      f"{wording.money_text(amount)} đồng (hệ số {wording.coefficient_text(coefficient)} × mức lương cơ sở "
                                      f"{wording.money_text(base)} đồng).")
    else:
        _article(document, "Điều 2.", "Tiền thưởng kèm theo:")
        for (award, subject, amount, coefficient, base), group in groups.items():
            document.paragraph(f"- {award}, mỗi {subject_words[subject]}: {wording.money_text(amount)} đồng (hệ số "
                               f"{wording.coefficient_text(coefficient)} × {wording.money_text(base)} đồng) × {len(group)} = "
                               f"{wording.money_text(amount * len(group))} đồng;")
    total = sum(line.amount for line in paid)
    document.paragraph(f"Tổng số tiền thưởng: {wording.money_text(total)} đồng (Bằng chữ: {money.amount_in_words(total)}).")
    if decision.fund:
        document.paragraph(f"Kinh phí khen thưởng được chi từ {decision.fund}.")


def _annex(document: OfficialDocument, decision, lines: list) -> None:
    paragraph = document.document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    awards = list(dict.fromkeys(line.award for line in lines))
    subjects = [line.subject for line in lines]
    document.paragraph("DANH SÁCH", bold=True, indent=False, align="center")
    if len(awards) == 1:
        title = f"{_capitalise(wording.who_text(subjects))} được {wording.award_phrase(awards[0])}"
    else:
        title = f"{_capitalise(wording.who_text(subjects))} được khen thưởng"
    document.paragraph(title, bold=True, indent=False, align="center")
    reference = decision.reference or f"        /{decision.type_code}-{decision.issuing_unit.document_code}"
    day = f"{decision.decision_date:%d/%m/%Y}" if decision.decision_date and decision.is_issued else "    /    /     "
    document.paragraph(f"(Kèm theo Quyết định số {reference} ngày {day} của {authority_phrase(decision)})", italic=True, indent=False, align="center")
    rows: list[tuple[list[str], bool]] = []
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    section = 0
    for award in awards:
        group = [line for line in lines if line.award == award]
        if len(awards) > 1:
            rows.append((["", award.name.upper(), "", ""], True))
        for subject, heading in (("collective", "TẬP THỂ"), ("household", "HỘ GIA ĐÌNH"), ("individual", "CÁ NHÂN")):
            part = [line for line in group if line.subject == subject]
            if not part:
                continue
            label = roman[section] if section < len(roman) else str(section + 1)
            section += 1
            rows.append(([label, heading, "", ""], True))
            for index, line in enumerate(part, start=1):
                name = line.name if subject != "individual" else f"{line.salutation} {line.name}".strip()
                rows.append(([str(index), name, line.position, wording.money_text(line.amount) if line.amount else ""], False))
    total = sum(line.amount or 0 for line in lines)
    if total:
        rows.append((["", "Tổng cộng", "", wording.money_text(total)], True))
    _append_table(document, _table_xml(["STT", "Họ và tên, tên tập thể", "Chức vụ, đơn vị công tác", "Tiền thưởng (đồng)"], [12, 55, 70, 28], rows))


# ---------------------------------------------------------------- revocation decisions


def _revocation_articles(document: OfficialDocument, decision) -> None:
    from thidua.rules.rulesets import ruleset_for

    items = list(decision.revocation_items.select_related("award_record__award", "award_record__person", "award_record__unit", "award_record__issuing_unit"))
    subjects = ["individual" if item.award_record.person_id else "collective" if item.award_record.unit_id else "household" for item in items]
    ground = RevocationGround(decision.revocation_ground).label if decision.revocation_ground else ""
    reason = wording.lower_first(decision.revocation_reason.strip().rstrip("."))
    why = f"{wording.lower_first(str(ground))}{'; ' + reason if reason else ''}"
    _article(document, "Điều 1.", f"Hủy bỏ khen thưởng đối với {wording.counts_text(subjects)} có tên dưới đây, lý do: {why}.")
    for index, item in enumerate(items, start=1):
        record = item.award_record
        name = record.person.full_name if record.person_id else f"Tập thể {record.unit.name}" if record.unit_id else record.household_name
        issuer = record.issuing_unit.name if record.issuing_unit_id else record.issuer_name
        document.paragraph(f"{index}. {name} — {record.award.name}, Quyết định số {record.decision_number} ngày "
                           f"{record.decision_date:%d/%m/%Y} của {issuer};")
    day = decision.decision_date or timezone.localdate()
    days = int(ruleset_for(day, decision.issuing_unit).param("deadlines.revocation_return_working_days", 15))
    due = items[0].return_due if items and items[0].return_due else None
    deadline = f" (hạn cuối: ngày {due:%d/%m/%Y})" if due else ""
    _article(document, "Điều 2.", f"Các tập thể, cá nhân có tên tại Điều 1 có trách nhiệm nộp lại hiện vật khen thưởng và số tiền thưởng đã nhận "
                                  f"trong thời hạn {days:02d} ngày làm việc kể từ ngày ký Quyết định này{deadline}:")
    rows = []
    total = 0
    for index, item in enumerate(items, start=1):
        record = item.award_record
        name = record.person.full_name if record.person_id else record.unit.name if record.unit_id else record.household_name
        amount = item.amount_to_recover or record.amount or 0
        total += amount
        rows.append(([str(index), name, record.award.name, wording.money_text(amount)], False))
    rows.append((["", "Tổng cộng", "", wording.money_text(total)], True))
    _append_table(document, _table_xml(["STT", "Họ và tên, tên tập thể", "Hình thức khen thưởng", "Tiền thưởng nộp lại (đồng)"], [12, 65, 55, 33], rows))
    if total:
        document.paragraph(f"Tổng số tiền thưởng phải nộp lại: {wording.money_text(total)} đồng (Bằng chữ: {money.amount_in_words(total)}).")


# ---------------------------------------------------------------- the document


def decision_docx(decision) -> bytes:
    """The decision (award or revocation) as DOCX; a draft carries a blank number."""
    from thidua.decisions.models import Decision

    decision = Decision.objects.select_related("issuing_unit__parent").get(pk=decision.pk)
    document = OfficialDocument(_letterhead(decision), "QUYẾT ĐỊNH", decision.subject)
    if decision.replaces_id or decision.amends_id:
        linked = decision.replaces or decision.amends
        verb = "Thay thế" if decision.replaces_id else "Sửa đổi, bổ sung"
        document.paragraph(f"({verb} Quyết định số {linked.reference} ngày {linked.decision_date:%d/%m/%Y})", italic=True, indent=False, align="center")
    if decision.authority_line:
        document.paragraph(decision.authority_line.upper(), bold=True, indent=False, align="center")
    for basis in decision.bases.select_related("document"):
        document.paragraph(basis.text or legal_basis_line(basis.document), italic=True)
    if decision.proposal:
        document.paragraph(decision.proposal, italic=True)
    document.paragraph("QUYẾT ĐỊNH:", bold=True, indent=False, align="center")
    if decision.kind == DecisionKind.REVOCATION:
        _revocation_articles(document, decision)
        lines = []
    else:
        lines = lines_with_money(decision)
        _article_1(document, decision, lines)
        _article_2(document, decision, lines)
    _article(document, "Điều 3.", " ".join(part for part in (decision.effect, decision.executors) if part))
    document.signature(authority=decision.signature_lines(), name=decision.signer_name, recipients=decision.distribution or [])
    if lines and decision.with_annex:
        _annex(document, decision, lines)
    return document.to_bytes()


def docx_filename(decision, extension: str = "docx") -> str:
    if decision.reference:
        return f"quyet-dinh-{decision.number:02d}-{decision.year}-{decision.issuing_unit.code.lower()}.{extension}"
    return f"du-thao-quyet-dinh-{decision.pk}.{extension}"


def store_decision_docx(decision, *, actor=None):
    """Generate and keep the issued decision's DOCX (called once, by ``services.decision_issue``)."""
    return store_generated(obj=decision, kind=DOCX_KIND, filename=docx_filename(decision), content=decision_docx(decision), actor=actor)


def issued_docx(decision):
    return generated_versions(decision, DOCX_KIND).order_by("-version").first()


def issued_pdf(decision):
    return generated_versions(decision, PDF_KIND).order_by("-version").first()


# ---------------------------------------------------------------- PDF by LibreOffice


def _fontconfig(work: Path) -> Path:
    """A fontconfig file adding the shipped Liberation Serif (Times New Roman's metrics, with Vietnamese)
    to the system fonts, so the PDF looks the same on a machine without fonts-liberation2."""
    cache = Path(tempfile.gettempdir()) / "thidua-fontconfig-cache"
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{escape(str(FONTS_DIR))}</dir>\n"
        f"  <cachedir>{escape(str(cache))}</cachedir>\n"
        '  <alias binding="same"><family>Times New Roman</family><prefer><family>Liberation Serif</family></prefer></alias>\n'
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(content: bytes, *, timeout: int | None = None) -> bytes:
    """Convert a DOCX to PDF with LibreOffice. Each conversion has its own user profile directory: two
    conversions sharing one profile make one of them silently produce nothing."""
    binary = soffice_binary()
    if binary is None:
        raise ConversionError(_("Máy chủ chưa cài LibreOffice (lệnh soffice) nên không chuyển được DOCX sang PDF. "
                                "Cài gói libreoffice-writer-nogui rồi thử lại."))
    with tempfile.TemporaryDirectory(prefix="thidua-soffice-") as directory:
        work = Path(directory)
        source = work / "document.docx"
        source.write_bytes(content)
        profile = work / f"profile-{uuid.uuid4().hex}"
        environment = {**os.environ, "HOME": str(work), "FONTCONFIG_FILE": str(_fontconfig(work))}
        command = [
            binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo", "--nodefault",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work), str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout or CONVERSION_TIMEOUT_SECONDS, env=environment, check=False)
        except subprocess.TimeoutExpired:
            raise ConversionError(_("LibreOffice không chuyển xong DOCX sang PDF trong %(seconds)d giây.") % {
                "seconds": timeout or CONVERSION_TIMEOUT_SECONDS}) from None
        target = work / "document.pdf"
        if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            detail = (result.stderr or result.stdout or b"").decode("utf-8", "replace").strip()[:300]
            raise ConversionError(_("LibreOffice không chuyển được DOCX sang PDF (mã lỗi %(code)s). %(detail)s") % {
                "code": result.returncode, "detail": detail})
        return target.read_bytes()


def decision_pdf(decision, *, actor=None):
    """The issued decision's PDF: the stored one, else converted from the stored DOCX and kept."""
    existing = issued_pdf(decision)
    if existing is not None:
        return existing
    source = issued_docx(decision)
    if source is None:
        raise ConversionError(_("Quyết định chưa ban hành nên chưa có văn bản để chuyển sang PDF."))
    with source.file.open("rb") as handle:
        content = handle.read()
    return store_generated(obj=decision, kind=PDF_KIND, filename=docx_filename(decision, "pdf"), content=docx_to_pdf(content), actor=actor)
