"""Writes on the shared registers of ``common``. Atomic, audited; Vietnamese ValidationErrors."""

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.models import AuditAction, LegalDocument
from thidua.common.text import clean_text

# ---------------------------------------------------------------- the document register

LEGAL_DOCUMENT_FIELDS = {"number", "issued_on", "issuer", "title", "file", "unit"}
DOCUMENT_FILE_EXTENSIONS = {".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png"}
DOCUMENT_FILE_MAX_BYTES = 20 * 1024 * 1024


def _check_file(file) -> None:
    extension = Path(file.name).suffix.lower()
    if extension not in DOCUMENT_FILE_EXTENSIONS:
        raise ValidationError(
            {"file": _("Chỉ nhận tệp %(kinds)s.") % {"kinds": ", ".join(sorted(DOCUMENT_FILE_EXTENSIONS))}}
        )
    if file.size > DOCUMENT_FILE_MAX_BYTES:
        raise ValidationError(
            {"file": _("Tệp lớn hơn %(size)d MB.") % {"size": DOCUMENT_FILE_MAX_BYTES // (1024 * 1024)}}
        )


def _check_may_keep(actor, unit) -> None:
    """Documents are kept by a unit the actor manages; only a province-wide manager keeps documents
    that belong to no unit (laws, decrees)."""
    if actor is None:
        return
    allowed = (
        scopes.can(actor, "document.manage", unit)
        if unit is not None
        else scopes.holds_root_scope(actor, "document.manage")
    )
    if not allowed:
        raise PermissionDenied


def _check_document(document: LegalDocument) -> None:
    if not document.number:
        raise ValidationError({"number": _("Nhập số, ký hiệu văn bản.")})
    if not document.title:
        raise ValidationError({"title": _("Nhập trích yếu nội dung văn bản.")})
    if not document.issuer:
        raise ValidationError({"issuer": _("Nhập cơ quan ban hành.")})
    if document.issued_on and document.issued_on.year < 1945:
        raise ValidationError({"issued_on": _("Ngày ban hành phải từ năm 1945 trở đi.")})
    duplicate = LegalDocument.objects.filter(
        number__iexact=document.number, issued_on=document.issued_on, issuer__iexact=document.issuer
    ).exclude(pk=document.pk)
    if duplicate.exists():
        raise ValidationError(
            {
                "number": _("Văn bản số %(number)s ngày %(day)s của %(issuer)s đã có trong sổ.")
                % {
                    "number": document.number,
                    "day": f"{document.issued_on:%d/%m/%Y}",
                    "issuer": document.issuer,
                }
            }
        )


def _clean(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _snapshot(document: LegalDocument) -> dict[str, Any]:
    # The file as its stored name: a FieldFile is not JSON.
    values = audit.snapshot(document, fields=LEGAL_DOCUMENT_FIELDS - {"file"})
    values["file"] = document.file.name or ""
    return values


@transaction.atomic
def legal_document_create(
    *, actor, number: str, issued_on: datetime.date, issuer: str, title: str, unit=None, file=None
) -> LegalDocument:
    _check_may_keep(actor, unit)
    document = LegalDocument(
        number=clean_text(number),
        issued_on=issued_on,
        issuer=clean_text(issuer),
        title=clean_text(title),
        unit=unit,
    )
    if file is not None:
        _check_file(file)
        document.file = file
    _check_document(document)
    document.full_clean(exclude=["file"])
    document.save()
    changes = {key: [None, value] for key, value in _snapshot(document).items() if value not in (None, "")}
    audit.record(actor=actor, action=AuditAction.CREATE, obj=document, changes=changes)
    return document


@transaction.atomic
def legal_document_update(*, actor, document: LegalDocument, **fields: Any) -> LegalDocument:
    """Change a document's entry; ``file`` replaces the file (``None`` keeps it)."""
    unknown = set(fields) - LEGAL_DOCUMENT_FIELDS
    if unknown:
        raise TypeError(f"unknown document fields {unknown}")
    # Lock the document row only: the keeping unit is an outer join, which PostgreSQL cannot lock.
    document = (
        LegalDocument.objects.select_for_update(of=("self",)).select_related("unit").get(pk=document.pk)
    )
    _check_may_keep(actor, document.unit)
    before = _snapshot(document)
    file = fields.pop("file", None)
    for key, value in fields.items():
        setattr(document, key, _clean(value))
    if "unit" in fields:
        _check_may_keep(actor, document.unit)
    if file is not None:
        _check_file(file)
        document.file = file
    _check_document(document)
    document.full_clean(exclude=["file"])
    document.save()
    changes = audit.diff(before, _snapshot(document))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=document, changes=changes)
    return document
