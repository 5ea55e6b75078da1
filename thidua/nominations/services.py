"""Writes on rounds and dossiers. The dossier workflow has one entry point, ``nomination_transition``,
driven by ``enums.NOMINATION_TRANSITIONS``; every step locks the row, checks the table and the actor's
side, writes the history row and the audit row, and notifies after commit."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit, notifications
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.common.workdays import add_working_days
from thidua.nominations.enums import (
    AWARDER,
    NOMINATION_TRANSITIONS,
    NOMINEE_DECISIONS,
    OPEN_NOMINEE_STATUSES,
    PROPOSER,
    AttachmentKind,
    NominationStatus,
    NomineeStatus,
    RoundStatus,
)
from thidua.nominations.models import Nomination, NominationAttachment, NominationTransition, Nominee, Round
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
    units = list(accepted_units)
    outside = [unit.name for unit in units if not unit.path.startswith(awarding_unit.path)]
    if outside:
        raise ValidationError({"accepted_units": _("Không thuộc %(unit)s: %(list)s.") % {"unit": awarding_unit.name, "list": ", ".join(outside)}})
    round_.accepted_units.set(units)
    changes = audit.created(round_)
    changes["accepted_awards"] = [None, sorted(award.code for award in awards)]
    audit.record(actor=actor, action=AuditAction.CREATE, obj=round_, changes=changes)
    return round_


@transaction.atomic
def round_close(*, actor, round: Round) -> Round:
    """Stop receiving dossiers. Dossiers already sent go on through the workflow; returned ones may
    still be completed and sent again."""
    round_ = Round.objects.select_for_update().select_related("awarding_unit").get(pk=round.pk)
    if actor is not None and not scopes.can(actor, "nomination.appraise", round_.awarding_unit):
        raise PermissionDenied
    if round_.status == RoundStatus.CLOSED:
        raise ValidationError({"status": _("Đợt xét đã kết thúc.")})
    before = audit.snapshot(round_)
    round_.status = RoundStatus.CLOSED
    round_.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=round_, changes=audit.diff(before, audit.snapshot(round_)))
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
    if not Round.objects.filter(pk=round.pk, status=RoundStatus.OPEN).exists():
        raise ValidationError({"round": _("Đợt xét “%(title)s” đã kết thúc, không nhận hồ sơ mới.") % {"title": round.title}})
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
    if not _belongs_to_proposer(nomination, person=person, unit=unit):
        raise ValidationError({"person": _("Chỉ đề nghị cá nhân, tập thể thuộc %(unit)s.") % {"unit": nomination.proposing_unit.name}})
    nominee.full_clean()
    nominee.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=nominee, changes=audit.created(nominee))
    return nominee


def round_period_dates(round_: Round) -> tuple[datetime.date, datetime.date]:
    return datetime.date(round_.period_start, 1, 1), datetime.date(round_.period_end, 12, 31)


def _belongs_to_proposer(nomination: Nomination, *, person=None, unit=None) -> bool:
    """A collective must lie in the proposing unit's subtree; a person must work there now or have worked
    there during the round's period (the achievement may predate a transfer or a merger)."""
    root = nomination.proposing_unit.path
    if unit is not None:
        return unit.path.startswith(root)
    if person is None:
        return True
    if person.current_unit_id and person.current_unit.path.startswith(root):
        return True
    start, end = round_period_dates(nomination.round)
    return person.employments.filter(unit__path__startswith=root, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    ).exists()


def _lock_editable(actor, nominee: Nominee) -> Nomination:
    """Lock the dossier of ``nominee`` and check the proposing unit may still edit it."""
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("proposing_unit", "round").get(pk=nominee.nomination_id)
    if actor is not None and not scopes.can(actor, "nomination.propose", nomination.proposing_unit):
        raise PermissionDenied
    if nomination.status not in (NominationStatus.DRAFT, NominationStatus.RETURNED):
        raise ValidationError({"nomination": _("Chỉ sửa được hồ sơ dự thảo hoặc hồ sơ bị trả lại.")})
    return nomination


