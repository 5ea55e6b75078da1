"""The conference's documents:

- the report (báo cáo kết quả hội nghị, DOCX in the Decree 30 layout through ``common.documents``) with the
  plans it implements, its purposes, attendance, the programme, the presentations, the honourees and the
  launched movement; and the news item for the agency's website, worded like the seed's;
- the printable programme and the ceremony running order (kịch bản trao khen thưởng), and the invitations
  with their QR codes (PDF, reportlab with the shipped Liberation Serif, so Vietnamese prints the same on
  every machine).

Generated reports are stored as versions with their hash (``common.documents.store_generated``).
"""

import datetime
import io
import re
import unicodedata
from xml.sax.saxutils import escape

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.documents import Letterhead, OfficialDocument, store_generated, vietnamese_date
from thidua.common.models import AuditAction
from thidua.common.text import fold
from thidua.exemplars import selectors, tokens
from thidua.exemplars.enums import AgendaKind
from thidua.exemplars.models import Conference

REPORT_KIND = "bao_cao_hoi_nghi"
NEWS_KIND = "tin_bai"
DOCUMENT_KINDS = {"KH": "Kế hoạch", "HD": "Hướng dẫn", "QĐ": "Quyết định", "CT": "Chỉ thị", "TB": "Thông báo", "CV": "Công văn",
                  "NQ": "Nghị quyết", "NĐ": "Nghị định", "TT": "Thông tư"}
_ABOUT = re.compile(r"^về việc\s*", re.IGNORECASE)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text or ""))


def lower_first(text: str) -> str:
    text = (text or "").strip()
    if len(text) > 1 and text[0].isupper() and (text[1].islower() or text[1] == " "):
        return text[0].lower() + text[1:]
    return text


def _two_digits(count: int) -> str:
    """Counts in official prose take a leading zero below ten ("02 tập thể")."""
    return f"{count:02d}"


# ---------------------------------------------------------------- pieces of prose


def document_kind(number: str) -> str:
    tokens_ = [token for token in re.split(r"[/\-]", (number or "").upper()) if token]
    return next((DOCUMENT_KINDS[token] for token in tokens_ if token in DOCUMENT_KINDS), "Văn bản")


def legal_reference(document) -> str:
    """"Kế hoạch số 204/KH-UBND ngày 12 tháng 7 năm 2019 của Ủy ban nhân dân tỉnh Tiền Giang về tổ chức …"."""
    kind = document_kind(document.number)
    title = document.title.strip()
    if fold(title).startswith(fold(kind) + " "):
        title = title[len(kind):].strip()
    title = lower_first(title)
    about = "" if fold(title).startswith("ve ") else "về "
    return f"{kind} số {document.number} {vietnamese_date(document.issued_on)} của {document.issuer} {about}{title}".strip()


def award_phrase(lines) -> str:
    """"Giấy khen cho 02 tập thể và 14 cá nhân" (one clause per award form, in order of appearance)."""
    groups: dict[str, dict[str, int]] = {}
    for line in lines:
        counts = groups.setdefault(line.award.name, {"collective": 0, "individual": 0, "household": 0})
        counts[line.subject] += 1
    clauses = []
    for award, counts in groups.items():
        parts = []
        if counts["collective"]:
            parts.append(f"{_two_digits(counts['collective'])} tập thể")
        if counts["individual"]:
            parts.append(f"{_two_digits(counts['individual'])} cá nhân")
        if counts["household"]:
            parts.append(f"{_two_digits(counts['household'])} hộ gia đình")
        clauses.append(f"{award} cho {' và '.join(parts)}")
    return "; ".join(clauses)


def _giver(decisions) -> str:
    """Who gave the awards: "Giám đốc Sở Khoa học và Công nghệ" (the head of the issuing unit)."""
    from thidua.movements.documents import HEAD_TITLES

    names = []
    for decision in decisions:
        unit = decision.issuing_unit
        head = HEAD_TITLES.get(unit.kind, "THỦ TRƯỞNG").capitalize()
        name = re.sub(r"\s+tỉnh\s+.*$", "", unit.name)
        giver = f"{head} {name}"
        if giver not in names:
            names.append(giver)
    return ", ".join(names)


def _salutation(name: str) -> str:
    from thidua.organizations.models import Person

    folded = fold(name)
    candidates = [person for person in Person.objects.filter(given_name__iexact=name.split(" ")[-1]) if fold(person.full_name) == folded]
    if len(candidates) == 1 and candidates[0].gender:
        return "ông" if candidates[0].gender == "nam" else "bà"
    return ""


