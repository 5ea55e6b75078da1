"""The movement's documents: the launch letter (Kế hoạch phát động, Decree 30 layout) generated from
its data and stored as versions, and the files attached to it.

The two writes here (``launch_letter_generate``, ``movement_attachment_add``) are services like those
of ``movements.services`` — keyword-only, atomic, audited — kept apart so that the workflow service
does no file work: the launch view calls ``launch_letter_generate`` in the same transaction as the
``launched`` transition.
"""

import datetime
import re
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.documents import Letterhead, OfficialDocument, generated_versions, store_generated
from thidua.common.models import AuditAction, GeneratedDocument
from thidua.common.text import clean_text, fold
from thidua.movements import services
from thidua.movements.enums import MovementStatus, Participation, ReviewKind
from thidua.movements.models import Movement, MovementAttachment
from thidua.movements.services import participating_units
from thidua.rules.enums import AwardCategory

LAUNCH_LETTER = "launch_letter"
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".odt",
    ".ods",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
}

# The head of each kind of unit, as the signature block names them (Decree 30, Appendix I).
HEAD_TITLES = {
    "ubnd_tinh": "CHỦ TỊCH",
    "xa": "CHỦ TỊCH",
    "so_nganh": "GIÁM ĐỐC",
    "trung_tam": "GIÁM ĐỐC",
    "doanh_nghiep": "GIÁM ĐỐC",
    "chi_cuc": "CHI CỤC TRƯỞNG",
    "phong": "TRƯỞNG PHÒNG",
    "truong": "HIỆU TRƯỞNG",
    "cong_doan": "CHỦ TỊCH",
    "dang_uy": "BÍ THƯ",
    "doan_thanh_nien": "BÍ THƯ",
}
# A People's Committee signs on behalf of the collective body ("TM. ỦY BAN NHÂN DÂN").
COLLECTIVE_BODIES = {"ubnd_tinh": "TM. ỦY BAN NHÂN DÂN", "xa": "TM. ỦY BAN NHÂN DÂN"}

# The kind of a legal document, read from the letters of its number ("204/KH-UBND" is a plan).
DOCUMENT_KINDS = {
    "KH": "Kế hoạch",
    "HD": "Hướng dẫn",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "NQ": "Nghị quyết",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "KL": "Kết luận",
    "CV": "Công văn",
}

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_PROVINCE_PREFIX = re.compile(r"^(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+", re.IGNORECASE)
_PLACE = re.compile(r"(?:^|\s)(?:tỉnh|thành phố|tp\.)\s+(.+)$", re.IGNORECASE)
TASK_NUMBER = re.compile(r"^\s*(?:\d+[.)]|[-–•+*])\s*")


# ---------------------------------------------------------------- pieces of the letter


def place_of(unit) -> str:
    """The place in the date line: the province of the unit's tree ("Ủy ban nhân dân tỉnh Tiền
    Giang" → "Tiền Giang"), found on the nearest ancestor whose name says "tỉnh …" or "thành phố …";
    otherwise the top unit's name without "Ủy ban nhân dân"."""
    from thidua.organizations.models import Unit

    ancestors = list(
        Unit.objects.filter(path__in=unit.ancestor_paths()).order_by("-depth").values_list("name", flat=True)
    )
    for name in ancestors:
        match = _PLACE.search(name)
        if match:
            return match.group(1).strip()
    top = ancestors[-1] if ancestors else unit.name
    return _PROVINCE_PREFIX.sub("", top).strip()


def launch_letter_number(movement: Movement, day: datetime.date) -> str:
    """ "01/KH-SKHCN": the movement's place among the unit's movements launched that year (a draft
    takes the next number), so every version of one letter keeps its number."""
    launched = Movement.objects.filter(
        launching_unit=movement.launching_unit, launched_on__year=day.year
    ).exclude(status=MovementStatus.DRAFT)
    if movement.launched_on:
        earlier = launched.filter(launched_on__lt=movement.launched_on).count()
        earlier += launched.filter(launched_on=movement.launched_on, pk__lt=movement.pk).count()
    else:
        earlier = launched.count()
    return f"{earlier + 1:02d}/KH-{movement.launching_unit.document_code}"


def subject_of(movement: Movement) -> str:
    """ "Phát động phong trào thi đua yêu nước giai đoạn 2020–2025" from the title, without repeating
    "phong trào thi đua" when the title already starts with it."""
    rest = movement.title.strip()
    for words in ("phong trào", "thi đua"):
        if fold(rest).startswith(fold(words) + " "):
            rest = rest[len(words) :].strip()
    if len(rest) > 1 and rest[0].isupper() and rest[1].islower():
        rest = rest[0].lower() + rest[1:]
    return f"Phát động phong trào thi đua {rest}"


