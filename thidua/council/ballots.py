"""Secret electronic ballots (bỏ phiếu kín) and written votes of absent members.

The design: record THAT a member voted apart from WHAT was voted, so that nobody — an administrator
reading the database after the fact, the logs, the order, keys or timestamps of rows — can link a member
to a choice.

1. ``Participation(session, membership)`` says that a member took part (electronically, or in writing
   through the secretary). It has no choice column, no timestamp, and a random UUID key. A unique
   constraint on (session, membership) makes a second ballot impossible; the session row is locked
   (``select_for_update``) for the duration of a ballot, so two ballots of one member sent at the same
   moment queue and the second one finds the first's participation and is refused (409).
2. WHAT was voted exists only as totals: ``TallyCounter(session, nominee, source, choice, count)``. There is
   no per-ballot row at all, so there is no order, timestamp, key sequence or physical row position of a
   ballot to follow back to a voter. Every counter of the session is created at zero when voting opens
   (none appears later, at the moment a choice is first made), and each ballot rewrites EVERY counter of
   the session in one UPDATE (adding 1 where the ballot chose, 0 elsewhere) rather than only the counters
   it raises: on PostgreSQL each row version carries the writing transaction (``xmin``) and a new physical
   position (``ctid``); touched alike by every ballot, they show only that the last ballot came last.
   The participation row, the counter update and the receipt are written in ONE transaction.
3. The audit entry of a ballot says "member X voted in session S" with no changes at all; counter updates
   go through ``QuerySet.update`` and are never audited per vote. Closing the session audits the totals.
   Ballot functions are marked ``sensitive_variables`` (error reports show no choices); the ballot views
   are ``sensitive_post_parameters`` and ``never_cache``; thidua logs no request bodies, and
   ``django.db.backends`` (the SQL with its parameters) is held at WARNING in ``settings.LOGGING``.
   Nothing is notified per vote. Error messages of a ballot name nominees, never choices.
4. Receipt: a random code (``secrets.token_urlsafe``) is returned to the member once and never stored;
   ``Receipt(session, code_hash)`` keeps its SHA-256 under a random UUID key, with no timestamp and no link
   to the member. After closing, the session page lists the hashes (sorted by value, not by insertion)
   and hashes a code a member types in to tell them their ballot was counted. A receipt is random: it
   has the same form whatever was voted and reveals nothing of the choice.

Residual risks, not defended: someone watching the database live during voting (or reading its
write-ahead log, its unvacuumed row versions, or a server statement log such as PostgreSQL's
``log_statement``/``log_min_duration_statement`` with parameters) could correlate a counter change with the
participation row that appeared at the same moment. A reader of the database after the fact, at the
SQL level, cannot link them. The secretary who types in a written vote of an absent member sees it
(the member signed it; by law that vote is not secret from the council's secretariat), and the
document is kept with that member's participation. A council of very few voters, or a unanimous vote,
reveals choices through the totals themselves, as any ballot count would.
"""

import hashlib
import secrets
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from thidua.common import audit
from thidua.common.models import AuditAction
from thidua.council import selectors
from thidua.council.enums import Choice, SessionStatus, VoteSource
from thidua.council.models import (
    AgendaItem,
    Attendance,
    Membership,
    Participation,
    Receipt,
    Session,
    TallyCounter,
)

# Scanned documents accepted for written votes and paper tally sheets.
SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")


class CouncilRefused(Exception):
    """A step the session's state or the rules do not allow (409), with a Vietnamese message."""

    status_code = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BallotInvalid(CouncilRefused):
    """The ballot does not cover each nominee under vote exactly once with a valid choice (400)."""

    status_code = 400


class AlreadyVoted(CouncilRefused):
    """A second ballot of the same member in the same session (409)."""


class BallotForbidden(CouncilRefused):
    """The caller may not vote in this session (403): not a member in term, or not present."""

    status_code = 403


def lock_session(session: Session) -> Session:
    """The session row, locked until the end of the transaction: every write of a session (ballots
    included) goes through here, so writes on one session run one after the other."""
    return Session.objects.select_for_update(of=("self",)).select_related("council__unit").get(pk=session.pk)


def refuse_unless_voting(session: Session) -> None:
    if session.status == SessionStatus.VOTING:
        return
    if session.status == SessionStatus.CLOSED:
        raise CouncilRefused(_("Phiên họp đã kết thúc: không thể thay đổi. Muốn điều chỉnh, lập phiên họp mới."))
    if session.status == SessionStatus.CANCELLED:
        raise CouncilRefused(_("Phiên họp đã bị hủy."))
    raise CouncilRefused(_("Phiên họp chưa mở bỏ phiếu."))


