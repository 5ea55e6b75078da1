"""Writes on movements, registrations and reviews. Atomic, audited; Vietnamese ValidationErrors.

The movement workflow has one entry point, ``movement_transition``, driven by
``enums.MOVEMENT_TRANSITIONS``.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit, notifications
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.movements.enums import MOVEMENT_TRANSITIONS, MovementStatus, Participation, RegistrationStatus
from thidua.movements.models import (
    Movement,
    MovementCriterion,
    MovementTask,
    MovementTransition,
    Registration,
    ReviewReport,
    ReviewRequest,
)

MOVEMENT_FIELDS = {
    "title", "kind", "launching_unit", "parent", "start", "end", "purpose", "content", "registration_deadline", "participation",
}


class TransitionRefused(Exception):
    """The transition is not in the table, or its preconditions fail; ``message`` says why (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- participants


def participating_units(movement: Movement, *, on: datetime.date | None = None):
    """The units that take part: the launching unit's subtree (valid on the launch date), or the chosen list."""
    from thidua.organizations.models import Unit

    if movement.participation == Participation.CHOSEN:
        return movement.chosen_units.order_by("path")
    day = on or movement.launched_on or movement.start
    return Unit.objects.under(movement.launching_unit).valid_on(day).order_by("path")


# ---------------------------------------------------------------- movements


def _check_period(movement: Movement) -> None:
    if movement.end < movement.start:
        raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if movement.registration_deadline and not (movement.start - datetime.timedelta(days=366) <= movement.registration_deadline <= movement.end):
        raise ValidationError({"registration_deadline": _("Hạn đăng ký phải nằm trong thời gian của phong trào.")})
    if movement.parent_id:
        parent = movement.parent
        if movement.start < parent.start or movement.end > parent.end:
            raise ValidationError({"parent": _("Đợt thi đua phải nằm trong thời gian của phong trào %(title)s (%(start)s – %(end)s).") % {
                "title": parent.title, "start": f"{parent.start:%d/%m/%Y}", "end": f"{parent.end:%d/%m/%Y}"}})


def _set_lists(movement: Movement, *, tasks=None, criteria=None, planned_awards=None, legal_bases=None, chosen_units=None) -> dict:
    changes: dict[str, Any] = {}
    if tasks is not None:
        texts = [clean_text(text) for text in tasks if clean_text(text)]
        before = list(movement.tasks.values_list("text", flat=True))
        movement.tasks.all().delete()
        MovementTask.objects.bulk_create([MovementTask(movement=movement, order=i, text=t) for i, t in enumerate(texts, start=1)])
        if before != texts:
            changes["tasks"] = [before, texts]
    if criteria is not None:
        rows = []
        for index, (name, points) in enumerate(criteria, start=1):
            if not clean_text(name):
                continue
            if points is None or float(points) <= 0:
                raise ValidationError({"criteria": _("Điểm tối đa của tiêu chí “%(name)s” phải lớn hơn 0.") % {"name": name}})
            rows.append(MovementCriterion(movement=movement, order=index, name=clean_text(name), max_points=points))
        if movement.criteria.filter(scores__isnull=False).exists():
            raise ValidationError({"criteria": _("Đã có điểm chấm theo bảng tiêu chí này; không sửa được bảng tiêu chí.")})
        before = [(c.name, str(c.max_points)) for c in movement.criteria.all()]
        movement.criteria.all().delete()
        MovementCriterion.objects.bulk_create(rows)
        after = [(c.name, str(c.max_points)) for c in rows]
        if before != after:
            changes["criteria"] = [before, after]
    for name, values in (("planned_awards", planned_awards), ("legal_bases", legal_bases), ("chosen_units", chosen_units)):
        if values is None:
            continue
        manager = getattr(movement, name)
        before = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        after = sorted(value.pk for value in values)
        if before != after:
            changes[name] = [before, after]
    return changes


@transaction.atomic
def movement_create(
    *, actor, tasks=(), criteria=(), planned_awards=(), legal_bases=(), chosen_units=(), **fields: Any
) -> Movement:
    unknown = set(fields) - MOVEMENT_FIELDS
    if unknown:
        raise TypeError(f"unknown movement fields {unknown}")
    movement = Movement(**{k: clean_text(v) if isinstance(v, str) and k == "title" else v for k, v in fields.items()})
    movement.created_by = actor if getattr(actor, "pk", None) else None
    if actor is not None and not scopes.can(actor, "movement.manage", movement.launching_unit):
        raise PermissionDenied
    _check_period(movement)
    movement.full_clean()
    movement.save()
    changes = audit.created(movement)
    changes.update(
        _set_lists(movement, tasks=tasks, criteria=criteria, planned_awards=planned_awards, legal_bases=legal_bases, chosen_units=chosen_units)
    )
    if movement.participation == Participation.CHOSEN and not movement.chosen_units.exists():
        raise ValidationError({"chosen_units": _("Chọn ít nhất một đơn vị tham gia.")})
    audit.record(actor=actor, action=AuditAction.CREATE, obj=movement, changes=changes)
    return movement


@transaction.atomic
def movement_update(*, actor, movement: Movement, tasks=None, criteria=None, planned_awards=None, legal_bases=None, chosen_units=None, **fields: Any) -> Movement:
    movement = Movement.objects.select_for_update().get(pk=movement.pk)
    if actor is not None and not scopes.can(actor, "movement.manage", movement.launching_unit):
        raise PermissionDenied
    if movement.status == MovementStatus.CLOSED:
        raise ValidationError({"status": _("Phong trào đã tổng kết, không sửa được nữa.")})
    structural = {"launching_unit", "participation", "start"} & set(fields)
    if movement.status != MovementStatus.DRAFT and (structural or chosen_units is not None):
        raise ValidationError({"status": _("Phong trào đã phát động: không đổi được đơn vị phát động, ngày bắt đầu hay đơn vị tham gia.")})
    before = audit.snapshot(movement)
    for key, value in fields.items():
        if key not in MOVEMENT_FIELDS:
            raise TypeError(f"unknown movement field {key}")
        setattr(movement, key, clean_text(value) if isinstance(value, str) and key == "title" else value)
    _check_period(movement)
    movement.full_clean()
    movement.save()
    changes = audit.diff(before, audit.snapshot(movement))
    changes.update(
        _set_lists(movement, tasks=tasks, criteria=criteria, planned_awards=planned_awards, legal_bases=legal_bases, chosen_units=chosen_units)
    )
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=movement, changes=changes)
    if movement.status == MovementStatus.LAUNCHED and "registration_deadline" in changes:
        _sync_registration_deadlines(movement)
    return movement


