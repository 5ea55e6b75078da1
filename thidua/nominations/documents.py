"""The dossier's generated documents (Decree 30 layout, DOCX): the cover letter (tờ trình), the list of
nominees (danh sách trích ngang) and a pre-filled achievement report (báo cáo thành tích) per nominee,
each stored as a new version with its hash (``store_generated``).

The outlines follow /work/shared/forms/dossier-templates.md §1.1 (tờ trình) and §1.2 (personal reports):
sơ lược lý lịch, thành tích đạt được (sáng kiến), các hình thức đã được khen thưởng.
"""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.documents import Letterhead, OfficialDocument, generated_versions, store_generated
from thidua.common.models import AuditAction, GeneratedDocument
from thidua.common.text import clean_text, fold
from thidua.movements.documents import COLLECTIVE_BODIES, HEAD_TITLES, place_of
from thidua.nominations.models import Nomination, Nominee
from thidua.records.selectors import person_award_history, person_initiatives, person_ratings
from thidua.rules.enums import AwardCategory

COVER_LETTER = "to_trinh"
NOMINEE_LIST = "danh_sach"
ACHIEVEMENT_REPORT = "bao_cao_thanh_tich"
KIND_LABELS = {
    COVER_LETTER: gettext_lazy("Tờ trình"),
    NOMINEE_LIST: gettext_lazy("Danh sách trích ngang"),
    ACHIEVEMENT_REPORT: gettext_lazy("Báo cáo thành tích"),
}
# The report covers the ratings of the last years before the round's period (five at most: the longest
# span any award of the ruleset looks back on).
RATING_YEARS = 5


def _nomination(nomination) -> Nomination:
    return Nomination.objects.select_related("round__awarding_unit", "proposing_unit__parent").get(pk=nomination.pk)


def _day(nomination: Nomination):
    # The submission date when there is one, so that regenerating a submitted dossier keeps its date.
    return timezone.localdate(nomination.submitted_at) if nomination.submitted_at else timezone.localdate()


def _letterhead(nomination: Nomination, code: str) -> Letterhead:
    unit = nomination.proposing_unit
    day = _day(nomination)
    return Letterhead(
        parent_body=unit.parent.name.upper() if unit.parent_id else "",
        body=unit.name.upper(),
        number=f"{nomination.pk:02d}/{code}-{unit.document_code}",
        place=place_of(unit),
        day=day,
    )


def signature_of_unit(unit) -> tuple[list[str], str]:
    """The head of the proposing unit signs (a user with the ``signer`` role there); a deputy signs "KT."."""
    from thidua.accounts.models import RoleAssignment

    head = HEAD_TITLES.get(unit.kind, "THỦ TRƯỞNG ĐƠN VỊ")
    lines = [COLLECTIVE_BODIES[unit.kind]] if unit.kind in COLLECTIVE_BODIES else []
    signers = [
        assignment.user
        for assignment in RoleAssignment.objects.filter(role="signer", unit=unit, user__is_active=True)
        .select_related("user__person")
        .order_by("user__username")
    ]

    def position(user) -> str:
        return clean_text(user.person.current_position) if user.person_id else ""

    signers.sort(key=lambda user: fold(position(user)).startswith("pho "))
    if not signers:
        return [*lines, head], ""
    signer = signers[0]
    name = signer.person.full_name if signer.person_id else signer.get_full_name()
    title = position(signer)
    if fold(title).startswith("pho "):
        return [*lines, f"KT. {head}", title.upper()], name
    return [*lines, head], name


def _nominees(nomination: Nomination) -> list[Nominee]:
    return list(nomination.nominees.select_related("person__current_unit", "unit", "award").order_by("award__code", "id"))


def subject_name(nominee: Nominee) -> str:
    if nominee.person_id:
        return nominee.person.full_name
    if nominee.unit_id:
        return nominee.unit.name
    return nominee.household_name


def _period(round_) -> str:
    if round_.period_start == round_.period_end:
        return f"năm {round_.period_end}"
    return f"giai đoạn {round_.period_start}–{round_.period_end}"


# ---------------------------------------------------------------- documents