def _time(value: datetime.time | None) -> str:
    if value is None:
        return ""
    return f"{value.hour} giờ {value.minute:02d}" if value.minute else f"{value.hour} giờ"


def _slot(item) -> str:
    if item.starts_at and item.ends_at:
        return f"{item.starts_at:%H:%M} – {item.ends_at:%H:%M}"
    return f"{item.starts_at:%H:%M}" if item.starts_at else ""


def _period(conference: Conference) -> str:
    return f"({conference.period_start} - {conference.period_end})"


# ---------------------------------------------------------------- the news item


def news_text(conference: Conference) -> str:
    """The news item for the agency's website, in the words of the seed."""
    conference = Conference.objects.select_related("organising_unit", "launched_movement").get(pk=conference.pk)
    lines = selectors.honourees(conference)
    decisions = list(selectors.honoured_decisions(conference))
    presentations = list(selectors.accepted_presentations(conference))
    unit = conference.organising_unit
    paragraphs = [conference.title]
    references = [legal_reference(document) for document in conference.legal_bases.order_by("issued_on", "number")]
    opening = f"Thực hiện {' và '.join(references)}. " if references else ""
    opening += f"Ngày {conference.held_on.day}/{conference.held_on.month}/{conference.held_on.year}, {unit.name} đã tiến hành tổ chức {lower_first(conference.title)}"
    if conference.purposes:
        paragraphs.append(opening + " nhằm mục đích:")
        paragraphs.extend(f"- {purpose}" for purpose in conference.purposes)
    else:
        paragraphs.append(opening + ".")
    middle = []
    if lines:
        middle.append(f"Trong dịp này, {_giver(decisions)} đã tặng {award_phrase(lines)} điển hình tiên tiến trong phong trào thi đua "
                      f"yêu nước giai đoạn {_period(conference)}.")
    if presentations:
        titles = "; ".join(f"“{presentation.title}”" for presentation in presentations)
        middle.append(f"Tại Hội nghị này, các đại biểu cũng đã được nghe và chia sẻ kinh nghiệm với {_two_digits(len(presentations))} "
                      f"tham luận: {titles}.")
    if middle:
        paragraphs.append(" ".join(middle))
    if conference.speaker_name:
        salutation = _salutation(conference.speaker_name)
        who = " ".join(part for part in (salutation, conference.speaker_name) if part)
        if conference.speaker_title:
            who += f", {conference.speaker_title}"
        sentence = f"Đến dự Hội nghị, {who} đã phát biểu chỉ đạo"
        movement = conference.launched_movement
        if movement is not None:
            sentence += f" và phát động {lower_first(movement.title)}"
        paragraphs.append(sentence + ". " + conference.speech_text.strip() if conference.speech_text.strip() else sentence + ".")
        if movement is not None:
            tasks = list(movement.tasks.values_list("text", flat=True))
            if tasks and not conference.speech_text.strip().endswith(":"):
                paragraphs.append("Các công việc trọng tâm của phong trào:")
            paragraphs.extend(f"- {task}" for task in tasks)
    if conference.news_byline:
        paragraphs.append(conference.news_byline)
    return nfc("\n\n".join(paragraphs)) + "\n"


# ---------------------------------------------------------------- the report (DOCX)


def report_letterhead(conference: Conference) -> Letterhead:
    from thidua.movements.documents import place_of

    unit = conference.organising_unit
    day = conference.report_date or conference.held_on
    number = conference.report_number or f"      /BC-{unit.document_code}"
    return Letterhead(parent_body=unit.parent.name if unit.parent_id else "", body=unit.name, number=number, place=place_of(unit), day=day)


def _table(document: OfficialDocument, headers, rows, widths_mm) -> None:
    """A table whose column widths hold in Word and in LibreOffice (which reads the table grid, not the cells)."""
    from docx.shared import Mm

    table = document.table(headers, rows, widths_mm=widths_mm)
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)