def _registration_deadline_key(movement: Movement, unit) -> str:
    return f"movement:{movement.pk}:registration:unit:{unit.pk}"


def _sync_registration_deadlines(movement: Movement) -> None:
    if not movement.registration_deadline:
        return
    url = reverse("movements:registration_unit", args=[movement.pk])
    registered = set(Registration.objects.filter(movement=movement).values_list("on_behalf_of_id", flat=True))
    for unit in participating_units(movement):
        key = _registration_deadline_key(movement, unit)
        notifications.deadline_sync(
            key=key,
            label=_("Đăng ký thi đua: %(title)s") % {"title": movement.title},
            due_on=movement.registration_deadline,
            unit=unit,
            url=url,
        )
        if unit.pk in registered:
            notifications.deadline_done(key=key)


@transaction.atomic
def movement_transition(*, actor, movement: Movement, to: str, note: str = "", on: datetime.date | None = None) -> Movement:
    """Move a movement along its workflow. Side effects, in order:

    1. lock the row; check the transition table and the actor's ``movement.manage`` on the launching unit;
    2. ``launched``: record the launch date, create the registration deadline of every participating unit;
       ``closed``: require the final review text (``note``), record the closing date;
    3. write the history row and the audit row;
    4. after commit: notify the managers and officers of the participating units (launch) or of the
       launching unit (close).
    """
    movement = Movement.objects.select_for_update().select_related("launching_unit").get(pk=movement.pk)
    if actor is not None and not scopes.can(actor, "movement.manage", movement.launching_unit):
        raise PermissionDenied
    source = movement.status
    if to not in MOVEMENT_TRANSITIONS.get(source, set()):
        raise TransitionRefused(
            _("Không thể chuyển phong trào từ “%(source)s” sang “%(target)s”.") % {
                "source": MovementStatus(source).label, "target": MovementStatus(to).label if to in MovementStatus.values else to}
        )
    day = on or timezone.localdate()
    before = audit.snapshot(movement)
    if to == MovementStatus.LAUNCHED:
        if not movement.tasks.exists() and not movement.content.strip():
            raise TransitionRefused(_("Phong trào chưa có nội dung hoặc nhiệm vụ trọng tâm: chưa phát động được."))
        movement.launched_on = day
    elif to == MovementStatus.CLOSED:
        if not clean_text(note):
            raise TransitionRefused(_("Nhập kết quả tổng kết phong trào trước khi kết thúc."))
        movement.closed_on = day
        movement.final_review = note.strip()
    movement.status = to
    movement.save()
    MovementTransition.objects.create(movement=movement, from_status=source, to_status=to, by=actor if getattr(actor, "pk", None) else None, note=note.strip())
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=movement, changes=audit.diff(before, audit.snapshot(movement)), note=note[:500])

    url = reverse("movements:movement_detail", args=[movement.pk])
    if to == MovementStatus.LAUNCHED:
        _sync_registration_deadlines(movement)
        units = list(participating_units(movement))
        text = _("%(unit)s phát động phong trào “%(title)s”.") % {"unit": movement.launching_unit.name, "title": movement.title}
        if movement.registration_deadline:
            text += " " + _("Hạn đăng ký thi đua: %(day)s.") % {"day": f"{movement.registration_deadline:%d/%m/%Y}"}
        recipients = list(notifications.unit_contacts(units))
        transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url))
    else:
        from thidua.common.models import Deadline

        Deadline.objects.filter(key__startswith=f"movement:{movement.pk}:", done_at__isnull=True).update(done_at=timezone.now())
        text = _("Phong trào “%(title)s” đã tổng kết.") % {"title": movement.title}
        recipients = list(notifications.unit_contacts([movement.launching_unit]))
        transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url, email=False))
    return movement


