"""Writes on decisions: drafts from approved nominees, the signer's review, issuing, revocations, the signed
scan. Each service is keyword-only, atomic and audited.

The workflow (``enums.DECISION_TRANSITIONS``) has one entry point, ``decision_transition``; reaching
``issued`` goes through ``decision_issue``, whose docstring lists its side effects. An issued decision is
frozen: every service here refuses to change it (``DecisionFrozen``), and a correction is a new decision
that replaces or amends it, linked both ways.
"""

import datetime
import secrets
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit, notifications
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.common.workdays import add_working_days
from thidua.decisions import wording
from thidua.decisions.enums import (
    DECISION_TRANSITIONS,
    DRAFTER,
    EDITABLE_STATUSES,
    LIVE_STATUSES,
    AttachmentKind,
    DecisionKind,
    DecisionStatus,
    Grouping,
    RevocationGround,
    SignerAuthority,
)
from thidua.decisions.models import (
    DECISION_SERIES,
    REGISTER_SERIES,
    Certificate,
    Decision,
    DecisionAttachment,
    DecisionBasis,
    DecisionRecipient,
    DecisionTransition,
    RevocationItem,
)
from thidua.decisions.numbering import decision_reference, next_number, register_reference
from thidua.rules.enums import AwardCategory

DEFAULT_RETURN_WORKING_DAYS = 15  # Law 2022 art. 93: money and objects returned within 15 working days
DEFAULT_EFFECT = "Quyết định này có hiệu lực kể từ ngày ký."
DEFAULT_DISTRIBUTION = ["Như Điều 3", "Lưu: VT, TĐKT"]
SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
SCAN_MAX_BYTES = 20 * 1024 * 1024
# Crockford's base32: no I, L, O, U, so a code read aloud or typed from paper cannot be misread.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 = 80 random bits


class TransitionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DecisionFrozen(ValidationError):
    """An issued decision is never changed."""

    def __init__(self):
        super().__init__(
            _("Quyết định đã ban hành không được sửa; muốn đính chính, hãy ban hành quyết định mới thay thế hoặc sửa đổi, bổ sung quyết định này.")
        )


# ---------------------------------------------------------------- helpers


def may_act(actor, decision: Decision, side: str) -> bool:
    """The drafter side needs ``decision.draft`` on the issuing unit; the signer side ``decision.sign``, and
    only the designated signer acts on a draft that names one."""
    if actor is None:
        return True
    if side == DRAFTER:
        return scopes.can(actor, "decision.draft", decision.issuing_unit)
    if not scopes.can(actor, "decision.sign", decision.issuing_unit):
        return False
    return not decision.signer_id or decision.signer_id == actor.pk or scopes.is_unrestricted(actor)


def transitions_allowed_for(actor, decision: Decision) -> list[str]:
    return [target for target, side in DECISION_TRANSITIONS.get(decision.status, {}).items() if may_act(actor, decision, side)]


def _lock(decision: Decision) -> Decision:
    return Decision.objects.select_for_update(of=("self",)).select_related("issuing_unit").get(pk=decision.pk)


def _require_editable(actor, decision: Decision) -> None:
    if decision.status == DecisionStatus.ISSUED:
        raise DecisionFrozen()
    if decision.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Chỉ sửa được dự thảo hoặc dự thảo bị trả lại (quyết định đang ở trạng thái “%(status)s”).")
            % {"status": DecisionStatus(decision.status).label}
        )
    if not may_act(actor, decision, DRAFTER):
        raise PermissionDenied


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _subject_label(recipient) -> str:
    return f"{recipient.salutation} {recipient.name}".strip() if recipient.salutation != "Tập thể" else f"Tập thể {recipient.name}"


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# ---------------------------------------------------------------- drafting from approved nominees


def _group_key(nominee, grouping: str):
    if grouping == Grouping.COMBINED:
        return ("all",)
    if grouping == Grouping.PER_AWARD_SUBJECT:
        return (nominee.award_id, nominee.subject == "individual")
    return (nominee.award_id,)


def _default_achievement(round_) -> str:
    if round_.movement_id:
        return f"đã có thành tích xuất sắc trong {wording.lower_first(round_.movement.title)}"
    return f"đã có thành tích xuất sắc trong thực hiện nhiệm vụ {wording.period_text(round_.period_start, round_.period_end)}"


def _default_subject(awards: list, subjects: list[str], achievement: str, period: str) -> str:
    if len(awards) == 1:
        award = awards[0]
        if award.category == AwardCategory.TITLE:
            return f"Về việc {wording.award_phrase(award)} {period}"
        return f"Về việc {wording.award_phrase(award)} cho {wording.who_text(subjects)} {achievement}"[:500]
    return f"Về việc khen thưởng {wording.who_text(subjects)} {achievement}"[:500]