def report_docx(conference: Conference) -> bytes:
    conference = Conference.objects.select_related("organising_unit__parent", "launched_movement").get(pk=conference.pk)
    unit = conference.organising_unit
    lines = selectors.honourees(conference)
    decisions = list(selectors.honoured_decisions(conference))
    presentations = list(selectors.accepted_presentations(conference))
    counts = selectors.attendance(conference)
    document = OfficialDocument(report_letterhead(conference), "BÁO CÁO", f"Kết quả {lower_first(conference.title)}")
    section = iter(ROMAN)

    references = [legal_reference(document_) for document_ in conference.legal_bases.order_by("issued_on", "number")]
    where = f" tại {conference.venue}" if conference.venue else ""
    intro = f"Thực hiện {'; '.join(references)}, " if references else ""
    intro += (f"{unit.name} đã tổ chức {lower_first(conference.title)} vào {_time(conference.starts_at) + ', ' if conference.starts_at else ''}"
              f"{vietnamese_date(conference.held_on)}{where}. {unit.name} báo cáo kết quả Hội nghị như sau:")
    document.paragraph(intro)

    if conference.purposes:
        document.heading(f"{next(section)}. MỤC ĐÍCH CỦA HỘI NGHỊ")
        document.items(conference.purposes)

    document.heading(f"{next(section)}. THÀNH PHẦN, SỐ LƯỢNG ĐẠI BIỂU")
    document.paragraph(
        f"Ban Tổ chức đã mời {counts.invited} đại biểu ({counts.internal} đại biểu trong cơ quan, {counts.guests} khách mời); "
        f"{counts.attending} đại biểu xác nhận tham dự, {counts.declined} đại biểu báo vắng. Có mặt tại Hội nghị: {counts.present} đại biểu "
        f"({counts.present_internal} đại biểu trong cơ quan, {counts.present_guests} khách mời)."
    )

    agenda = list(conference.agenda.order_by("order", "id"))
    if agenda:
        document.heading(f"{next(section)}. NỘI DUNG, DIỄN BIẾN HỘI NGHỊ")
        _table(document, ["Thời gian", "Nội dung", "Người thực hiện"], [(_slot(item), item.title, item.speaker) for item in agenda],
               widths_mm=[28, 87, 50])

    document.heading(f"{next(section)}. THAM LUẬN")
    if presentations:
        document.paragraph(f"Hội nghị đã nghe {_two_digits(len(presentations))} tham luận:")
        for index, presentation in enumerate(presentations, start=1):
            authors = ", ".join(author.name + (f" ({author.affiliation})" if author.affiliation else "") for author in presentation.authors.all())
            document.paragraph(f"{index}. “{presentation.title}” – {authors}.")
    else:
        document.paragraph("Hội nghị không có tham luận.")

    document.heading(f"{next(section)}. KHEN THƯỞNG, BIỂU DƯƠNG ĐIỂN HÌNH TIÊN TIẾN")
    if lines:
        basis = "; ".join(f"Quyết định số {decision.reference} ngày {decision.decision_date:%d/%m/%Y}" for decision in decisions)
        document.paragraph(f"Tại Hội nghị, {_giver(decisions)} đã tặng {award_phrase(lines)} điển hình tiên tiến trong phong trào thi đua "
                           f"yêu nước giai đoạn {conference.period_label} ({basis}), gồm:")
        _table(
            document, ["STT", "Tập thể, cá nhân", "Chức vụ, đơn vị", "Hình thức"],
            [(index, line.name if line.unit_id else f"{line.salutation} {line.name}".strip(), line.position, line.award.name)
             for index, line in enumerate(lines, start=1)],
            widths_mm=[12, 55, 70, 28],
        )
    else:
        document.paragraph("Hội nghị không trao khen thưởng.")

    movement = conference.launched_movement
    if conference.speaker_name or movement is not None:
        document.heading(f"{next(section)}. PHÁT BIỂU CHỈ ĐẠO, PHÁT ĐỘNG PHONG TRÀO THI ĐUA")
        if conference.speaker_name:
            who = ", ".join(part for part in (conference.speaker_name, conference.speaker_title) if part)
            sentence = f"{who} phát biểu chỉ đạo"
            if movement is not None:
                sentence += f" và phát động {lower_first(movement.title)} ({movement.start:%d/%m/%Y} – {movement.end:%d/%m/%Y})"
            document.paragraph(sentence + ".")
        if conference.speech_text.strip():
            for paragraph in conference.speech_text.strip().split("\n"):
                if paragraph.strip():
                    document.paragraph(paragraph.strip(), italic=True)
        if movement is not None:
            tasks = list(movement.tasks.values_list("text", flat=True))
            if tasks:
                if not conference.speech_text.strip().endswith(":"):
                    document.paragraph("Các nhiệm vụ trọng tâm của phong trào:")
                document.items(tasks)

    if conference.outcome.strip():
        document.heading(f"{next(section)}. ĐÁNH GIÁ CHUNG")
        for paragraph in conference.outcome.strip().split("\n"):
            if paragraph.strip():
                document.paragraph(paragraph.strip())

    document.paragraph(f"Trên đây là báo cáo kết quả {lower_first(conference.title)} của {unit.name}./.")
    authority = [line.upper() for line in (conference.report_signer_title or "").split("\n") if line.strip()] or [
        _head_title(unit)]
    document.signature(authority=authority, name=conference.report_signer_name or conference.speaker_name,
                       recipients=conference.report_recipients or ["Ban Thi đua – Khen thưởng tỉnh", "Lưu: VT"])
    return document.to_bytes()


