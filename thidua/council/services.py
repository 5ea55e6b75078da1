"""Writes on councils, memberships and sessions. Ballots and written votes live in ``ballots.py``.

A session moves through ``enums.SESSION_TRANSITIONS``: draft → published (the agenda goes to the members)
→ voting (quorum checked, counters created) → closed (totals, thresholds, nominees decided); a draft or
published session may be cancelled. Every step locks the session row, checks the table and the caller
(the council's secretary on the session date), writes an audit row and notifies after commit. A closed
or cancelled session never changes again: corrections go through a new session.
"""

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit, notifications
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.council import selectors
from thidua.council.ballots import (
    CouncilRefused,
    check_scan,
    file_digest,
    lock_session,
    opened_items,
    refuse_unless_voting,
)
from thidua.council.enums import (
    PREPARING_STATUSES,
    SESSION_TRANSITIONS,
    SINGLE_HOLDER_ROLES,
    Choice,
    ItemResult,
    MemberRole,
    SessionStatus,
    VoteSource,
)
from thidua.council.models import (
    AgendaItem,
    Attendance,
    Council,
    Membership,
    PaperSheet,
    PaperTally,
    Participation,
    Session,
    TallyCounter,
)
from thidua.council.tally import decide, percent, vote_rule
from thidua.nominations.enums import NomineeStatus
from thidua.nominations.models import Nominee
from thidua.rules.rulesets import ruleset_for

# ---------------------------------------------------------------- councils and members


@transaction.atomic
def council_create(*, actor, unit, name: str, established_by: str = "") -> Council:
    if actor is not None and not scopes.can(actor, "council.manage", unit):
        raise PermissionDenied
    council = Council(unit=unit, name=clean_text(name), established_by=clean_text(established_by), created_by=actor if getattr(actor, "pk", None) else None)
    if not council.name:
        raise ValidationError({"name": _("Nhập tên Hội đồng.")})
    council.full_clean()
    council.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=council, changes=audit.created(council))
    return council


def _check_term(membership: Membership) -> None:
    """Terms of one user in one council do not overlap; a single-holder role (chair, standing vice-chair,
    secretary) has one holder at a time."""
    if membership.end_on is not None and membership.end_on < membership.start_on:
        raise ValidationError({"end_on": _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu.")})
    overlapping = Membership.objects.filter(council_id=membership.council_id, start_on__lte=membership.end_on or datetime.date.max).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=membership.start_on)
    ).exclude(pk=membership.pk)
    if overlapping.filter(user_id=membership.user_id).exists():
        raise ValidationError({"user": _("%(name)s đã là thành viên Hội đồng trong thời gian này.") % {"name": membership.name}})
    if membership.role in SINGLE_HOLDER_ROLES:
        holder = overlapping.filter(role=membership.role).select_related("user__person").first()
        if holder is not None:
            raise ValidationError({"role": _("Hội đồng đã có %(role)s trong thời gian này: %(name)s.") % {"role": MemberRole(membership.role).label, "name": holder.name}})


