"""Official documents in the Decree 30/2020/NĐ-CP layout (DOCX), and their stored versions.

A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (Liberation Serif / Tinos render
the same metrics); the national heading over the motto, underlined; the issuing body top left with its
number; place and date in italics; the document type and subject centred in bold; body paragraphs
justified with a first-line indent; the signature block with "Nơi nhận" on the left.
"""

import datetime
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from thidua.common.models import GeneratedDocument

FONT = "Times New Roman"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def vietnamese_date(day: datetime.date, place: str = "") -> str:
    """"Tiền Giang, ngày 10 tháng 8 năm 2020": days under 10 and the months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text


@dataclass
class Letterhead:
    parent_body: str  # e.g. "UBND TỈNH TIỀN GIANG"
    body: str  # e.g. "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    number: str  # e.g. "15/KH-SKHCN" (without "Số: ")
    place: str  # e.g. "Tiền Giang"
    day: datetime.date


def _set_font(run, size: float, *, bold: bool = False, italic: bool = False, underline: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _no_borders(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


class OfficialDocument:
    def __init__(self, letterhead: Letterhead, doc_type: str, subject: str):
        self.document = Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        normal = self.document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(14)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        # Fixed document dates (python-docx would stamp "now"): the same content gives the same bytes
        # and the same hash, so stored versions differ only when the text does.
        stamp = datetime.datetime.combine(letterhead.day, datetime.time(8, 0))
        properties = self.document.core_properties
        properties.created = properties.modified = stamp
        properties.last_printed = stamp
        properties.revision = 1
        properties.author = properties.last_modified_by = "thidua"
        self._letterhead(letterhead)
        if doc_type:
            self._centred(doc_type.upper(), 14, bold=True, space_before=12)
        if subject:
            self._centred(subject, 14, bold=True)

    # ------------------------------------------------------------ layout pieces

    def _cell_line(self, cell, text: str, size: float, *, first: bool = False, bold=False, italic=False, underline=False):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _set_font(paragraph.add_run(text), size, bold=bold, italic=italic, underline=underline)
        return paragraph

    def _letterhead(self, head: Letterhead) -> None:
        table = self.document.add_table(rows=2, cols=2)
        _no_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.columns[0].width, table.columns[1].width = Mm(70), Mm(95)
        left, right = table.cell(0, 0), table.cell(0, 1)
        left.width, right.width = Mm(70), Mm(95)
        self._cell_line(left, head.parent_body.upper(), 13, first=True)
        self._cell_line(left, head.body.upper(), 13, bold=True, underline=True)
        self._cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, first=True, bold=True)
        self._cell_line(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, underline=True)
        self._cell_line(table.cell(1, 0), f"Số: {head.number}", 13, first=True)
        self._cell_line(table.cell(1, 1), vietnamese_date(head.day, head.place), 13, first=True, italic=True)

    def _centred(self, text: str, size: float, *, bold=False, italic=False, space_before: float = 0):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(space_before)
        paragraph.paragraph_format.space_after = Pt(0)
        _set_font(paragraph.add_run(text), size, bold=bold, italic=italic)
        return paragraph

    # ------------------------------------------------------------ content

    def paragraph(self, text: str, *, bold=False, italic=False, indent=True, align="justify"):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align == "justify" else WD_ALIGN_PARAGRAPH.CENTER
        format_ = paragraph.paragraph_format
        format_.first_line_indent = Mm(10) if indent else None
        format_.space_before, format_.space_after = Pt(6), Pt(0)
        _set_font(paragraph.add_run(text), 14, bold=bold, italic=italic)
        return paragraph

    def heading(self, text: str):
        return self.paragraph(text, bold=True)

    def items(self, lines: Iterable[str], *, prefix: str = "- "):
        for line in lines:
            self.paragraph(f"{prefix}{line}")

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]], *, widths_mm: Sequence[float] | None = None):
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for index, header in enumerate(headers):
            cell = table.rows[0].cells[index]
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(cell.paragraphs[0].add_run(str(header)), 12, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for index, value in enumerate(row):
                _set_font(cells[index].paragraphs[0].add_run("" if value is None else str(value)), 12)
        if widths_mm:
            for row in table.rows:
                for index, width in enumerate(widths_mm):
                    row.cells[index].width = Mm(width)
        return table

    def signature(self, *, authority: Sequence[str], name: str, recipients: Sequence[str]) -> None:
        """Nơi nhận on the left; on the right the authority lines (e.g. "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        room for the signature and seal, then the signer's name."""
        self.document.add_paragraph()
        table = self.document.add_table(rows=1, cols=2)
        _no_borders(table)
        left, right = table.cell(0, 0), table.cell(0, 1)
        left.width, right.width = Mm(80), Mm(85)
        first = left.paragraphs[0]
        _set_font(first.add_run("Nơi nhận:"), 12, bold=True, italic=True)
        for recipient in recipients:
            paragraph = left.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            _set_font(paragraph.add_run(f"- {recipient};"), 11)
        for index, line in enumerate(authority):
            self._cell_line(right, line, 14, first=index == 0, bold=True)
        for _ in range(4):
            self._cell_line(right, "", 14)
        self._cell_line(right, name, 14, bold=True)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return stable_zip(buffer.getvalue())


# python-docx stamps each zip entry with the current time: the same document generated a second later
# would get another hash. Entries are rewritten with a fixed time, in the same order.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def stable_zip(content: bytes) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()


@transaction.atomic
def store_generated(*, obj, kind: str, filename: str, content: bytes, actor=None) -> GeneratedDocument:
    """Keep a generated file as the next version for (obj, kind); earlier versions stay untouched."""
    content_type = ContentType.objects.get_for_model(obj)
    siblings = GeneratedDocument.objects.select_for_update().filter(content_type=content_type, object_id=str(obj.pk), kind=kind)
    version = (siblings.aggregate(last=Max("version"))["last"] or 0) + 1
    document = GeneratedDocument(
        content_type=content_type,
        object_id=str(obj.pk),
        kind=kind,
        version=version,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def generated_versions(obj, kind: str | None = None):
    queryset = GeneratedDocument.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return queryset.filter(kind=kind) if kind else queryset