# ---------------------------------------------------------------- registrations


def _check_open_for_registration(movement: Movement, actor) -> None:
    if movement.status != MovementStatus.LAUNCHED:
        raise ValidationError({"movement": _("Phong trào chưa phát động hoặc đã tổng kết: không nhận đăng ký.")})
    deadline = movement.registration_deadline
    if deadline and timezone.localdate() > deadline and not scopes.can(actor, "movement.manage", movement.launching_unit):
        raise ValidationError({"movement": _("Đã quá hạn đăng ký (%(day)s). Liên hệ cán bộ thi đua để được đăng ký bổ sung.") % {"day": f"{deadline:%d/%m/%Y}"}})


def _participating_unit_for(movement: Movement, unit):
    """The participating unit that ``unit`` belongs to (itself or its nearest participating ancestor)."""
    participants = {u.path: u for u in participating_units(movement)}
    for path in reversed(unit.ancestor_paths()):
        if path in participants:
            return participants[path]
    raise ValidationError({"unit": _("Đơn vị %(unit)s không tham gia phong trào này.") % {"unit": unit.name}})


def _check_awards(awards, subject: str) -> None:
    for award in awards:
        if subject not in award.subjects:
            raise ValidationError({"awards": _("%(award)s không dành cho %(subject)s.") % {
                "award": award.name, "subject": _("cá nhân") if subject == "individual" else _("tập thể")}})


def _save_registration(*, actor, movement, unit=None, person=None, awards, commitment, status) -> Registration:
    subject_unit = unit if unit is not None else person.current_unit
    if subject_unit is None:
        raise ValidationError({"person": _("%(person)s hiện không công tác tại đơn vị nào.") % {"person": person}})
    on_behalf_of = _participating_unit_for(movement, subject_unit)
    _check_awards(awards, "collective" if unit is not None else "individual")
    registration = Registration.objects.select_for_update().filter(movement=movement, unit=unit, person=person).first()
    created = registration is None
    if created:
        registration = Registration(movement=movement, unit=unit, person=person)
    before = {} if created else {**audit.snapshot(registration), "awards": sorted(registration.awards.values_list("code", flat=True))}
    registration.on_behalf_of = on_behalf_of
    registration.commitment = clean_text(commitment) if commitment else ""
    registration.status = status
    registration.registered_by = actor if getattr(actor, "pk", None) else None
    if status == RegistrationStatus.APPROVED:
        registration.decided_by, registration.decided_at = registration.registered_by, timezone.now()
    registration.full_clean()
    registration.save()
    registration.awards.set(awards)
    after = {**audit.snapshot(registration), "awards": sorted(award.code for award in awards)}
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=registration, changes=changes)
    notifications.deadline_done(key=_registration_deadline_key(movement, on_behalf_of))
    return registration


