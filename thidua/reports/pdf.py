"""Printable PDFs of the standard forms, the five-year summary and the award history (reportlab, A4,
Liberation Serif: metric-compatible with Times New Roman and complete for Vietnamese)."""

import io
import unicodedata
from pathlib import Path

from django.utils.translation import gettext as _

from thidua.reports.history import AwardHistory
from thidua.reports.standard_forms import FilledForm, FiveYearTable

FONT, BOLD, ITALIC, BOLD_ITALIC = "ReportSerif", "ReportSerif-Bold", "ReportSerif-Italic", "ReportSerif-BoldItalic"
PDF_CONTENT_TYPE = "application/pdf"
_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/liberation2")
_fonts_ready = False


def font_directory() -> Path:
    """Where the Liberation Serif TTFs are: the copies shipped in thidua/common/fonts, else Debian's
    fonts-liberation2 (the one place to point elsewhere)."""
    shipped = Path(__file__).resolve().parent.parent / "common" / "fonts"
    if (shipped / "LiberationSerif-Regular.ttf").exists():
        return shipped
    return _SYSTEM_FONTS


def register_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    directory = font_directory()
    for name, suffix in ((FONT, "Regular"), (BOLD, "Bold"), (ITALIC, "Italic"), (BOLD_ITALIC, "BoldItalic")):
        pdfmetrics.registerFont(TTFont(name, str(directory / f"LiberationSerif-{suffix}.ttf")))
    for bold, italic, name in ((0, 0, FONT), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(FONT, bold, italic, name)
    _fonts_ready = True


def _text(value) -> str:
    """NFC (decomposed marks land in the wrong place), with XML specials escaped for Paragraph."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=12.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=10.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=BOLD, fontSize=9, leading=11),
        "cell_italic": ParagraphStyle("cell_italic", parent=base, fontName=ITALIC, fontSize=9, leading=11),
        "cell_num": ParagraphStyle("cell_num", parent=base, fontSize=9, leading=11, alignment=TA_RIGHT),
        "cell_num_bold": ParagraphStyle("cell_num_bold", parent=base, fontName=BOLD, fontSize=9, leading=11, alignment=TA_RIGHT),
        "cell_center": ParagraphStyle("cell_center", parent=base, fontSize=9, leading=11, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=9, leading=11, alignment=TA_CENTER),
        "head_small": ParagraphStyle("head_small", parent=base, fontName=BOLD, fontSize=7.5, leading=9, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=13, leading=16, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontName=ITALIC, fontSize=11, leading=14, alignment=TA_CENTER),
        "left": ParagraphStyle("left", parent=base, alignment=TA_LEFT),
        "left_bold": ParagraphStyle("left_bold", parent=base, fontName=BOLD, alignment=TA_LEFT),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "center_bold": ParagraphStyle("center_bold", parent=base, fontName=BOLD, alignment=TA_CENTER),
        "center_italic": ParagraphStyle("center_italic", parent=base, fontName=ITALIC, alignment=TA_CENTER),
    }


def _document(buffer, *, landscape_page: bool, title: str):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    # Decree 30/2020 margins: top and bottom 20 mm, left 30 mm, right 15 mm (landscape: narrower sides).
    size = landscape(A4) if landscape_page else A4
    return SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=(20 if landscape_page else 30) * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm if landscape_page else 20 * mm,
        bottomMargin=15 * mm if landscape_page else 20 * mm,
        title=unicodedata.normalize("NFC", title),
        author="thidua",
    )


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,}".replace(",", ".")


def _signature_block(styles, *, left: str, right: str):
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = [
        [Paragraph("", styles["center"]), Paragraph(_text("…………, ngày …… tháng …… năm ……"), styles["center_italic"])],
        [Paragraph(_text(left), styles["center_bold"]), Paragraph(_text(right), styles["center_bold"])],
        [Paragraph(_text(_("(Ký, họ tên)")), styles["center_italic"]), Paragraph(_text(_("(Ký, họ tên, đóng dấu)")), styles["center_italic"])],
    ]
    table = Table(rows, colWidths=["50%", "50%"])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    return table


def form_pdf(filled: FilledForm) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    register_fonts()
    styles = _styles()
    template = filled.template
    buffer = io.BytesIO()
    document = _document(buffer, landscape_page=True, title=f"{template.code} {filled.year}")
    story = []

    left = [Paragraph(f"<b>{_text(_('Biểu số: %(code)s') % {'code': template.code})}</b>", styles["left"]),
            Paragraph(_text(template.issued_line), styles["small"])]
    if template.receipt:
        left.append(Paragraph(_text(template.receipt), styles["small"]))
    right = [Paragraph(_text(_("Đơn vị báo cáo: %(unit)s") % {"unit": filled.reporting_unit}), styles["left"])]
    if template.receiver:
        right.append(Paragraph(_text(_("Đơn vị nhận báo cáo: %(unit)s") % {"unit": filled.receiving_unit}), styles["left"]))
    top = Table([[left, right]], colWidths=[document.width * 0.5, document.width * 0.5])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [top, Spacer(1, 4 * mm), Paragraph(_text(template.title), styles["title"]),
              Paragraph(_text(filled.period_text), styles["subtitle"])]
    if template.measure:
        story.append(Paragraph(_text(template.measure), styles["right"]))
    story.append(Spacer(1, 3 * mm))

    height, cells = template.header()
    leaves = template.leaves
    label_count = len(template.label_columns)
    width = label_count + len(leaves)
    grid = [["" for _ in range(width)] for _ in range(height + 1)]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    # Many columns (0602 has 13) leave about 14 mm each: a smaller header font keeps words whole.
    head_style = styles["head_small"] if len(leaves) > 8 else styles["head"]
    for cell in cells:
        text = cell.text + ("" if cell.verified else " *")
        grid[cell.row][cell.column] = Paragraph(_text(text), head_style)
        if cell.row_span > 1 or cell.column_span > 1:
            commands.append(("SPAN", (cell.column, cell.row), (cell.column + cell.column_span - 1, cell.row + cell.row_span - 1)))
    for position, letter in enumerate(template.label_columns):
        grid[height][position] = Paragraph(letter, styles["cell_center"])
    for position, leaf in enumerate(leaves, start=label_count):
        grid[height][position] = Paragraph(_text(leaf.index), styles["cell_center"])
    for filled_row in filled.rows:
        row = filled_row.row
        style = styles["cell_bold"] if row.style in ("total", "section") else styles["cell_italic"] if row.style == "italic" else styles["cell"]
        label = row.label + ("" if row.verified else " *")
        line = [Paragraph(_text(label), style), Paragraph(_text(row.code), styles["cell_center"])]
        if template.uom_column:
            line.append(Paragraph(_text(row.uom), styles["cell_center"]))
        if row.is_section:
            line += [""] * len(leaves)
        else:
            line += [Paragraph(_number(value), styles["cell_num_bold" if row.style == "total" else "cell_num"]) for value in filled_row.cells]
        grid.append(line)
    commands.append(("ALIGN", (label_count, height + 1), (-1, -1), "RIGHT"))
    label_width = 58 * mm if len(leaves) > 8 else 95 * mm
    uom_width = 17 * mm
    fixed = label_width + 11 * mm + (uom_width if template.uom_column else 0)
    leaf_width = max(12 * mm, (document.width - fixed) / max(1, len(leaves)))
    widths = [label_width, 11 * mm] + ([uom_width] if template.uom_column else []) + [leaf_width] * len(leaves)
    table = Table(grid, colWidths=widths, repeatRows=height + 1)
    table.setStyle(TableStyle(commands))
    story.append(table)
    if template.footer:
        story += [Spacer(1, 6 * mm), _signature_block(styles, left=_("NGƯỜI LẬP BIỂU"), right=_("THỦ TRƯỞNG ĐƠN VỊ"))]
    unverified = not template.verified or any(not r.verified for r in template.rows) or any(not c.verified for c in leaves)
    if unverified:
        story += [Spacer(1, 4 * mm), Paragraph(
            _text(_("(*) Chưa xác thực: bố cục, dòng hoặc cột chưa đối chiếu với phụ lục của %(basis)s.") % {"basis": template.legal_basis}),
            styles["small"])]
    document.build(story)
    return buffer.getvalue()


def five_year_pdf(table: FiveYearTable) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    document = _document(buffer, landscape_page=True, title=table.title)
    story = [
        Paragraph(_text(table.scope.root.name.upper()), styles["left_bold"]),
        Spacer(1, 3 * mm),
        Paragraph(_text(table.title), styles["title"]),
        Paragraph(_text(_("(Theo năm thành tích; không tính khen thưởng đã thu hồi)")), styles["subtitle"]),
        Spacer(1, 3 * mm),
    ]
    years = table.years
    head_top = [_("STT"), _("Danh hiệu, hình thức khen thưởng"), *[str(y) for y in years], _("Tổng cộng"), _("Trong đó"), "", ""]
    head_sub = ["", "", *["" for _ in years], "", _("Tập thể"), _("Cá nhân"), _("Hộ gia đình")]
    grid = [[Paragraph(_text(text), styles["head"]) for text in head_top], [Paragraph(_text(text), styles["head"]) for text in head_sub]]
    n = len(years)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2 + n, 0), (2 + n, 1)),
        ("SPAN", (3 + n, 0), (5 + n, 0)),
    ] + [("SPAN", (2 + i, 0), (2 + i, 1)) for i in range(n)]
    number = 0
    for row in table.rows:
        bold = row.style in ("section", "subtotal", "total")
        label_style = styles["cell_bold"] if bold else styles["cell"]
        if row.style == "section":
            grid.append([Paragraph("", styles["cell"]), Paragraph(_text(row.label), label_style)] + [""] * (n + 4))
            continue
        if row.style == "item":
            number += 1
        values = [*row.by_year, row.total, row.collective, row.individual, row.household]
        grid.append(
            [Paragraph(str(number) if row.style == "item" else "", styles["cell_center"]), Paragraph(_text(row.label), label_style)]
            + [Paragraph(_number(value), styles["cell_num_bold"] if bold else styles["cell_num"]) for value in values]
        )
    commands.append(("ALIGN", (2, 2), (-1, -1), "RIGHT"))
    label_width = 80 * mm
    other = (document.width - 12 * mm - label_width) / (n + 4)
    flowable = Table(grid, colWidths=[12 * mm, label_width] + [other] * (n + 4), repeatRows=2)
    flowable.setStyle(TableStyle(commands))
    story += [flowable, Spacer(1, 4 * mm), Paragraph(_text(table.legal_note), styles["small"]), Spacer(1, 6 * mm),
              _signature_block(styles, left=_("NGƯỜI LẬP BIỂU"), right=_("THỦ TRƯỞNG ĐƠN VỊ"))]
    document.build(story)
    return buffer.getvalue()


def history_pdf(history: AwardHistory) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    document = _document(buffer, landscape_page=False, title=history.title)
    story = [Paragraph(_text(history.title), styles["title"]), Spacer(1, 2 * mm)]
    for label, value in history.facts:
        story.append(Paragraph(f"{_text(label)}: <b>{_text(value)}</b>", styles["left"]))
    story.append(Spacer(1, 4 * mm))
    head = [_("STT"), _("Năm thành tích"), _("Danh hiệu, hình thức khen thưởng"), _("Số, ngày quyết định"),
            _("Cơ quan ban hành"), _("Đơn vị khi được khen")]
    grid = [[Paragraph(_text(text), styles["head"]) for text in head]]
    for number, entry in enumerate(history.entries, start=1):
        award = entry.award_name + (" " + _("(đã thu hồi)") if entry.revoked else "")
        unit = _text(entry.unit_then) + (f"<br/><i>{_text(_('nay là'))} {_text(entry.unit_now)}</i>" if entry.unit_now else "")
        grid.append([
            Paragraph(str(number), styles["cell_center"]),
            Paragraph(_text(entry.period), styles["cell_center"]),
            Paragraph(_text(award), styles["cell_italic"] if entry.revoked else styles["cell"]),
            Paragraph(_text(f"{entry.decision_number}, {entry.decision_date:%d/%m/%Y}"), styles["cell"]),
            Paragraph(_text(entry.issuer), styles["cell"]),
            Paragraph(unit, styles["cell"]),
        ])
    if not history.entries:
        grid.append([Paragraph(_text(_("Chưa có khen thưởng nào trong sổ.")), styles["cell"]), "", "", "", "", ""])
    widths = [11 * mm, 17 * mm, 36 * mm, 28 * mm, 28 * mm]
    widths.append(document.width - sum(widths))
    table = Table(grid, colWidths=widths, repeatRows=1)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if not history.entries:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(TableStyle(commands))
    story += [table, Spacer(1, 3 * mm), Paragraph(_text(history.note), styles["small"])]
    document.build(story)
    return buffer.getvalue()