def legal_basis_line(document) -> str:
    tokens = [token for token in re.split(r"[/\-]", document.number.upper()) if token]
    kind = next((DOCUMENT_KINDS[token] for token in tokens if token in DOCUMENT_KINDS), "")
    if not kind and any(token.startswith("QH") for token in tokens):
        return f"Căn cứ Luật {document.title} ngày {document.issued_on:%d/%m/%Y};"
    title = document.title.strip()
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        title = title[0].lower() + title[1:]
    about = "" if fold(title).startswith("ve ") else "về "
    return f"Căn cứ {kind or 'văn bản'} số {document.number} ngày {document.issued_on:%d/%m/%Y} của {document.issuer} {about}{title};"


def signature_of(movement: Movement) -> tuple[list[str], str]:
    """The authority lines and the name: the head's title of the launching unit, or "KT." and the
    deputy's title when the signer (a user with the ``signer`` role on the unit) is a deputy."""
    from thidua.accounts.models import RoleAssignment

    unit = movement.launching_unit
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

    # The head signs when there is one; a deputy signs on the head's behalf (ký thay).
    signers.sort(key=lambda user: fold(position(user)).startswith("pho "))
    if not signers:
        return [*lines, head], ""
    signer = signers[0]
    name = signer.person.full_name if signer.person_id else signer.get_full_name()
    title = position(signer)
    if fold(title).startswith("pho "):
        return [*lines, f"KT. {head}", title.upper()], name
    return [*lines, head], name


def _roman(index: int) -> str:
    return _ROMAN[index] if index < len(_ROMAN) else str(index + 1)


def _lines(text: str) -> list[str]:
    return [clean_text(line) for line in text.splitlines() if clean_text(line)]


def _points(value) -> str:
    """Points the Vietnamese way: 10, 2,5."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def launch_letter_docx(movement: Movement) -> bytes:
    """The launch letter (Kế hoạch phát động phong trào thi đua) in the Decree 30 layout."""
    movement = Movement.objects.select_related("launching_unit__parent").get(pk=movement.pk)
    unit = movement.launching_unit
    day = movement.launched_on or timezone.localdate()
    letterhead = Letterhead(
        parent_body=unit.parent.name.upper() if unit.parent_id else "",
        body=unit.name.upper(),
        number=launch_letter_number(movement, day),
        place=place_of(unit),
        day=day,
    )
    document = OfficialDocument(letterhead, "KẾ HOẠCH", subject_of(movement))

    for basis in movement.legal_bases.order_by("issued_on", "number"):
        document.paragraph(legal_basis_line(basis), italic=True)
    document.paragraph(
        f"{unit.name} ban hành Kế hoạch phát động phong trào thi đua “{movement.title}” như sau:"
    )

    sections = []

    def section(title: str) -> None:
        document.heading(f"{_roman(len(sections))}. {title}")
        sections.append(title)

    section("MỤC ĐÍCH, YÊU CẦU")
    purpose = _lines(movement.purpose)
    if purpose:
        for line in purpose:
            document.paragraph(line)
    else:
        document.paragraph(
            "Động viên cán bộ, công chức, viên chức và người lao động thi đua hoàn thành xuất sắc nhiệm vụ được giao."
        )

    section("NỘI DUNG THI ĐUA")
    document.paragraph(
        f"Thời gian thực hiện: từ ngày {movement.start:%d/%m/%Y} đến ngày {movement.end:%d/%m/%Y}."
    )
    for line in _lines(movement.content):
        document.paragraph(line)
    tasks = [TASK_NUMBER.sub("", task.text) for task in movement.tasks.all()]
    if tasks:
        document.paragraph("Các nhiệm vụ trọng tâm:", bold=True)
        for number, task in enumerate(tasks, start=1):
            # Items of a list end with ";", the last with "." (unless typed with their own stop).
            stop = "" if task[-1] in ".;:!?" else ("." if number == len(tasks) else ";")
            document.paragraph(f"{number}. {task}{stop}")

    criteria = list(movement.criteria.all())
    if criteria:
        section("TIÊU CHÍ THI ĐUA")
        document.paragraph("Bảng tiêu chí chấm điểm thi đua:")
        total = sum(criterion.max_points for criterion in criteria)
        rows = [
            (number, criterion.name, _points(criterion.max_points))
            for number, criterion in enumerate(criteria, start=1)
        ]
        rows.append(("", "Tổng cộng", _points(total)))
        document.table(["STT", "Tiêu chí", "Điểm tối đa"], rows, widths_mm=[15, 125, 25])

    section("HÌNH THỨC KHEN THƯỞNG")
    awards = list(movement.planned_awards.order_by("category", "-precedence", "code"))
    titles = [award.name for award in awards if award.category == AwardCategory.TITLE]
    forms = [award.name for award in awards if award.category == AwardCategory.FORM]
    if titles:
        document.paragraph("Danh hiệu thi đua: " + "; ".join(titles) + ".")
    if forms:
        document.paragraph("Hình thức khen thưởng: " + "; ".join(forms) + ".")
    document.paragraph(
        "Việc xét, đề nghị khen thưởng thực hiện theo quy định hiện hành về thi đua, khen thưởng; "
        "kết quả phong trào là căn cứ để bình xét các danh hiệu thi đua và hình thức khen thưởng."
    )

    section("TỔ CHỨC THỰC HIỆN")
    units = list(participating_units(movement))
    others = [participant for participant in units if participant.pk != unit.pk]
    if movement.participation == Participation.SUBTREE:
        document.paragraph(f"1. Đơn vị tham gia: các phòng, đơn vị trực thuộc {unit.name}.")
    else:
        names = ", ".join(participant.name for participant in units)
        document.paragraph(f"1. Đơn vị tham gia: {names}.")
    if movement.registration_deadline:
        document.paragraph(
            f"2. Các đơn vị tổ chức phát động, đăng ký thi đua và gửi bản đăng ký về {unit.name} "
            f"trước ngày {movement.registration_deadline:%d/%m/%Y}."
        )
    else:
        document.paragraph(
            f"2. Các đơn vị tổ chức phát động và đăng ký thi đua, gửi bản đăng ký về {unit.name}."
        )
    requests = list(movement.review_requests.order_by("deadline", "id"))
    if requests:
        document.paragraph("3. Sơ kết, tổng kết:")
        for request in requests:
            label = ReviewKind(request.kind).label
            document.paragraph(
                f"- {label}: {request.title} (kỳ từ {request.period_start:%d/%m/%Y} đến {request.period_end:%d/%m/%Y}); "
                f"gửi báo cáo trước ngày {request.deadline:%d/%m/%Y}."
            )
    else:
        document.paragraph(
            f"3. Các đơn vị sơ kết, tổng kết phong trào theo hướng dẫn của {unit.name}; "
            f"phong trào kết thúc ngày {movement.end:%d/%m/%Y}."
        )
    rounds = list(movement.rounds.order_by("start", "id"))
    if rounds:
        document.paragraph("4. Phong trào được tổ chức theo các đợt thi đua:")
        for round_ in rounds:
            document.paragraph(f"- {round_.title} (từ {round_.start:%d/%m/%Y} đến {round_.end:%d/%m/%Y}).")

    authority, name = signature_of(movement)
    recipients = [participant.name for participant in others] + ["Lưu: VT, TĐKT"]
    document.signature(authority=authority, name=name, recipients=recipients)
    return document.to_bytes()


# ---------------------------------------------------------------- services


@transaction.atomic
def launch_letter_generate(*, actor, movement: Movement) -> GeneratedDocument:
    """Generate the launch letter from the movement's current data and keep it as a new version."""
    if actor is not None and not scopes.can(actor, "movement.manage", movement.launching_unit):
        raise PermissionDenied
    content = launch_letter_docx(movement)
    stored = store_generated(
        obj=movement,
        kind=LAUNCH_LETTER,
        filename=f"ke-hoach-phat-dong-{movement.pk}.docx",
        content=content,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=movement,
        changes={"launch_letter": [None, {"version": stored.version, "sha256": stored.sha256}]},
        note=_("Tạo kế hoạch phát động, phiên bản %(version)d") % {"version": stored.version},
    )
    return stored