@transaction.atomic
def membership_add(*, actor, council: Council, user, role: str, start_on: datetime.date, title: str = "", end_on: datetime.date | None = None) -> Membership:
    if actor is not None and not selectors.can_manage(actor, council):
        raise PermissionDenied
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Chọn vai trò trong Hội đồng.")})
    if not user.is_active:
        raise ValidationError({"user": _("Tài khoản %(name)s đang bị khóa.") % {"name": user.username}})
    membership = Membership(council=council, user=user, role=role, title=clean_text(title), start_on=start_on, end_on=end_on)
    _check_term(membership)
    membership.full_clean()
    membership.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=membership, changes=audit.created(membership))
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, end_on: datetime.date) -> Membership:
    """End a term (members are never deleted: past sessions keep their rosters)."""
    membership = Membership.objects.select_for_update(of=("self",)).select_related("council__unit", "user__person").get(pk=membership.pk)
    if actor is not None and not selectors.can_manage(actor, membership.council):
        raise PermissionDenied
    if end_on < membership.start_on:
        raise ValidationError({"end_on": _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu (%(day)s).") % {"day": f"{membership.start_on:%d/%m/%Y}"}})
    # A term cannot end before a session it already voted or sat in (its roster is frozen).
    sat = Attendance.objects.filter(membership=membership, session__held_on__gt=end_on).exclude(session__status=SessionStatus.CANCELLED)
    if sat.filter(session__status__in=[SessionStatus.VOTING, SessionStatus.CLOSED]).exists():
        raise ValidationError({"end_on": _("Thành viên đã dự một phiên họp sau ngày này; không thể kết thúc nhiệm kỳ sớm hơn.")})
    before = audit.snapshot(membership)
    membership.end_on = end_on
    membership.save(update_fields=["end_on", "updated_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=membership, changes=audit.diff(before, audit.snapshot(membership)))
    return membership


# ---------------------------------------------------------------- sessions: preparing


def _require_secretary(actor, session: Session) -> None:
    if actor is not None and not selectors.is_secretary(actor, session):
        raise PermissionDenied


def _check_transition(session: Session, to: str) -> None:
    if to in SESSION_TRANSITIONS.get(session.status, ()):
        return
    if session.status == SessionStatus.CLOSED:
        raise CouncilRefused(_("Phiên họp đã kết thúc: không thể thay đổi. Muốn điều chỉnh, lập phiên họp mới."))
    if session.status == SessionStatus.CANCELLED:
        raise CouncilRefused(_("Phiên họp đã bị hủy."))
    raise CouncilRefused(
        _("Không thể chuyển phiên họp từ “%(source)s” sang “%(target)s”.") % {"source": SessionStatus(session.status).label, "target": SessionStatus(to).label}
    )


def _refuse_unless_preparing(session: Session) -> None:
    if session.status in PREPARING_STATUSES:
        return
    if session.status == SessionStatus.VOTING:
        raise CouncilRefused(_("Phiên họp đang bỏ phiếu: không thể sửa chương trình hay danh sách có mặt."))
    _check_transition(session, SessionStatus.VOTING)  # raises the closed/cancelled message


def _agenda_nominees(council: Council, nominees, *, session: Session | None = None) -> list[Nominee]:
    ids = []
    for nominee in nominees:
        try:
            ids.append(int(getattr(nominee, "pk", nominee)))
        except (TypeError, ValueError):
            raise ValidationError({"nominees": _("Mã đề nghị không hợp lệ.")}) from None
    if not ids:
        raise ValidationError({"nominees": _("Chọn ít nhất một đề nghị đưa ra Hội đồng.")})
    if len(set(ids)) != len(ids):
        raise ValidationError({"nominees": _("Một đề nghị được chọn hai lần.")})
    awaiting = selectors.nominees_awaiting(council, session=session)
    found = {nominee.pk: nominee for nominee in awaiting.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"nominees": [
            _("Đề nghị số %(id)d không chờ Hội đồng này xét (phải ở trạng thái “Trình Hội đồng”, thuộc đợt xét của %(unit)s và chưa nằm trong phiên họp khác).")
            % {"id": pk, "unit": council.unit.name}
            for pk in missing
        ]})
    return [found[pk] for pk in ids]


@transaction.atomic
def session_create(*, actor, council: Council, nominees, held_on: datetime.date | None = None, title: str = "", place: str = "") -> Session:
    """A draft session with its agenda. Only the council's secretary on the session date creates one."""
    held_on = held_on or timezone.localdate()
    membership = selectors.membership_of(actor, council, held_on) if actor is not None else None
    if actor is not None and (membership is None or membership.role != MemberRole.SECRETARY):
        raise PermissionDenied
    chosen = _agenda_nominees(council, nominees)
    session = Session(
        council=council, held_on=held_on, place=clean_text(place), created_by=actor if getattr(actor, "pk", None) else None,
        title=clean_text(title) or _("Phiên họp xét khen thưởng ngày %(day)s") % {"day": f"{held_on:%d/%m/%Y}"},
    )
    session.full_clean()
    session.save()
    AgendaItem.objects.bulk_create([AgendaItem(session=session, nominee=nominee, position=index) for index, nominee in enumerate(chosen, start=1)])
    changes = audit.created(session)
    changes["agenda"] = [None, [nominee.pk for nominee in chosen]]
    audit.record(actor=actor, action=AuditAction.CREATE, obj=session, changes=changes)
    return session


@transaction.atomic
def session_update(*, actor, session: Session, held_on: datetime.date | None = None, title: str | None = None, place: str | None = None) -> Session:
    session = lock_session(session)
    _require_secretary(actor, session)
    _refuse_unless_preparing(session)
    before = audit.snapshot(session)
    if held_on is not None:
        session.held_on = held_on
    if title is not None:
        session.title = clean_text(title) or session.title
    if place is not None:
        session.place = clean_text(place)
    if actor is not None and not selectors.is_secretary(actor, session):
        raise ValidationError({"held_on": _("Bạn không là thư ký Hội đồng vào ngày họp này.")})
    session.full_clean()
    session.save()
    # The roster belongs to the date: a new date takes the members in term then.
    if before["held_on"] != session.held_on.isoformat():
        session.attendance.all().delete()
    changes = audit.diff(before, audit.snapshot(session))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=session, changes=changes)
    return session


@transaction.atomic
def agenda_set(*, actor, session: Session, nominees) -> Session:
    """Replace the agenda while the session is being prepared."""
    session = lock_session(session)
    _require_secretary(actor, session)
    _refuse_unless_preparing(session)
    before = sorted(session.items.values_list("nominee", flat=True))
    chosen = _agenda_nominees(session.council, nominees, session=session)
    session.items.all().delete()
    AgendaItem.objects.bulk_create([AgendaItem(session=session, nominee=nominee, position=index) for index, nominee in enumerate(chosen, start=1)])
    after = sorted(nominee.pk for nominee in chosen)
    if after != before:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=session, changes={"agenda": [before, after]})
    return session


def _member_users(session: Session, *, present_only: bool = False):
    if present_only:
        return [row.membership.user for row in session.attendance.filter(present=True).select_related("membership__user")]
    return [membership.user for membership in selectors.memberships_on(session.council, session.held_on)]


@transaction.atomic
def session_publish(*, actor, session: Session) -> Session:
    """Send the agenda to the members in term (in-app notification and e-mail)."""
    session = lock_session(session)
    _require_secretary(actor, session)
    _check_transition(session, SessionStatus.PUBLISHED)
    if not session.items.exists():
        raise CouncilRefused(_("Chương trình họp chưa có đề nghị nào."))
    before = audit.snapshot(session)
    session.status = SessionStatus.PUBLISHED
    session.published_at = timezone.now()
    session.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=session, changes=audit.diff(before, audit.snapshot(session)))
    users = _member_users(session)
    text = _("Hội đồng TĐKT: chương trình phiên họp ngày %(day)s (%(count)d đề nghị) đã được gửi đến bạn.") % {
        "day": f"{session.held_on:%d/%m/%Y}", "count": session.items.count()}
    url = reverse("council:session_detail", args=[session.pk])
    transaction.on_commit(lambda: notifications.notify(users=users, text=text, url=url))
    return session


