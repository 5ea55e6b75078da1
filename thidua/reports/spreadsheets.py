"""Excel files of the reports: the standard forms with their official headings and merged header cells
(as in the ministry's templates), the five-year summary, the lists behind the figures and the award
history. Times New Roman, A4 landscape, fitted to one page wide."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from thidua.reports.history import AwardHistory
from thidua.reports.standard_forms import FilledForm, FiveYearTable

FONT_NAME = "Times New Roman"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")

# Where the form's table starts: rows 1–3 the identification blocks, 5 the title, 6 the period, 7 the
# unit of measure; the header from row 9. Tests and users rely on these places.
FORM_HEADER_ROW = 9


def _font(*, bold: bool = False, italic: bool = False, size: float = 12) -> Font:
    return Font(name=FONT_NAME, bold=bold, italic=italic, size=size)


def _put(sheet, row: int, column: int, value, *, font: Font | None = None, alignment=None, border: bool = False):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font = font or _font()
    if alignment is not None:
        cell.alignment = alignment
    if border:
        cell.border = _BORDER
    return cell


def _merged(sheet, row: int, first: int, last: int, value, *, font=None, alignment=None, rows: int = 1):
    _put(sheet, row, first, value, font=font, alignment=alignment)
    if last > first or rows > 1:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row + rows - 1, end_column=last)


def _page_setup(sheet, *, landscape: bool = True) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _signature(sheet, row: int, width: int) -> None:
    half = max(1, width // 2)
    _merged(sheet, row, half + 1, width, "…………, ngày …… tháng …… năm ……", font=_font(italic=True), alignment=_CENTER)
    _merged(sheet, row + 1, 1, half, _("NGƯỜI LẬP BIỂU"), font=_font(bold=True), alignment=_CENTER)
    _merged(sheet, row + 1, half + 1, width, _("THỦ TRƯỞNG ĐƠN VỊ"), font=_font(bold=True), alignment=_CENTER)
    _merged(sheet, row + 2, 1, half, _("(Ký, họ tên)"), font=_font(italic=True), alignment=_CENTER)
    _merged(sheet, row + 2, half + 1, width, _("(Ký, họ tên, đóng dấu)"), font=_font(italic=True), alignment=_CENTER)


def form_workbook(filled: FilledForm) -> bytes:
    template = filled.template
    leaves = template.leaves
    label_count = len(template.label_columns)
    width = label_count + len(leaves)
    half = max(1, width // 2)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = template.slug

    _merged(sheet, 1, 1, half, _("Biểu số: %(code)s") % {"code": template.code}, font=_font(bold=True), alignment=_LEFT)
    _merged(sheet, 2, 1, half, template.issued_line, font=_font(size=11), alignment=_LEFT)
    if template.receipt:
        _merged(sheet, 3, 1, half, template.receipt, font=_font(size=11), alignment=_LEFT)
    _merged(sheet, 1, half + 1, width, _("Đơn vị báo cáo: %(unit)s") % {"unit": filled.reporting_unit}, alignment=_LEFT)
    if template.receiver:
        _merged(sheet, 2, half + 1, width, _("Đơn vị nhận báo cáo: %(unit)s") % {"unit": filled.receiving_unit}, alignment=_LEFT)
    _merged(sheet, 5, 1, width, template.title, font=_font(bold=True, size=13), alignment=_CENTER)
    sheet.row_dimensions[5].height = 36
    _merged(sheet, 6, 1, width, filled.period_text, font=_font(italic=True), alignment=_CENTER)
    if template.measure:
        _merged(sheet, 7, half + 1, width, template.measure, font=_font(italic=True), alignment=Alignment(horizontal="right"))

    height, cells = template.header()
    top = FORM_HEADER_ROW
    for cell in cells:
        _put(sheet, top + cell.row, cell.column + 1, cell.text, font=_font(bold=True, size=11), alignment=_CENTER, border=True)
        if cell.row_span > 1 or cell.column_span > 1:
            sheet.merge_cells(
                start_row=top + cell.row,
                start_column=cell.column + 1,
                end_row=top + cell.row + cell.row_span - 1,
                end_column=cell.column + cell.column_span,
            )
    # Merged ranges keep only their first cell's border: draw the others too, for printing.
    for row in range(top, top + height):
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).border = _BORDER
    index_row = top + height
    for position, letter in enumerate(template.label_columns, start=1):
        _put(sheet, index_row, position, letter, font=_font(italic=True, size=11), alignment=_CENTER, border=True)
    for position, leaf in enumerate(leaves, start=label_count + 1):
        _put(sheet, index_row, position, leaf.index, font=_font(italic=True, size=11), alignment=_CENTER, border=True)

    row_number = index_row + 1
    for filled_row in filled.rows:
        row = filled_row.row
        bold = row.style in ("total", "section")
        italic = row.style == "italic"
        _put(sheet, row_number, 1, row.label, font=_font(bold=bold, italic=italic, size=11), alignment=_LEFT, border=True)
        _put(sheet, row_number, 2, row.code or None, font=_font(size=11), alignment=_CENTER, border=True)
        if template.uom_column:
            _put(sheet, row_number, 3, row.uom or None, font=_font(size=11), alignment=_CENTER, border=True)
        for position in range(len(leaves)):
            value = None if row.is_section else filled_row.cells[position]
            cell = _put(sheet, row_number, label_count + 1 + position, value, font=_font(bold=row.style == "total", size=11),
                        alignment=_RIGHT, border=True)
            cell.number_format = "#,##0"
        row_number += 1

    if template.footer:
        _signature(sheet, row_number + 1, width)

    sheet.column_dimensions["A"].width = 58
    sheet.column_dimensions["B"].width = 8
    if template.uom_column:
        sheet.column_dimensions["C"].width = 13
    for position in range(label_count + 1, width + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 13
    sheet.print_title_rows = f"{top}:{index_row}"
    _page_setup(sheet)

    notes = workbook.create_sheet(_("Ghi chú"))
    lines = [
        (_("Biểu số"), template.code),
        (_("Căn cứ"), template.legal_basis),
        (_("Hiệu lực"), f"{template.valid_from:%d/%m/%Y} – " + (f"{template.valid_to:%d/%m/%Y}" if template.valid_to else "")),
        (_("Mẫu đang dùng"), template.file),
        (_("Đúng mẫu có hiệu lực của năm báo cáo"), _("Có") if filled.in_force else _("Không")),
        (_("Mức xác thực"), _("Đã xác thực") if template.verified else _("Chưa xác thực")),
    ]
    lines += [(_("Ghi chú"), note) for note in template.notes]
    unverified = [row.code or row.label for row in template.rows if not row.verified]
    unverified += [leaf.index for leaf in leaves if not leaf.verified]
    if unverified:
        lines.append((_("Dòng, cột chưa xác thực"), ", ".join(unverified)))
    for number, (label, value) in enumerate(lines, start=1):
        _put(notes, number, 1, label, font=_font(bold=True))
        _put(notes, number, 2, value, alignment=_LEFT)
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["B"].width = 110
    return _save(workbook)


def five_year_workbook(table: FiveYearTable) -> bytes:
    years = table.years
    width = 2 + len(years) + 4
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tổng hợp")
    _merged(sheet, 1, 1, max(2, width // 2), table.scope.root.name.upper(), font=_font(bold=True), alignment=_LEFT)
    _merged(sheet, 3, 1, width, table.title, font=_font(bold=True, size=13), alignment=_CENTER)
    _merged(sheet, 4, 1, width, _("(Theo năm thành tích; không tính khen thưởng đã thu hồi)"), font=_font(italic=True), alignment=_CENTER)
    top = 6
    headings = [_("STT"), _("Danh hiệu, hình thức khen thưởng"), *[str(year) for year in years], _("Tổng cộng")]
    for column, text in enumerate(headings, start=1):
        _put(sheet, top, column, text, font=_font(bold=True, size=11), alignment=_CENTER, border=True)
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    split_start = len(headings) + 1
    _put(sheet, top, split_start, _("Trong đó"), font=_font(bold=True, size=11), alignment=_CENTER, border=True)
    sheet.merge_cells(start_row=top, start_column=split_start, end_row=top, end_column=split_start + 2)
    for offset, text in enumerate((_("Tập thể"), _("Cá nhân"), _("Hộ gia đình"))):
        _put(sheet, top + 1, split_start + offset, text, font=_font(bold=True, size=11), alignment=_CENTER, border=True)
    for row in (top, top + 1):
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).border = _BORDER
    row_number = top + 2
    number = 0
    for row in table.rows:
        bold = row.style in ("section", "subtotal", "total")
        if row.style == "item":
            number += 1
        _put(sheet, row_number, 1, number if row.style == "item" else None, alignment=_CENTER, border=True, font=_font(size=11))
        _put(sheet, row_number, 2, row.label, font=_font(bold=bold, size=11), alignment=_LEFT, border=True)
        values = [] if row.style == "section" else [*row.by_year, row.total, row.collective, row.individual, row.household]
        for offset in range(width - 2):
            value = values[offset] if values else None
            cell = _put(sheet, row_number, 3 + offset, value, font=_font(bold=bold, size=11), alignment=_RIGHT, border=True)
            cell.number_format = "#,##0"
        row_number += 1
    _merged(sheet, row_number + 1, 1, width, table.legal_note, font=_font(italic=True, size=10), alignment=_LEFT)
    _signature(sheet, row_number + 3, width)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 52
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    _page_setup(sheet)
    return _save(workbook)


def history_workbook(history: AwardHistory) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Quá trình khen thưởng")
    headings = [_("STT"), _("Năm thành tích"), _("Danh hiệu, hình thức khen thưởng"), _("Số quyết định"),
                _("Ngày quyết định"), _("Cơ quan ban hành"), _("Đơn vị khi được khen"), _("Đơn vị nay là"), _("Đã thu hồi")]
    _merged(sheet, 1, 1, len(headings), history.title, font=_font(bold=True, size=13), alignment=_CENTER)
    row_number = 2
    for label, value in history.facts:
        _merged(sheet, row_number, 1, len(headings), f"{label}: {value}", alignment=_LEFT)
        row_number += 1
    row_number += 1
    header_row = row_number
    for column, text in enumerate(headings, start=1):
        _put(sheet, header_row, column, text, font=_font(bold=True, size=11), alignment=_CENTER, border=True)
    for number, entry in enumerate(history.entries, start=1):
        values = [number, entry.period, entry.award_name, entry.decision_number, entry.decision_date, entry.issuer,
                  entry.unit_then, entry.unit_now or None, _("Có") if entry.revoked else None]
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, header_row + number, column, value, font=_font(size=11, italic=entry.revoked), alignment=_LEFT, border=True)
            if column == 5:
                cell.number_format = "DD/MM/YYYY"
    for column, width in enumerate((6, 12, 40, 16, 14, 30, 34, 30, 10), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    _page_setup(sheet)
    return _save(workbook)
