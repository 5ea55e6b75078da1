from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.common.fields import NFCCharField


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")
    IMPORT = "import", _("Nhập từ Excel")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    GRANT = "grant", _("Cấp quyền")
    REVOKE = "revoke", _("Thu hồi quyền")
    TOKEN = "token", _("Cấp mã truy cập API")
    TRANSITION = "transition", _("Chuyển trạng thái")


class ImmutableRecordError(Exception):
    pass


class AuditEntry(models.Model):
    """One write, as it happened: who, what, which object, old and new values.

    Written by services in the same transaction as the change (thidua.common.audit). There is no
    view, form or admin action that edits or deletes an entry, and the model refuses both.
    """

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too: the entry must still say who acted after the account is gone.
    actor_username = models.CharField(_("tài khoản"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=32, choices=AuditAction.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại đối tượng"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    # Unit paths the object belongs to, so an auditor sees only entries about their subtree.
    unit_path = models.CharField(_("đơn vị"), max_length=255, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecordError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Audit entries cannot be deleted.")


class ImportKind(models.TextChoices):
    UNITS = "units", _("Danh sách đơn vị")
    PEOPLE = "people", _("Danh sách cá nhân")
    RATINGS = "ratings", _("Kết quả xếp loại")
    INITIATIVES = "initiatives", _("Sáng kiến, đề tài")
    AWARDS = "awards", _("Sổ khen thưởng (khen thưởng đã nhận)")
    DISCIPLINES = "disciplines", _("Kỷ luật, vụ việc đang xem xét")
    NOMINEES = "nominees", _("Danh sách đề nghị khen thưởng")


class ImportBatch(models.Model):
    """A successful Excel import, with the file kept as it was uploaded.

    Failed imports save nothing (all-or-nothing); their errors go back to the user.
    """

    kind = models.CharField(_("loại dữ liệu"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(_("tệp đã nhập"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)
    row_count = models.PositiveIntegerField(_("số dòng"), default=0)
    created_count = models.PositiveIntegerField(_("số bản ghi mới"), default=0)
    updated_count = models.PositiveIntegerField(_("số bản ghi cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("số bản ghi không đổi"), default=0)
    # Scope of the import (the importing user's unit), so lists can be filtered by unit.
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("lần nhập Excel")
        verbose_name_plural = _("các lần nhập Excel")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    def audit_unit_path(self) -> str:
        return self.unit_path


class LegalDocument(TimeStampedModel):
    """The document register: plans, guidance, decisions that movements, conferences and decisions
    rest on (e.g. "204/KH-UBND" of 12/7/2019 by the provincial People's Committee)."""

    number = NFCCharField(_("số, ký hiệu"), max_length=80)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = NFCCharField(_("cơ quan ban hành"), max_length=255)
    title = NFCCharField(_("trích yếu"), max_length=500)
    file = models.FileField(_("tệp"), upload_to="documents/%Y/", blank=True)
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị quản lý"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("sổ văn bản")
        ordering = ["-issued_on", "number"]
        constraints = [models.UniqueConstraint(fields=["number", "issued_on", "issuer"], name="legal_document_unique")]

    def __str__(self) -> str:
        return f"{self.number} ngày {self.issued_on:%d/%m/%Y} — {self.title}"

    def audit_unit_path(self) -> str:
        return self.unit.path if self.unit_id else ""


class GeneratedDocument(models.Model):
    """A generated file (DOCX, PDF, XLSX) stored as a new version with its hash; never overwritten."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    kind = models.CharField(_("loại văn bản"), max_length=40)
    version = models.PositiveIntegerField(_("phiên bản"))
    file = models.FileField(_("tệp"), upload_to="generated/%Y/%m/")
    filename = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("văn bản được tạo")
        verbose_name_plural = _("văn bản được tạo")
        ordering = ["-created_at", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind", "version"], name="generated_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.filename} (v{self.version})"


class Notification(models.Model):
    """An in-app message to one user; also sent by e-mail when the user has an address."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = NFCCharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class Deadline(models.Model):
    """A dated obligation of a unit (register by…, report by…), tracked for reminders and overdue marks.

    ``key`` names the obligation uniquely (e.g. "movement:12:registration:unit:34"), so the code that
    creates deadlines can re-sync them without duplicates, and a reminder is sent once per deadline.
    """

    key = models.CharField(max_length=120, unique=True)
    label = NFCCharField(_("việc phải làm"), max_length=300)
    due_on = models.DateField(_("hạn"), db_index=True)
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="deadlines")
    url = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(_("đã hoàn thành lúc"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("đã nhắc lúc"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("đã báo quá hạn lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thời hạn")
        verbose_name_plural = _("thời hạn")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.label} — {self.due_on:%d/%m/%Y}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class Holiday(models.Model):
    """A public holiday (Tết included) or a compensatory day off; the admin keeps the calendar, so that
    legal time limits counted in working days skip them."""

    day = models.DateField(_("ngày"), unique=True)
    name = NFCCharField(_("tên ngày nghỉ"), max_length=120)

    class Meta:
        verbose_name = _("ngày nghỉ lễ, Tết")
        verbose_name_plural = _("lịch nghỉ lễ, Tết")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"
