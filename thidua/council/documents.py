"""The session's documents in the Decree 30 layout (DOCX): the minutes of the meeting (biên bản họp Hội
đồng) and the vote-count report (biên bản kiểm phiếu), with the attendance, the counts and percentages
per nominee and the resulting list. Generated from a closed session only (its content is final), stored
as versions with their hash (``store_generated``): the same content gives the same bytes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.common import audit
from thidua.common.documents import (
    Letterhead,
    OfficialDocument,
    _no_borders,
    generated_versions,
    store_generated,
)
from thidua.common.models import AuditAction, GeneratedDocument
from thidua.council import selectors
from thidua.council.enums import ItemResult, MemberRole, SessionStatus
from thidua.council.models import AgendaItem, Session
from thidua.council.tally import percent, vote_rule
from thidua.movements.documents import place_of

MINUTES = "bien_ban_hop"
COUNT_REPORT = "bien_ban_kiem_phieu"
KIND_LABELS = {
    MINUTES: gettext_lazy("Biên bản họp Hội đồng"),
    COUNT_REPORT: gettext_lazy("Biên bản kiểm phiếu"),
}
COUNCIL_BODY = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"


def session_number(session: Session, code: str) -> str:
    """"01/BB-HĐTĐKT": the session's place among the council's sessions held that year."""
    earlier = Session.objects.filter(council=session.council, held_on__year=session.held_on.year).exclude(status=SessionStatus.CANCELLED)
    place = earlier.filter(held_on__lt=session.held_on).count() + earlier.filter(held_on=session.held_on, pk__lt=session.pk).count() + 1
    return f"{place:02d}/{code}-HĐTĐKT"


def _letterhead(session: Session, code: str) -> Letterhead:
    unit = session.council.unit
    return Letterhead(parent_body=unit.name.upper(), body=COUNCIL_BODY, number=session_number(session, code), place=place_of(unit), day=session.held_on)


def _vietnamese_day(day) -> str:
    from thidua.common.documents import vietnamese_date

    return vietnamese_date(day)


def _signatures(document: OfficialDocument, left: tuple[str, str], right: tuple[str, str]) -> None:
    """Two signature blocks side by side (the secretary on the left, the chair on the right)."""
    document.document.add_paragraph()
    table = document.document.add_table(rows=1, cols=2)
    _no_borders(table)
    for cell, (title, name) in zip(table.rows[0].cells, (left, right), strict=True):
        document._cell_line(cell, title, 14, first=True, bold=True)
        document._cell_line(cell, "(Ký, ghi rõ họ tên)", 13, italic=True)
        for _blank in range(3):
            document._cell_line(cell, "", 14)
        document._cell_line(cell, name, 14, bold=True)


def _people(session: Session):
    rows = selectors.roster(session)
    written = {p.membership_id for p in selectors.written_participations(session)}
    chair = next((row.membership for row in rows if row.membership.role == MemberRole.CHAIR), None)
    secretary = next((row.membership for row in rows if row.membership.role == MemberRole.SECRETARY), None)
    return rows, written, chair, secretary


def _unit_of(item: AgendaItem) -> str:
    """Where an individual worked on the session date (not today: units merge), else the proposing unit."""
    from django.db.models import Q

    from thidua.organizations.models import Employment

    nominee = item.nominee
    if nominee.person_id:
        day = item.session.held_on
        employment = (
            Employment.objects.filter(person_id=nominee.person_id, start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .select_related("unit")
            .order_by("-start_date")
            .first()
        )
        if employment is not None:
            return employment.unit.name
    return nominee.nomination.proposing_unit.name


def _listed(item: AgendaItem) -> str:
    """A line of the resulting list: "Name — unit" for an individual, the collective's name alone."""
    name = selectors.subject_name(item.nominee)
    return name if item.nominee.unit_id else f"{name} — {_unit_of(item)}"


def _items(session: Session) -> list[AgendaItem]:
    return list(
        session.items.filter(opened=True)
        .select_related("session", "nominee__person", "nominee__unit", "nominee__award", "nominee__nomination__proposing_unit")
        .order_by("-nominee__award__precedence", "nominee__award__name", "position", "id")
    )


