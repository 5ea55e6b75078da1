"""Reward money: the payment list of a decision (danh sách chi tiền thưởng) as XLSX and PDF, and the totals
by fund and year. The amounts are those written on the lines when the decision was issued (coefficient ×
base salary in force on the signing day, rounded by the ruleset: ``rules.money``)."""

import io
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from thidua.decisions import wording
from thidua.decisions.enums import DecisionKind, DecisionStatus
from thidua.rules.money import amount_in_words


@dataclass
class PaymentRow:
    order: int
    name: str
    position: str
    award: str
    coefficient: str
    base_salary: int | None
    amount: int
    note: str
    revoked: bool


def payment_rows(decision) -> list[PaymentRow]:
    rows = []
    for index, line in enumerate(decision.recipients.select_related("award", "award_record").order_by("order", "id"), start=1):
        name = f"Tập thể {line.name}" if line.subject == "collective" else f"{line.salutation} {line.name}".strip()
        revoked = bool(line.award_record_id and line.award_record.revoked)
        rows.append(PaymentRow(
            order=index, name=name, position=line.position, award=line.award.name, coefficient=wording.coefficient_text(line.coefficient),
            base_salary=line.base_salary, amount=line.amount or 0,
            note="; ".join(part for part in (line.money_note, "đã thu hồi" if revoked else "") if part), revoked=revoked,
        ))
    return rows


def _title(decision) -> tuple[str, str]:
    # A document for the accountant: Vietnamese whatever the language of the user who downloads it.
    return (
        "DANH SÁCH CHI TIỀN THƯỞNG",
        f"Kèm theo Quyết định số {decision.reference} ngày {wording.date_short(decision.decision_date)} của {decision.issuing_unit.name}",
    )


HEADERS = ["STT", "Họ và tên, tên tập thể", "Chức vụ, đơn vị", "Hình thức khen thưởng", "Hệ số", "Mức lương cơ sở (đồng)",
           "Số tiền (đồng)", "Ký nhận", "Ghi chú"]