@transaction.atomic
def attendance_set(*, actor, session: Session, present) -> list[Attendance]:
    """Record who is present: ``present`` is the memberships (or their ids) present; every other member
    in term on the session date is absent. Refused once voting has opened (the roster is then frozen)."""
    session = lock_session(session)
    _require_secretary(actor, session)
    _refuse_unless_preparing(session)
    members = {membership.pk: membership for membership in selectors.memberships_on(session.council, session.held_on)}
    present_ids = set()
    for item in present:
        pk = getattr(item, "pk", item)
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise ValidationError({"present": _("Mã thành viên không hợp lệ.")}) from None
        if pk not in members:
            raise ValidationError({"present": _("Thành viên số %(id)d không thuộc Hội đồng vào ngày họp.") % {"id": pk}})
        present_ids.add(pk)
    before = sorted(session.attendance.filter(present=True).values_list("membership", flat=True))
    session.attendance.all().delete()
    rows = Attendance.objects.bulk_create([Attendance(session=session, membership=m, present=pk in present_ids) for pk, m in members.items()])
    after = sorted(present_ids)
    if before != after:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=session, changes={"present": [before, after]})
    return rows


@transaction.atomic
def session_cancel(*, actor, session: Session, reason: str) -> Session:
    """Cancel a session that has not voted (e.g. below quorum): its nominees are free for a new session."""
    session = lock_session(session)
    _require_secretary(actor, session)
    _check_transition(session, SessionStatus.CANCELLED)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Ghi rõ lý do hủy phiên họp.")})
    before = audit.snapshot(session)
    session.status = SessionStatus.CANCELLED
    session.conclusion = reason
    session.save(update_fields=["status", "conclusion", "updated_at"])
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=session, changes=audit.diff(before, audit.snapshot(session)), note=reason[:500])
    return session


# ---------------------------------------------------------------- voting


