"""Writes on rounds and dossiers. The dossier workflow has one entry point, ``nomination_transition``,
driven by ``enums.NOMINATION_TRANSITIONS``; every step locks the row, checks the table and the actor's
side, writes the history row and the audit row, and notifies after commit."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit, notifications
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.common.workdays import add_working_days
from thidua.nominations.enums import (
    NOMINATION_TRANSITIONS,
    PROPOSER,
    AttachmentKind,
    NominationStatus,
    NomineeStatus,
)
from thidua.nominations.models import Nomination, NominationTransition, Nominee, Round
from thidua.rules.enums import AwardCategory
from thidua.rules.rulesets import ruleset_for

DEFAULT_APPRAISAL_WORKING_DAYS = 20  # Law 2022: appraisal within 20 working days (ruleset parameter)


class TransitionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- rounds and dossiers


@transaction.atomic
def round_create(*, actor, awarding_unit, title: str, period_start: int, period_end: int, opens_on, submission_deadline,
                 accepted_awards, track: str = "cong_trang", simplified: bool = False, accepted_units=(), movement=None) -> Round:
    if actor is not None and not scopes.can(actor, "nomination.appraise", awarding_unit):
        raise PermissionDenied
    round_ = Round(
        awarding_unit=awarding_unit, title=clean_text(title), period_start=period_start, period_end=period_end,
        opens_on=opens_on, submission_deadline=submission_deadline, track=track, simplified=simplified, movement=movement,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if submission_deadline < opens_on:
        raise ValidationError({"submission_deadline": _("Hạn nộp hồ sơ phải sau ngày bắt đầu nhận hồ sơ.")})
    round_.full_clean()
    round_.save()
    awards = list(accepted_awards)
    if not awards:
        raise ValidationError({"accepted_awards": _("Chọn ít nhất một danh hiệu hoặc hình thức khen thưởng.")})
    round_.accepted_awards.set(awards)
    round_.accepted_units.set(list(accepted_units))
    changes = audit.created(round_)
    changes["accepted_awards"] = [None, sorted(award.code for award in awards)]
    audit.record(actor=actor, action=AuditAction.CREATE, obj=round_, changes=changes)
    return round_


def _check_round_accepts(round_: Round, unit) -> None:
    accepted = list(round_.accepted_units.all())
    if accepted:
        if not any(unit.path.startswith(candidate.path) for candidate in accepted):
            raise ValidationError({"proposing_unit": _("Đợt xét này không nhận hồ sơ của %(unit)s.") % {"unit": unit.name}})
    elif not unit.path.startswith(round_.awarding_unit.path):
        raise ValidationError({"proposing_unit": _("Đợt xét này không nhận hồ sơ của %(unit)s.") % {"unit": unit.name}})


@transaction.atomic
def nomination_create(*, actor, round: Round, proposing_unit, title: str = "") -> Nomination:
    if actor is not None and not scopes.can(actor, "nomination.propose", proposing_unit):
        raise PermissionDenied
    _check_round_accepts(round, proposing_unit)
    nomination = Nomination(
        round=round, proposing_unit=proposing_unit, title=clean_text(title) or _("Hồ sơ đề nghị khen thưởng của %(unit)s") % {"unit": proposing_unit.name},
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    nomination.full_clean()
    nomination.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=nomination, changes=audit.created(nomination))
    return nomination


@transaction.atomic
def nominee_add(*, actor, nomination: Nomination, award, summary: str = "", person=None, unit=None, household_name: str = "") -> Nominee:
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("proposing_unit", "round").get(pk=nomination.pk)
    if actor is not None and not scopes.can(actor, "nomination.propose", nomination.proposing_unit):
        raise PermissionDenied
    if nomination.status not in (NominationStatus.DRAFT, NominationStatus.RETURNED):
        raise ValidationError({"nomination": _("Chỉ sửa được hồ sơ dự thảo hoặc hồ sơ bị trả lại.")})
    if not nomination.round.accepted_awards.filter(pk=award.pk).exists():
        raise ValidationError({"award": _("Đợt xét không nhận đề nghị %(award)s.") % {"award": award.name}})
    nominee = Nominee(nomination=nomination, award=award, summary=(summary or "").strip(), person=person, unit=unit, household_name=clean_text(household_name))
    if nominee.subject not in award.subjects:
        raise ValidationError({"award": _("%(award)s không dành cho đối tượng này.") % {"award": award.name}})
    # Checked first: the same proposal from two units is what officers most need to see.
    duplicate = Nominee.objects.filter(nomination__round=nomination.round, award=award, person=person, unit=unit, household_name=nominee.household_name)
    duplicate = duplicate.exclude(nomination__status=NominationStatus.WITHDRAWN)
    if duplicate.exists():
        other = duplicate.select_related("nomination__proposing_unit").first().nomination
        raise ValidationError({"award": _("Đã được đề nghị %(award)s trong đợt này (hồ sơ của %(unit)s).") % {"award": award.name, "unit": other.proposing_unit.name}})
    subject_unit = unit if unit is not None else getattr(person, "current_unit", None)
    if subject_unit is not None and not subject_unit.path.startswith(nomination.proposing_unit.path):
        raise ValidationError({"person": _("Chỉ đề nghị cá nhân, tập thể thuộc %(unit)s.") % {"unit": nomination.proposing_unit.name}})
    nominee.full_clean()
    nominee.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=nominee, changes=audit.created(nominee))
    return nominee


# ---------------------------------------------------------------- completeness and eligibility


def required_documents(nomination: Nomination) -> list[str]:
    """Document kinds the dossier must hold, from the ruleset in force on the submission day: the title or
    form list (or the simplified list), plus per-award extras (proof of initiatives for CSTĐCS and up)."""
    ruleset = ruleset_for(timezone.localdate(), nomination.round.awarding_unit)
    documents = ruleset.param("dossier_documents") or {}
    if nomination.round.simplified:
        return list(documents.get("simplified", [AttachmentKind.COVER_LETTER, AttachmentKind.SHORT_REPORT]))
    required: list[str] = []
    for nominee in nomination.nominees.select_related("award"):
        key = "title" if nominee.award.category == AwardCategory.TITLE else "form"
        for kind in documents.get(key, []) + documents.get("extra", {}).get(nominee.award.code, []):
            if kind not in required:
                required.append(kind)
    return required


def missing_documents(nomination: Nomination) -> list[str]:
    present = set(nomination.attachments.values_list("kind", flat=True))
    return [kind for kind in required_documents(nomination) if kind not in present]


def _evaluate_nominees(nomination: Nomination) -> None:
    """Store each nominee's verdict with the ruleset used (set-based: one engine run per dossier)."""
    from thidua.movements.services import person_registered
    from thidua.rules.engine import screen

    nominees = list(nomination.nominees.select_related("award", "person"))
    year = nomination.round.period_end
    codes = sorted({nominee.award.code for nominee in nominees})
    result = screen(
        root=nomination.proposing_unit,
        year=year,
        award_codes=codes,
        person_ids=[n.person_id for n in nominees if n.person_id],
    )
    by_key = {(v.award, v.subject, v.subject_id): v for v in result.verdicts}
    now = timezone.now()
    for nominee in nominees:
        key = (nominee.award.code, "individual", nominee.person_id) if nominee.person_id else (nominee.award.code, "collective", nominee.unit_id)
        verdict = by_key.get(key)
        if verdict is None:
            nominee.verdict = "needs_review"
            nominee.verdict_reasons = [{"rule": "manual", "passed": None, "message": _("Quy định chưa có tiêu chí tự động cho đề nghị này; cần thẩm định."), "source": ""}]
        else:
            nominee.verdict = verdict.verdict
            nominee.verdict_reasons = [reason.as_dict() for reason in verdict.reasons]
        nominee.ruleset_code = result.ruleset.code
        nominee.evaluated_at = now
        if nominee.person_id and nomination.round.movement_id:
            nominee.registered = person_registered(movement=nomination.round.movement, person=nominee.person) is not None
        nominee.save(update_fields=["verdict", "verdict_reasons", "ruleset_code", "evaluated_at", "registered", "updated_at"])