def _share(count: int, base: int | None) -> str:
    from fractions import Fraction

    return percent(Fraction(count, base)) if base else "—"


def _attendance_table(document: OfficialDocument, session: Session) -> None:
    rows, written, _chair, _secretary = _people(session)
    table_rows = []
    for number, row in enumerate(rows, start=1):
        membership = row.membership
        if row.present:
            status = "Có mặt"
        elif membership.pk in written:
            status = "Vắng mặt, có ý kiến bằng văn bản"
        else:
            status = "Vắng mặt"
        table_rows.append((number, membership.name, membership.title, membership.get_role_display(), status))
    document.table(["STT", "Họ và tên", "Chức vụ", "Vai trò trong Hội đồng", "Tham dự"], table_rows, widths_mm=[12, 42, 45, 33, 33])


def _rules_lines(session: Session, items: list[AgendaItem]) -> list[str]:
    lines = []
    seen = set()
    for item in items:
        award = item.nominee.award
        if award.code in seen:
            continue
        seen.add(award.code)
        rule = vote_rule(session.rules.get("votes") or {}, award.code)
        source = f" ({rule.source})" if rule.source else ""
        lines.append(f"{award.name}: số phiếu đồng ý {rule.describe()}{source}.")
    return lines


def minutes_docx(session: Session) -> bytes:
    """Biên bản họp Hội đồng: time and place, the members present and absent, the quorum, the agenda, the
    result of the secret ballot per nominee, the conclusion (the list proposed for the award)."""
    session = Session.objects.select_related("council__unit").get(pk=session.pk)
    council = session.council
    items = _items(session)
    progress = selectors.progress(session)
    rows, written, chair, secretary = _people(session)
    document = OfficialDocument(_letterhead(session, "BB"), "BIÊN BẢN", f"Họp {council.name} xét đề nghị khen thưởng")
    where = f", tại {session.place}" if session.place else ""
    document.paragraph(f"Hôm nay, {_vietnamese_day(session.held_on)}{where}, {council.name} họp xét các đề nghị khen thưởng trình Hội đồng.")
    if council.established_by:
        document.paragraph(f"Hội đồng được thành lập theo {council.established_by}.")

    document.heading("I. THÀNH PHẦN")
    if chair is not None:
        document.paragraph(f"Chủ trì: {chair.name}{', ' + chair.title if chair.title else ''} — Chủ tịch Hội đồng.")
    if secretary is not None:
        document.paragraph(f"Thư ký: {secretary.name}{', ' + secretary.title if secretary.title else ''}.")
    absent = progress.members - progress.present
    document.paragraph(
        f"Tổng số thành viên Hội đồng: {progress.members}; có mặt: {progress.present}; vắng mặt: {absent}"
        + (f" (trong đó {progress.written} thành viên có ý kiến bằng văn bản)." if progress.written else ".")
    )
    quorum = session.rules.get("quorum") or {}
    document.paragraph(
        f"Số thành viên có mặt ({progress.present}/{progress.members}) đạt yêu cầu tối thiểu {session.quorum_required} thành viên "
        f"({percent(selectors.parse_share(quorum.get('min_share', 0)), trim=True)} tổng số thành viên"
        + (f", theo {quorum['source']}" if quorum.get("source") else "")
        + "); phiên họp đủ điều kiện biểu quyết."
    )
    _attendance_table(document, session)

    document.heading("II. NỘI DUNG")
    groups = selectors.grouped_by_award(items)
    document.paragraph(f"Hội đồng xem xét {len(items)} đề nghị khen thưởng do các đơn vị trình, gồm:")
    for group in groups:
        collectives = sum(1 for item in group.items if item.nominee.unit_id)
        individuals = sum(1 for item in group.items if item.nominee.person_id)
        parts = [f"{collectives} tập thể" if collectives else "", f"{individuals} cá nhân" if individuals else ""]
        document.paragraph(f"- {group.award.name}: {', '.join(part for part in parts if part) or len(group.items)}.")
    document.paragraph(
        "Hội đồng biểu quyết bằng hình thức bỏ phiếu kín"
        + (f" ({progress.voted} phiếu điện tử" if progress.voted else " (")
        + (f"{', ' if progress.voted else ''}ý kiến bằng văn bản của {progress.written} thành viên vắng mặt" if progress.written else "")
        + ("; có phiếu giấy kiểm bằng tay" if selectors.paper_tallies(session) else "")
        + "). Tiêu chuẩn thông qua:"
    )
    document.items(_rules_lines(session, items))

    document.heading("III. KẾT QUẢ BIỂU QUYẾT")
    _result_table(document, items)

    document.heading("IV. KẾT LUẬN")
    approved = [item for item in items if item.result == ItemResult.APPROVED]
    rejected = [item for item in items if item.result == ItemResult.REJECTED]
    if approved:
        document.paragraph(f"Hội đồng thống nhất đề nghị khen thưởng {len(approved)} tập thể, cá nhân có tên sau:")
        for group in selectors.grouped_by_award(approved):
            document.paragraph(f"{group.award.name}:", bold=True, indent=False)
            document.items([_listed(item) for item in group.items])
    else:
        document.paragraph("Không có đề nghị nào đạt số phiếu đồng ý cần thiết.")
    if rejected:
        document.paragraph(f"Không đề nghị khen thưởng {len(rejected)} trường hợp chưa đạt số phiếu đồng ý cần thiết:")
        document.items([f"{selectors.subject_name(item.nominee)} — {item.nominee.award.name}" for item in rejected])
    if session.conclusion:
        document.paragraph(session.conclusion)
    document.paragraph("Biên bản được lập thành 02 bản, thông qua tại phiên họp và lưu hồ sơ khen thưởng./.")
    _signatures(document, ("THƯ KÝ", secretary.name if secretary else ""), ("CHỦ TỊCH HỘI ĐỒNG", chair.name if chair else ""))
    return document.to_bytes()


