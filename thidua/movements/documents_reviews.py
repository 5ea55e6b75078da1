"""The summary report of a mid-term or final review (báo cáo sơ kết, tổng kết), in the Decree 30
layout, with the units' figures filled in; stored as a new version each time it is generated.

The document's words are not translated: an official document is written in Vietnamese whatever the
language of the interface (Decree 30), like the letterhead in thidua.common.documents."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.documents import Letterhead, OfficialDocument, generated_versions, store_generated
from thidua.common.models import AuditAction, GeneratedDocument
from thidua.common.text import clean_text, fold
from thidua.movements.enums import ReviewKind
from thidua.movements.models import ReviewRequest
from thidua.movements.selectors import ReviewTable, review_table

SUMMARY_KIND = "review_summary"
ROMAN = ("I", "II", "III", "IV", "V")


@dataclass(frozen=True)
class SummaryOptions:
    day: datetime.date
    number: str = ""
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""


def default_place(unit) -> str:
    """The province (or city) in the name of the root of the unit's tree, e.g. "Tiền Giang" from
    "Ủy ban nhân dân tỉnh Tiền Giang"; empty when the name does not say."""
    root = unit
    while root.parent_id is not None:
        root = root.parent
    name = root.name
    folded = fold(name)
    for marker in ("thanh pho ", "tinh "):
        position = folded.find(marker)
        if position >= 0:
            # fold keeps one character per letter, so the position holds in the original name.
            return clean_text(name[position + len(marker) :])
    return ""


def _movement_name(title: str) -> str:
    """The movement's title without a leading "Phong trào thi đua", which the subject line already says."""
    prefix = "phong trao thi dua "
    if fold(title).startswith(prefix):
        return clean_text(title[len(prefix) :])
    return title


def _figure(report, name: str) -> str:
    return str(getattr(report, name)) if report is not None else "—"


def summary_docx(*, request: ReviewRequest, table: ReviewTable, options: SummaryOptions) -> bytes:
    movement = request.movement
    unit = movement.launching_unit
    parent = unit.parent
    letterhead = Letterhead(
        parent_body=parent.name if parent is not None else "",
        body=unit.name,
        number=options.number or f"      /BC-{unit.document_code}",
        place=options.place,
        day=options.day,
    )
    final = request.kind == ReviewKind.FINAL
    action = "Tổng kết" if final else "Sơ kết"
    document = OfficialDocument(
        letterhead, "Báo cáo", f"{action} phong trào thi đua {_movement_name(movement.title)}"
    )
    document.paragraph(
        f"(Kỳ báo cáo từ ngày {request.period_start:%d/%m/%Y} đến ngày {request.period_end:%d/%m/%Y})",
        italic=True,
        indent=False,
        align="center",
    )
    document.paragraph(
        f"Thực hiện “{request.title}”, {unit.name} tổng hợp kết quả {action.lower()} phong trào thi đua "
        f"“{movement.title}” từ báo cáo của {table.submitted}/{table.unit_count} đơn vị tham gia như sau:"
    )
    document.heading(f"{ROMAN[0]}. KẾT QUẢ THỰC HIỆN PHONG TRÀO")
    document.heading("1. Số liệu tổng hợp")
    rows = [
        [
            index,
            row.unit.name if row.report is not None else f"{row.unit.name} (chưa báo cáo)",
            _figure(row.report, "registrations_met"),
            _figure(row.report, "titles_achieved"),
            _figure(row.report, "initiatives"),
            _figure(row.report, "commendations"),
        ]
        for index, row in enumerate(table.rows, start=1)
    ]
    totals = table.totals
    rows.append(
        [
            "",
            "Tổng cộng",
            totals["registrations_met"],
            totals["titles_achieved"],
            totals["initiatives"],
            totals["commendations"],
        ]
    )
    docx_table = document.table(
        ["STT", "Đơn vị", "Đăng ký đạt", "Danh hiệu đạt được", "Sáng kiến, đề tài", "Được khen thưởng"],
        rows,
        widths_mm=[12, 63, 22, 24, 22, 22],
    )
    for cell in docx_table.rows[-1].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    document.heading("2. Nhận xét, kiến nghị của các đơn vị")
    remarks = [row for row in table.rows if row.report is not None and row.report.remarks.strip()]
    if remarks:
        for row in remarks:
            document.paragraph(f"- {row.unit.name}: {row.report.remarks.strip()}")
    else:
        document.paragraph("Các đơn vị không có nhận xét, kiến nghị.")
    missing = [row.unit.name for row in table.rows if row.report is None]
    if missing:
        document.paragraph(f"Các đơn vị chưa gửi báo cáo: {'; '.join(missing)}.", italic=True)
    if final:
        tasks = [task.text for task in movement.tasks.all()]
        document.heading(f"{ROMAN[1]}. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
        if tasks:
            for number, text in enumerate(tasks, start=1):
                document.paragraph(f"{number}. {text}")
        else:
            document.paragraph("Tiếp tục triển khai các nội dung của phong trào thi đua.")
    recipients = [parent.name] if parent is not None else []
    recipients += ["Các đơn vị tham gia phong trào", "Lưu: VT"]
    # "KT. Giám đốc / Phó Giám đốc": the signing formula on one line, the signer's post below it.
    authority = [
        line.strip().upper()
        for line in (options.signer_title or "Thủ trưởng đơn vị").split("/")
        if line.strip()
    ]
    document.signature(
        authority=authority,
        name=options.signer_name,
        recipients=recipients,
    )
    return document.to_bytes()


@transaction.atomic
def review_summary_generate(*, actor, request: ReviewRequest, options: SummaryOptions) -> GeneratedDocument:
    """Build the summary report from the consolidated table and keep it as the next version.
    Only the launching unit's officers may generate it."""
    scopes.require(actor, "movement.manage", request.movement.launching_unit)
    table = review_table(request)
    content = summary_docx(request=request, table=table, options=options)
    filename = f"bao-cao-{request.kind.replace('_', '-')}-{request.pk}.docx"
    stored = store_generated(obj=request, kind=SUMMARY_KIND, filename=filename, content=content, actor=actor)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=request,
        changes={"summary_version": [None, stored.version], "sha256": [None, stored.sha256]},
        note=_("Tạo báo cáo tổng hợp, phiên bản %(version)d") % {"version": stored.version},
    )
    return stored


def latest_summary(request: ReviewRequest) -> GeneratedDocument | None:
    return generated_versions(request, SUMMARY_KIND).order_by("-version").first()
