"""Writes on the organisation tree and on people. Each is atomic and audited.

Callers validate input shape (forms, API schemas); these functions enforce the invariants and raise
ValidationError with Vietnamese messages keyed by field.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from thidua.common import audit
from thidua.common.models import AuditAction
from thidua.common.text import clean_text, fold, sort_key, split_full_name
from thidua.organizations.models import Employment, Person, Unit, UnitSuccession, path_segment

UNIT_FIELDS = ("code", "name", "short_name", "kind", "parent", "valid_from", "valid_to", "address", "note")
PERSON_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "ethnicity",
    "cccd",
    "email",
    "phone",
    "recruited_on",
)


# ---------------------------------------------------------------- units


def _check_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is None:
        return
    if unit.pk and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        raise ValidationError({"parent": _("Đơn vị cấp trên không được là chính đơn vị này hoặc đơn vị cấp dưới của nó.")})


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id else ""
    unit.path = parent_path + path_segment(unit.pk)
    unit.depth = unit.parent.depth + 1 if unit.parent_id else 0


@transaction.atomic
def unit_create(*, actor, code: str, name: str, kind: str, parent: Unit | None = None, **fields: Any) -> Unit:
    unit = Unit(code=clean_text(code), name=clean_text(name), kind=kind, parent=parent)
    for key, value in fields.items():
        if key not in UNIT_FIELDS:
            raise TypeError(f"unknown unit field {key}")
        setattr(unit, key, clean_text(value) if isinstance(value, str) else value)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    audit.record(actor=actor, action=AuditAction.CREATE, obj=unit, changes=audit.created(unit))
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes: Any) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit)
    old_path = unit.path
    for key, value in changes.items():
        if key not in UNIT_FIELDS:
            raise TypeError(f"unknown unit field {key}")
        setattr(unit, key, clean_text(value) if isinstance(value, str) and key != "note" else value)
    _check_parent(unit, unit.parent)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    if "parent" in changes:
        _set_path(unit)
        unit.save(update_fields=["path", "depth"])
        if unit.path != old_path:
            # Move the whole subtree in one UPDATE: new prefix + the rest of each old path.
            depth_shift = unit.depth - old_path.count("/") + 1
            Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
                path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + depth_shift,
            )
    changed = audit.diff(before, audit.snapshot(unit))
    if changed:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=unit, changes=changed)
    return unit


@transaction.atomic
def unit_record_succession(
    *,
    actor,
    predecessors: list[Unit],
    successor: Unit,
    kind: str,
    effective_on: datetime.date,
    legal_basis: str = "",
) -> list[UnitSuccession]:
    """Mergers, splits and renamings: the predecessors stop the day before ``effective_on``."""
    if not predecessors:
        raise ValidationError({"predecessors": _("Chọn ít nhất một đơn vị cũ.")})
    links = []
    last_day = effective_on - datetime.timedelta(days=1)
    for predecessor in predecessors:
        if predecessor.pk == successor.pk:
            raise ValidationError({"successor": _("Đơn vị kế thừa phải khác đơn vị cũ.")})
        if predecessor.valid_to is None or predecessor.valid_to > last_day:
            unit_update(actor=actor, unit=predecessor, valid_to=last_day)
        link = UnitSuccession(
            predecessor=predecessor, successor=successor, kind=kind, effective_on=effective_on, legal_basis=legal_basis
        )
        link.full_clean()
        link.save()
        audit.record(actor=actor, action=AuditAction.CREATE, obj=link, changes=audit.created(link))
        links.append(link)
    return links


# ---------------------------------------------------------------- people


def search_text_for(full_name: str, cccd: str | None) -> str:
    """Folded words, each preceded by a space, so that a search word matches the start of a word:
    "an" finds "An" and "Anh" but not "Văn" (selectors.people_search filters on " " + word)."""
    return " " + " ".join(filter(None, [fold(full_name), cccd or ""]))


def _refresh_derived(person: Person) -> None:
    person.search_text = search_text_for(person.full_name, person.cccd)
    person.sort_key = sort_key(person.given_name, person.family_name, person.middle_name)


def _normalise_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    full_name = values.pop("full_name", None)
    if full_name is not None:
        values["family_name"], values["middle_name"], values["given_name"] = split_full_name(full_name)
    for key in ("family_name", "middle_name", "given_name", "ethnicity", "email", "phone"):
        if key in values and values[key] is not None:
            values[key] = clean_text(values[key])
    if "cccd" in values:
        values["cccd"] = clean_text(values["cccd"]) or None
    for key in values:
        if key not in PERSON_FIELDS:
            raise TypeError(f"unknown person field {key}")
    return values


def _check_cccd_unique(person: Person) -> None:
    if person.cccd and Person.objects.filter(cccd=person.cccd).exclude(pk=person.pk).exists():
        raise ValidationError({"cccd": _("Số CCCD %(cccd)s đã có trong hồ sơ của người khác.") % {"cccd": person.cccd}})


@transaction.atomic
def person_create(
    *,
    actor,
    unit: Unit | None = None,
    position: str = "",
    position_category: str = "",
    rank: str = "",
    start_date: datetime.date | None = None,
    **fields: Any,
) -> Person:
    """A new person; with a unit, also their first employment (from ``start_date``, the recruitment
    date or today)."""
    person = Person(**_normalise_person_fields(fields))
    if not person.given_name:
        raise ValidationError({"full_name": _("Họ và tên không được để trống.")})
    _check_cccd_unique(person)
    _refresh_derived(person)
    person.full_clean(exclude=["current_unit"], validate_unique=False)
    person.save()
    if unit is not None:
        employment_start(
            actor=actor,
            person=person,
            unit=unit,
            position=position,
            position_category=position_category,
            rank=rank,
            start_date=start_date or person.recruited_on or datetime.date.today(),
        )
        person.refresh_from_db()
    # Recorded once the person has a unit, so that scoped auditors see the entry.
    audit.record(actor=actor, action=AuditAction.CREATE, obj=person, changes=audit.created(person))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields: Any) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(person)
    for key, value in _normalise_person_fields(fields).items():
        setattr(person, key, value)
    if not person.given_name:
        raise ValidationError({"full_name": _("Họ và tên không được để trống.")})
    _check_cccd_unique(person)
    _refresh_derived(person)
    person.full_clean(exclude=["current_unit"], validate_unique=False)
    person.save()
    changed = audit.diff(before, audit.snapshot(person))
    if changed:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=person, changes=changed)
    return person


def _sync_current(person: Person) -> None:
    """Point the person's current unit and position at their open employment, if any."""
    current = person.employments.filter(end_date__isnull=True).order_by("-start_date", "-id").select_related("unit").first()
    person.current_unit = current.unit if current else None
    person.current_position = current.position if current else ""
    person.current_position_category = current.position_category if current else ""
    person.save(update_fields=["current_unit", "current_position", "current_position_category", "updated_at"])