def cover_letter_docx(nomination) -> bytes:
    """Mẫu số 01 — Tờ trình đề nghị khen thưởng, with the list (danh sách) as its annex."""
    nomination = _nomination(nomination)
    round_ = nomination.round
    unit = nomination.proposing_unit
    awarding = round_.awarding_unit
    nominees = _nominees(nomination)
    award_names = sorted({nominee.award.name for nominee in nominees})
    subject = "Về việc đề nghị khen thưởng " + (", ".join(award_names) if award_names else _period(round_))
    if award_names:
        subject += f" {_period(round_)}"
    document = OfficialDocument(_letterhead(nomination, "TTr"), "TỜ TRÌNH", subject)
    document.paragraph(f"Kính gửi: {awarding.name}", indent=False, align="center")
    document.paragraph(
        f"Căn cứ Luật Thi đua, khen thưởng và các văn bản hướng dẫn thi hành; căn cứ đợt xét “{round_.title}” "
        f"của {awarding.name};",
        italic=True,
    )
    document.paragraph(
        f"Căn cứ thành tích đạt được {_period(round_)}, {unit.name} kính đề nghị {awarding.name} xét, "
        f"khen thưởng cho các tập thể, cá nhân như sau:"
    )
    collectives, individuals = Counter(), Counter()
    for nominee in nominees:
        (individuals if nominee.person_id else collectives)[nominee.award.name] += 1
    if nominees:
        for name in award_names:
            parts = []
            if collectives[name]:
                parts.append(f"{collectives[name]:02d} tập thể")
            if individuals[name]:
                parts.append(f"{individuals[name]:02d} cá nhân")
            document.paragraph(f"- {name}: {', '.join(parts)};")
        document.paragraph(
            f"Tổng cộng: {sum(collectives.values()):02d} tập thể, {sum(individuals.values()):02d} cá nhân."
        )
    else:
        document.paragraph("Hồ sơ chưa có tập thể, cá nhân nào được đề nghị.")
    document.paragraph("(Có danh sách trích ngang và báo cáo thành tích kèm theo).", italic=True)
    document.paragraph(f"Kính trình {awarding.name} xem xét, quyết định./.")
    authority, name = signature_of_unit(unit)
    document.signature(authority=authority, name=name, recipients=["Như trên", "Lưu: VT, TĐKT"])
    return document.to_bytes()


def nominee_list_docx(nomination) -> bytes:
    """Danh sách trích ngang: one row per nominee, grouped by award."""
    nomination = _nomination(nomination)
    nominees = _nominees(nomination)
    document = OfficialDocument(
        _letterhead(nomination, "DS"),
        "DANH SÁCH TRÍCH NGANG",
        f"Tập thể, cá nhân đề nghị khen thưởng {_period(nomination.round)}",
    )
    document.paragraph(
        f"(Kèm theo Tờ trình số {nomination.pk:02d}/TTr-{nomination.proposing_unit.document_code} "
        f"của {nomination.proposing_unit.name})",
        italic=True,
        indent=False,
        align="center",
    )
    rows = []
    for number, nominee in enumerate(nominees, start=1):
        person = nominee.person
        if person is not None:
            rows.append((
                number,
                person.full_name,
                person.birth_date.year if person.birth_date else "",
                person.get_gender_display() if person.gender else "",
                person.current_position,
                person.current_unit.name if person.current_unit_id else "",
                nominee.award.name,
                nominee.summary,
            ))
        else:
            rows.append((number, subject_name(nominee), "", "", "", nomination.proposing_unit.name, nominee.award.name, nominee.summary))
    headers = ["STT", "Họ và tên (tên tập thể)", "Năm sinh", "Giới tính", "Chức vụ", "Đơn vị",
               "Danh hiệu, hình thức đề nghị", "Tóm tắt thành tích"]
    document.table(headers, rows, widths_mm=[10, 30, 14, 14, 20, 24, 25, 28])
    if not rows:
        document.paragraph("Chưa có tập thể, cá nhân nào được đề nghị.", italic=True)
    authority, name = signature_of_unit(nomination.proposing_unit)
    document.signature(authority=authority, name=name, recipients=["Lưu: VT, TĐKT"])
    return document.to_bytes()