@transaction.atomic
def decisions_draft_from_nominees(
    *, actor, nominees, grouping: str = Grouping.COMBINED, decision_date: datetime.date | None = None, bases: list | None = None,
    with_annex: bool | None = None, **fields,
) -> list[Decision]:
    """Draft one decision per award (and group), or one combined decision, from approved nominees.

    The nominees must be approved, belong to dossiers of rounds of one awarding unit (the issuing unit),
    be within that unit's power to award, and not already stand in another decision. Names and positions
    are written down as of ``decision_date`` (the planned signing day; today when not given). Texts not
    given in ``fields`` get their defaults (subject, authority line, fund, effect, executors, signer…)."""
    from thidua.nominations.enums import NomineeStatus, Track
    from thidua.nominations.models import Nominee

    ids = [getattr(nominee, "pk", nominee) for nominee in nominees]
    if not ids:
        raise ValidationError({"nominees": _("Chọn ít nhất một đề nghị đã được chấp thuận.")})
    if grouping not in Grouping.values:
        raise ValidationError({"grouping": _("Cách lập quyết định không hợp lệ.")})
    rows = list(
        Nominee.objects.select_for_update(of=("self",))
        .select_related("nomination__round__awarding_unit", "nomination__round__movement", "person__current_unit", "unit__parent", "award")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    missing = sorted(set(ids) - {row.pk for row in rows})
    if missing:
        raise ValidationError({"nominees": _("Không có đề nghị số %(ids)s.") % {"ids": ", ".join(map(str, missing))}})
    units = {row.nomination.round.awarding_unit for row in rows}
    if len(units) > 1:
        raise ValidationError({"nominees": _("Các đề nghị thuộc đợt xét của nhiều đơn vị khác nhau; mỗi quyết định chỉ do một cơ quan ban hành.")})
    unit = units.pop()
    if actor is not None and not scopes.can(actor, "decision.draft", unit):
        raise PermissionDenied

    def label(row) -> str:
        name = row.person.full_name if row.person_id else row.unit.name if row.unit_id else row.household_name
        return f"{name} — {row.award.name}"

    not_approved = [row for row in rows if row.status != NomineeStatus.APPROVED]
    if not_approved:
        raise ValidationError({"nominees": _("Chỉ lập quyết định cho đề nghị đã được chấp thuận: %(list)s.") % {
            "list": "; ".join(f"{label(row)} ({NomineeStatus(row.status).label})" for row in not_approved)}})
    taken = DecisionRecipient.objects.filter(nominee__in=rows, decision__status__in=LIVE_STATUSES).select_related("decision")
    if taken.exists():
        raise ValidationError({"nominees": _("Đã có trong quyết định khác: %(list)s.") % {
            "list": "; ".join(f"{line.name} — {line.decision.reference or line.decision.subject}" for line in taken)}})
    beyond = [row for row in rows if not row.award.conferrable_by(unit)]
    if beyond:
        raise ValidationError({"nominees": _("Vượt thẩm quyền của %(unit)s, cần trình cấp trên: %(list)s.") % {
            "unit": unit.name, "list": "; ".join(label(row) for row in beyond)}})

    day = decision_date or timezone.localdate()
    positions = wording.positions_on([row.person for row in rows if row.person_id], day)
    groups: dict[tuple, list] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (-r.award.precedence, r.award.code, r.subject != "collective", r.nomination_id, r.pk)):
        groups[_group_key(row, grouping)].append(row)
    decisions = []
    for group in groups.values():
        round_ = group[0].nomination.round
        awards = list(dict.fromkeys(row.award for row in group))
        subjects = [row.subject for row in group]
        achievement = fields.get("achievement") or _default_achievement(round_)
        period = wording.period_text(round_.period_start, round_.period_end)
        values = {
            "subject": _default_subject(awards, subjects, achievement, period),
            "authority_line": wording.authority_line(unit),
            "proposal": f"Xét đề nghị của Hội đồng Thi đua – Khen thưởng {unit.name}.",
            "achievement": achievement,
            "fund": f"Quỹ thi đua, khen thưởng của {unit.name}",
            "effect": DEFAULT_EFFECT,
            "executors": f"Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan thuộc {unit.name} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
            "distribution": list(DEFAULT_DISTRIBUTION),
            **wording.default_signer(unit, fields.get("signer")),
        }
        values.update({key: value for key, value in fields.items() if value not in (None, "")})
        decision = Decision(
            kind=DecisionKind.AWARD, issuing_unit=unit, decision_date=decision_date, created_by=_actor(actor),
            with_annex=(len(group) > 10 or len(awards) > 1) if with_annex is None else with_annex,
        )
        _apply_fields(decision, values)
        _check_decision(decision)
        decision.full_clean(exclude=["signer"])
        decision.save()
        lines = []
        for order, row in enumerate(group, start=1):
            if row.person_id:
                position = positions.get(row.person_id, "")
            elif row.unit_id:
                position = row.unit.parent.name if row.unit.parent_id else ""
            else:
                position = ""
            lines.append(DecisionRecipient(
                decision=decision, order=order, nominee=row, person=row.person, unit=row.unit, household_name=row.household_name,
                award=row.award, period_start=row.nomination.round.period_start, period_end=row.nomination.round.period_end,
                salutation=wording.salutation_of(row.person, row.unit, row.household_name),
                name=row.person.full_name if row.person_id else row.unit.name if row.unit_id else row.household_name,
                position=position[:500],
                counts_for_regular=row.nomination.round.track not in (Track.SUDDEN, Track.THEMATIC),
            ))
        DecisionRecipient.objects.bulk_create(lines)
        for order, text in enumerate(bases if bases is not None else wording.default_bases(day, unit), start=1):
            _add_basis(decision, order, text)
        changes = audit.created(decision)
        changes["recipients"] = [None, [row.pk for row in group]]
        audit.record(actor=actor, action=AuditAction.CREATE, obj=decision, changes=changes)
        decisions.append(decision)
    return decisions