def _head_title(unit) -> str:
    from thidua.movements.documents import HEAD_TITLES

    return HEAD_TITLES.get(unit.kind, "THỦ TRƯỞNG ĐƠN VỊ")


def report_filename(conference: Conference) -> str:
    return f"bao-cao-ket-qua-hoi-nghi-{conference.held_on:%Y-%m-%d}.docx"


@transaction.atomic
def conference_report_generate(*, actor, conference: Conference):
    """Generate the report (DOCX) and the news item (text) and keep both as new versions. Returns
    (report, news) GeneratedDocument rows."""
    if actor is not None and not scopes.can(actor, "conference.manage", conference.organising_unit):
        raise PermissionDenied
    report = store_generated(obj=conference, kind=REPORT_KIND, filename=report_filename(conference), content=report_docx(conference), actor=actor)
    news = store_generated(obj=conference, kind=NEWS_KIND, filename=f"tin-bai-hoi-nghi-{conference.held_on:%Y-%m-%d}.txt",
                           content=news_text(conference).encode("utf-8"), actor=actor)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference,
                 changes={"report": [None, {"version": report.version, "sha256": report.sha256}], "news": [None, {"version": news.version}]},
                 note=_("Tạo báo cáo kết quả hội nghị và tin bài"))
    return report, news


# ---------------------------------------------------------------- PDFs


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    from thidua.decisions.certificates import BOLD, FONT, ITALIC, register_fonts

    register_fonts()
    return {
        "body": ParagraphStyle("body", fontName=FONT, fontSize=12, leading=15, alignment=TA_JUSTIFY),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=11, leading=13.5, alignment=TA_LEFT),
        "cell_bold": ParagraphStyle("cell_bold", fontName=BOLD, fontSize=11, leading=13.5, alignment=TA_LEFT),
        "cell_centre": ParagraphStyle("cell_centre", fontName=FONT, fontSize=11, leading=13.5, alignment=TA_CENTER),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=11, leading=13.5, alignment=TA_CENTER),
        "head_plain": ParagraphStyle("head_plain", fontName=FONT, fontSize=11, leading=13.5, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, alignment=TA_CENTER, spaceBefore=10),
        "subtitle": ParagraphStyle("subtitle", fontName=BOLD, fontSize=13, leading=17, alignment=TA_CENTER),
        "note": ParagraphStyle("note", fontName=ITALIC, fontSize=12, leading=15, alignment=TA_CENTER, spaceBefore=4),
        "section": ParagraphStyle("section", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "small": ParagraphStyle("small", fontName=ITALIC, fontSize=10, leading=12, alignment=TA_CENTER),
    }


def _p(text, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(nfc(text)).replace("\n", "<br/>"), style)