@transaction.atomic
def registration_submit(*, actor, movement: Movement, awards, commitment: str = "", unit=None, person=None) -> Registration:
    """A registration by a unit manager/officer (approved at once), or a person's own (awaits approval)."""
    movement = Movement.objects.select_for_update().get(pk=movement.pk)
    if (unit is None) == (person is None):
        raise ValidationError({"person": _("Chọn một cá nhân hoặc một tập thể.")})
    _check_open_for_registration(movement, actor)
    subject_unit = unit if unit is not None else person.current_unit
    manages = subject_unit is not None and scopes.can(actor, "registration.manage", subject_unit)
    is_self = person is not None and getattr(actor, "person_id", None) == person.pk
    if not manages and not is_self:
        raise PermissionDenied
    status = RegistrationStatus.APPROVED if manages else RegistrationStatus.SUBMITTED
    registration = _save_registration(actor=actor, movement=movement, unit=unit, person=person, awards=list(awards), commitment=commitment, status=status)
    if status == RegistrationStatus.SUBMITTED:
        managers = list(notifications.unit_contacts([subject_unit], roles=("unit_manager",)))
        text = _("%(person)s đăng ký thi đua “%(title)s”, chờ duyệt.") % {"person": person.full_name, "title": movement.title}
        url = reverse("movements:registration_unit", args=[movement.pk])
        transaction.on_commit(lambda: notifications.notify(users=managers, text=text, url=url, email=False))
    return registration


@transaction.atomic
def registration_bulk(*, actor, movement: Movement, unit, people_awards: dict, unit_awards=None, commitment: str = "") -> list[Registration]:
    """A manager registers the whole unit at once: the unit itself (if ``unit_awards``) and each person
    with the titles chosen. All or nothing."""
    movement = Movement.objects.select_for_update().get(pk=movement.pk)
    _check_open_for_registration(movement, actor)
    if not scopes.can(actor, "registration.manage", unit):
        raise PermissionDenied
    saved = []
    if unit_awards:
        saved.append(_save_registration(actor=actor, movement=movement, unit=unit, awards=list(unit_awards), commitment=commitment, status=RegistrationStatus.APPROVED))
    for person, awards in people_awards.items():
        if person.current_unit_id is None or not person.current_unit.path.startswith(unit.path):
            raise ValidationError({"people": _("%(person)s không thuộc %(unit)s.") % {"person": person.full_name, "unit": unit.name}})
        saved.append(_save_registration(actor=actor, movement=movement, person=person, awards=list(awards), commitment=commitment, status=RegistrationStatus.APPROVED))
    if not saved:
        raise ValidationError({"people": _("Chưa chọn tập thể hoặc cá nhân nào để đăng ký.")})
    return saved


@transaction.atomic
def registration_decide(*, actor, registration: Registration, approve: bool) -> Registration:
    registration = Registration.objects.select_for_update(of=("self",)).select_related("on_behalf_of", "person").get(pk=registration.pk)
    subject_unit = registration.unit or registration.person.current_unit
    if subject_unit is None or not scopes.can(actor, "registration.manage", subject_unit):
        raise PermissionDenied
    if registration.status != RegistrationStatus.SUBMITTED:
        raise ValidationError({"status": _("Đăng ký này đã được xử lý.")})
    before = audit.snapshot(registration)
    registration.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=registration, changes=audit.diff(before, audit.snapshot(registration)))
    return registration