def opened_items(session: Session) -> list[AgendaItem]:
    return list(session.items.filter(opened=True).select_related("nominee__person", "nominee__unit", "nominee__award").order_by("position", "id"))


@sensitive_variables("votes", "pairs", "chosen")
def normalise_votes(session: Session, votes) -> list[tuple[int, str]]:
    """The ballot as (nominee id, choice) pairs, checked: every nominee under vote exactly once, each
    with a valid choice. Accepts a mapping {nominee: choice} or a list of {"nominee", "choice"}.
    Messages name nominees, never choices."""
    items = {item.nominee_id: item for item in opened_items(session)}
    if isinstance(votes, dict):
        pairs = list(votes.items())
    else:
        pairs = []
        for vote in votes or []:
            if isinstance(vote, dict):
                pairs.append((vote.get("nominee"), vote.get("choice")))
            else:
                pairs.append((getattr(vote, "nominee", None), getattr(vote, "choice", None)))
    chosen: dict[int, str] = {}
    for raw_nominee, choice in pairs:
        try:
            nominee_id = int(raw_nominee)
        except (TypeError, ValueError):
            raise BallotInvalid(_("Mã đề nghị trong phiếu không hợp lệ.")) from None
        if nominee_id not in items:
            raise BallotInvalid(_("Đề nghị số %(id)d không thuộc phần đang biểu quyết của phiên họp.") % {"id": nominee_id})
        if nominee_id in chosen:
            raise BallotInvalid(
                _("Phiếu có hai ý kiến cho %(name)s: mỗi đề nghị chỉ được chọn một lần.") % {"name": selectors.subject_name(items[nominee_id].nominee)}
            )
        if choice not in Choice.values:
            raise BallotInvalid(
                _("Ý kiến cho %(name)s không hợp lệ: chỉ nhận dong_y (đồng ý), khong_dong_y (không đồng ý) hoặc khong_bieu_quyet (không biểu quyết).")
                % {"name": selectors.subject_name(items[nominee_id].nominee)}
            )
        chosen[nominee_id] = choice
    missing = [item for nominee_id, item in items.items() if nominee_id not in chosen]
    if missing:
        names = "; ".join(selectors.subject_name(item.nominee) for item in missing)
        raise BallotInvalid(_("Phiếu chưa có ý kiến cho: %(names)s. Mỗi đề nghị đang biểu quyết cần đúng một ý kiến.") % {"names": names})
    return list(chosen.items())


@sensitive_variables("pairs", "cases")
def _count(session: Session, pairs: list[tuple[int, str]], source: str) -> None:
    """Add one ballot to the totals: ONE statement rewriting every counter of the session (see point 2 of
    the module docstring). The status condition makes the database itself refuse to count into a session
    that is not voting."""
    cases = [When(nominee_id=nominee_id, choice=choice, source=source, then=Value(1)) for nominee_id, choice in pairs]
    updated = TallyCounter.objects.filter(session=session, session__status=SessionStatus.VOTING).update(
        count=F("count") + Case(*cases, default=Value(0), output_field=models.PositiveIntegerField())
    )
    expected = len(pairs) * len(Choice.values) * len(VoteSource.values)
    if updated != expected:
        # The counters are created with the opening; anything else is a broken session: count nothing.
        raise CouncilRefused(_("Không ghi nhận được phiếu: bộ đếm của phiên họp không đầy đủ."))


def _participate(session: Session, membership: Membership, source: str, **fields) -> Participation:
    participation = Participation(session=session, membership=membership, source=source, **fields)
    try:
        with transaction.atomic():
            participation.save(force_insert=True)
    except IntegrityError:
        # Only reachable without the session lock (it serialises ballots): the constraint still holds.
        raise AlreadyVoted(_("%(name)s đã bỏ phiếu trong phiên họp này; mỗi thành viên chỉ bỏ phiếu một lần.") % {"name": membership.name}) from None
    return participation