def _add_basis(decision: Decision, order: int, item) -> DecisionBasis:
    from thidua.common.models import LegalDocument

    if isinstance(item, LegalDocument):
        return DecisionBasis.objects.create(decision=decision, order=order, document=item)
    text = clean_text(str(item))
    if not text:
        raise ValidationError({"bases": _("Căn cứ thứ %(order)d để trống.") % {"order": order}})
    return DecisionBasis.objects.create(decision=decision, order=order, text=text[:1000])


DECISION_FIELDS = {
    "subject", "authority_line", "proposal", "achievement", "with_annex", "fund", "effect", "executors", "signer",
    "signer_authority", "signer_body_title", "signer_title", "signer_name", "distribution", "decision_date",
    "replaces", "amends", "revocation_ground", "revocation_reason",
}
_MULTILINE = {"achievement", "executors", "revocation_reason"}


def _apply_fields(decision: Decision, values: dict) -> None:
    for key, value in values.items():
        if key not in DECISION_FIELDS:
            raise TypeError(f"unknown decision field {key}")
        if key == "distribution":
            value = [clean_text(line).rstrip(";") for line in (value or []) if clean_text(line)]
        elif isinstance(value, str):
            value = value.strip() if key in _MULTILINE else clean_text(value)
        setattr(decision, key, value)


def _check_decision(decision: Decision) -> None:
    if not decision.subject:
        raise ValidationError({"subject": _("Nhập trích yếu của quyết định.")})
    if decision.signer_authority not in SignerAuthority.values:
        raise ValidationError({"signer_authority": _("Thẩm quyền ký không hợp lệ.")})
    if decision.signer_id and not scopes.can(decision.signer, "decision.sign", decision.issuing_unit):
        raise ValidationError({"signer": _("%(user)s không có quyền ký quyết định của %(unit)s.") % {
            "user": decision.signer, "unit": decision.issuing_unit.name}})
    for field in ("replaces", "amends"):
        linked = getattr(decision, field)
        if linked is None:
            continue
        if decision.pk and linked.pk == decision.pk:
            raise ValidationError({field: _("Quyết định không thể thay thế hay sửa đổi chính nó.")})
        if linked.status != DecisionStatus.ISSUED:
            raise ValidationError({field: _("Chỉ thay thế hoặc sửa đổi một quyết định đã ban hành.")})
        if linked.issuing_unit_id != decision.issuing_unit_id:
            raise ValidationError({field: _("Quyết định được thay thế, sửa đổi phải do cùng cơ quan ban hành.")})
    if decision.replaces_id and decision.amends_id:
        raise ValidationError({"amends": _("Một quyết định hoặc thay thế, hoặc sửa đổi quyết định khác, không đồng thời cả hai.")})
    if decision.kind == DecisionKind.REVOCATION and decision.revocation_ground not in RevocationGround.values:
        raise ValidationError({"revocation_ground": _("Chọn căn cứ hủy bỏ khen thưởng (Điều 93 Luật Thi đua, khen thưởng).")})
    if decision.decision_date and decision.decision_date > timezone.localdate() + datetime.timedelta(days=366):
        raise ValidationError({"decision_date": _("Ngày ký dự kiến quá xa.")})


@transaction.atomic
def decision_update(*, actor, decision: Decision, bases: list | None = None, **fields) -> Decision:
    """Edit a draft (or a draft returned by the signer): texts, signer, planned date, links, legal bases."""
    decision = _lock(decision)
    _require_editable(actor, decision)
    before = audit.snapshot(decision)
    before_bases = [basis.text or basis.document_id for basis in decision.bases.all()]
    _apply_fields(decision, fields)
    _check_decision(decision)
    decision.full_clean(exclude=["signer"])
    decision.save()
    changes = audit.diff(before, audit.snapshot(decision))
    if bases is not None:
        decision.bases.all().delete()
        for order, item in enumerate(bases, start=1):
            _add_basis(decision, order, item)
        after_bases = [basis.text or basis.document_id for basis in decision.bases.all()]
        if after_bases != before_bases:
            changes["bases"] = [before_bases, after_bases]
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=decision, changes=changes)
    return decision


RECIPIENT_FIELDS = {"name", "salutation", "position", "achievement"}