@transaction.atomic
def registration_remind(*, actor, movement: Movement) -> int:
    """The officer reminds every participating unit that has not registered yet. Returns the number of units."""
    if not scopes.can(actor, "movement.manage", movement.launching_unit):
        raise PermissionDenied
    registered = set(
        Registration.objects.filter(movement=movement)
        .exclude(status=RegistrationStatus.REJECTED)
        .values_list("on_behalf_of_id", flat=True)
    )
    missing = [unit for unit in participating_units(movement) if unit.pk not in registered]
    if not missing:
        return 0
    text = _("Nhắc đăng ký thi đua: phong trào “%(title)s”.") % {"title": movement.title}
    if movement.registration_deadline:
        text += " " + _("Hạn: %(day)s.") % {"day": f"{movement.registration_deadline:%d/%m/%Y}"}
    url = reverse("movements:registration_unit", args=[movement.pk])
    recipients = list(notifications.unit_contacts(missing))
    transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url))
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=movement, note=_("Nhắc đăng ký: %(count)d đơn vị") % {"count": len(missing)})
    return len(missing)


def person_registered(*, movement: Movement | None, person) -> Registration | None:
    """Shown on nominations: whether the nominee registered (no longer a legal precondition)."""
    if movement is None:
        return None
    return Registration.objects.filter(movement=movement, person=person).exclude(status=RegistrationStatus.REJECTED).first()


# ---------------------------------------------------------------- reviews


def _review_deadline_key(request: ReviewRequest, unit) -> str:
    return f"movement:{request.movement_id}:review:{request.pk}:unit:{unit.pk}"


@transaction.atomic
def review_request_create(*, actor, movement: Movement, kind: str, title: str, period_start, period_end, deadline, instructions: str = "") -> ReviewRequest:
    movement = Movement.objects.select_related("launching_unit").get(pk=movement.pk)  # the status as stored, not as passed
    if not scopes.can(actor, "movement.manage", movement.launching_unit):
        raise PermissionDenied
    if movement.status != MovementStatus.LAUNCHED:
        raise ValidationError({"movement": _("Chỉ yêu cầu báo cáo khi phong trào đang diễn ra.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")})
    request = ReviewRequest(
        movement=movement, kind=kind, title=clean_text(title), period_start=period_start, period_end=period_end,
        deadline=deadline, instructions=instructions.strip(), created_by=actor if getattr(actor, "pk", None) else None,
    )
    request.full_clean()
    request.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=request, changes=audit.created(request))
    units = list(participating_units(movement))
    url = reverse("movements:review_submit", args=[request.pk])
    for unit in units:
        notifications.deadline_sync(key=_review_deadline_key(request, unit), label=request.title, due_on=deadline, unit=unit, url=url)
    text = _("Yêu cầu báo cáo: %(title)s — hạn %(day)s.") % {"title": request.title, "day": f"{deadline:%d/%m/%Y}"}
    recipients = list(notifications.unit_contacts(units))
    transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url))
    return request


@transaction.atomic
def review_report_submit(*, actor, request: ReviewRequest, unit, file=None, **figures: Any) -> ReviewReport:
    if not scopes.can(actor, "review.submit", unit):
        raise PermissionDenied
    if unit.pk not in {u.pk for u in participating_units(request.movement)}:
        raise ValidationError({"unit": _("Đơn vị %(unit)s không tham gia phong trào này.") % {"unit": unit.name}})
    allowed = {"registrations_met", "titles_achieved", "initiatives", "commendations", "remarks"}
    unknown = set(figures) - allowed
    if unknown:
        raise TypeError(f"unknown review fields {unknown}")
    report = ReviewReport.objects.select_for_update().filter(request=request, unit=unit).first()
    created = report is None
    if created:
        report = ReviewReport(request=request, unit=unit)
    before = {} if created else audit.snapshot(report)
    for key, value in figures.items():
        setattr(report, key, value.strip() if isinstance(value, str) else value)
    if file is not None:
        report.file = file
    report.submitted_by = actor if getattr(actor, "pk", None) else None
    report.full_clean()
    report.save()
    changes = audit.diff(before, audit.snapshot(report))
    audit.record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=report, changes={k: v for k, v in changes.items() if k != "file"})
    notifications.deadline_done(key=_review_deadline_key(request, unit))
    return report