def _result_table(document: OfficialDocument, items: list[AgendaItem]) -> None:
    rows = []
    for number, item in enumerate(items, start=1):
        rows.append((
            number,
            selectors.subject_name(item.nominee),
            _unit_of(item),
            item.nominee.award.name,
            item.yes_count,
            item.no_count,
            item.abstain_count,
            _share(item.yes_count or 0, item.base),
            "Thông qua" if item.result == ItemResult.APPROVED else "Không thông qua",
        ))
    document.table(
        ["STT", "Tập thể, cá nhân", "Đơn vị", "Danh hiệu, hình thức", "Đồng ý", "Không đồng ý", "Không biểu quyết", "Tỉ lệ đồng ý", "Kết quả"],
        rows,
        widths_mm=[10, 32, 28, 24, 14, 14, 14, 15, 19],
    )


def count_report_docx(session: Session) -> bytes:
    """Biên bản kiểm phiếu: ballots issued and received by kind, per nominee the counts with their
    percentages of the base the ruleset names, the threshold, the result; the receipts' fingerprint."""
    session = Session.objects.select_related("council__unit").get(pk=session.pk)
    items = _items(session)
    progress = selectors.progress(session)
    paper = selectors.paper_tallies(session)
    _rows, _written, chair, secretary = _people(session)
    document = OfficialDocument(
        _letterhead(session, "BBKP"), "BIÊN BẢN KIỂM PHIẾU", f"Biểu quyết đề nghị khen thưởng tại phiên họp ngày {session.held_on:%d/%m/%Y}"
    )
    document.paragraph(f"Hôm nay, {_vietnamese_day(session.held_on)}, {session.council.name} kiểm phiếu biểu quyết kín các đề nghị khen thưởng.")
    document.heading("I. SỐ PHIẾU")
    paper_ballots = max((row.total for row in paper.values()), default=0)
    document.items([
        f"Tổng số thành viên Hội đồng: {progress.members}",
        f"Số thành viên có mặt: {progress.present}",
        f"Số phiếu điện tử: {progress.voted} (kèm {progress.receipts} mã biên nhận)",
        f"Số phiếu giấy: {paper_ballots}",
        f"Số ý kiến bằng văn bản của thành viên vắng mặt: {progress.written}",
        f"Tổng số phiếu thu về: {progress.voted + paper_ballots + progress.written}",
    ])
    document.paragraph(f"Dấu kiểm các mã biên nhận (SHA-256): {selectors.receipt_fingerprint(session)}", italic=True)

    document.heading("II. KẾT QUẢ KIỂM PHIẾU")
    rows = []
    for number, item in enumerate(items, start=1):
        rows.append((
            number,
            selectors.subject_name(item.nominee),
            item.nominee.award.name,
            f"{item.yes_count} ({_share(item.yes_count or 0, item.base)})",
            f"{item.no_count} ({_share(item.no_count or 0, item.base)})",
            f"{item.abstain_count} ({_share(item.abstain_count or 0, item.base)})",
            item.base,
            "Thông qua" if item.result == ItemResult.APPROVED else "Không thông qua",
        ))
    document.table(
        ["STT", "Tập thể, cá nhân", "Danh hiệu, hình thức", "Đồng ý", "Không đồng ý", "Không biểu quyết", "Căn cứ tính tỉ lệ", "Kết quả"],
        rows,
        widths_mm=[10, 36, 26, 22, 22, 22, 14, 18],
    )
    document.paragraph("Tỉ lệ tính trên căn cứ theo quy định:", italic=True)
    document.items(_rules_lines(session, items))

    document.heading("III. DANH SÁCH ĐƯỢC THÔNG QUA")
    approved = [item for item in items if item.result == ItemResult.APPROVED]
    if approved:
        for group in selectors.grouped_by_award(approved):
            document.paragraph(f"{group.award.name} ({len(group.items)}):", bold=True, indent=False)
            document.items([_listed(item) for item in group.items])
    else:
        document.paragraph("Không có đề nghị nào được thông qua.")
    _signatures(document, ("THƯ KÝ HỘI ĐỒNG", secretary.name if secretary else ""), ("CHỦ TỊCH HỘI ĐỒNG", chair.name if chair else ""))
    return document.to_bytes()


