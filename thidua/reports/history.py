"""The award history (quá trình khen thưởng) of a person or a unit, across unit changes and mergers:
the annex of an achievement report.

A person's history lists every award in the register (revoked ones marked), each with the unit the
person belonged to when it was decided (the period of work that had started last on the decision date)
and, when that unit has since been merged or renamed, the unit that carries it today. A unit's history
lists the collective awards of the unit and of every unit it succeeded (UnitSuccession, followed back
through any number of mergers), each with the name under which it was received.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.organizations.models import Person, Unit, UnitSuccession
from thidua.organizations.selectors import unit_successor_on
from thidua.records.models import AwardRecord


@dataclass
class HistoryEntry:
    record_id: int
    award_code: str
    award_name: str
    category: str
    level: str
    period: str
    period_start: int
    period_end: int
    decision_number: str
    decision_date: datetime.date
    issuer: str
    unit_then: str
    unit_now: str  # "" when the unit then is still the unit today
    revoked: bool
    counts_for_regular: bool
    amount: int | None


@dataclass
class AwardHistory:
    title: str
    subject_name: str
    facts: list[tuple[str, str]]
    entries: list[HistoryEntry]
    note: str
    predecessors: list[Unit] = field(default_factory=list)

    @property
    def counted(self) -> list[HistoryEntry]:
        return [entry for entry in self.entries if not entry.revoked]


def _period(record: AwardRecord) -> str:
    return str(record.period_end) if record.period_start == record.period_end else f"{record.period_start}–{record.period_end}"


def _issuer(record: AwardRecord) -> str:
    return record.issuer_name or (record.issuing_unit.name if record.issuing_unit_id else "")


def unit_label(unit: Unit) -> str:
    """An office's name with its department's ("Văn phòng Sở, Sở Khoa học và Công nghệ tỉnh Tiền Giang"):
    offices of different departments share names, and a merger keeps them."""
    parent = unit.parent if unit.parent_id else None
    if parent is not None and parent.parent_id is not None:
        return f"{unit.name}, {parent.name}"
    return unit.name


def _entry(record: AwardRecord, unit_then: Unit | None, today: datetime.date, carriers: dict[int, Unit]) -> HistoryEntry:
    unit_now = ""
    if unit_then is not None:
        if unit_then.pk not in carriers:
            carriers[unit_then.pk] = unit_successor_on(unit_then, today)
        carrier = carriers[unit_then.pk]
        if carrier.pk != unit_then.pk:
            unit_now = unit_label(carrier)
    return HistoryEntry(
        record_id=record.pk,
        award_code=record.award.code,
        award_name=record.award.name,
        category=record.award.category,
        level=record.award.level,
        period=_period(record),
        period_start=record.period_start,
        period_end=record.period_end,
        decision_number=record.decision_number,
        decision_date=record.decision_date,
        issuer=_issuer(record),
        unit_then=unit_label(unit_then) if unit_then is not None else "",
        unit_now=unit_now,
        revoked=record.revoked,
        counts_for_regular=record.counts_for_regular,
        amount=record.amount,
    )


def person_history(person: Person, *, today: datetime.date | None = None) -> AwardHistory:
    today = today or timezone.localdate()
    records = list(
        person.awards.select_related("award", "issuing_unit").order_by("period_end", "decision_date", "id")
    )
    # A person has a handful of periods of work: each award is placed against them here.
    periods = list(person.employments.select_related("unit__parent").order_by("start_date", "id"))
    carriers: dict[int, Unit] = {}
    entries = []
    for record in records:
        started = [period for period in periods if period.start_date <= record.decision_date]
        unit_then = started[-1].unit if started else person.current_unit
        entries.append(_entry(record, unit_then, today, carriers))
    facts = [(_("Họ và tên"), person.full_name)]
    if person.birth_date:
        facts.append((_("Ngày sinh"), f"{person.birth_date:%d/%m/%Y}"))
    if person.current_unit_id:
        position = person.current_position
        facts.append((_("Chức vụ, đơn vị hiện nay"), f"{position}, {person.current_unit.name}" if position else person.current_unit.name))
    counted = [entry for entry in entries if not entry.revoked]
    facts.append((_("Số khen thưởng"), str(len(counted))))
    return AwardHistory(
        title=_("QUÁ TRÌNH KHEN THƯỞNG"),
        subject_name=person.full_name,
        facts=facts,
        entries=entries,
        note=_(
            "Đơn vị khi được khen: đơn vị công tác tại ngày quyết định; “nay là”: đơn vị kế thừa sau sáp nhập. "
            "Khen thưởng đã thu hồi được ghi để đối chiếu, không tính vào số khen thưởng. Lập ngày %(day)s."
        )
        % {"day": f"{today:%d/%m/%Y}"},
    )


def predecessors_of(unit: Unit) -> list[Unit]:
    """Every unit whose history ``unit`` carries, through any number of successions, oldest link last."""
    found: list[Unit] = []
    seen = {unit.pk}
    frontier = [unit.pk]
    while frontier:
        links = list(UnitSuccession.objects.filter(successor_id__in=frontier).select_related("predecessor").order_by("effective_on", "id"))
        frontier = []
        for link in links:
            if link.predecessor_id not in seen:
                seen.add(link.predecessor_id)
                found.append(link.predecessor)
                frontier.append(link.predecessor_id)
    return found


def unit_history(unit: Unit, *, today: datetime.date | None = None) -> AwardHistory:
    today = today or timezone.localdate()
    predecessors = predecessors_of(unit)
    units = [unit, *predecessors]
    records = list(
        AwardRecord.objects.filter(unit__in=units)
        .select_related("award", "issuing_unit", "unit__parent")
        .order_by("period_end", "decision_date", "id")
    )
    carriers: dict[int, Unit] = {}
    entries = [_entry(record, record.unit, today, carriers) for record in records]
    facts = [(_("Tên đơn vị"), unit.name)]
    if unit.parent_id:
        facts.append((_("Đơn vị cấp trên"), unit.parent.name))
    if predecessors:
        facts.append((_("Kế thừa từ"), "; ".join(predecessor.name for predecessor in predecessors)))
    facts.append((_("Số khen thưởng"), str(sum(1 for entry in entries if not entry.revoked))))
    return AwardHistory(
        title=_("QUÁ TRÌNH KHEN THƯỞNG CỦA TẬP THỂ"),
        subject_name=unit.name,
        facts=facts,
        entries=entries,
        note=_(
            "Gồm khen thưởng của đơn vị và của các đơn vị được đơn vị kế thừa (hợp nhất, sáp nhập, đổi tên). "
            "Khen thưởng đã thu hồi được ghi để đối chiếu, không tính vào số khen thưởng. Lập ngày %(day)s."
        )
        % {"day": f"{today:%d/%m/%Y}"},
        predecessors=predecessors,
    )