@transaction.atomic
def decision_recipient_update(*, actor, recipient: DecisionRecipient, **fields) -> DecisionRecipient:
    """Correct how a line is written (name, position, the achievement on the certificate) in a draft."""
    decision = _lock(recipient.decision)
    _require_editable(actor, decision)
    recipient = DecisionRecipient.objects.select_for_update().get(pk=recipient.pk, decision=decision)
    before = audit.snapshot(recipient)
    for key, value in fields.items():
        if key not in RECIPIENT_FIELDS:
            raise TypeError(f"unknown recipient field {key}")
        setattr(recipient, key, value.strip() if key == "achievement" else clean_text(value))
    if not recipient.name:
        raise ValidationError({"name": _("Nhập họ tên hoặc tên tập thể.")})
    recipient.save()
    changes = audit.diff(before, audit.snapshot(recipient))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=decision, changes={f"recipient.{recipient.pk}": [before, audit.snapshot(recipient)]})
    return recipient


@transaction.atomic
def decision_recipient_remove(*, actor, recipient: DecisionRecipient) -> None:
    """Take a line out of a draft (the nominee stays approved and can go into another decision)."""
    decision = _lock(recipient.decision)
    _require_editable(actor, decision)
    if decision.recipients.count() <= 1:
        raise ValidationError(_("Quyết định phải còn ít nhất một tập thể, cá nhân; muốn bỏ hết, hãy hủy dự thảo."))
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=decision,
                 changes={"recipients": [recipient.nominee_id or recipient.name, None]}, note=_("Bỏ %(name)s khỏi dự thảo") % {"name": recipient.name})
    recipient.delete()


# ---------------------------------------------------------------- the workflow


def _missing_for_submission(decision: Decision) -> list[str]:
    missing = []
    if decision.kind == DecisionKind.AWARD and not decision.recipients.exists():
        missing.append(_("danh sách tập thể, cá nhân được khen thưởng"))
    if decision.kind == DecisionKind.REVOCATION and not decision.revocation_items.exists():
        missing.append(_("danh sách khen thưởng bị hủy bỏ"))
    if not decision.bases.exists():
        missing.append(_("căn cứ ban hành"))
    if not decision.signer_name:
        missing.append(_("họ tên người ký"))
    if not decision.signature_lines():
        missing.append(_("chức vụ người ký"))
    if not decision.distribution:
        missing.append(_("nơi nhận"))
    return missing


@transaction.atomic
def decision_transition(*, actor, decision: Decision, to: str, note: str = "", decision_date: datetime.date | None = None) -> Decision:
    """Move a decision along ``DECISION_TRANSITIONS``. Side effects, in order:

    1. lock the row (a concurrent step waits, then finds the new status and is refused);
    2. check the table and the actor's side (drafter: ``decision.draft``; signer: ``decision.sign`` and, when
       the draft names one, being that signer);
    3. ``submitted``: the draft is complete (lines, bases, signer, distribution); ``returned``: needs the
       signer's remarks; ``approved``: who and when; ``issued``: ``decision_issue``;
    4. history row and audit row; after commit, the other side is notified.
    """
    if to == DecisionStatus.ISSUED:
        return decision_issue(actor=actor, decision=decision, decision_date=decision_date, note=note)
    decision = _lock(decision)
    source = decision.status
    allowed = DECISION_TRANSITIONS.get(source, {})
    if to not in allowed:
        if source == DecisionStatus.ISSUED:
            raise DecisionFrozen()
        raise TransitionRefused(_("Không thể chuyển quyết định từ “%(source)s” sang “%(target)s”.") % {
            "source": DecisionStatus(source).label, "target": DecisionStatus(to).label if to in DecisionStatus.values else to})
    side = allowed[to]
    if not may_act(actor, decision, side):
        raise PermissionDenied
    note = (note or "").strip()
    before = audit.snapshot(decision)
    if to == DecisionStatus.SUBMITTED:
        missing = _missing_for_submission(decision)
        if missing:
            raise TransitionRefused(_("Dự thảo còn thiếu: %(items)s.") % {"items": ", ".join(missing)})
        decision.submitted_at = timezone.now()
        decision.return_note = ""
    elif to == DecisionStatus.RETURNED:
        if not note:
            raise TransitionRefused(_("Ghi rõ ý kiến khi trả lại dự thảo."))
        decision.return_note = note
        decision.approved_by, decision.approved_at = None, None
    elif to == DecisionStatus.APPROVED:
        decision.approved_by, decision.approved_at = _actor(actor), timezone.now()
    decision.status = to
    decision.save()
    _history(decision, source, to, actor, note)
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=decision, changes=audit.diff(before, audit.snapshot(decision)), note=note[:500])
    _notify(decision, to)
    return decision


def _history(decision: Decision, source: str, to: str, actor, note: str) -> None:
    DecisionTransition.objects.create(decision=decision, from_status=source, to_status=to, by=_actor(actor), note=note)