@transaction.atomic
def nominee_update(*, actor, nominee: Nominee, summary: str) -> Nominee:
    """Edit the achievement summary (the award is changed by removing and proposing again, so that the
    duplicate and subject checks of ``nominee_add`` apply)."""
    _lock_editable(actor, nominee)
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    before = audit.snapshot(nominee)
    nominee.summary = (summary or "").strip()
    nominee.full_clean()
    nominee.save()
    changes = audit.diff(before, audit.snapshot(nominee))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=nominee, changes=changes)
    return nominee


@transaction.atomic
def nominee_remove(*, actor, nominee: Nominee) -> None:
    _lock_editable(actor, nominee)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=nominee, changes={name: [value, None] for name, value in audit.snapshot(nominee).items()})
    nominee.delete()


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
    snapshot: dict = {}

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
        # A resubmitted dossier is received again: the previous reception and its clock no longer apply.
        nomination.received_on = None
        nomination.appraisal_due = None
        snapshot = dossier_snapshot(nomination)
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
        # The nominees are carried by ``nomination_forward``, which chooses the next level's round.
        if not nomination.nominees.filter(status=NomineeStatus.FORWARDED).exists() or nomination.nominees.filter(
            status__in=[*OPEN_NOMINEE_STATUSES, NomineeStatus.APPROVED]
        ).exists():
            raise TransitionRefused(_("Dùng chức năng “Trình cấp trên” để chọn đợt xét của cấp trên và các đề nghị cần trình."))
    elif to == NominationStatus.DECIDED:
        nomination.nominees.filter(status=NomineeStatus.APPROVED).update(status=NomineeStatus.DECIDED, updated_at=timezone.now())

    nomination.status = to
    nomination.save()
    NominationTransition.objects.create(
        nomination=nomination, from_status=source, to_status=to, by=actor if getattr(actor, "pk", None) else None, note=note.strip(), items=items,
        snapshot=snapshot,
    )
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=nomination, changes=audit.diff(before, audit.snapshot(nomination)), note=note[:500])

    recipients_unit = nomination.round.awarding_unit if side == PROPOSER else nomination.proposing_unit
    recipients = list(notifications.unit_contacts([recipients_unit], roles=("officer", "unit_manager")))
    text = _("Hồ sơ “%(title)s”: %(status)s.") % {"title": nomination.title, "status": NominationStatus(to).label}
    if to == NominationStatus.RETURNED:
        text += " " + _("Cần bổ sung: %(items)s.") % {"items": "; ".join(items)}
    transaction.on_commit(lambda: notifications.notify(users=recipients, text=text))
    return nomination


def _subject_label(nominee: Nominee) -> str:
    if nominee.person_id:
        return nominee.person.full_name
    if nominee.unit_id:
        return _("Tập thể %(unit)s") % {"unit": nominee.unit.name}
    return _("Hộ %(name)s") % {"name": nominee.household_name}


def dossier_snapshot(nomination: Nomination) -> dict:
    """What the dossier holds when sent: compared between submissions to show what changed."""
    return {
        "nominees": {
            str(n.pk): {"subject": _subject_label(n), "award": n.award.name, "summary": n.summary}
            for n in nomination.nominees.select_related("person", "unit", "award")
        },
        "attachments": {
            str(a.pk): {"kind": a.kind, "name": a.original_name, "sha256": a.sha256} for a in nomination.attachments.all()
        },
    }