@sensitive_variables("votes", "pairs", "code")
@transaction.atomic
def ballot_cast(*, actor, session: Session, votes) -> str:
    """The caller's own secret ballot; returns the receipt code (shown once, never stored).

    Side effects, in one transaction: lock the session; check it is voting, the caller is a member in
    term who is present and has not voted, and the ballot covers each nominee under vote exactly once;
    insert the participation; rewrite every counter; store the receipt's hash; audit "X voted" (no
    choices). Refusals: ``BallotForbidden`` (403), ``AlreadyVoted`` (409), ``BallotInvalid`` (400),
    ``CouncilRefused`` (409, the session is not voting).
    """
    session = lock_session(session)
    refuse_unless_voting(session)
    membership = selectors.membership_of(actor, session.council, session.held_on)
    if membership is None:
        raise BallotForbidden(_("Bạn không phải thành viên Hội đồng trong nhiệm kỳ của phiên họp này."))
    if not Attendance.objects.filter(session=session, membership=membership, present=True).exists():
        raise BallotForbidden(
            _("Bạn không có tên trong danh sách thành viên có mặt. Thành viên vắng mặt gửi ý kiến bằng văn bản cho thư ký Hội đồng.")
        )
    if Participation.objects.filter(session=session, membership=membership).exists():
        raise AlreadyVoted(_("Bạn đã bỏ phiếu trong phiên họp này; mỗi thành viên chỉ bỏ phiếu một lần."))
    pairs = normalise_votes(session, votes)
    participation = _participate(session, membership, VoteSource.ELECTRONIC)
    _count(session, pairs, VoteSource.ELECTRONIC)
    code = secrets.token_urlsafe(16)
    Receipt(session=session, code_hash=selectors.receipt_hash(code)).save(force_insert=True)
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=participation, changes={},
        note=_("%(name)s đã bỏ phiếu trong phiên họp “%(session)s”.") % {"name": membership.name, "session": str(session)},
    )
    return code


def check_scan(file) -> None:
    """A scanned document: PDF, JPEG or PNG, checked like every dossier upload (size, first bytes)."""
    from thidua.nominations.attachments import check_upload

    if file is None:
        raise ValidationError({"file": _("Đính kèm bản quét văn bản (PDF, JPEG hoặc PNG).")})
    if Path(file.name or "").suffix.lower() not in SCAN_EXTENSIONS:
        raise ValidationError({"file": _("Chỉ nhận bản quét dạng PDF, JPEG hoặc PNG.")})
    check_upload(file)


def file_digest(file) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@sensitive_variables("votes", "pairs")
@transaction.atomic
def written_vote_enter(*, actor, session: Session, membership: Membership, votes, document) -> Participation:
    """The secretary enters the written vote of an absent member, with the signed document attached.

    Allowed where the ruleset lets absent members vote in writing. It counts as that member's
    participation (one per member: a member who voted cannot send a written vote too) and is counted
    like a ballot, in its own counters. The audit entry names the member and the document, not the choices.
    """
    session = lock_session(session)
    if actor is not None and not selectors.is_secretary(actor, session):
        raise PermissionDenied
    refuse_unless_voting(session)
    if not (session.rules.get("quorum") or {}).get("absent_may_vote_in_writing", False):
        raise CouncilRefused(_("Quy định áp dụng cho phiên họp không cho phép thành viên vắng mặt biểu quyết bằng văn bản."))
    attendance = Attendance.objects.filter(session=session, membership=membership).first()
    if attendance is None:
        raise CouncilRefused(_("%(name)s không phải thành viên Hội đồng trong nhiệm kỳ của phiên họp.") % {"name": membership.name})
    if attendance.present:
        raise CouncilRefused(_("%(name)s có mặt tại phiên họp: thành viên có mặt bỏ phiếu trực tiếp, không gửi ý kiến bằng văn bản.") % {"name": membership.name})
    if Participation.objects.filter(session=session, membership=membership).exists():
        raise AlreadyVoted(_("Đã nhập ý kiến bằng văn bản của %(name)s; mỗi thành viên chỉ có một ý kiến.") % {"name": membership.name})
    check_scan(document)
    pairs = normalise_votes(session, votes)
    participation = Participation(
        session=session, membership=membership, source=VoteSource.WRITTEN,
        original_name=Path(document.name).name[:255], sha256=file_digest(document),
    )
    participation.file.save(Path(document.name).name, document, save=False)
    # The stored file must not outlive a participation that failed to save.
    try:
        try:
            with transaction.atomic():
                participation.save(force_insert=True)
        except IntegrityError:
            raise AlreadyVoted(_("Đã nhập ý kiến bằng văn bản của %(name)s; mỗi thành viên chỉ có một ý kiến.") % {"name": membership.name}) from None
        _count(session, pairs, VoteSource.WRITTEN)
        audit.record(
            actor=actor, action=AuditAction.CREATE, obj=participation,
            changes={"document": [None, {"name": participation.original_name, "sha256": participation.sha256}]},
            note=_("Nhập ý kiến bằng văn bản của %(name)s (vắng mặt) vào phiên họp “%(session)s”.") % {"name": membership.name, "session": str(session)},
        )
    except Exception:
        participation.file.delete(save=False)
        raise
    return participation