def achievement_report_docx(nominee) -> bytes:
    """Báo cáo thành tích pre-filled from the evidence records (§1.2); the nominee fills the rest in."""
    nominee = Nominee.objects.select_related("nomination", "person__current_unit", "unit", "award").get(pk=nominee.pk)
    nomination = _nomination(nominee.nomination)
    round_ = nomination.round
    document = OfficialDocument(
        _letterhead(nomination, "BC"),
        "BÁO CÁO THÀNH TÍCH",
        f"Đề nghị tặng {nominee.award.name} {_period(round_)}",
    )
    person = nominee.person
    document.heading("I. SƠ LƯỢC LÝ LỊCH")
    if person is not None:
        document.paragraph(f"- Họ và tên: {person.full_name}")
        document.paragraph(f"- Sinh ngày, tháng, năm: {person.birth_date:%d/%m/%Y}" if person.birth_date else "- Sinh ngày, tháng, năm: ")
        document.paragraph(f"- Giới tính: {person.get_gender_display() if person.gender else ''}")
        document.paragraph(f"- Đơn vị công tác: {person.current_unit.name if person.current_unit_id else ''}")
        document.paragraph(f"- Chức vụ: {person.current_position}")
    else:
        document.paragraph(f"- Tên tập thể: {subject_name(nominee)}")
        document.paragraph(f"- Đơn vị đề nghị: {nomination.proposing_unit.name}")

    document.heading("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    document.paragraph("1. Tóm tắt thành tích:", bold=True)
    document.paragraph(nominee.summary or "")
    if person is not None:
        ratings = list(person_ratings(person).filter(year__lte=round_.period_end)[:RATING_YEARS])
        document.paragraph("2. Kết quả đánh giá, xếp loại:", bold=True)
        if ratings:
            document.table(["Năm", "Xếp loại"], [(rating.year, rating.get_rating_display()) for rating in ratings], widths_mm=[30, 135])
        else:
            document.paragraph("Chưa có kết quả đánh giá, xếp loại trong cơ sở dữ liệu.", italic=True)
        initiatives = list(person_initiatives(person))
        document.paragraph("3. Sáng kiến, đề tài, đề án:", bold=True)
        if initiatives:
            document.table(
                ["Năm", "Tên sáng kiến, đề tài", "Quyết định công nhận; cơ quan công nhận"],
                [
                    (item.recognized_on.year, item.title,
                     "; ".join(part for part in (item.recognizing_decision, f"{item.recognized_on:%d/%m/%Y}", item.recognizing_body) if part))
                    for item in initiatives
                ],
                widths_mm=[15, 80, 70],
            )
        else:
            document.paragraph("Chưa có sáng kiến, đề tài được công nhận trong cơ sở dữ liệu.", italic=True)

        document.heading("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
        history = [record for record in person_award_history(person) if not record.revoked]
        for number, (category, label, column) in enumerate(
            [
                (AwardCategory.TITLE, "Danh hiệu thi đua", "Danh hiệu thi đua"),
                (AwardCategory.FORM, "Hình thức khen thưởng", "Hình thức khen thưởng"),
            ],
            start=1,
        ):
            document.paragraph(f"{number}. {label}:", bold=True)
            records = [record for record in history if record.award.category == category]
            if records:
                document.table(
                    ["Năm", column, "Số, ngày, tháng, năm của quyết định; cơ quan ban hành quyết định"],
                    [
                        (record.period_end, record.award.name,
                         f"{record.decision_number} ngày {record.decision_date:%d/%m/%Y}; "
                         f"{record.issuing_unit.name if record.issuing_unit_id else record.issuer_name}")
                        for record in records
                    ],
                    widths_mm=[15, 60, 90],
                )
            else:
                document.paragraph("Chưa có.", italic=True)
    authority, name = signature_of_unit(nomination.proposing_unit)
    document.signature(
        authority=["THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ", *authority[-1:]],
        name=name,
        recipients=[f"Người báo cáo thành tích: {subject_name(nominee)}" if person is not None else "Lưu: VT, TĐKT"],
    )
    return document.to_bytes()


# ---------------------------------------------------------------- service


def _check_access(actor, nomination: Nomination) -> None:
    if actor is None:
        return
    if not (
        scopes.can(actor, "nomination.propose", nomination.proposing_unit)
        or scopes.can(actor, "nomination.appraise", nomination.round.awarding_unit)
    ):
        raise PermissionDenied


def parse_kind(nomination: Nomination, kind: str) -> tuple[str, Nominee | None]:
    """"to_trinh", "danh_sach" or "bao_cao_thanh_tich:<nominee id>" (a nominee of this dossier)."""
    base, _sep, rest = (kind or "").partition(":")
    if base in (COVER_LETTER, NOMINEE_LIST) and not rest:
        return base, None
    if base == ACHIEVEMENT_REPORT and rest.isdigit():
        nominee = nomination.nominees.filter(pk=int(rest)).first()
        if nominee is not None:
            return base, nominee
    raise ValidationError({"kind": _("Loại văn bản không hợp lệ.")})


@transaction.atomic
def nomination_document_generate(*, actor, nomination: Nomination, kind: str) -> GeneratedDocument:
    """Generate one of the dossier's documents from its current data and keep it as the next version."""
    nomination = _nomination(nomination)
    _check_access(actor, nomination)
    base, nominee = parse_kind(nomination, kind)
    if base == COVER_LETTER:
        content, filename = cover_letter_docx(nomination), f"to-trinh-{nomination.pk}.docx"
    elif base == NOMINEE_LIST:
        content, filename = nominee_list_docx(nomination), f"danh-sach-trich-ngang-{nomination.pk}.docx"
    else:
        content, filename = achievement_report_docx(nominee), f"bao-cao-thanh-tich-{nomination.pk}-{nominee.pk}.docx"
    stored_kind = f"{ACHIEVEMENT_REPORT}:{nominee.pk}" if nominee is not None else base
    stored = store_generated(obj=nomination, kind=stored_kind, filename=filename, content=content, actor=actor)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=nomination,
        changes={"document": [None, {"kind": stored_kind, "version": stored.version, "sha256": stored.sha256}]},
        note=_("Tạo %(label)s, phiên bản %(version)d") % {"label": str(KIND_LABELS[base]).lower(), "version": stored.version},
    )
    return stored


def nomination_documents(nomination: Nomination):
    return generated_versions(nomination).select_related("created_by").order_by("kind", "-version")


def document_label(kind: str, nominees_by_id: dict) -> str:
    base, _sep, rest = kind.partition(":")
    label = str(KIND_LABELS.get(base, base))
    if rest and rest.isdigit() and int(rest) in nominees_by_id:
        label = f"{label}: {subject_name(nominees_by_id[int(rest)])}"
    return label