def _notify(decision: Decision, to: str) -> None:
    from django.urls import reverse

    url = reverse("decisions:decision_detail", args=[decision.pk])
    title = decision.reference or decision.subject
    if to == DecisionStatus.SUBMITTED:
        from thidua.accounts.models import User

        users = [decision.signer] if decision.signer_id else list(
            User.objects.filter(roles__role="signer", roles__unit=decision.issuing_unit, is_active=True).distinct())
        text = _("Dự thảo quyết định “%(title)s” trình ký.") % {"title": title}
    elif to in (DecisionStatus.APPROVED, DecisionStatus.RETURNED, DecisionStatus.ISSUED) and decision.created_by_id:
        users = [decision.created_by]
        text = _("Quyết định “%(title)s”: %(status)s.") % {"title": title, "status": DecisionStatus(to).label}
    else:
        return
    transaction.on_commit(lambda: notifications.notify(users=users, text=text, url=url))


# ---------------------------------------------------------------- issuing


def _price(decision: Decision, recipients: list[DecisionRecipient], day: datetime.date) -> None:
    """The money of each line on the signing day: coefficient × base salary in force that day, rounded as
    the ruleset says (``rules.money``); where one recipient has several titles for the same period in
    this decision, only the highest is paid."""
    from thidua.rules import money

    keys = [
        money.AwardForPayment(
            key=line.pk, recipient=(line.subject, line.person_id or line.unit_id or line.household_name), award=line.award.code,
            is_title=line.award.category == AwardCategory.TITLE, precedence=line.award.precedence,
            period_start=line.period_start, period_end=line.period_end,
        )
        for line in recipients
    ]
    paid = money.payable(keys)
    # One ruleset and base-salary lookup per award and subject, not per line (a decision may have 1,000).
    rewards: dict[tuple[str, str], object] = {}
    for line in recipients:
        line.coefficient = line.base_salary = line.amount = None
        line.money_note = ""
        if line.pk not in paid:
            line.amount = 0
            # Written on the decision's lines and the payment list: Vietnamese whatever the user's language.
            line.money_note = "Chỉ hưởng tiền thưởng của danh hiệu cao nhất cùng thời gian"
            continue
        key = (line.award.code, line.subject)
        if key not in rewards:
            try:
                rewards[key] = money.reward_amount(award=line.award.code, subject=line.subject, decision_date=day, unit=decision.issuing_unit)
            except money.MoneyError as error:
                rewards[key] = error
        reward = rewards[key]
        if isinstance(reward, money.MoneyError):
            line.money_note = str(reward)[:300]
            continue
        line.coefficient = reward.coefficient * reward.multiplier
        line.base_salary = reward.base_salary
        line.amount = reward.amount


def _check_issue_day(decision: Decision, day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"decision_date": _("Ngày ký không được ở tương lai.")})
    # Numbers follow the days: a decision cannot be dated before one already issued with a lower number.
    later = (
        Decision.objects.filter(issuing_unit=decision.issuing_unit, year=day.year, status=DecisionStatus.ISSUED, decision_date__gt=day)
        .order_by("-decision_date")
        .first()
    )
    if later is not None:
        raise ValidationError({"decision_date": _("Ngày ký phải từ ngày %(day)s trở đi: quyết định số %(number)s của %(unit)s đã ban hành ngày đó.") % {
            "day": f"{later.decision_date:%d/%m/%Y}", "number": later.reference, "unit": decision.issuing_unit.name}})
    if decision.kind == DecisionKind.AWARD:
        latest_period = decision.recipients.aggregate(end=Max("period_end"))["end"]
        if latest_period and day.year < latest_period:
            raise ValidationError({"decision_date": _("Ngày ký phải sau thời gian đạt thành tích (%(year)s).") % {"year": latest_period}})