def _heading_block(conference: Conference, styles) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    unit = conference.organising_unit
    left = [_p(unit.parent.name.upper() if unit.parent_id else "", styles["head_plain"]), _p(unit.name.upper(), styles["head"])]
    right = [_p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", styles["head"]), _p("Độc lập - Tự do - Hạnh phúc", styles["head"])]
    table = Table([[left, right]], colWidths=[78 * mm, 92 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


def _grid(rows, widths, *, header_rows: int = 1):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.93, 0.94, 0.95)),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _page_number(canvas, document):
    from thidua.decisions.certificates import FONT

    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawRightString(document.pagesize[0] - document.rightMargin, 12 * 2.83465, f"Trang {document.page}")
    canvas.restoreState()


def _build(story, *, title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    # A fixed creation date and no author: the same programme gives the same bytes.
    template = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=15 * mm, topMargin=18 * mm, bottomMargin=20 * mm,
                                 title=title, author="", creator="thidua", producer="thidua", invariant=1)
    template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _when_where(conference: Conference) -> str:
    when = f"{_time(conference.starts_at)}, " if conference.starts_at else ""
    text = f"Thời gian: {when}{vietnamese_date(conference.held_on)}"
    return text + (f" · Địa điểm: {conference.venue}" if conference.venue else "")


def _honouree_name(line) -> str:
    return line.name if line.unit_id else f"{line.salutation} {line.name}".strip()


def programme_pdf(conference: Conference, *, public: bool = False) -> bytes:
    """The printable programme: the heading, the title, time and place, the agenda, then the honourees (on
    the public page only those of published decisions)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    conference = Conference.objects.select_related("organising_unit__parent").get(pk=conference.pk)
    styles = _styles()
    story = _heading_block(conference, styles)
    story += [Spacer(1, 6 * mm), _p("CHƯƠNG TRÌNH", styles["title"]), _p(conference.title.upper(), styles["subtitle"]),
              _p(_when_where(conference), styles["note"]), Spacer(1, 5 * mm)]
    lines = selectors.public_honourees(conference) if public else selectors.honourees(conference)
    decisions = list(selectors.honoured_decisions(conference))
    rows = [[_p("Thời gian", styles["head"]), _p("Nội dung", styles["head"]), _p("Người thực hiện", styles["head"])]]
    for item in conference.agenda.order_by("order", "id"):
        content = [_p(item.title, styles["cell_bold"] if item.kind != AgendaKind.PRESENTATION else styles["cell"])]
        if item.kind == AgendaKind.CEREMONY and lines:
            for decision in decisions:
                decision_lines = [line for line in lines if line.decision_id == decision.pk]
                if decision_lines:
                    content.append(_p(f"– {award_phrase(decision_lines)} (Quyết định số {decision.reference} ngày "
                                      f"{decision.decision_date:%d/%m/%Y})", styles["cell"]))
        rows.append([_p(_slot(item), styles["cell_centre"]), content, _p(item.speaker, styles["cell"])])
    story.append(_grid(rows, [28 * mm, 92 * mm, 50 * mm]))
    if lines:
        story += [Spacer(1, 6 * mm), _p("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG TẠI HỘI NGHỊ", styles["section"])]
        rows = [[_p(label, styles["head"]) for label in ("STT", "Tập thể, cá nhân", "Chức vụ, đơn vị", "Hình thức")]]
        for index, line in enumerate(lines, start=1):
            rows.append([_p(str(index), styles["cell_centre"]), _p(_honouree_name(line), styles["cell_bold"]), _p(line.position, styles["cell"]),
                         _p(line.award.name, styles["cell"])])
        story.append(_grid(rows, [12 * mm, 55 * mm, 73 * mm, 30 * mm]))
    return _build(story, title=f"Chương trình {conference.title}")


def ceremony_batches(conference: Conference) -> list[dict]:
    """The award ceremony in turns on stage: collectives first (one turn), then individuals in groups of
    ``ceremony_batch_size``, each with its places from left to right."""
    lines = selectors.honourees(conference)
    size = max(1, conference.ceremony_batch_size)
    collectives = [line for line in lines if line.unit_id]
    individuals = [line for line in lines if not line.unit_id]
    groups = [collectives[index : index + size] for index in range(0, len(collectives), size)]
    groups += [individuals[index : index + size] for index in range(0, len(individuals), size)]
    return [{"number": number, "lines": group, "collective": bool(group and group[0].unit_id)} for number, group in enumerate(groups, start=1)]


def ceremony_pdf(conference: Conference) -> bytes:
    """The ceremony running order (kịch bản trao khen thưởng): who is called, in which turn, where each
    stands, who presents, for the master of ceremonies and the protocol team."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    conference = Conference.objects.select_related("organising_unit__parent").get(pk=conference.pk)
    styles = _styles()
    decisions = list(selectors.honoured_decisions(conference))
    presenter = ", ".join(part for part in (conference.speaker_name, conference.speaker_title) if part) or "Lãnh đạo đơn vị"
    story = _heading_block(conference, styles)
    story += [Spacer(1, 6 * mm), _p("KỊCH BẢN TRAO KHEN THƯỞNG", styles["title"]), _p(conference.title.upper(), styles["subtitle"]),
              _p(_when_where(conference), styles["note"]), Spacer(1, 4 * mm)]
    steps = []
    for decision in decisions:
        subject = lower_first(_ABOUT.sub("", decision.subject.strip()))
        steps.append(f"Người dẫn chương trình mời đại diện Ban Tổ chức công bố Quyết định số {decision.reference} ngày "
                     f"{decision.decision_date:%d/%m/%Y} về việc {subject}.")
    batches = ceremony_batches(conference)
    steps.append(f"Mời {presenter} lên trao khen thưởng ({len(batches)} lượt).")
    for index, step in enumerate(steps, start=1):
        story.append(_p(f"{index}. {step}", styles["body"]))
    for batch in batches:
        label = "tập thể" if batch["collective"] else "cá nhân"
        story.append(_p(f"Lượt {batch['number']}: {_two_digits(len(batch['lines']))} {label} — người trao: {presenter}", styles["section"]))
        rows = [[_p(text, styles["head"]) for text in ("Vị trí", "Tập thể, cá nhân", "Chức vụ, đơn vị", "Hình thức")]]
        for place, line in enumerate(batch["lines"], start=1):
            rows.append([_p(str(place), styles["cell_centre"]), _p(_honouree_name(line), styles["cell_bold"]), _p(line.position, styles["cell"]),
                         _p(line.award.name, styles["cell"])])
        story.append(_grid(rows, [16 * mm, 55 * mm, 69 * mm, 30 * mm]))
    story += [Spacer(1, 4 * mm), _p(f"{len(steps) + 1}. Chụp ảnh lưu niệm sau mỗi lượt; mời các tập thể, cá nhân về chỗ.", styles["body"]),
              _p("Vị trí đứng được tính từ trái sang phải, nhìn từ phía đại biểu.", styles["small"])]
    return _build(story, title=f"Kịch bản trao khen thưởng {conference.title}")


def _qr_drawing(payload: str, size_mm: float):
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    from thidua.decisions.certificates import qr_matrix

    rows = qr_matrix(payload).split("\n")
    quiet = 2
    modules = len(rows) + 2 * quiet
    unit = size_mm * mm / modules
    drawing = Drawing(size_mm * mm, size_mm * mm)
    for row_index, row in enumerate(rows):
        column = 0
        while column < len(row):
            if row[column] == "1":
                start = column
                while column < len(row) and row[column] == "1":
                    column += 1
                y = (modules - quiet - row_index - 1) * unit
                drawing.add(Rect((start + quiet) * unit, y, (column - start) * unit, unit, fillColor=colors.black, strokeColor=None, strokeWidth=0))
            else:
                column += 1
    return drawing


def invitations_pdf(conference: Conference, invitations, *, base_url: str | None = None) -> bytes:
    """One invitation per page: who is invited, to what, when and where, with the QR code and the typed code
    that the door checks."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

    from thidua.decisions.certificates import public_base_url

    conference = Conference.objects.select_related("organising_unit__parent").get(pk=conference.pk)
    base = (base_url or public_base_url()).rstrip("/")
    styles = _styles()
    story = []
    for index, invitation in enumerate(invitations):
        if index:
            story.append(PageBreak())
        story += _heading_block(conference, styles)
        story += [Spacer(1, 10 * mm), _p("GIẤY MỜI", styles["title"]), Spacer(1, 4 * mm)]
        story.append(_p(f"{conference.organising_unit.name} trân trọng kính mời:", styles["body"]))
        who = invitation.name + (f" – {invitation.position}" if invitation.position else "")
        story.append(_p(who, styles["subtitle"]))
        if invitation.organisation:
            story.append(_p(invitation.organisation, styles["note"]))
        story += [Spacer(1, 4 * mm), _p(f"Tới dự {conference.title}.", styles["body"]), _p(_when_where(conference), styles["body"])]
        url = tokens.invitation_url(base, invitation.token)
        code = _p(f"Mã giấy mời: {tokens.format_token(invitation.token)}", styles["cell_centre"])
        note = _p("Xin vui lòng xác nhận tham dự tại địa chỉ in dưới mã QR và xuất trình mã này tại bàn đón tiếp để điểm danh.", styles["body"])
        table = Table([[_qr_drawing(url, 40), [note, Spacer(1, 2 * mm), code, _p(f"{base}/thu-moi/{invitation.token}", styles["small"])]]],
                      colWidths=[46 * mm, 120 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story += [Spacer(1, 8 * mm), table]
    return _build(story or [Spacer(1, 1)], title=f"Giấy mời {conference.title}")