def payments_xlsx(decision) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    rows = payment_rows(decision)
    total = sum(row.amount for row in rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chi tiền thưởng"
    heading, subtitle = _title(decision)
    sheet.append([decision.issuing_unit.name.upper()])
    sheet.append([heading])
    sheet.append([subtitle])
    sheet.append([])
    for row_number in (1, 2, 3):
        sheet.cell(row=row_number, column=1).font = Font(bold=row_number < 3, italic=row_number == 3, size=13 if row_number == 2 else 11)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(HEADERS))
    sheet.cell(row=2, column=1).alignment = sheet.cell(row=3, column=1).alignment = Alignment(horizontal="center")
    sheet.append(HEADERS)
    header_row = sheet.max_row
    thin = Side(style="thin")
    for row in rows:
        sheet.append([row.order, row.name, row.position, row.award, row.coefficient, row.base_salary, row.amount, "", row.note])
    sheet.append(["", "Tổng cộng", "", "", "", "", total, "", ""])
    total_row = sheet.max_row
    sheet.append([])
    sheet.append([f"Số tiền bằng chữ: {amount_in_words(total)}."])
    sheet.append([])
    sheet.append(["", "Người lập biểu", "", "Kế toán", "", "", "Thủ trưởng đơn vị"])
    signature_row = sheet.max_row
    for column, width in enumerate([6, 30, 38, 26, 8, 16, 16, 14, 24], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row in sheet.iter_rows(min_row=header_row, max_row=total_row):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for cell in sheet[total_row]:
        cell.font = Font(bold=True)
    for cell in sheet[signature_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row + 1, max_row=total_row, min_col=6, max_col=7):
        for cell in row:
            cell.number_format = "#,##0"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def payments_pdf(decision) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from thidua.decisions.certificates import BOLD, FONT, ITALIC, MM, nfc, register_fonts

    register_fonts()
    rows = payment_rows(decision)
    total = sum(row.amount for row in rows)
    heading, subtitle = _title(decision)
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=12)
    centre = ParagraphStyle("centre", parent=base, alignment=1)
    title_style = ParagraphStyle("title", parent=centre, fontName=BOLD, fontSize=14, leading=18)
    italic = ParagraphStyle("italic", parent=centre, fontName=ITALIC, fontSize=11, leading=14)
    bold_style = ParagraphStyle("bold", parent=base, fontName=BOLD)

    def cell(text, style=base):
        from xml.sax.saxutils import escape

        return Paragraph(escape(nfc(text)), style)

    data = [[cell(header, ParagraphStyle("h", parent=centre, fontName=BOLD)) for header in HEADERS]]
    for row in rows:
        data.append([
            str(row.order), cell(row.name), cell(row.position), cell(row.award), row.coefficient,
            wording.money_text(row.base_salary) if row.base_salary else "", wording.money_text(row.amount), "", cell(row.note),
        ])
    data.append(["", cell("Tổng cộng", bold_style), "", "", "", "", wording.money_text(total), "", ""])
    widths = [10, 48, 55, 38, 13, 25, 25, 22, 30]
    table = Table(data, colWidths=[width * MM for width in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 10),
        ("FONT", (0, -1), (-1, -1), BOLD, 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (4, 1), (6, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.94, 0.95, 0.96)),
    ]))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * MM, rightMargin=12 * MM, topMargin=14 * MM,
                                 bottomMargin=14 * MM, title=nfc(heading), author="thidua")
    signatures = Table(
        [[cell("Người lập biểu", ParagraphStyle("s", parent=centre, fontName=BOLD)), cell("Kế toán", ParagraphStyle("s2", parent=centre, fontName=BOLD)),
          cell("Thủ trưởng đơn vị", ParagraphStyle("s3", parent=centre, fontName=BOLD))],
         [cell("(Ký, họ tên)", italic), cell("(Ký, họ tên)", italic), cell("(Ký, họ tên, đóng dấu)", italic)]],
        colWidths=[89 * MM, 89 * MM, 89 * MM],
    )
    story = [
        cell(decision.issuing_unit.name.upper(), bold_style),
        Spacer(1, 4 * MM),
        cell(heading, title_style),
        cell(subtitle, italic),
        Spacer(1, 5 * MM),
        table,
        Spacer(1, 3 * MM),
        cell(f"Số tiền bằng chữ: {amount_in_words(total)}.", ParagraphStyle("w", parent=base, fontName=ITALIC, fontSize=11, leading=14)),
        Spacer(1, 8 * MM),
        signatures,
    ]
    document.build(story)
    return buffer.getvalue()


def totals_by_fund_and_year(decisions) -> list[dict]:
    """For issued award decisions: per year and fund, the decisions, the lines paid and the money; and the
    money to recover by revocations issued that year."""
    from thidua.decisions.models import DecisionRecipient, RevocationItem

    issued = decisions.filter(status=DecisionStatus.ISSUED)
    awarded = (
        DecisionRecipient.objects.filter(decision__in=issued.filter(kind=DecisionKind.AWARD))
        .values("decision__year", "decision__fund")
        .annotate(decisions=Count("decision", distinct=True), lines=Count("id", filter=Q(amount__gt=0)), money=Sum("amount"),
                  money_revoked=Sum("amount", filter=Q(award_record__revoked=True)))
        .order_by("-decision__year", "decision__fund")
    )
    recovered = {
        row["decision__year"]: row
        for row in RevocationItem.objects.filter(decision__in=issued.filter(kind=DecisionKind.REVOCATION))
        .values("decision__year")
        .annotate(to_recover=Sum("amount_to_recover"), returned=Sum("amount_to_recover", filter=Q(returned_on__isnull=False)))
    }
    result = []
    for row in awarded:
        result.append({
            "year": row["decision__year"], "fund": row["decision__fund"] or _("(chưa ghi nguồn kinh phí)"), "decisions": row["decisions"],
            "lines": row["lines"], "amount": row["money"] or 0, "revoked": row["money_revoked"] or 0,
        })
    years = sorted({row["year"] for row in result} | set(recovered), reverse=True)
    return [
        {
            "year": year,
            "funds": [row for row in result if row["year"] == year],
            "amount": sum(row["amount"] for row in result if row["year"] == year),
            "to_recover": (recovered.get(year) or {}).get("to_recover") or 0,
            "returned": (recovered.get(year) or {}).get("returned") or 0,
        }
        for year in years
    ]