@transaction.atomic
def decision_issue(*, actor, decision: Decision, decision_date: datetime.date | None = None, note: str = "") -> Decision:
    """Issue an approved decision. In one transaction, in order:

    1. lock the decision; it must be approved; the actor drafts for the issuing unit (the number is taken
       by the office, as the văn thư does);
    2. the signing day (given, else today): not in the future, not before a decision of the unit already
       issued that year (numbers follow days);
    3. take the next number of the unit and year (``numbering.next_number``: the counter row stays
       locked until commit, so concurrent issues queue and a failure gives the number back);
    4. write down the legal bases as text (later edits of the register do not change the decision);
    5. award decision: price each line on the signing day (``rules.money``), write each award into the
       register (``records.services.award_record_create``, with a register number), create its
       certificate with a random verification code, and mark the nominees decided (dossiers move to
       ``decided``: ``nominations.services.nominees_decided``);
       revocation decision: mark each award record revoked, list the money to return with its deadline
       (``deadlines.revocation_return_working_days`` of the ruleset, working days) and open a deadline;
    6. status ``issued``, history and audit rows;
    7. the DOCX in the Decree 30 layout is generated and stored with its hash; after commit the PDF is
       converted from it by a background task; the drafter is notified.
    """
    from thidua.decisions.certificates import public_base_url, qr_matrix, verification_payload
    from thidua.decisions.documents import store_decision_docx
    from thidua.nominations.models import Nominee
    from thidua.nominations.services import TransitionRefused as NominationRefused
    from thidua.nominations.services import nominees_decided
    from thidua.records import services as records

    decision = _lock(decision)
    if decision.status == DecisionStatus.ISSUED:
        raise DecisionFrozen()
    if decision.status != DecisionStatus.APPROVED:
        raise TransitionRefused(_("Chỉ ban hành quyết định đã được người ký duyệt (quyết định đang ở trạng thái “%(status)s”).") % {
            "status": DecisionStatus(decision.status).label})
    if not may_act(actor, decision, DRAFTER):
        raise PermissionDenied
    unit = decision.issuing_unit
    day = decision_date or timezone.localdate()
    _check_issue_day(decision, day)
    before = audit.snapshot(decision)

    number = next_number(unit=unit, year=day.year, series=DECISION_SERIES)
    decision.year, decision.number, decision.decision_date = day.year, number, day
    decision.reference = decision_reference(number, decision.type_code, unit)
    for basis in decision.bases.select_related("document"):
        if not basis.text:
            from thidua.movements.documents import legal_basis_line

            basis.text = legal_basis_line(basis.document)[:1000]
            basis.save(update_fields=["text"])

    if decision.kind == DecisionKind.AWARD:
        recipients = list(decision.recipients.select_related("award", "person__current_unit", "unit", "nominee"))
        _price(decision, recipients, day)
        base_url = public_base_url()
        certificates = []
        first_entry = next_number(unit=unit, year=day.year, series=REGISTER_SERIES, count=len(recipients)) if recipients else 0
        for index, line in enumerate(recipients):
            line.register_number = register_reference(first_entry + index, day.year)
            try:
                line.award_record = records.award_record_create(
                    actor=actor, award=line.award, person=line.person, unit=line.unit, household_name=line.household_name,
                    period_start=line.period_start, period_end=line.period_end, decision_number=decision.reference,
                    decision_date=day, issuing_unit=unit, register_number=line.register_number, amount=line.amount,
                    source="decision", counts_for_regular=line.counts_for_regular,
                )
            except ValidationError as error:
                messages = "; ".join(error.messages)
                raise TransitionRefused(_("Không ghi được vào sổ khen thưởng cho %(name)s: %(error)s") % {"name": line.name, "error": messages}) from None
            code = new_certificate_code()
            # The QR code is encoded now (a millisecond each), so printing a large decision does not have to.
            payload = verification_payload(base_url, code)
            certificates.append(Certificate(code=code, recipient=line, decision=decision, qr_payload=payload, qr_matrix=qr_matrix(payload)))
        DecisionRecipient.objects.bulk_update(
            recipients, ["coefficient", "base_salary", "amount", "money_note", "register_number", "award_record"], batch_size=500
        )
        Certificate.objects.bulk_create(certificates, batch_size=500)
        nominees = [line.nominee for line in recipients if line.nominee_id]
        if nominees:
            try:
                nominees_decided(actor=actor, nominees=Nominee.objects.filter(pk__in=[n.pk for n in nominees]),
                                 note=_("Quyết định số %(number)s ngày %(day)s") % {"number": decision.reference, "day": f"{day:%d/%m/%Y}"})
            except NominationRefused as refused:
                raise TransitionRefused(refused.message) from None
    else:
        _issue_revocation(actor, decision, day)

    decision.status = DecisionStatus.ISSUED
    decision.issued_by, decision.issued_at = _actor(actor), timezone.now()
    decision.save()
    _history(decision, DecisionStatus.APPROVED, DecisionStatus.ISSUED, actor, note)
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=decision, changes=audit.diff(before, audit.snapshot(decision)),
                 note=(note or _("Ban hành số %(number)s") % {"number": decision.reference})[:500])
    store_decision_docx(decision, actor=actor)
    _notify(decision, DecisionStatus.ISSUED)
    decision_id = decision.pk
    transaction.on_commit(lambda: _queue_pdf(decision_id))
    return decision


def _queue_pdf(decision_id: int) -> None:
    from thidua.decisions.tasks import decision_pdf_generate

    try:
        decision_pdf_generate.enqueue(decision_id)
    except Exception:  # noqa: BLE001 — the PDF is made on first download when the queue is unavailable
        pass


def _issue_revocation(actor, decision: Decision, day: datetime.date) -> None:
    from thidua.records.models import AwardRecord
    from thidua.records.services import award_record_revoke
    from thidua.rules.rulesets import ruleset_for

    days = int(ruleset_for(day, decision.issuing_unit).param("deadlines.revocation_return_working_days", DEFAULT_RETURN_WORKING_DAYS))
    due = add_working_days(day, days)
    items = list(decision.revocation_items.order_by("award_record_id"))
    records = {
        row.pk: row for row in AwardRecord.objects.select_for_update(of=("self",)).filter(pk__in=[item.award_record_id for item in items]).order_by("pk")
    }
    total = 0
    for item in items:
        record = records[item.award_record_id]
        if record.revoked:
            raise TransitionRefused(_("Khen thưởng “%(record)s” đã bị thu hồi trước đó.") % {"record": record})
        record = award_record_revoke(actor=actor, record=record, reference=decision.reference, day=day)
        item.amount_to_recover = record.amount or 0
        item.return_due = due
        total += item.amount_to_recover
    RevocationItem.objects.bulk_update(items, ["amount_to_recover", "return_due"])
    if total:
        notifications.deadline_sync(
            key=f"decision:{decision.pk}:recover",
            label=_("Thu hồi tiền thưởng theo Quyết định số %(number)s") % {"number": decision.reference},
            due_on=due, unit=decision.issuing_unit, url=f"/quyet-dinh/{decision.pk}/",
        )


