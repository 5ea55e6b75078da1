"""Writes on conferences: creation and editing, the workflow, the programme, the decisions honoured there,
reviewers, invitations with RSVP and check-in, the launch of the next movement, and the report.

Every write is atomic and audited; the organiser's writes need ``conference.manage`` on the organising unit.
The workflow has one entry point, ``conference_transition``, driven by ``enums.CONFERENCE_TRANSITIONS``.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit, notifications
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.exemplars import selectors, tokens
from thidua.exemplars.enums import (
    CONFERENCE_TRANSITIONS,
    PROGRAMME_EDITABLE,
    AgendaKind,
    ConferenceStatus,
    InvitationKind,
    PresentationStatus,
    Rsvp,
)
from thidua.exemplars.models import (
    AgendaItem,
    Conference,
    ConferenceTransition,
    Invitation,
    ReviewCriterion,
    ReviewerAssignment,
)
from thidua.exemplars.services import TransitionRefused

CONFERENCE_FIELDS = {
    "title", "held_on", "starts_at", "venue", "period_start", "period_end", "submission_deadline", "blind_review", "speaker_name",
    "speaker_title", "speech_text", "outcome", "report_number", "report_date", "report_signer_title", "report_signer_name",
    "report_recipients", "news_byline", "ceremony_batch_size",
}
TEXT_FIELDS = {"speech_text", "outcome"}


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _require_organiser(actor, conference: Conference) -> None:
    if actor is not None and not scopes.can(actor, "conference.manage", conference.organising_unit):
        raise PermissionDenied


def _lock(conference: Conference) -> Conference:
    return Conference.objects.select_for_update(of=("self",)).select_related("organising_unit").get(pk=conference.pk)


def _clean_lines(values: Iterable[str] | None) -> list[str]:
    return [clean_text(value) for value in (values or []) if clean_text(value)]


def _check_conference(conference: Conference) -> None:
    errors: dict[str, str] = {}
    if not clean_text(conference.title):
        errors["title"] = _("Nhập tên hội nghị.")
    if conference.held_on is None:
        errors["held_on"] = _("Nhập ngày tổ chức.")
    if conference.period_start is None or conference.period_end is None:
        errors["period_start"] = _("Nhập giai đoạn tổng kết (từ năm, đến năm).")
    elif not (1945 <= conference.period_start <= conference.period_end <= 2100):
        errors["period_end"] = _("Giai đoạn không hợp lệ: năm kết thúc phải từ năm bắt đầu trở đi.")
    if conference.submission_deadline and conference.held_on and conference.submission_deadline > conference.held_on:
        errors["submission_deadline"] = _("Hạn gửi tham luận phải trước ngày tổ chức hội nghị.")
    if not 1 <= (conference.ceremony_batch_size or 0) <= 30:
        errors["ceremony_batch_size"] = _("Số người mỗi lượt lên nhận khen thưởng từ 1 đến 30.")
    if errors:
        raise ValidationError(errors)


def _set_criteria(conference: Conference, criteria) -> dict:
    rows = []
    for index, (name, points) in enumerate(criteria, start=1):
        name = clean_text(name)
        if not name:
            continue
        try:
            points = int(points)
        except (TypeError, ValueError):
            points = 0
        if not 1 <= points <= 100:
            raise ValidationError({"criteria": _("Điểm tối đa của tiêu chí “%(name)s” phải từ 1 đến 100.") % {"name": name}})
        rows.append(ReviewCriterion(conference=conference, order=index, name=name, max_points=points))
    before = [(c.name, c.max_points) for c in conference.criteria.all()]
    after = [(c.name, c.max_points) for c in rows]
    if before == after:
        return {}
    if conference.criteria.filter(scores__isnull=False).exists():
        raise ValidationError({"criteria": _("Đã có điểm đánh giá theo các tiêu chí này; không sửa được bảng tiêu chí.")})
    conference.criteria.all().delete()
    ReviewCriterion.objects.bulk_create(rows)
    return {"criteria": [before, after]}


def _check_blind_reviewers(conference: Conference) -> None:
    if not conference.blind_review:
        return
    for assignment in conference.reviewers.select_related("user"):
        if scopes.can(assignment.user, "conference.manage", conference.organising_unit):
            raise ValidationError({"blind_review": _(
                "%(user)s là người tổ chức hội nghị (thấy tên tác giả): không thể đánh giá ẩn danh. Bỏ phân công trước."
            ) % {"user": assignment.user.get_full_name() or assignment.user.username}})


# ---------------------------------------------------------------- conferences


@transaction.atomic
def conference_create(
    *, actor, organising_unit, purposes: Iterable[str] = (), legal_bases: Iterable = (), criteria: Iterable = (), **fields: Any
) -> Conference:
    unknown = set(fields) - CONFERENCE_FIELDS
    if unknown:
        raise TypeError(f"unknown conference fields {unknown}")
    conference = Conference(
        organising_unit=organising_unit, purposes=_clean_lines(purposes), created_by=_actor(actor),
        **{key: value.strip() if key in TEXT_FIELDS and isinstance(value, str) else clean_text(value) if isinstance(value, str) else value
           for key, value in fields.items()},
    )
    _require_organiser(actor, conference)
    _check_conference(conference)
    conference.save()
    conference.legal_bases.set(list(legal_bases))
    changes = audit.created(conference)
    changes.update(_set_criteria(conference, criteria))
    changes["legal_bases"] = [None, sorted(document.pk for document in conference.legal_bases.all())]
    audit.record(actor=actor, action=AuditAction.CREATE, obj=conference, changes=changes)
    return conference


@transaction.atomic
def conference_update(*, actor, conference: Conference, purposes=None, legal_bases=None, criteria=None, **fields: Any) -> Conference:
    conference = _lock(conference)
    _require_organiser(actor, conference)
    if conference.status == ConferenceStatus.REPORTED and set(fields) - {"outcome", "report_number", "report_date", "report_signer_title",
                                                                         "report_signer_name", "report_recipients", "news_byline"}:
        raise ValidationError({"status": _("Hội nghị đã báo cáo kết quả: chỉ sửa được phần báo cáo.")})
    before = audit.snapshot(conference)
    for key, value in fields.items():
        if key not in CONFERENCE_FIELDS:
            raise TypeError(f"unknown conference field {key}")
        if key in TEXT_FIELDS and isinstance(value, str):
            value = value.strip()
        elif key == "report_recipients":
            value = _clean_lines(value)
        elif isinstance(value, str):
            value = clean_text(value)
        setattr(conference, key, value)
    if purposes is not None:
        conference.purposes = _clean_lines(purposes)
    _check_conference(conference)
    _check_blind_reviewers(conference)
    conference.save()
    changes = audit.diff(before, audit.snapshot(conference))
    if legal_bases is not None:
        old = sorted(conference.legal_bases.values_list("pk", flat=True))
        conference.legal_bases.set(list(legal_bases))
        new = sorted(document.pk for document in legal_bases)
        if old != new:
            changes["legal_bases"] = [old, new]
    if criteria is not None:
        changes.update(_set_criteria(conference, criteria))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes=changes)
    return conference


def _refuse(message: str):
    raise TransitionRefused(message)


@transaction.atomic
def conference_transition(*, actor, conference: Conference, to: str, note: str = "", on: datetime.date | None = None) -> Conference:
    """Move a conference along ``planning → open_for_submissions → programme_published → held → reported``.
    Side effects, in order:

    1. lock the row; check the table and the actor's ``conference.manage`` on the organising unit;
    2. ``open_for_submissions``: needs the submission deadline and the review criteria; the managers and
       officers of the units below the organiser are told that presentations are called for;
       ``programme_published``: needs an agenda; every presentation on it must be accepted; the invited
       internal delegates are told; the public conference page appears;
       ``held``: only on or after the day of the conference (``on``, default today); each honouree of the
       linked decisions is added to the exemplar registry (``services.exemplars_from_honourees``); a linked
       movement still in draft is launched on the day of the conference;
       ``reported``: the report (DOCX) and the news item are generated and stored as new versions;
    3. the history row and the audit row.
    """
    from thidua.exemplars.services import exemplars_from_honourees

    conference = _lock(conference)
    _require_organiser(actor, conference)
    source = conference.status
    if to not in CONFERENCE_TRANSITIONS.get(source, set()):
        _refuse(_("Không thể chuyển hội nghị từ “%(source)s” sang “%(target)s”.") % {
            "source": ConferenceStatus(source).label, "target": ConferenceStatus(to).label if to in ConferenceStatus.values else to})
    day = on or timezone.localdate()
    url = reverse("conferences:conference_detail", args=[conference.pk])
    if to == ConferenceStatus.OPEN:
        if source == ConferenceStatus.PLANNING:
            if not conference.submission_deadline:
                _refuse(_("Đặt hạn gửi tham luận trước khi mở nhận tham luận."))
            if not conference.criteria.exists():
                _refuse(_("Lập tiêu chí đánh giá tham luận trước khi mở nhận tham luận."))
            from thidua.organizations.models import Unit

            units = list(Unit.objects.under(conference.organising_unit).valid_on(day))
            recipients = list(notifications.unit_contacts(units))
            text = _("%(unit)s mời gửi tham luận cho %(title)s, hạn %(day)s.") % {
                "unit": conference.organising_unit.name, "title": conference.title, "day": f"{conference.submission_deadline:%d/%m/%Y}"}
            transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url, email=False))
    elif to == ConferenceStatus.PUBLISHED:
        items = list(conference.agenda.select_related("presentation"))
        if not items:
            _refuse(_("Chương trình hội nghị chưa có nội dung nào."))
        pending = [item.presentation.title for item in items if item.presentation_id and item.presentation.status != PresentationStatus.ACCEPTED]
        if pending:
            _refuse(_("Tham luận chưa được chọn không được đưa vào chương trình: %(titles)s.") % {"titles": "; ".join(pending)})
        users = _invited_users(conference)
        text = _("Chương trình %(title)s ngày %(day)s đã được công bố.") % {"title": conference.title, "day": f"{conference.held_on:%d/%m/%Y}"}
        transaction.on_commit(lambda: notifications.notify(users=users, text=text, url=url, email=False))
    elif to == ConferenceStatus.HELD:
        if day < conference.held_on:
            _refuse(_("Hội nghị diễn ra ngày %(day)s: chưa ghi nhận đã tổ chức được.") % {"day": f"{conference.held_on:%d/%m/%Y}"})
    elif to == ConferenceStatus.REPORTED:
        if not conference.outcome.strip():
            _refuse(_("Nhập đánh giá chung về hội nghị trước khi báo cáo kết quả."))
    before = audit.snapshot(conference)
    conference.status = to
    conference.save(update_fields=["status", "updated_at"])
    ConferenceTransition.objects.create(conference=conference, from_status=source, to_status=to, by=_actor(actor), note=(note or "").strip())
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=conference, changes=audit.diff(before, audit.snapshot(conference)), note=note[:500])
    if to == ConferenceStatus.HELD:
        exemplars_from_honourees(actor=actor, conference=conference)
        movement = conference.launched_movement
        if movement is not None and movement.status == "draft":
            from thidua.movements import services as movements

            movements.movement_transition(actor=actor, movement=movement, to="launched", on=conference.held_on)
    elif to == ConferenceStatus.REPORTED:
        from thidua.exemplars.documents import conference_report_generate

        conference_report_generate(actor=actor, conference=conference)
    return conference


def _invited_users(conference: Conference) -> list:
    from thidua.accounts.models import User

    people = conference.invitations.filter(person__isnull=False).values("person_id")
    return list(User.objects.filter(is_active=True, person_id__in=people))


# ---------------------------------------------------------------- programme


def _require_programme_editable(conference: Conference) -> None:
    if conference.status not in PROGRAMME_EDITABLE:
        raise ValidationError({"agenda": _("Hội nghị đã tổ chức: không sửa được chương trình.")})


def _check_item(conference: Conference, item: AgendaItem) -> None:
    errors = {}
    if not clean_text(item.title):
        errors["title"] = _("Nhập nội dung.")
    if item.starts_at and item.ends_at and item.ends_at < item.starts_at:
        errors["ends_at"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
    if item.presentation_id:
        if item.presentation.conference_id != conference.pk:
            errors["presentation"] = _("Tham luận không thuộc hội nghị này.")
        elif item.presentation.status != PresentationStatus.ACCEPTED:
            errors["presentation"] = _("Chỉ đưa vào chương trình tham luận đã được chọn.")
    if errors:
        raise ValidationError(errors)


def _speaker_of(presentation) -> str:
    authors = list(presentation.authors.all())
    if not authors:
        return ""
    first = authors[0]
    return f"{first.name} – {first.affiliation}" if first.affiliation else first.name


@transaction.atomic
def agenda_item_add(
    *, actor, conference: Conference, title: str = "", kind: str = AgendaKind.OTHER, starts_at=None, ends_at=None, speaker: str = "",
    presentation=None,
) -> AgendaItem:
    conference = _lock(conference)
    _require_organiser(actor, conference)
    _require_programme_editable(conference)
    if kind not in AgendaKind.values:
        raise ValidationError({"kind": _("Chọn loại nội dung.")})
    if presentation is not None:
        from thidua.exemplars.models import Presentation

        # Its status as it stands now, not as the caller last read it.
        presentation = Presentation.objects.prefetch_related("authors").get(pk=presentation.pk)
        kind = AgendaKind.PRESENTATION
        title = clean_text(title) or _("Tham luận: %(title)s") % {"title": presentation.title}
        speaker = clean_text(speaker) or _speaker_of(presentation)
    order = (conference.agenda.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem(conference=conference, order=order, title=clean_text(title), kind=kind, starts_at=starts_at, ends_at=ends_at,
                      speaker=clean_text(speaker), presentation=presentation)
    _check_item(conference, item)
    item.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes={"agenda": [None, {"id": item.pk, "title": item.title}]})
    return item


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, **fields) -> AgendaItem:
    conference = _lock(item.conference)
    _require_organiser(actor, conference)
    _require_programme_editable(conference)
    item = AgendaItem.objects.select_related("presentation").get(pk=item.pk)
    before = audit.snapshot(item)
    for key, value in fields.items():
        if key not in {"title", "kind", "starts_at", "ends_at", "speaker", "presentation"}:
            raise TypeError(f"unknown agenda field {key}")
        setattr(item, key, clean_text(value) if isinstance(value, str) else value)
    _check_item(conference, item)
    item.save()
    changes = audit.diff(before, audit.snapshot(item))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes={f"agenda.{item.pk}.{key}": value for key, value in changes.items()})
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    conference = _lock(item.conference)
    _require_organiser(actor, conference)
    _require_programme_editable(conference)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes={"agenda": [{"id": item.pk, "title": item.title}, None]})
    item.delete()


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, up: bool) -> None:
    conference = _lock(item.conference)
    _require_organiser(actor, conference)
    _require_programme_editable(conference)
    items = list(conference.agenda.order_by("order", "id"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for order, candidate in enumerate(items, start=1):
        if candidate.order != order:
            AgendaItem.objects.filter(pk=candidate.pk).update(order=order)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes={"agenda_order": [None, [c.pk for c in items]]})


def _at(start: datetime.time, minutes: int) -> datetime.time:
    moment = datetime.datetime.combine(datetime.date(2000, 1, 1), start) + datetime.timedelta(minutes=minutes)
    return moment.time()


@transaction.atomic
def agenda_default(*, actor, conference: Conference) -> list[AgendaItem]:
    """The usual programme of an exemplar conference, for an empty agenda: opening, the period report, the
    accepted presentations, the award ceremony, the head's speech, the launch of the next movement,
    closing; times from the opening hour (default 7:30)."""
    conference = _lock(conference)
    _require_organiser(actor, conference)
    _require_programme_editable(conference)
    if conference.agenda.exists():
        raise ValidationError({"agenda": _("Chương trình đã có nội dung; xóa hết trước khi tạo chương trình mẫu.")})
    start = conference.starts_at or datetime.time(7, 30)
    unit = conference.organising_unit.name
    speaker = ", ".join(part for part in (conference.speaker_name, conference.speaker_title) if part)
    plan: list[tuple[str, str, int, str, Any]] = [
        (AgendaKind.OPENING, _("Văn nghệ chào mừng; tuyên bố lý do, giới thiệu đại biểu"), 20, _("Ban Tổ chức"), None),
        (AgendaKind.REPORT, _("Báo cáo tổng kết phong trào thi đua yêu nước giai đoạn %(period)s") % {"period": conference.period_label}, 30,
         _("Lãnh đạo %(unit)s") % {"unit": unit}, None),
    ]
    for presentation in selectors.accepted_presentations(conference):
        plan.append((AgendaKind.PRESENTATION, _("Tham luận: %(title)s") % {"title": presentation.title}, 15, _speaker_of(presentation), presentation))
    plan += [
        (AgendaKind.CEREMONY, _("Công bố quyết định và trao khen thưởng các tập thể, cá nhân điển hình tiên tiến"), 25, speaker or _("Lãnh đạo đơn vị"), None),
        (AgendaKind.SPEECH, _("Phát biểu chỉ đạo"), 20, speaker or _("Lãnh đạo đơn vị"), None),
        (AgendaKind.LAUNCH, _("Phát động phong trào thi đua giai đoạn tiếp theo"), 10, speaker or _("Lãnh đạo đơn vị"), None),
        (AgendaKind.CLOSING, _("Bế mạc hội nghị"), 5, _("Ban Tổ chức"), None),
    ]
    if conference.launched_movement_id:
        from thidua.exemplars.documents import lower_first

        title = _("Phát động %(title)s") % {"title": lower_first(conference.launched_movement.title)}
        plan[-2] = (AgendaKind.LAUNCH, title, 10, speaker or _("Lãnh đạo đơn vị"), None)
    items, minutes = [], 0
    for order, (kind, title, length, who, presentation) in enumerate(plan, start=1):
        items.append(AgendaItem(conference=conference, order=order, kind=kind, title=title[:300], speaker=who[:300], presentation=presentation,
                                starts_at=_at(start, minutes), ends_at=_at(start, minutes + length)))
        minutes += length
    AgendaItem.objects.bulk_create(items)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes={"agenda": [None, [item.title for item in items]]},
                 note=_("Tạo chương trình mẫu"))
    return items


# ---------------------------------------------------------------- decisions honoured, the launch, the speech


@transaction.atomic
def conference_decisions_set(*, actor, conference: Conference, decisions: Iterable) -> Conference:
    """The award decisions given at the conference. They must be issued award decisions of the organising
    unit's tree (or above it), visible to the organiser."""
    from thidua.decisions.enums import DecisionKind, DecisionStatus

    conference = _lock(conference)
    _require_organiser(actor, conference)
    _require_programme_editable(conference)
    decisions = list(decisions)
    for decision in decisions:
        if decision.status != DecisionStatus.ISSUED or decision.kind != DecisionKind.AWARD:
            raise ValidationError({"decisions": _("Chỉ gắn quyết định khen thưởng đã ban hành (%(decision)s chưa ban hành).") % {"decision": decision}})
        if actor is not None and not scopes.can(actor, "decision.view", decision.issuing_unit):
            raise PermissionDenied
    old = sorted(conference.decisions.values_list("pk", flat=True))
    conference.decisions.set(decisions)
    new = sorted(decision.pk for decision in decisions)
    if old != new:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes={"decisions": [old, new]})
    return conference