def snapshot_changes(before: dict, after: dict) -> list[str]:
    """Readable differences between two submissions of the same dossier."""
    changes: list[str] = []
    old, new = before.get("nominees", {}), after.get("nominees", {})
    for key in new.keys() - old.keys():
        changes.append(_("Thêm đề nghị: %(subject)s — %(award)s") % new[key])
    for key in old.keys() - new.keys():
        changes.append(_("Bỏ đề nghị: %(subject)s — %(award)s") % old[key])
    for key in sorted(old.keys() & new.keys(), key=int):
        if old[key]["summary"] != new[key]["summary"]:
            changes.append(_("Sửa tóm tắt thành tích: %(subject)s") % new[key])
    old, new = before.get("attachments", {}), after.get("attachments", {})
    for key in sorted(new.keys() - old.keys(), key=int):
        changes.append(_("Bổ sung tài liệu: %(kind)s — %(name)s") % {"kind": AttachmentKind(new[key]["kind"]).label, "name": new[key]["name"]})
    for key in sorted(old.keys() - new.keys(), key=int):
        changes.append(_("Gỡ tài liệu: %(kind)s — %(name)s") % {"kind": AttachmentKind(old[key]["kind"]).label, "name": old[key]["name"]})
    return changes


# ---------------------------------------------------------------- per-nominee decisions


@transaction.atomic
def nominee_decide(*, actor, nominee: Nominee, to: str, note: str = "", on_behalf_of=None) -> Nominee:
    """Decide one nominee while the others in the dossier wait (``enums.NOMINEE_DECISIONS``).

    Allowed to the awarding unit while the dossier is under review; while it is in the council only the
    nominees sent there can be approved or rejected (the council's vote does this, issue 6). When the
    council's last open nominee is decided, the dossier follows: approved if any nominee is, else rejected.

    ``actor=None`` with ``on_behalf_of``: a body whose authority was checked by the caller (the council,
    through its secretary) decides; the person is recorded as the decider and on the audit row.
    """
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("round__awarding_unit", "proposing_unit").get(pk=nominee.nomination_id)
    )
    if not _actor_side_allowed(actor, nomination, AWARDER):
        raise PermissionDenied
    nominee = Nominee.objects.select_for_update(of=("self",)).select_related("award").get(pk=nominee.pk)
    source = nominee.status
    label = NomineeStatus(to).label if to in NomineeStatus.values else to
    if to not in NOMINEE_DECISIONS.get(source, ()):
        raise TransitionRefused(_("Không thể chuyển đề nghị từ “%(source)s” sang “%(target)s”.") % {"source": NomineeStatus(source).label, "target": label})
    in_council = nomination.status == NominationStatus.IN_COUNCIL
    if not (nomination.status == NominationStatus.UNDER_REVIEW or (in_council and source == NomineeStatus.IN_COUNCIL and to != NomineeStatus.PENDING)):
        raise TransitionRefused(
            _("Chỉ quyết định từng đề nghị khi hồ sơ đang thẩm định (hồ sơ đang ở trạng thái “%(status)s”).") % {"status": NominationStatus(nomination.status).label}
        )
    note = (note or "").strip()
    if to == NomineeStatus.REJECTED and not note:
        raise TransitionRefused(_("Ghi rõ lý do không chấp thuận đề nghị."))
    before = audit.snapshot(nominee)
    nominee.status = to
    if note:
        nominee.appraisal_note = note
    recorded = actor if getattr(actor, "pk", None) else on_behalf_of
    nominee.decided_by = recorded if getattr(recorded, "pk", None) else None
    nominee.decided_at = timezone.now()
    nominee.save()
    audit.record(actor=recorded, action=AuditAction.TRANSITION, obj=nominee, changes=audit.diff(before, audit.snapshot(nominee)), note=note[:500])
    if in_council and not nomination.nominees.filter(status__in=OPEN_NOMINEE_STATUSES).exists():
        settled = NominationStatus.APPROVED if nomination.nominees.filter(status=NomineeStatus.APPROVED).exists() else NominationStatus.REJECTED
        nomination_transition(actor=actor, nomination=nomination, to=settled, note=_("Hội đồng đã xét xong các đề nghị của hồ sơ."))
    return nominee