# ---------------------------------------------------------------- revocation


@transaction.atomic
def revocation_draft(
    *, actor, records, ground: str, reason: str = "", decision_date: datetime.date | None = None, bases: list | None = None, **fields
) -> Decision:
    """Draft a revocation decision (hủy bỏ quyết định khen thưởng, thu hồi hiện vật và tiền thưởng) for
    awards in the register that the same unit issued. It is signed and issued like any decision; issuing
    it marks the awards revoked."""
    from thidua.records.models import AwardRecord

    ids = [getattr(record, "pk", record) for record in records]
    if not ids:
        raise ValidationError({"awards": _("Chọn ít nhất một khen thưởng cần hủy bỏ.")})
    rows = list(AwardRecord.objects.select_for_update(of=("self",)).select_related("issuing_unit", "award", "person", "unit").filter(pk__in=ids).order_by("pk"))
    missing = sorted(set(ids) - {row.pk for row in rows})
    if missing:
        raise ValidationError({"awards": _("Không có khen thưởng số %(ids)s trong sổ.") % {"ids": ", ".join(map(str, missing))}})
    revoked = [row for row in rows if row.revoked]
    if revoked:
        raise ValidationError({"awards": _("Đã bị thu hồi: %(list)s.") % {"list": "; ".join(str(row) for row in revoked)}})
    units = {row.issuing_unit for row in rows}
    if None in units or len(units) > 1:
        raise ValidationError({"awards": _("Các khen thưởng phải do cùng một cơ quan trên hệ thống quyết định.")})
    unit = units.pop()
    if actor is not None and not scopes.can(actor, "decision.draft", unit):
        raise PermissionDenied
    pending = RevocationItem.objects.filter(award_record__in=rows, decision__status__in=LIVE_STATUSES).exclude(decision__status=DecisionStatus.ISSUED)
    if pending.exists():
        raise ValidationError({"awards": _("Đã có dự thảo quyết định thu hồi khác cho: %(list)s.") % {
            "list": "; ".join(str(item.award_record) for item in pending.select_related("award_record__award", "award_record__person", "award_record__unit"))}})
    if ground not in RevocationGround.values:
        raise ValidationError({"ground": _("Chọn căn cứ hủy bỏ khen thưởng (Điều 93 Luật Thi đua, khen thưởng).")})
    day = decision_date or timezone.localdate()
    numbers = sorted({row.decision_number for row in rows})
    values = {
        "subject": _("Về việc hủy bỏ quyết định khen thưởng và thu hồi hiện vật, tiền thưởng") + (
            f" (Quyết định số {', '.join(numbers)})" if len(numbers) <= 3 else ""),
        "authority_line": wording.authority_line(unit),
        "proposal": f"Xét đề nghị của Hội đồng Thi đua – Khen thưởng {unit.name}.",
        "effect": DEFAULT_EFFECT,
        "executors": f"Chánh Văn phòng, Kế toán, Thủ trưởng các đơn vị có liên quan thuộc {unit.name} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        "distribution": list(DEFAULT_DISTRIBUTION),
        "revocation_ground": ground,
        "revocation_reason": reason,
        **wording.default_signer(unit, fields.get("signer")),
    }
    values.update({key: value for key, value in fields.items() if value not in (None, "")})
    decision = Decision(kind=DecisionKind.REVOCATION, issuing_unit=unit, decision_date=decision_date, created_by=_actor(actor), with_annex=False)
    # The revoked decision, when it is one of ours, is the one this decision amends.
    sources = {line.decision for line in DecisionRecipient.objects.filter(award_record__in=rows).select_related("decision")}
    if len(sources) == 1 and "amends" not in fields:
        values["amends"] = sources.pop()
    _apply_fields(decision, values)
    _check_decision(decision)
    decision.full_clean(exclude=["signer"])
    decision.save()
    RevocationItem.objects.bulk_create([
        RevocationItem(decision=decision, order=order, award_record=row, amount_to_recover=row.amount or 0) for order, row in enumerate(rows, start=1)
    ])
    for order, text in enumerate(bases if bases is not None else wording.default_bases(day, unit), start=1):
        _add_basis(decision, order, text)
    changes = audit.created(decision)
    changes["awards"] = [None, [row.pk for row in rows]]
    audit.record(actor=actor, action=AuditAction.CREATE, obj=decision, changes=changes)
    return decision