# ---------------------------------------------------------------- the workflow


def _actor_side_allowed(actor, nomination: Nomination, side: str) -> bool:
    if actor is None:
        return True
    if side == PROPOSER:
        return scopes.can(actor, "nomination.propose", nomination.proposing_unit)
    return scopes.can(actor, "nomination.appraise", nomination.round.awarding_unit)


@transaction.atomic
def nomination_transition(*, actor, nomination: Nomination, to: str, note: str = "", items: list[str] | None = None) -> Nomination:
    """Move a dossier. Side effects, in order:

    1. lock the row (a concurrent step on the same dossier waits, then finds the new status and is refused);
    2. check the table and the actor's side (proposing unit or awarding unit);
    3. ``submitted``: the dossier has nominees and every required document, each nominee's eligibility is
       computed and stored with the ruleset; ``under_review``: received today, appraisal due in N working
       days (holidays skipped); ``returned``: needs a reason and the list of what to complete;
       ``in_council``/``approved``/``rejected``: the pending nominees follow;
    4. history row and audit row;
    5. after commit, the other side is notified.
    """
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("round__awarding_unit", "proposing_unit")
        .get(pk=nomination.pk)
    )
    source = nomination.status
    allowed = NOMINATION_TRANSITIONS.get(source, {})
    if to not in allowed:
        raise TransitionRefused(
            _("Không thể chuyển hồ sơ từ “%(source)s” sang “%(target)s”.") % {
                "source": NominationStatus(source).label,
                "target": NominationStatus(to).label if to in NominationStatus.values else to,
            }
        )
    side = allowed[to]
    if not _actor_side_allowed(actor, nomination, side):
        raise PermissionDenied
    before = audit.snapshot(nomination)
    today = timezone.localdate()
    items = [clean_text(item) for item in (items or []) if clean_text(item)]

    if to == NominationStatus.SUBMITTED:
        if not nomination.nominees.exists():
            raise TransitionRefused(_("Hồ sơ chưa có cá nhân, tập thể nào được đề nghị."))
        missing = missing_documents(nomination)
        if missing:
            labels = ", ".join(str(AttachmentKind(kind).label) for kind in missing)
            raise TransitionRefused(_("Hồ sơ còn thiếu: %(documents)s.") % {"documents": labels})
        _evaluate_nominees(nomination)
        nomination.submitted_at = timezone.now()
        nomination.submission_count += 1
    elif to == NominationStatus.UNDER_REVIEW:
        ruleset = ruleset_for(today, nomination.round.awarding_unit)
        days = int(ruleset.param("deadlines.appraisal_working_days", DEFAULT_APPRAISAL_WORKING_DAYS))
        nomination.received_on = today
        nomination.appraisal_due = add_working_days(today, days)
        if nomination.assigned_officer_id is None and getattr(actor, "pk", None):
            nomination.assigned_officer = actor
    elif to == NominationStatus.RETURNED:
        if not clean_text(note):
            raise TransitionRefused(_("Ghi rõ lý do trả lại hồ sơ."))
        if not items:
            raise TransitionRefused(_("Liệt kê các nội dung đơn vị cần bổ sung."))
        nomination.return_reason = note.strip()
        nomination.items_to_complete = items
    elif to in (NominationStatus.IN_COUNCIL, NominationStatus.APPROVED, NominationStatus.REJECTED):
        follow = {
            NominationStatus.IN_COUNCIL: NomineeStatus.IN_COUNCIL,
            NominationStatus.APPROVED: NomineeStatus.APPROVED,
            NominationStatus.REJECTED: NomineeStatus.REJECTED,
        }[to]
        nomination.nominees.filter(status__in=[NomineeStatus.PENDING, NomineeStatus.IN_COUNCIL]).update(status=follow, updated_at=timezone.now())
    elif to == NominationStatus.FORWARDED:
        nomination.nominees.filter(status__in=[NomineeStatus.PENDING, NomineeStatus.APPROVED]).update(status=NomineeStatus.FORWARDED, updated_at=timezone.now())
    elif to == NominationStatus.DECIDED:
        nomination.nominees.filter(status=NomineeStatus.APPROVED).update(status=NomineeStatus.DECIDED, updated_at=timezone.now())

    nomination.status = to
    nomination.save()
    NominationTransition.objects.create(
        nomination=nomination, from_status=source, to_status=to, by=actor if getattr(actor, "pk", None) else None, note=note.strip(), items=items
    )
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=nomination, changes=audit.diff(before, audit.snapshot(nomination)), note=note[:500])

    recipients_unit = nomination.round.awarding_unit if side == PROPOSER else nomination.proposing_unit
    recipients = list(notifications.unit_contacts([recipients_unit], roles=("officer", "unit_manager")))
    text = _("Hồ sơ “%(title)s”: %(status)s.") % {"title": nomination.title, "status": NominationStatus(to).label}
    if to == NominationStatus.RETURNED:
        text += " " + _("Cần bổ sung: %(items)s.") % {"items": "; ".join(items)}
    transaction.on_commit(lambda: notifications.notify(users=recipients, text=text))
    return nomination


def transitions_allowed_for(actor, nomination: Nomination) -> list[str]:
    """The target statuses this actor may choose now (for buttons and the API)."""
    return [
        target for target, side in NOMINATION_TRANSITIONS.get(nomination.status, {}).items() if _actor_side_allowed(actor, nomination, side)
    ]


def appraisal_days_left(nomination: Nomination, today: datetime.date | None = None) -> int | None:
    from thidua.common.workdays import working_days_between

    if nomination.appraisal_due is None:
        return None
    return working_days_between(today or timezone.localdate(), nomination.appraisal_due)