# ---------------------------------------------------------------- stored versions


def _check_access(actor, session: Session) -> None:
    if actor is None:
        return
    if not (selectors.is_secretary(actor, session) or selectors.can_manage(actor, session.council)):
        raise PermissionDenied


@transaction.atomic
def session_document_generate(*, actor, session: Session, kind: str) -> GeneratedDocument:
    session = Session.objects.select_related("council__unit").get(pk=session.pk)
    _check_access(actor, session)
    if session.status != SessionStatus.CLOSED:
        raise ValidationError({"kind": _("Biên bản chỉ được tạo sau khi phiên họp kết thúc biểu quyết.")})
    if kind == MINUTES:
        content, filename = minutes_docx(session), f"bien-ban-hop-hoi-dong-{session.pk}.docx"
    elif kind == COUNT_REPORT:
        content, filename = count_report_docx(session), f"bien-ban-kiem-phieu-{session.pk}.docx"
    else:
        raise ValidationError({"kind": _("Loại văn bản không hợp lệ.")})
    stored = store_generated(obj=session, kind=kind, filename=filename, content=content, actor=actor)
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=session,
        changes={"document": [None, {"kind": kind, "version": stored.version, "sha256": stored.sha256}]},
        note=_("Tạo %(label)s, phiên bản %(version)d") % {"label": str(KIND_LABELS[kind]).lower(), "version": stored.version},
    )
    return stored


def session_documents_generate(*, actor, session: Session) -> list[GeneratedDocument]:
    return [session_document_generate(actor=actor, session=session, kind=kind) for kind in (MINUTES, COUNT_REPORT)]


def session_documents(session: Session):
    return generated_versions(session).select_related("created_by").order_by("kind", "-version")