@transaction.atomic
def revocation_returned(*, actor, item: RevocationItem, returned_on: datetime.date) -> RevocationItem:
    """Record that the money and the object of a revoked award were returned; the deadline closes when
    every item of the decision is settled."""
    decision = Decision.objects.select_related("issuing_unit").get(pk=item.decision_id)
    if not may_act(actor, decision, DRAFTER):
        raise PermissionDenied
    if decision.status != DecisionStatus.ISSUED:
        raise ValidationError({"returned_on": _("Quyết định thu hồi chưa ban hành.")})
    if returned_on > timezone.localdate() or (decision.decision_date and returned_on < decision.decision_date):
        raise ValidationError({"returned_on": _("Ngày nộp lại phải từ ngày ký quyết định đến hôm nay.")})
    item = RevocationItem.objects.select_for_update().get(pk=item.pk)
    before = item.returned_on
    item.returned_on = returned_on
    item.save(update_fields=["returned_on"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=decision,
                 changes={f"revocation_item.{item.pk}.returned_on": [before and before.isoformat(), returned_on.isoformat()]})
    if not decision.revocation_items.filter(returned_on__isnull=True, amount_to_recover__gt=0).exists():
        notifications.deadline_done(key=f"decision:{decision.pk}:recover")
    return item


# ---------------------------------------------------------------- the signed scan


@transaction.atomic
def decision_attachment_add(*, actor, decision: Decision, file, kind: str = AttachmentKind.SIGNED_SCAN) -> DecisionAttachment:
    """Attach the signed and sealed scan (PDF, JPEG, PNG) or the digitally signed PDF of an issued decision.
    Every upload is kept with its hash; nothing is replaced."""
    import hashlib

    from thidua.nominations.attachments import content_matches

    decision = Decision.objects.select_related("issuing_unit").get(pk=decision.pk)
    if not may_act(actor, decision, DRAFTER):
        raise PermissionDenied
    if decision.status != DecisionStatus.ISSUED:
        raise ValidationError({"file": _("Chỉ đính kèm bản đã ký của quyết định đã ban hành.")})
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Chọn loại tệp đính kèm.")})
    if file is None:
        raise ValidationError({"file": _("Chọn tệp cần đính kèm.")})
    extension = Path(file.name or "").suffix.lower()
    if extension not in SCAN_EXTENSIONS or (kind == AttachmentKind.SIGNED_PDF and extension != ".pdf"):
        raise ValidationError({"file": _("Chỉ nhận tệp PDF, JPEG hoặc PNG (bản ký số: PDF).")})
    if file.size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    if file.size > SCAN_MAX_BYTES:
        raise ValidationError({"file": _("Tệp lớn hơn giới hạn %(size)s MB.") % {"size": SCAN_MAX_BYTES // (1024 * 1024)}})
    if not content_matches(extension, file):
        raise ValidationError({"file": _("Nội dung tệp không đúng định dạng %(kind)s; tệp có thể đã bị đổi tên.") % {"kind": extension[1:].upper()}})
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
        digest.update(chunk)
    file.seek(0)
    attachment = DecisionAttachment(
        decision=decision, kind=kind, original_name=clean_text(Path(file.name).name)[:255], size=file.size,
        sha256=digest.hexdigest(), uploaded_by=_actor(actor),
    )
    attachment.file.save(f"{decision.pk}-{attachment.sha256[:12]}{extension}", file, save=False)
    attachment.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=decision,
                 changes={"attachment": [None, {"kind": kind, "name": attachment.original_name, "sha256": attachment.sha256}]},
                 note=_("Đính kèm %(kind)s") % {"kind": AttachmentKind(kind).label})
    return attachment


# ---------------------------------------------------------------- numbering that continues a paper register


@transaction.atomic
def numbering_continue(*, actor, unit, year: int, last: int, note: str = ""):
    """Start the system's decision numbers of a unit and year after ``last``: the numbers the agency has
    already given that year outside the system (its register of outgoing documents), so that a decision
    issued here does not repeat one of them. Numbers only go up: a number the system has given is never
    given again. Audited."""
    from thidua.decisions.models import NumberCounter

    if actor is not None and not scopes.can(actor, "decision.draft", unit):
        raise PermissionDenied
    if not (2000 <= int(year) <= 2100):
        raise ValidationError({"year": _("Năm %(year)s không hợp lệ.") % {"year": year}})
    NumberCounter.objects.bulk_create([NumberCounter(unit=unit, year=year, series=DECISION_SERIES, last=0)], ignore_conflicts=True)
    counter = NumberCounter.objects.select_for_update().get(unit=unit, year=year, series=DECISION_SERIES)
    if last < counter.last:
        raise ValidationError({"last": _("Năm %(year)s, %(unit)s đã dùng đến số %(number)02d; không lùi số được.") % {
            "year": year, "unit": unit.name, "number": counter.last}})
    before = counter.last
    counter.last = last
    counter.save(update_fields=["last"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=counter, changes={"last": [before, last]},
                 note=(note or _("Số quyết định năm %(year)s tiếp nối sổ đăng ký văn bản đi") % {"year": year})[:500])
    return counter