@transaction.atomic
def conference_speech_set(*, actor, conference: Conference, speaker_name: str, speaker_title: str, speech_text: str) -> Conference:
    return conference_update(actor=actor, conference=conference, speaker_name=speaker_name, speaker_title=speaker_title, speech_text=speech_text)


@transaction.atomic
def conference_movement_link(*, actor, conference: Conference, movement) -> Conference:
    """The movement the conference launched (one created elsewhere, e.g. launched the same day)."""
    conference = _lock(conference)
    _require_organiser(actor, conference)
    if movement is not None and not movement.launching_unit.path.startswith(conference.organising_unit.path) and not conference.organising_unit.path.startswith(movement.launching_unit.path):
        raise ValidationError({"movement": _("Phong trào không thuộc đơn vị tổ chức hội nghị.")})
    old = conference.launched_movement_id
    conference.launched_movement = movement
    conference.save(update_fields=["launched_movement", "updated_at"])
    if old != (movement.pk if movement else None):
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes={"launched_movement": [old, movement.pk if movement else None]})
    return conference


@transaction.atomic
def conference_movement_launch(
    *, actor, conference: Conference, title: str, start: datetime.date, end: datetime.date, tasks: Iterable[str], purpose: str = "",
    content: str = "", kind: str = "thuong_xuyen", registration_deadline: datetime.date | None = None,
) -> Any:
    """Create the next movement (issue 3's ``movement_create``, with the focus tasks named in the speech and
    the conference's plans as legal bases). It is launched on the day of the conference: at once when the
    conference has been held, otherwise by the ``held`` transition."""
    from thidua.movements import services as movements

    conference = _lock(conference)
    _require_organiser(actor, conference)
    if conference.launched_movement_id:
        raise ValidationError({"movement": _("Hội nghị đã phát động phong trào “%(title)s”.") % {"title": conference.launched_movement.title}})
    tasks = _clean_lines(tasks)
    if not tasks:
        raise ValidationError({"tasks": _("Nhập ít nhất một nhiệm vụ trọng tâm của phong trào.")})
    movement = movements.movement_create(
        actor=actor, title=title, kind=kind, launching_unit=conference.organising_unit, start=start, end=end,
        purpose=purpose, content=content or _("Phát động tại %(title)s ngày %(day)s.") % {"title": conference.title, "day": f"{conference.held_on:%d/%m/%Y}"},
        tasks=tasks, legal_bases=list(conference.legal_bases.all()), registration_deadline=registration_deadline,
    )
    # Launched on the day of the conference: now if that day has come, else when the conference is held.
    if conference.status in (ConferenceStatus.HELD, ConferenceStatus.REPORTED):
        movements.movement_transition(actor=actor, movement=movement, to="launched", on=conference.held_on)
    conference.launched_movement = movement
    conference.save(update_fields=["launched_movement", "updated_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=conference, changes={"launched_movement": [None, movement.pk]},
                 note=_("Phát động phong trào: %(title)s") % {"title": movement.title})
    return movement


# ---------------------------------------------------------------- reviewers


@transaction.atomic
def reviewer_assign(*, actor, conference: Conference, user) -> ReviewerAssignment:
    conference = _lock(conference)
    _require_organiser(actor, conference)
    if conference.status not in (ConferenceStatus.PLANNING, ConferenceStatus.OPEN):
        raise ValidationError({"user": _("Chỉ phân công người đánh giá khi hội nghị đang chuẩn bị hoặc nhận tham luận.")})
    if not user.is_active:
        raise ValidationError({"user": _("Tài khoản này đã bị khóa.")})
    if conference.blind_review and scopes.can(user, "conference.manage", conference.organising_unit):
        raise ValidationError({"user": _("%(user)s là người tổ chức hội nghị (thấy tên tác giả) nên không đánh giá ẩn danh được.") % {
            "user": user.get_full_name() or user.username}})
    try:
        with transaction.atomic():
            assignment = ReviewerAssignment.objects.create(conference=conference, user=user, assigned_by=_actor(actor))
    except IntegrityError:
        raise ValidationError({"user": _("%(user)s đã được phân công.") % {"user": user.get_full_name() or user.username}}) from None
    audit.record(actor=actor, action=AuditAction.CREATE, obj=assignment, changes={"user": [None, user.username]})
    url = reverse("conferences:review_queue", args=[conference.pk])
    text = _("Bạn được phân công đánh giá tham luận của %(title)s.") % {"title": conference.title}
    transaction.on_commit(lambda: notifications.notify(users=[user], text=text, url=url, email=False))
    return assignment


@transaction.atomic
def reviewer_remove(*, actor, assignment: ReviewerAssignment) -> None:
    conference = _lock(assignment.conference)
    _require_organiser(actor, conference)
    from thidua.exemplars.models import Review

    if Review.objects.filter(presentation__conference=conference, reviewer=assignment.user).exists():
        raise ValidationError({"user": _("Người này đã chấm tham luận; không bỏ phân công được.")})
    audit.record(actor=actor, action=AuditAction.DELETE, obj=assignment, changes={"user": [assignment.user.username, None]})
    assignment.delete()


# ---------------------------------------------------------------- invitations, RSVP, check-in


def _new_invitation(conference: Conference, actor, **fields) -> Invitation:
    # 100 random bits: a collision is practically impossible; the unique index has the last word anyway.
    token = tokens.new_token()
    while Invitation.objects.filter(token=token).exists():
        token = tokens.new_token()
    return Invitation.objects.create(conference=conference, token=token, created_by=_actor(actor), **fields)


@transaction.atomic
def invitation_add(
    *, actor, conference: Conference, name: str = "", person=None, position: str = "", organisation: str = "", email: str = "",
    kind: str = InvitationKind.INTERNAL,
) -> Invitation:
    conference = _lock(conference)
    _require_organiser(actor, conference)
    if conference.status in (ConferenceStatus.HELD, ConferenceStatus.REPORTED):
        raise ValidationError({"name": _("Hội nghị đã tổ chức: không gửi thêm giấy mời được.")})
    if kind not in InvitationKind.values:
        raise ValidationError({"kind": _("Chọn loại đại biểu.")})
    if person is not None:
        name = name or person.full_name
        position = position or person.current_position
        organisation = organisation or (person.current_unit.name if person.current_unit_id else "")
        email = email or person.email
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("Nhập họ tên đại biểu.")})
    if person is not None and conference.invitations.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s đã có giấy mời.") % {"name": name}})
    invitation = _new_invitation(conference, actor, kind=kind, person=person, name=name, position=clean_text(position),
                                 organisation=clean_text(organisation), email=(email or "").strip())
    audit.record(actor=actor, action=AuditAction.CREATE, obj=invitation, changes={"name": [None, name], "kind": [None, kind]})
    return invitation