def launch_letters(movement: Movement):
    return generated_versions(movement, LAUNCH_LETTER).select_related("created_by").order_by("-version")


@transaction.atomic
def movement_attachment_add(*, actor, movement: Movement, title: str, file) -> MovementAttachment:
    if actor is not None and not scopes.can(actor, "movement.manage", movement.launching_unit):
        raise PermissionDenied
    if file is None:
        raise ValidationError({"file": _("Chọn tệp cần đính kèm.")})
    extension = Path(file.name).suffix.lower()
    if extension not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            {"file": _("Chỉ nhận tệp %(kinds)s.") % {"kinds": ", ".join(sorted(ATTACHMENT_EXTENSIONS))}}
        )
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {"file": _("Tệp lớn hơn %(size)d MB.") % {"size": ATTACHMENT_MAX_BYTES // (1024 * 1024)}}
        )
    attachment = MovementAttachment(
        movement=movement,
        title=clean_text(title) or clean_text(Path(file.name).stem),
        file=file,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.full_clean()
    attachment.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=movement,
        changes={"attachments": [None, attachment.title]},
        note=_("Đính kèm tài liệu: %(title)s") % {"title": attachment.title},
    )
    return attachment


@transaction.atomic
def movement_transition_with_letter(*, actor, movement: Movement, to: str, note: str = "") -> tuple[Movement, GeneratedDocument | None]:
    """The workflow step plus its paperwork, in one transaction: a launch always comes with its letter.
    Used by the page and by the API, so that neither launches a movement without the letter."""
    movement = services.movement_transition(actor=actor, movement=movement, to=to, note=note)
    letter = launch_letter_generate(actor=actor, movement=movement) if to == MovementStatus.LAUNCHED else None
    return movement, letter
