"""Writes on the evidence records. Each is atomic and audited; invariants raise ValidationError
with Vietnamese messages keyed by field."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.common import audit
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.records.enums import Rating
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative, InitiativeAuthor, Leave

MIN_YEAR, MAX_YEAR = 1945, 2100


def _check_year(year: int, field: str = "year") -> None:
    if not (MIN_YEAR <= int(year) <= MAX_YEAR):
        raise ValidationError({field: _("Năm %(year)s không hợp lệ.") % {"year": year}})


def _save_new(obj, *, actor) -> None:
    obj.full_clean()
    obj.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=audit.created(obj))


def _save_changes(obj, before: dict, *, actor) -> None:
    obj.full_clean()
    obj.save()
    changed = audit.diff(before, audit.snapshot(obj))
    if changed:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changed)


def _delete(obj, *, actor) -> None:
    audit.record(actor=actor, action=AuditAction.DELETE, obj=obj, changes={k: [v, None] for k, v in audit.snapshot(obj).items()})
    obj.delete()


# ---------------------------------------------------------------- ratings


@transaction.atomic
def rating_set(*, actor, year: int, rating: str, person=None, unit=None, note: str | None = None) -> AnnualRating:
    """Record (or correct) the rating of a person or a unit for a year: one rating per subject and year.

    ``note=None`` keeps an existing note (bulk entry has no note column); ``""`` clears it."""
    if (person is None) == (unit is None):
        raise ValidationError({"person": _("Chọn một cá nhân hoặc một tập thể.")})
    _check_year(year)
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Xếp loại “%(value)s” không hợp lệ; dùng HTXSNV, HTTNV, HTNV hoặc KHTNV.") % {"value": rating}})
    existing = AnnualRating.objects.select_for_update().filter(person=person, unit=unit, year=year).first()
    if existing is None:
        row = AnnualRating(person=person, unit=unit, year=year, rating=rating, note=clean_text(note or ""))
        _save_new(row, actor=actor)
        return row
    before = audit.snapshot(existing)
    existing.rating = rating
    if note is not None:
        existing.note = clean_text(note)
    _save_changes(existing, before, actor=actor)
    return existing


@transaction.atomic
def rating_delete(*, actor, rating: AnnualRating) -> None:
    _delete(rating, actor=actor)


# ---------------------------------------------------------------- initiatives and research


def _set_authors(initiative: Initiative, authors: list) -> None:
    if not authors:
        raise ValidationError({"authors": _("Cần ít nhất một tác giả.")})
    if len({person.pk for person in authors}) != len(authors):
        raise ValidationError({"authors": _("Một người được ghi tên tác giả hai lần.")})
    InitiativeAuthor.objects.filter(initiative=initiative).delete()
    InitiativeAuthor.objects.bulk_create(
        [InitiativeAuthor(initiative=initiative, person=person, order=index) for index, person in enumerate(authors, start=1)]
    )


INITIATIVE_FIELDS = {"title", "kind", "unit", "scope", "recognized_on", "recognizing_decision", "recognizing_body", "applied", "effective", "summary"}


@transaction.atomic
def initiative_create(*, actor, authors: list, **fields: Any) -> Initiative:
    unknown = set(fields) - INITIATIVE_FIELDS
    if unknown:
        raise TypeError(f"unknown initiative fields {unknown}")
    initiative = Initiative(**{key: clean_text(value) if isinstance(value, str) and key != "summary" else value for key, value in fields.items()})
    if initiative.recognized_on and initiative.recognized_on > datetime.date.today():
        raise ValidationError({"recognized_on": _("Ngày công nhận không được ở tương lai.")})
    initiative.full_clean()
    initiative.save()
    _set_authors(initiative, authors)
    changes = audit.created(initiative)
    changes["authors"] = [None, [person.pk for person in authors]]
    audit.record(actor=actor, action=AuditAction.CREATE, obj=initiative, changes=changes)
    return initiative


@transaction.atomic
def initiative_update(*, actor, initiative: Initiative, authors: list | None = None, **fields: Any) -> Initiative:
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    before = audit.snapshot(initiative)
    before_authors = list(initiative.author_links.values_list("person_id", flat=True))
    for key, value in fields.items():
        if key not in INITIATIVE_FIELDS:
            raise TypeError(f"unknown initiative field {key}")
        setattr(initiative, key, clean_text(value) if isinstance(value, str) and key != "summary" else value)
    initiative.full_clean()
    initiative.save()
    changed = audit.diff(before, audit.snapshot(initiative))
    if authors is not None:
        _set_authors(initiative, authors)
        after_authors = [person.pk for person in authors]
        if after_authors != before_authors:
            changed["authors"] = [before_authors, after_authors]
    if changed:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=initiative, changes=changed)
    return initiative


@transaction.atomic
def initiative_delete(*, actor, initiative: Initiative) -> None:
    _delete(initiative, actor=actor)


# ---------------------------------------------------------------- discipline and pending matters


DISCIPLINE_FIELDS = {"level", "pending", "pending_kind", "start", "end", "decision", "note"}


def _check_discipline(row: Discipline) -> None:
    if row.pending and not row.pending_kind:
        raise ValidationError({"pending_kind": _("Chọn loại vụ việc đang xem xét.")})
    if not row.pending and not row.level:
        raise ValidationError({"level": _("Chọn hình thức kỷ luật.")})
    if row.end and row.end < row.start:
        raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})


@transaction.atomic
def discipline_create(*, actor, person, **fields: Any) -> Discipline:
    unknown = set(fields) - DISCIPLINE_FIELDS
    if unknown:
        raise TypeError(f"unknown discipline fields {unknown}")
    row = Discipline(person=person, **fields)
    if row.pending and row.level == "":
        row.level = ""
    _check_discipline(row)
    _save_new(row, actor=actor)
    return row


@transaction.atomic
def discipline_update(*, actor, discipline: Discipline, **fields: Any) -> Discipline:
    row = Discipline.objects.select_for_update().get(pk=discipline.pk)
    before = audit.snapshot(row)
    for key, value in fields.items():
        if key not in DISCIPLINE_FIELDS:
            raise TypeError(f"unknown discipline field {key}")
        setattr(row, key, value)
    _check_discipline(row)
    _save_changes(row, before, actor=actor)
    return row


@transaction.atomic
def discipline_delete(*, actor, discipline: Discipline) -> None:
    _delete(discipline, actor=actor)


# ---------------------------------------------------------------- leave


@transaction.atomic
def leave_create(*, actor, person, kind: str, start: datetime.date, end: datetime.date, note: str = "") -> Leave:
    if end < start:
        raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    overlapping = Leave.objects.filter(person=person, start__lte=end, end__gte=start).exists()
    if overlapping:
        raise ValidationError({"start": _("Thời gian nghỉ trùng với một thời gian nghỉ đã ghi.")})
    row = Leave(person=person, kind=kind, start=start, end=end, note=clean_text(note))
    _save_new(row, actor=actor)
    return row


@transaction.atomic
def leave_delete(*, actor, leave: Leave) -> None:
    _delete(leave, actor=actor)


# ---------------------------------------------------------------- award register


AWARD_RECORD_FIELDS = {
    "period_start", "period_end", "decision_number", "decision_date", "issuing_unit", "issuer_name",
    "register_number", "amount", "source", "counts_for_regular", "note", "household_name",
}


def _check_award_record(row: AwardRecord) -> None:
    _check_year(row.period_start, "period_start")
    _check_year(row.period_end, "period_end")
    if row.period_end < row.period_start:
        raise ValidationError({"period_end": _("Năm kết thúc phải từ năm bắt đầu trở đi.")})
    subject = "household" if row.household_name else "collective" if row.unit_id else "individual"
    if subject not in row.award.subjects:
        raise ValidationError({"award": _("%(award)s không dành cho đối tượng này.") % {"award": row.award.name}})
    if row.decision_date and row.decision_date.year < row.period_start:
        raise ValidationError({"decision_date": _("Ngày quyết định phải sau thời gian đạt thành tích.")})
    duplicate = AwardRecord.objects.filter(
        person=row.person, unit=row.unit, household_name=row.household_name, award=row.award,
        period_start=row.period_start, period_end=row.period_end, revoked=False,
    ).exclude(pk=row.pk)
    if duplicate.exists():
        raise ValidationError({"award": _("Đã có %(award)s cho thành tích %(period)s trong sổ khen thưởng.") % {
            "award": row.award.name, "period": row.period_start if row.period_start == row.period_end else f"{row.period_start}–{row.period_end}"}})


@transaction.atomic
def award_record_create(*, actor, award, person=None, unit=None, **fields: Any) -> AwardRecord:
    unknown = set(fields) - AWARD_RECORD_FIELDS
    if unknown:
        raise TypeError(f"unknown award record fields {unknown}")
    fields.setdefault("period_end", fields.get("period_start"))
    row = AwardRecord(award=award, person=person, unit=unit, **{k: clean_text(v) if isinstance(v, str) else v for k, v in fields.items()})
    _check_award_record(row)
    _save_new(row, actor=actor)
    return row


@transaction.atomic
def award_record_update(*, actor, record: AwardRecord, **fields: Any) -> AwardRecord:
    row = AwardRecord.objects.select_for_update().get(pk=record.pk)
    if row.source == "decision":
        # The decision is the record: a correction is a new decision that amends or replaces it.
        raise ValidationError({"source": _("Khen thưởng theo quyết định trên hệ thống chỉ sửa được bằng quyết định sửa đổi, thay thế.")})
    before = audit.snapshot(row)
    for key, value in fields.items():
        if key not in AWARD_RECORD_FIELDS | {"award", "person", "unit"}:
            raise TypeError(f"unknown award record field {key}")
        setattr(row, key, clean_text(value) if isinstance(value, str) else value)
    _check_award_record(row)
    _save_changes(row, before, actor=actor)
    return row


@transaction.atomic
def award_record_delete(*, actor, record: AwardRecord) -> None:
    if record.source == "decision":
        raise ValidationError({"source": _("Khen thưởng theo quyết định trên hệ thống chỉ thu hồi được bằng quyết định thu hồi.")})
    _delete(record, actor=actor)


@transaction.atomic
def award_record_revoke(*, actor, record: AwardRecord, reference: str, day) -> AwardRecord:
    """Mark an award revoked by a revocation decision (called by the decisions app, in its transaction).
    The row stays in the register: history, verification pages and reports show it as revoked."""
    row = AwardRecord.objects.select_for_update().get(pk=record.pk)
    if row.revoked:
        raise ValidationError({"revoked": _("Khen thưởng “%(record)s” đã bị thu hồi trước đó.") % {"record": row}})
    before = audit.snapshot(row)
    row.revoked = True
    row.note = clean_text(f"{row.note} Thu hồi theo Quyết định số {reference} ngày {day:%d/%m/%Y}.")[:255]
    row.save(update_fields=["revoked", "note", "updated_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=row, changes=audit.diff(before, audit.snapshot(row)),
                 note=_("Thu hồi theo Quyết định số %(number)s") % {"number": reference})
    return row