def session_rules(session: Session) -> dict:
    """The ruleset in force on the session date for the council's unit: votes and quorum parameters."""
    ruleset = ruleset_for(session.held_on, session.council.unit)
    return {
        "code": ruleset.code,
        "votes": ruleset.param("votes", {}) or {},
        "quorum": ruleset.param("quorum", {}) or {},
    }


@transaction.atomic
def voting_open(*, actor, session: Session, nominees=None, present=None) -> Session:
    """Open voting for the whole agenda (``nominees`` None) or a part of it.

    Side effects, in order: lock; check the table and the caller; record the attendance when ``present``
    is given (the API's way); freeze the roster, the attendance and the rules in force on the session date;
    refuse below quorum (present ≥ quorum share × members, exact); mark the opened items; create every
    counter at zero (see ``ballots``); audit; notify the members present after commit.
    """
    session = lock_session(session)
    _require_secretary(actor, session)
    _check_transition(session, SessionStatus.VOTING)
    if present is not None:
        attendance_set(actor=actor, session=session, present=present)
    rules = session_rules(session)
    members = selectors.memberships_on(session.council, session.held_on)
    if not members:
        raise CouncilRefused(_("Hội đồng không có thành viên nào trong nhiệm kỳ vào ngày họp."))
    stored = {row.membership_id: row for row in session.attendance.all()}
    if not any(row.present for row in stored.values()):
        raise CouncilRefused(_("Chưa ghi nhận thành viên có mặt: điểm danh trước khi mở bỏ phiếu."))
    # Members whose term began after the attendance was taken join the roster as absent.
    missing = [Attendance(session=session, membership=m, present=False) for m in members if m.pk not in stored]
    Attendance.objects.bulk_create(missing)
    in_term = {m.pk for m in members}
    present_total = sum(1 for row in stored.values() if row.present and row.membership_id in in_term)
    quorum = rules["quorum"]
    needed = selectors.quorum_needed(len(members), quorum.get("min_share", 0))
    if present_total < needed:
        raise CouncilRefused(
            _("Chưa đủ số thành viên dự họp để biểu quyết: có mặt %(present)d/%(members)d, cần ít nhất %(needed)d (%(share)s tổng số thành viên theo %(source)s).")
            % {"present": present_total, "members": len(members), "needed": needed,
               "share": percent(selectors.parse_share(quorum.get("min_share", 0)), trim=True), "source": quorum.get("source") or rules["code"]}
        )
    items = list(session.items.select_related("nominee"))
    if not items:
        raise CouncilRefused(_("Chương trình họp chưa có đề nghị nào."))
    if nominees is None:
        chosen = items
    else:
        ids = set()
        for nominee in nominees:
            try:
                ids.add(int(getattr(nominee, "pk", nominee)))
            except (TypeError, ValueError):
                raise ValidationError({"nominees": _("Mã đề nghị không hợp lệ.")}) from None
        by_nominee = {item.nominee_id: item for item in items}
        unknown = sorted(ids - by_nominee.keys())
        if unknown:
            raise ValidationError({"nominees": _("Đề nghị số %(ids)s không có trong chương trình họp.") % {"ids": ", ".join(map(str, unknown))}})
        if not ids:
            raise ValidationError({"nominees": _("Chọn ít nhất một đề nghị để biểu quyết.")})
        chosen = [by_nominee[pk] for pk in sorted(ids, key=lambda pk: by_nominee[pk].position)]
    not_waiting = [item for item in chosen if item.nominee.status != NomineeStatus.IN_COUNCIL]
    if not_waiting:
        raise CouncilRefused(
            _("Không còn chờ Hội đồng xét: %(names)s. Bỏ khỏi chương trình trước khi mở bỏ phiếu.")
            % {"names": "; ".join(str(item.nominee) for item in not_waiting)}
        )
    AgendaItem.objects.filter(pk__in=[item.pk for item in chosen]).update(opened=True)
    # Every counter exists before the first ballot, in a fixed order: none is created at voting time.
    TallyCounter.objects.bulk_create([
        TallyCounter(session=session, nominee_id=item.nominee_id, source=source, choice=choice)
        for item in chosen for source in VoteSource.values for choice in Choice.values
    ])
    before = audit.snapshot(session)
    session.status = SessionStatus.VOTING
    session.opened_at = timezone.now()
    session.members_total = len(members)
    session.present_total = present_total
    session.quorum_required = needed
    session.ruleset_code = rules["code"]
    session.rules = {"votes": rules["votes"], "quorum": rules["quorum"]}
    session.save()
    changes = audit.diff(before, audit.snapshot(session))
    changes["opened"] = [None, [item.nominee_id for item in chosen]]
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=session, changes=changes)
    users = _member_users(session, present_only=True)
    text = _("Hội đồng TĐKT: phiên họp ngày %(day)s đã mở bỏ phiếu kín (%(count)d đề nghị).") % {"day": f"{session.held_on:%d/%m/%Y}", "count": len(chosen)}
    url = reverse("council:ballot", args=[session.pk])
    transaction.on_commit(lambda: notifications.notify(users=users, text=text, url=url, email=False))
    return session