@transaction.atomic
def employment_start(
    *,
    actor,
    person: Person,
    unit: Unit,
    start_date: datetime.date,
    position: str = "",
    position_category: str = "",
    rank: str = "",
    note: str = "",
) -> Employment:
    """A move to a unit or position from ``start_date``; the open employment ends the day before."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not unit.is_valid_on(start_date):
        raise ValidationError(
            {"unit": _("Đơn vị %(unit)s không còn hiệu lực vào ngày %(day)s.") % {"unit": unit, "day": f"{start_date:%d/%m/%Y}"}}
        )
    for open_employment in person.employments.filter(end_date__isnull=True):
        if open_employment.start_date >= start_date:
            raise ValidationError(
                {"start_date": _("Ngày bắt đầu phải sau ngày bắt đầu của vị trí hiện tại (%(day)s).")
                 % {"day": f"{open_employment.start_date:%d/%m/%Y}"}}
            )
        before = audit.snapshot(open_employment)
        open_employment.end_date = start_date - datetime.timedelta(days=1)
        open_employment.save(update_fields=["end_date", "updated_at"])
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=open_employment, changes=audit.diff(before, audit.snapshot(open_employment))
        )
    employment = Employment(
        person=person,
        unit=unit,
        start_date=start_date,
        position=clean_text(position),
        position_category=position_category,
        rank=clean_text(rank),
        note=clean_text(note),
    )
    employment.full_clean()
    employment.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=employment, changes=audit.created(employment))
    _sync_current(person)
    return employment


@transaction.atomic
def employment_update(*, actor, employment: Employment, **changes: Any) -> Employment:
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    before = audit.snapshot(employment)
    for key, value in changes.items():
        if key not in {"unit", "position", "position_category", "rank", "start_date", "end_date", "note"}:
            raise TypeError(f"unknown employment field {key}")
        setattr(employment, key, clean_text(value) if isinstance(value, str) else value)
    employment.full_clean()
    employment.save()
    changed = audit.diff(before, audit.snapshot(employment))
    if changed:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=employment, changes=changed)
    _sync_current(employment.person)
    return employment


@transaction.atomic
def employment_delete(*, actor, employment: Employment) -> None:
    person = employment.person
    audit.record(actor=actor, action=AuditAction.DELETE, obj=employment, changes={k: [v, None] for k, v in audit.snapshot(employment).items()})
    employment.delete()
    _sync_current(person)