@transaction.atomic
def nominee_note(*, actor, nominee: Nominee, note: str) -> Nominee:
    """The appraising officer's note on one nominee (kept with the nominee, shown to both sides)."""
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("round__awarding_unit").get(pk=nominee.nomination_id)
    if not _actor_side_allowed(actor, nomination, AWARDER):
        raise PermissionDenied
    if nomination.status not in (NominationStatus.SUBMITTED, NominationStatus.UNDER_REVIEW, NominationStatus.IN_COUNCIL):
        raise ValidationError({"note": _("Chỉ ghi ý kiến thẩm định khi hồ sơ đang được xét.")})
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    before = audit.snapshot(nominee)
    nominee.appraisal_note = (note or "").strip()
    nominee.save(update_fields=["appraisal_note", "updated_at"])
    changes = audit.diff(before, audit.snapshot(nominee))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=nominee, changes=changes)
    return nominee


@transaction.atomic
def nomination_assign(*, actor, nomination: Nomination, officer) -> Nomination:
    """Assign the officer of the awarding unit who appraises (thẩm định) the dossier."""
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("round__awarding_unit").get(pk=nomination.pk)
    if not _actor_side_allowed(actor, nomination, AWARDER):
        raise PermissionDenied
    if officer is not None and not scopes.can(officer, "nomination.appraise", nomination.round.awarding_unit):
        raise ValidationError({"officer": _("%(user)s không có quyền thẩm định hồ sơ của %(unit)s.") % {"user": officer, "unit": nomination.round.awarding_unit.name}})
    before = audit.snapshot(nomination)
    nomination.assigned_officer = officer
    nomination.save(update_fields=["assigned_officer", "updated_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=nomination, changes=audit.diff(before, audit.snapshot(nomination)))
    if officer is not None and officer != actor:
        text = _("Bạn được giao thẩm định hồ sơ “%(title)s”.") % {"title": nomination.title}
        transaction.on_commit(lambda: notifications.notify(users=[officer], text=text))
    return nomination


# ---------------------------------------------------------------- forwarding to the next level


def beyond_power(nomination: Nomination) -> list[Nominee]:
    """Nominees still open or approved whose award the awarding unit may not confer itself (its kind is
    not among the award's conferring unit kinds): they must go up a level (Sở → UBND tỉnh)."""
    awarding = nomination.round.awarding_unit
    candidates = nomination.nominees.filter(status__in=[NomineeStatus.PENDING, NomineeStatus.APPROVED]).select_related("award", "person", "unit")
    return [n for n in candidates if not n.award.conferrable_by(awarding)]


def forward_targets(nomination: Nomination):
    """Open rounds of a unit above the awarding unit that accept dossiers from it."""
    awarding = nomination.round.awarding_unit
    ancestors = [path for path in awarding.ancestor_paths() if path != awarding.path]
    rounds = Round.objects.filter(status=RoundStatus.OPEN, awarding_unit__path__in=ancestors).select_related("awarding_unit")
    result = []
    for round_ in rounds.prefetch_related("accepted_units"):
        try:
            _check_round_accepts(round_, awarding)
        except ValidationError:
            continue
        result.append(round_)
    return result


@transaction.atomic
def nomination_forward(*, actor, nomination: Nomination, target_round: Round, nominees=None, note: str = "") -> Nomination:
    """Carry nominees beyond the awarding unit's power to a round of the next level.

    A new dossier is created in ``target_round``, proposed by the awarding unit, linked to the original
    (``forwarded_from``; each nominee to its source), holding the carried nominees and the original
    documents (the same stored files). The carried nominees become ``forwarded``; when nothing is left to
    decide in the original dossier it moves to ``forwarded`` through ``nomination_transition``, otherwise
    the step is written to its timeline and the rest wait. The new dossier starts as a draft of the
    awarding unit, which adds its own tờ trình and sends it.
    """
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("round__awarding_unit", "proposing_unit").get(pk=nomination.pk)
    )
    if NominationStatus.FORWARDED not in NOMINATION_TRANSITIONS.get(nomination.status, {}):
        raise TransitionRefused(_("Không thể trình cấp trên hồ sơ đang ở trạng thái “%(status)s”.") % {"status": NominationStatus(nomination.status).label})
    if not _actor_side_allowed(actor, nomination, AWARDER):
        raise PermissionDenied
    if target_round.pk not in {round_.pk for round_ in forward_targets(nomination)}:
        raise TransitionRefused(_("Đợt xét “%(round)s” không nhận hồ sơ trình từ %(unit)s.") % {"round": target_round.title, "unit": nomination.round.awarding_unit.name})
    if nominees is None:
        carried = beyond_power(nomination)
    else:
        carried = list(Nominee.objects.filter(pk__in=[getattr(n, "pk", n) for n in nominees]).select_related("award", "person", "unit"))
    if not carried:
        raise TransitionRefused(_("Không có đề nghị nào cần trình cấp trên."))
    for nominee in carried:
        if nominee.nomination_id != nomination.pk or nominee.status not in (NomineeStatus.PENDING, NomineeStatus.APPROVED):
            raise TransitionRefused(_("%(subject)s không còn chờ xét trong hồ sơ này.") % {"subject": _subject_label(nominee)})
    accepted = set(target_round.accepted_awards.values_list("pk", flat=True))
    refused = [n for n in carried if n.award_id not in accepted]
    if refused:
        raise TransitionRefused(_("Đợt xét “%(round)s” không nhận: %(list)s.") % {
            "round": target_round.title, "list": "; ".join(f"{_subject_label(n)} — {n.award.name}" for n in refused)})

    awarding = nomination.round.awarding_unit
    forward = Nomination(
        round=target_round, proposing_unit=awarding, forwarded_from=nomination,
        title=_("%(unit)s trình %(award)s (từ hồ sơ của %(source)s)") % {
            "unit": awarding.name, "award": ", ".join(sorted({n.award.name for n in carried})), "source": nomination.proposing_unit.name},
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    forward.title = forward.title[:300]
    forward.full_clean()
    forward.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=forward, changes=audit.created(forward))
    now = timezone.now()
    for nominee in carried:
        copy = Nominee.objects.create(
            nomination=forward, person=nominee.person, unit=nominee.unit, household_name=nominee.household_name, award=nominee.award,
            summary=nominee.summary, registered=nominee.registered, source_nominee=nominee,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=copy, changes=audit.created(copy))
        before = audit.snapshot(nominee)
        nominee.status = NomineeStatus.FORWARDED
        nominee.decided_by = actor if getattr(actor, "pk", None) else None
        nominee.decided_at = now
        nominee.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit.record(actor=actor, action=AuditAction.TRANSITION, obj=nominee, changes=audit.diff(before, audit.snapshot(nominee)))
    for attachment in nomination.attachments.all():
        NominationAttachment.objects.create(
            nomination=forward, kind=attachment.kind, file=attachment.file.name, original_name=attachment.original_name, size=attachment.size,
            sha256=attachment.sha256, uploaded_by=attachment.uploaded_by, carried_from=attachment,
        )
    summary = _("Trình %(round)s: %(list)s.") % {"round": target_round.title, "list": "; ".join(f"{_subject_label(n)} — {n.award.name}" for n in carried)}
    note = "\n".join(part for part in ((note or "").strip(), summary) if part)
    if nomination.nominees.filter(status__in=[*OPEN_NOMINEE_STATUSES, NomineeStatus.APPROVED]).exists():
        NominationTransition.objects.create(nomination=nomination, from_status=nomination.status, to_status=nomination.status,
                                            by=actor if getattr(actor, "pk", None) else None, note=note)
        audit.record(actor=actor, action=AuditAction.TRANSITION, obj=nomination, changes={}, note=note[:500])
    else:
        nomination_transition(actor=actor, nomination=nomination, to=NominationStatus.FORWARDED, note=note)
    return forward


# ---------------------------------------------------------------- decisions


@transaction.atomic
def nominees_decided(*, actor, nominees, note: str = "") -> list[Nomination]:
    """Mark approved nominees as carried by an issued decision (called by the decisions app when a
    decision is issued, in the same transaction). A dossier with nothing left open or approved follows
    to ``decided`` through ``nomination_transition`` (via ``approved`` when it was still under review or in
    the council), so its timeline shows the step. Returns the dossiers that moved."""
    nominees = list(nominees)
    dossier_ids = sorted({nominee.nomination_id for nominee in nominees})
    # Lock the dossiers in a fixed order: two decisions issued at once cannot deadlock on them.
    dossiers = {
        dossier.pk: dossier
        for dossier in Nomination.objects.select_for_update(of=("self",)).select_related("round__awarding_unit").filter(pk__in=dossier_ids).order_by("pk")
    }
    for dossier in dossiers.values():
        if not _actor_side_allowed(actor, dossier, AWARDER):
            raise PermissionDenied
    locked = list(
        Nominee.objects.select_for_update(of=("self",)).select_related("person", "unit", "award", "nomination__proposing_unit")
        .filter(pk__in=[n.pk for n in nominees]).order_by("pk")
    )
    not_approved = [n for n in locked if n.status != NomineeStatus.APPROVED]
    if not_approved:
        raise TransitionRefused(_("Chỉ ra quyết định cho đề nghị đã được chấp thuận: %(list)s.") % {
            "list": "; ".join(f"{_subject_label(n)} — {NomineeStatus(n.status).label}" for n in not_approved)})
    now = timezone.now()
    for nominee in locked:
        before = audit.snapshot(nominee)
        nominee.status = NomineeStatus.DECIDED
        nominee.decided_by = actor if getattr(actor, "pk", None) else None
        nominee.decided_at = now
        nominee.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit.record(actor=actor, action=AuditAction.TRANSITION, obj=nominee, changes=audit.diff(before, audit.snapshot(nominee)), note=note[:500])
    moved = []
    for dossier in dossiers.values():
        if dossier.nominees.filter(status__in=[*OPEN_NOMINEE_STATUSES, NomineeStatus.APPROVED]).exists():
            continue
        if dossier.status in (NominationStatus.UNDER_REVIEW, NominationStatus.IN_COUNCIL):
            nomination_transition(actor=actor, nomination=dossier, to=NominationStatus.APPROVED, note=note)
            dossier.refresh_from_db()
        if NominationStatus.DECIDED in NOMINATION_TRANSITIONS.get(dossier.status, {}):
            moved.append(nomination_transition(actor=actor, nomination=dossier, to=NominationStatus.DECIDED, note=note))
    return moved


# ---------------------------------------------------------------- bulk steps


class BulkRefused(Exception):
    """Nothing was changed; ``errors`` lists each refused dossier with the reason."""

    def __init__(self, errors: list[tuple[Nomination, str]]):
        super().__init__(f"{len(errors)} hồ sơ")
        self.errors = errors


@transaction.atomic
def nominations_bulk_transition(*, actor, nominations, to: str, note: str = "", items: list[str] | None = None) -> int:
    """One step on many dossiers (e.g. receive every submitted dossier of a round): all or nothing."""
    errors: list[tuple[Nomination, str]] = []
    done = 0
    for nomination in nominations:
        try:
            with transaction.atomic():
                nomination_transition(actor=actor, nomination=nomination, to=to, note=note, items=items)
        except TransitionRefused as refusal:
            errors.append((nomination, refusal.message))
        except PermissionDenied:
            errors.append((nomination, _("Bạn không có quyền chuyển hồ sơ này.")))
        else:
            done += 1
    if errors:
        raise BulkRefused(errors)
    return done


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