@transaction.atomic
def paper_tally_enter(*, actor, session: Session, counts: dict, sheet) -> list[PaperTally]:
    """The secretary enters the hand-counted paper ballots: {nominee id: (yes, no, abstain)} for every
    nominee under vote, with the scanned tally sheet. A new entry replaces the previous counts (the
    previous sheet is kept). Per nominee, paper ballots cannot exceed the members present who did not
    vote on screen."""
    session = lock_session(session)
    _require_secretary(actor, session)
    refuse_unless_voting(session)
    check_scan(sheet)
    items = opened_items(session)
    capacity = session.present_total - Participation.objects.filter(session=session, source=VoteSource.ELECTRONIC).count()
    rows: list[PaperTally] = []
    for item in items:
        raw = counts.get(item.nominee_id) or counts.get(str(item.nominee_id))
        name = selectors.subject_name(item.nominee)
        if raw is None:
            raise ValidationError({"counts": _("Thiếu số phiếu giấy của %(name)s.") % {"name": name}})
        try:
            yes, no, abstain = (int(value) for value in raw)
        except (TypeError, ValueError):
            raise ValidationError({"counts": _("Số phiếu giấy của %(name)s phải là số nguyên.") % {"name": name}}) from None
        if min(yes, no, abstain) < 0:
            raise ValidationError({"counts": _("Số phiếu giấy của %(name)s không được âm.") % {"name": name}})
        if yes + no + abstain > capacity:
            raise ValidationError({"counts": _(
                "Tổng số phiếu giấy của %(name)s (%(total)d) vượt quá số thành viên có mặt chưa bỏ phiếu điện tử (%(capacity)d)."
            ) % {"name": name, "total": yes + no + abstain, "capacity": max(capacity, 0)}})
        rows.append(PaperTally(session=session, nominee_id=item.nominee_id, yes_count=yes, no_count=no, abstain_count=abstain))
    unknown = {str(key) for key in counts} - {str(item.nominee_id) for item in items}
    if unknown:
        raise ValidationError({"counts": _("Đề nghị số %(ids)s không thuộc phần đang biểu quyết.") % {"ids": ", ".join(sorted(unknown))}})
    before = {row.nominee_id: [row.yes_count, row.no_count, row.abstain_count] for row in PaperTally.objects.filter(session=session)}
    PaperTally.objects.filter(session=session).delete()
    PaperTally.objects.bulk_create(rows)
    stored = PaperSheet(session=session, original_name=Path(sheet.name).name[:255], size=sheet.size, sha256=file_digest(sheet),
                        uploaded_by=actor if getattr(actor, "pk", None) else None)
    stored.file.save(Path(sheet.name).name, sheet, save=False)
    try:
        stored.save()
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=session,
            changes={"paper": [before or None, {row.nominee_id: [row.yes_count, row.no_count, row.abstain_count] for row in rows}],
                     "paper_sheet": [None, {"name": stored.original_name, "sha256": stored.sha256}]},
            note=_("Nhập kết quả kiểm phiếu giấy"),
        )
    except Exception:
        stored.file.delete(save=False)
        raise
    return rows


