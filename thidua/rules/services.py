"""Writes on the award catalog, the provincial/agency rule overrides and the base-salary timeline."""

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.common import audit
from thidua.common.models import AuditAction
from thidua.rules.models import AwardType, BaseSalaryRate, RuleOverride
from thidua.rules.rulesets import DATA_DIR, RulesetError, get_at_path, shipped_rulesets

CATALOG_FIELDS = ("name", "short_name", "conferrer", "conferrer_unit_kinds", "artifacts", "precedence", "annual", "legal_source", "is_active")


def catalog_sync(*, actor=None) -> int:
    """Load the shipped catalog: create missing codes, keep existing rows as the admin left them."""
    document = json.loads((DATA_DIR / "awards.json").read_text(encoding="utf-8"))
    existing = set(AwardType.objects.values_list("code", flat=True))
    created = 0
    with transaction.atomic():
        for row in document["awards"]:
            if row["code"] in existing:
                continue
            award = AwardType.objects.create(
                code=row["code"],
                name=row["name"],
                short_name=row.get("short_name", ""),
                category=row["category"],
                level=row["level"],
                for_individual="individual" in row["subjects"],
                for_collective="collective" in row["subjects"],
                for_household="household" in row["subjects"],
                conferrer=row.get("conferrer", ""),
                conferrer_unit_kinds=row.get("conferrer_unit_kinds", []),
                artifacts=row.get("artifacts", ""),
                precedence=row.get("precedence", 0),
                annual=row.get("annual", False),
                legal_source=row.get("legal_source", ""),
            )
            audit.record(actor=actor, action=AuditAction.CREATE, obj=award, changes=audit.created(award), note="awards.json")
            created += 1
    return created


def catalog_sync_after_migrate(sender, **kwargs) -> None:
    catalog_sync()


@transaction.atomic
def award_type_update(*, actor, award: AwardType, **changes: Any) -> AwardType:
    award = AwardType.objects.select_for_update().get(pk=award.pk)
    before = audit.snapshot(award)
    for key, value in changes.items():
        if key not in CATALOG_FIELDS:
            raise TypeError(f"unknown award field {key}")
        setattr(award, key, value)
    award.full_clean()
    award.save()
    changed = audit.diff(before, audit.snapshot(award))
    if changed:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=award, changes=changed)
    return award


def _check_target(target: str, value: Any, valid_from: datetime.date) -> None:
    """The path must exist in a shipped ruleset valid at some point of the override's life, or be a
    new parameter under ``parameters.``; a number must stay a number."""
    found = None
    for document in shipped_rulesets():
        found = get_at_path(document, target)
        if found is not None:
            break
    if found is None and not target.startswith("parameters."):
        raise ValidationError({"target": _("Không tìm thấy tham số “%(target)s” trong bộ quy định.") % {"target": target}})
    if isinstance(found, bool) != isinstance(value, bool) or (
        isinstance(found, (int, float)) and not isinstance(found, bool) and not isinstance(value, (int, float))
    ):
        if found is not None and value is not None:
            raise ValidationError({"value": _("Giá trị phải cùng kiểu với giá trị gốc (%(value)s).") % {"value": json.dumps(found, ensure_ascii=False)}})


@transaction.atomic
def rule_override_create(
    *, actor, target: str, value: Any, valid_from: datetime.date, legal_source: str, unit=None, valid_to=None, certainty="provincial", note=""
) -> RuleOverride:
    target = target.strip()
    _check_target(target, value, valid_from)
    override = RuleOverride(
        unit=unit, target=target, value=value, valid_from=valid_from, valid_to=valid_to,
        legal_source=legal_source, certainty=certainty, note=note, created_by=actor if getattr(actor, "pk", None) else None,
    )
    override.full_clean()
    override.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=override, changes=audit.created(override))
    return override


@transaction.atomic
def rule_override_update(*, actor, override: RuleOverride, **changes: Any) -> RuleOverride:
    override = RuleOverride.objects.select_for_update().get(pk=override.pk)
    before = audit.snapshot(override)
    for key, value in changes.items():
        if key not in {"target", "value", "valid_from", "valid_to", "legal_source", "certainty", "note", "unit"}:
            raise TypeError(f"unknown override field {key}")
        setattr(override, key, value)
    _check_target(override.target, override.value, override.valid_from)
    override.full_clean()
    override.save()
    changed = audit.diff(before, audit.snapshot(override))
    if changed:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=override, changes=changed)
    return override


@transaction.atomic
def rule_override_end(*, actor, override: RuleOverride, valid_to: datetime.date) -> RuleOverride:
    """Overrides are ended, not deleted: past evaluations must stay explainable."""
    if valid_to < override.valid_from:
        raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    return rule_override_update(actor=actor, override=override, valid_to=valid_to)


@transaction.atomic
def base_salary_set(*, actor, effective_from: datetime.date, amount: int, legal_source: str, certainty: str = "verified") -> BaseSalaryRate:
    if amount <= 0:
        raise ValidationError({"amount": _("Mức lương cơ sở phải lớn hơn 0.")})
    row = BaseSalaryRate.objects.select_for_update().filter(effective_from=effective_from).first()
    if row is None:
        row = BaseSalaryRate(effective_from=effective_from, amount=amount, legal_source=legal_source, certainty=certainty)
        row.full_clean()
        row.save()
        audit.record(actor=actor, action=AuditAction.CREATE, obj=row, changes=audit.created(row))
        return row
    before = audit.snapshot(row)
    row.amount, row.legal_source, row.certainty = amount, legal_source, certainty
    row.full_clean()
    row.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=row, changes=audit.diff(before, audit.snapshot(row)))
    return row


__all__ = ["RulesetError"]