@transaction.atomic
def invitations_add_people(*, actor, conference: Conference, people: Iterable, kind: str = InvitationKind.INTERNAL) -> list[Invitation]:
    """Invite several people at once; those already invited are skipped."""
    created = []
    invited = set(conference.invitations.filter(person__isnull=False).values_list("person_id", flat=True))
    for person in people:
        if person.pk in invited:
            continue
        created.append(invitation_add(actor=actor, conference=conference, person=person, kind=kind))
        invited.add(person.pk)
    return created


@transaction.atomic
def invitation_remove(*, actor, invitation: Invitation) -> None:
    conference = _lock(invitation.conference)
    _require_organiser(actor, conference)
    invitation = Invitation.objects.get(pk=invitation.pk)
    if invitation.checked_in_at:
        raise ValidationError({"invitation": _("Đại biểu đã điểm danh; không xóa giấy mời được.")})
    audit.record(actor=actor, action=AuditAction.DELETE, obj=invitation, changes={"name": [invitation.name, None]})
    invitation.delete()


@transaction.atomic
def invitation_rsvp(*, invitation: Invitation, answer: str) -> Invitation:
    """The delegate's answer, from the invitation page (the token is the delegate's key)."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("conference__organising_unit").get(pk=invitation.pk)
    if answer not in (Rsvp.ATTENDING, Rsvp.DECLINED):
        raise ValidationError({"answer": _("Chọn tham dự hoặc không tham dự.")})
    if invitation.conference.status in (ConferenceStatus.HELD, ConferenceStatus.REPORTED):
        raise ValidationError({"answer": _("Hội nghị đã diễn ra.")})
    if invitation.rsvp != answer:
        before = invitation.rsvp
        invitation.rsvp, invitation.rsvp_at = answer, timezone.now()
        invitation.save(update_fields=["rsvp", "rsvp_at"])
        audit.record(actor=None, action=AuditAction.UPDATE, obj=invitation, changes={"rsvp": [before, answer]}, note=_("Đại biểu trả lời giấy mời"))
    return invitation


class AlreadyCheckedIn(Exception):
    """A second check-in of the same invitation: refused, with the time of the first."""

    def __init__(self, invitation: Invitation):
        super().__init__(invitation.checked_in_at)
        self.invitation = invitation
        self.at = invitation.checked_in_at


@transaction.atomic
def check_in(*, actor, conference: Conference, token: str) -> Invitation:
    """Check a delegate in at the door by the token scanned from the invitation (or typed). The row is
    claimed with a conditional UPDATE, so two door phones scanning the same invitation at once cannot both
    succeed: the second gets ``AlreadyCheckedIn`` with the time of the first."""
    conference = Conference.objects.select_related("organising_unit").get(pk=conference.pk)
    _require_organiser(actor, conference)
    normalised = tokens.normalise_token(token)
    if normalised is None:
        raise ValidationError({"code": _("Mã giấy mời gồm 20 chữ cái và chữ số (không có I, L, O, U); có thể dán cả đường dẫn quét được từ mã QR.")})
    invitation = Invitation.objects.filter(conference=conference, token=normalised).select_related("conference").first()
    if invitation is None:
        raise ValidationError({"code": _("Không có giấy mời nào của hội nghị này mang mã %(code)s.") % {"code": tokens.format_token(normalised)}})
    if conference.status not in (ConferenceStatus.PUBLISHED, ConferenceStatus.HELD):
        raise ValidationError({"code": _("Chỉ điểm danh khi hội nghị đã công bố chương trình.")})
    now = timezone.now()
    claimed = Invitation.objects.filter(pk=invitation.pk, checked_in_at__isnull=True).update(checked_in_at=now, checked_in_by=_actor(actor))
    invitation.refresh_from_db()
    if not claimed:
        raise AlreadyCheckedIn(invitation)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=invitation, changes={"checked_in_at": [None, now.isoformat()]}, note=_("Điểm danh"))
    return invitation
