"""Dossier uploads: only PDF, DOCX, XLSX, JPEG and PNG, within a size limit, checked by extension AND by
the file's first bytes (a renamed executable is refused), stored with their sha256 outside the web root."""

import hashlib
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.models import AuditAction
from thidua.nominations.enums import AttachmentKind, NominationStatus
from thidua.nominations.models import Nomination, NominationAttachment

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png")


def max_bytes() -> int:
    return int(getattr(settings, "NOMINATION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _zip_has(file, prefix: str) -> bool:
    """An Office file is a zip whose parts live under word/ (DOCX) or xl/ (XLSX)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return any(name.startswith(prefix) for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)


def content_matches(extension: str, file) -> bool:
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == ".png":
        return head.startswith(b"\x89PNG")
    if extension == ".docx":
        return head.startswith(b"PK") and _zip_has(file, "word/")
    if extension == ".xlsx":
        return head.startswith(b"PK") and _zip_has(file, "xl/")
    return False


def check_upload(file) -> None:
    """Raise a ValidationError with a Vietnamese message unless the file is an accepted document."""
    if file is None:
        raise ValidationError({"file": _("Chọn tệp cần đính kèm.")})
    extension = Path(file.name or "").suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError({"file": _("Chỉ nhận tệp PDF, DOCX, XLSX, JPEG hoặc PNG.")})
    limit = max_bytes()
    if file.size > limit:
        raise ValidationError({"file": _("Tệp lớn hơn giới hạn %(size)s MB.") % {"size": f"{limit / (1024 * 1024):g}"}})
    if file.size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    if not content_matches(extension, file):
        raise ValidationError({"file": _("Nội dung tệp không đúng định dạng %(kind)s; tệp có thể đã bị đổi tên.") % {"kind": extension[1:].upper()}})


@transaction.atomic
def nomination_attachment_add(*, actor, nomination: Nomination, kind: str, file) -> NominationAttachment:
    if actor is not None and not scopes.can(actor, "nomination.propose", nomination.proposing_unit):
        raise PermissionDenied
    nomination = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
    if nomination.status not in (NominationStatus.DRAFT, NominationStatus.RETURNED):
        raise ValidationError({"file": _("Chỉ bổ sung tài liệu vào hồ sơ dự thảo hoặc hồ sơ bị trả lại.")})
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Chọn loại tài liệu.")})
    check_upload(file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = NominationAttachment(
        nomination=nomination, kind=kind, original_name=Path(file.name).name[:255], size=file.size,
        sha256=digest.hexdigest(), uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(Path(file.name).name, file, save=False)
    # The stored file must not outlive a row that failed to save.
    try:
        attachment.save()
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=nomination,
            changes={"attachments": [None, {"kind": kind, "name": attachment.original_name, "sha256": attachment.sha256}]},
            note=_("Đính kèm tài liệu: %(name)s") % {"name": attachment.original_name},
        )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def nomination_attachment_remove(*, actor, attachment: NominationAttachment) -> None:
    """Take a document out of a draft or returned dossier. The stored file is deleted after commit unless
    another dossier refers to it (a forwarded dossier carries the same file)."""
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("proposing_unit").get(pk=attachment.nomination_id)
    if actor is not None and not scopes.can(actor, "nomination.propose", nomination.proposing_unit):
        raise PermissionDenied
    if nomination.status not in (NominationStatus.DRAFT, NominationStatus.RETURNED):
        raise ValidationError({"file": _("Chỉ gỡ tài liệu khỏi hồ sơ dự thảo hoặc hồ sơ bị trả lại.")})
    name = attachment.file.name
    storage = attachment.file.storage
    audit.record(
        actor=actor, action=AuditAction.UPDATE, obj=nomination,
        changes={"attachments": [{"kind": attachment.kind, "name": attachment.original_name, "sha256": attachment.sha256}, None]},
        note=_("Gỡ tài liệu: %(name)s") % {"name": attachment.original_name},
    )
    attachment.delete()
    if not NominationAttachment.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))