@transaction.atomic
def session_close(*, actor, session: Session, conclusion: str = "") -> Session:
    """Close voting: compute and store the totals, apply the thresholds, decide every nominee under vote.

    Side effects, in ONE transaction: lock; check the table and the caller; refuse when nothing was voted
    or when paper and screen ballots together exceed the members present; per nominee: totals (screen +
    written + paper), base (all members or present + written, as the ruleset says), share, threshold,
    tie rule, result — stored on the agenda item; the session becomes ``closed`` (immutable from then on);
    each nominee moves to ``approved``/``rejected`` through ``nominations.services.nominee_decide`` (which
    settles the dossier when its last open nominee is decided); the audit row carries every total; the
    minutes and the vote-count report are generated and stored as versions; members are notified.
    """
    from thidua.nominations.services import TransitionRefused, nominee_decide

    session = lock_session(session)
    _require_secretary(actor, session)
    _check_transition(session, SessionStatus.CLOSED)
    items = opened_items(session)
    system = selectors.counter_totals(session)
    paper = selectors.paper_tallies(session)
    participation = selectors.progress(session)
    if participation.participants == 0 and not any(row.total for row in paper.values()):
        raise CouncilRefused(_("Chưa có phiếu nào: chưa thể kết thúc biểu quyết."))
    written = participation.written
    tie = (session.rules.get("quorum") or {}).get("tie", "rejected")
    totals: dict[int, dict] = {}
    over = []
    for item in items:
        counted = system.get(item.nominee_id, dict.fromkeys(Choice.values, 0))
        row = paper.get(item.nominee_id)
        yes = counted[Choice.YES] + (row.yes_count if row else 0)
        no = counted[Choice.NO] + (row.no_count if row else 0)
        abstain = counted[Choice.ABSTAIN] + (row.abstain_count if row else 0)
        if yes + no + abstain > session.present_total + written:
            over.append(selectors.subject_name(item.nominee))
        rule = vote_rule(session.rules.get("votes") or {}, item.nominee.award.code)
        outcome = decide(yes=yes, no=no, abstain=abstain, members=session.members_total, present=session.present_total,
                         written=written, rule=rule, tie=tie)
        item.yes_count, item.no_count, item.abstain_count = yes, no, abstain
        item.base, item.share, item.result = outcome.base, outcome.share, outcome.result
        item.note = outcome.reason
        totals[item.nominee_id] = {"yes": yes, "no": no, "abstain": abstain, "base": outcome.base, "result": outcome.result}
    if over:
        raise CouncilRefused(
            _("Số phiếu của %(names)s vượt quá số thành viên có mặt và có ý kiến bằng văn bản: kiểm tra lại số phiếu giấy.") % {"names": "; ".join(over)}
        )
    # Decide first (nominee_decide locks the dossier rows), then freeze the session.
    decider = actor if actor is None or scopes.can(actor, "nomination.appraise", session.council.unit) else None
    for item in items:
        nominee = Nominee.objects.get(pk=item.nominee_id)
        if nominee.status != NomineeStatus.IN_COUNCIL:
            item.applied = False
            item.note = f"{item.note} " + _("Đề nghị đã được quyết định ngoài phiên họp (“%(status)s”); kết quả biểu quyết chỉ được ghi nhận.") % {
                "status": NomineeStatus(nominee.status).label}
        else:
            note = _("Hội đồng TĐKT, phiên họp ngày %(day)s: %(reason)s") % {"day": f"{session.held_on:%d/%m/%Y}", "reason": item.note}
            # The secretary acts for the council: the council's vote is the authority, checked above
            # (``_require_secretary``); a secretary without the appraise permission is recorded as the
            # one who decided on behalf of the council.
            try:
                with transaction.atomic():
                    nominee_decide(actor=decider, nominee=nominee, to=item.result, note=note, on_behalf_of=actor)
            except TransitionRefused as refusal:
                item.applied = False
                item.note = f"{item.note} {refusal.message}"
            else:
                item.applied = True
        item.save()
    before = audit.snapshot(session)
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.closed_by = actor if getattr(actor, "pk", None) else None
    session.conclusion = clean_text(conclusion)
    session.save()
    changes = audit.diff(before, audit.snapshot(session))
    changes["tallies"] = [None, {str(pk): values for pk, values in totals.items()}]
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=session, changes=changes,
                 note=_("Kết thúc biểu quyết: %(approved)d/%(total)d đề nghị được thông qua.") % {
                     "approved": sum(1 for item in items if item.result == ItemResult.APPROVED), "total": len(items)})
    from thidua.council.documents import session_documents_generate

    session_documents_generate(actor=actor, session=session)
    users = _member_users(session)
    text = _("Hội đồng TĐKT: phiên họp ngày %(day)s đã kết thúc biểu quyết; xem kết quả và kiểm tra biên nhận phiếu của bạn.") % {
        "day": f"{session.held_on:%d/%m/%Y}"}
    url = reverse("council:session_tally", args=[session.pk])
    transaction.on_commit(lambda: notifications.notify(users=users, text=text, url=url))
    return session
