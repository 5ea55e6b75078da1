"""Recording writes. Services call these inside their transaction, never views.

    before = audit.snapshot(person)
    ... change person ...
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=person, changes=audit.diff(before, audit.snapshot(person)))
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from thidua.common.models import AuditAction, AuditEntry

# Fields never written to the log: secrets and derived columns.
_SKIPPED_FIELDS = {"password", "key_hash", "search_text", "sort_key", "path", "depth", "created_at", "updated_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of obj, JSON-ready (foreign keys as ids)."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in _SKIPPED_FIELDS or field.primary_key:
            continue
        values[field.name] = _plain(getattr(obj, field.attname))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    keys = before.keys() | after.keys()
    return {key: [before.get(key), after.get(key)] for key in sorted(keys) if before.get(key) != after.get(key)}


def created(obj: models.Model) -> dict[str, list[Any]]:
    return {key: [None, value] for key, value in snapshot(obj).items() if value not in (None, "")}


def _unit_path_of(obj: models.Model | None) -> str:
    audit_unit_path = getattr(obj, "audit_unit_path", None)
    if callable(audit_unit_path):
        return audit_unit_path() or ""
    return ""


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    ip_address: str | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    if not transaction.get_connection().in_atomic_block:
        # A write and its audit row commit together or not at all.
        raise RuntimeError("audit.record must be called inside the service's transaction")
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_username=getattr(actor_obj, "username", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:300],
        changes=changes or {},
        unit_path=_unit_path_of(obj),
        ip_address=ip_address,
        note=note[:500],
    )


def record_many(*, actor, action: str, objects: list[models.Model], changes_by_pk: dict, note: str = "") -> int:
    """One entry per object in a single INSERT (imports of thousands of rows)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside the service's transaction")
    if not objects:
        return 0
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(objects[0])
    entries = [
        AuditEntry(
            actor=actor_obj,
            actor_username=getattr(actor_obj, "username", "") or "",
            action=action,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            changes=changes_by_pk.get(obj.pk, {}),
            unit_path=_unit_path_of(obj),
            note=note[:500],
        )
        for obj in objects
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


__all__ = ["AuditAction", "created", "diff", "record", "record_many", "snapshot"]
