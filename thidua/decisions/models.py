"""Decisions (quyết định khen thưởng, quyết định hủy bỏ khen thưởng), their numbering, the lines they award,
the certificates printed for them, and the revocations.

An issued decision is never changed: the services refuse every edit once ``status`` is ``issued`` (a
correction is a new decision that ``replaces`` or ``amends`` it). Its number comes from ``NumberCounter``,
locked inside the issuing transaction, so numbers are never duplicated nor skipped.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.common.fields import NFCCharField, NFCTextField
from thidua.common.models import ImmutableRecordError, TimeStampedModel
from thidua.decisions.enums import (
    AttachmentKind,
    BatchStatus,
    CertificateMode,
    DecisionKind,
    DecisionStatus,
    RevocationGround,
    SignerAuthority,
)

DECISION_SERIES = "QĐ"
REGISTER_SERIES = "SO"


class NumberCounter(models.Model):
    """The last number taken in a series (decisions "QĐ", register entries "SO") of a unit for a year.

    Locked with SELECT … FOR UPDATE by the transaction that takes the next number; when that transaction
    rolls back, the number goes back too."""

    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=16)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "series"], name="number_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class Decision(TimeStampedModel):
    kind = models.CharField(_("loại quyết định"), max_length=16, choices=DecisionKind.choices, default=DecisionKind.AWARD)
    issuing_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="decisions"
    )
    type_code = models.CharField(_("ký hiệu loại văn bản"), max_length=10, default="QĐ")
    status = models.CharField(_("trạng thái"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    # Given at issue time only.
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    reference = NFCCharField(_("số, ký hiệu"), max_length=60, blank=True, db_index=True)
    # Planned while a draft; the day it is signed and issued afterwards.
    decision_date = models.DateField(_("ngày ký"), null=True, blank=True)
    subject = NFCCharField(_("trích yếu"), max_length=500)
    authority_line = NFCCharField(_("thẩm quyền ban hành"), max_length=300, blank=True)
    proposal = NFCCharField(_("theo đề nghị của"), max_length=500, blank=True)
    achievement = NFCTextField(_("thành tích"), blank=True)
    with_annex = models.BooleanField(_("kèm danh sách (phụ lục)"), default=True)
    fund = NFCCharField(_("nguồn kinh phí"), max_length=300, blank=True)
    effect = NFCCharField(_("hiệu lực"), max_length=300, blank=True)
    executors = NFCTextField(_("tổ chức thực hiện"), blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=8, choices=SignerAuthority.choices, blank=True)
    signer_body_title = NFCCharField(_("chức danh thủ trưởng"), max_length=120, blank=True)
    signer_title = NFCCharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = NFCCharField(_("họ tên người ký"), max_length=120, blank=True)
    distribution = models.JSONField(_("nơi nhận"), default=list, blank=True)
    replaces = models.ForeignKey(
        "self", verbose_name=_("thay thế quyết định"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    amends = models.ForeignKey(
        "self", verbose_name=_("sửa đổi, bổ sung quyết định"), null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by"
    )
    revocation_ground = models.CharField(_("căn cứ hủy bỏ"), max_length=24, choices=RevocationGround.choices, blank=True)
    revocation_reason = NFCTextField(_("lý do cụ thể"), blank=True)
    return_note = NFCTextField(_("ý kiến của người ký"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("trình ký lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        ordering = ["-decision_date", "-number", "-id"]
        constraints = [
            # The database's own guarantee that a number is never given twice.
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "number"], condition=Q(number__isnull=False), name="decision_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | (Q(number__isnull=False) & Q(decision_date__isnull=False)),
                name="decision_issued_has_number",
            ),
        ]
        indexes = [models.Index(fields=["issuing_unit", "status"]), models.Index(fields=["year", "issuing_unit"])]

    def __str__(self) -> str:
        if self.reference:
            return f"{self.reference} — {self.subject}"
        return f"{DecisionStatus(self.status).label}: {self.subject}"

    def audit_unit_path(self) -> str:
        return self.issuing_unit.path

    def save(self, *args, **kwargs):
        # Defence in depth behind the services: a row that is issued in the database is never written again.
        if self.pk is not None and Decision.objects.filter(pk=self.pk, status=DecisionStatus.ISSUED).exists():
            raise ImmutableRecordError("An issued decision cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and Decision.objects.filter(pk=self.pk, status=DecisionStatus.ISSUED).exists():
            raise ImmutableRecordError("An issued decision cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == DecisionStatus.ISSUED

    @property
    def is_revocation(self) -> bool:
        return self.kind == DecisionKind.REVOCATION

    def signature_lines(self) -> list[str]:
        """The authority lines of the signature block: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"
        / "CHỦ TỊCH", "Q. GIÁM ĐỐC", or the head's title alone."""
        title = (self.signer_title or "").upper()
        body = (self.signer_body_title or "").upper()
        authority = self.signer_authority
        if authority == SignerAuthority.ACTING:
            return [f"Q. {body or title}"]
        if authority and body:
            return [f"{authority} {body}", title] if title else [f"{authority} {body}"]
        return [title] if title else []


class DecisionBasis(models.Model):
    """One legal basis (căn cứ): a document of the register, or a line of text. The line is written down
    when the decision is issued, so later edits of the register do not change an issued decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="bases")
    order = models.PositiveSmallIntegerField(default=1)
    document = models.ForeignKey("common.LegalDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = NFCCharField(_("căn cứ"), max_length=1000, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=Q(document__isnull=False) | ~Q(text=""), name="decision_basis_something")]

    def __str__(self) -> str:
        return self.text or str(self.document)


class DecisionRecipient(models.Model):
    """One line of an award decision: who gets which award for which period, with the money.

    The name and the position are written down when the draft is made (as of the planned date), so the
    decision and its certificates keep them when the person later moves."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="recipients")
    order = models.PositiveIntegerField(default=1)
    nominee = models.ForeignKey("nominations.Nominee", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("organizations.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    household_name = NFCCharField(_("hộ gia đình"), max_length=255, blank=True)
    award = models.ForeignKey("rules.AwardType", verbose_name=_("danh hiệu, hình thức"), on_delete=models.PROTECT, related_name="+")
    period_start = models.PositiveSmallIntegerField(_("thành tích từ năm"))
    period_end = models.PositiveSmallIntegerField(_("thành tích đến năm"))
    salutation = NFCCharField(_("danh xưng"), max_length=20, blank=True)
    name = NFCCharField(_("họ tên, tên tập thể"), max_length=255)
    position = NFCCharField(_("chức vụ, đơn vị"), max_length=500, blank=True)
    achievement = NFCTextField(_("thành tích ghi trên giấy khen"), blank=True)
    counts_for_regular = models.BooleanField(default=True)
    coefficient = models.DecimalField(_("hệ số"), max_digits=6, decimal_places=2, null=True, blank=True)
    base_salary = models.PositiveIntegerField(_("mức lương cơ sở"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    money_note = NFCCharField(_("ghi chú tiền thưởng"), max_length=300, blank=True)
    register_number = NFCCharField(_("số sổ"), max_length=40, blank=True)
    award_record = models.OneToOneField(
        "records.AwardRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="decision_line"
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True, household_name="")
                | Q(person__isnull=True, unit__isnull=False, household_name="")
                | (Q(person__isnull=True, unit__isnull=True) & ~Q(household_name="")),
                name="decision_recipient_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.award}"

    def save(self, *args, **kwargs):
        if Decision.objects.filter(pk=self.decision_id, status=DecisionStatus.ISSUED).exists():
            raise ImmutableRecordError("The lines of an issued decision cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Decision.objects.filter(pk=self.decision_id, status=DecisionStatus.ISSUED).exists():
            raise ImmutableRecordError("The lines of an issued decision cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def subject(self) -> str:
        return "individual" if self.person_id else "collective" if self.unit_id else "household"


class DecisionTransition(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=DecisionStatus.choices)
    to_status = models.CharField(max_length=16, choices=DecisionStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = NFCTextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.from_status} → {self.to_status}"


class DecisionAttachment(models.Model):
    """The signed scan (or the digitally signed PDF) of an issued decision. Each upload is kept; none is
    replaced or deleted."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("loại"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.SIGNED_SCAN)
    file = models.FileField(_("tệp"), upload_to="decisions/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    def audit_unit_path(self) -> str:
        return self.decision.issuing_unit.path


class RevocationItem(models.Model):
    """One award revoked by a revocation decision, with the money to be returned and its deadline."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="revocation_items")
    order = models.PositiveIntegerField(default=1)
    award_record = models.ForeignKey("records.AwardRecord", on_delete=models.PROTECT, related_name="revocation_items")
    amount_to_recover = models.PositiveBigIntegerField(_("tiền thưởng phải nộp lại (đồng)"), default=0)
    return_due = models.DateField(_("hạn nộp lại"), null=True, blank=True)
    returned_on = models.DateField(_("đã nộp lại ngày"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "award_record"], name="revocation_item_unique")]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.award_record_id}"


class Certificate(models.Model):
    """The certificate of one award line, with its verification code (random, 80 bits, Crockford base32).

    Its status (valid or revoked) is read from the award record, so a revocation shows at once."""

    code = models.CharField(_("mã xác thực"), max_length=16, unique=True)
    recipient = models.OneToOneField(DecisionRecipient, on_delete=models.PROTECT, related_name="certificate")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificates")
    # The QR code's modules for ``qr_payload`` ("0"/"1" rows joined by "\n"), kept once computed: encoding a
    # QR code in pure Python costs about a millisecond, the largest part of printing a certificate.
    qr_payload = models.CharField(max_length=200, blank=True)
    qr_matrix = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy khen, bằng khen")
        verbose_name_plural = _("giấy khen, bằng khen")
        ordering = ["decision", "recipient__order", "id"]

    def __str__(self) -> str:
        return self.code


class CertificateTemplate(TimeStampedModel):
    """A pre-printed blank (phôi) of a unit and where each field goes on it, in millimetres from the top
    left corner of the sheet. ``fields``: {key: {"x", "y", "w", "size", "bold", "italic", "align",
    "visible", "upper"}} (see ``certificates.FIELDS``)."""

    unit = models.ForeignKey("organizations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    name = NFCCharField(_("tên mẫu phôi"), max_length=200)
    award = models.ForeignKey(
        "rules.AwardType", verbose_name=_("dùng cho"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    width_mm = models.DecimalField(_("chiều rộng (mm)"), max_digits=6, decimal_places=1, default=297)
    height_mm = models.DecimalField(_("chiều cao (mm)"), max_digits=6, decimal_places=1, default=210)
    fields = models.JSONField(_("vị trí các trường"), default=dict)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("mẫu phôi giấy khen, bằng khen")
        verbose_name_plural = _("mẫu phôi giấy khen, bằng khen")
        ordering = ["unit", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.unit.path


class CertificateBatch(models.Model):
    """One generation of a decision's certificates into one PDF: inline for small decisions, as a
    background task (``tasks.certificates_generate``) for large ones, with its progress."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="certificate_batches")
    mode = models.CharField(_("cách in"), max_length=16, choices=CertificateMode.choices, default=CertificateMode.FULL)
    template = models.ForeignKey(CertificateTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    document = models.ForeignKey("common.GeneratedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    error = NFCTextField(blank=True)
    base_url = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.mode} {self.status}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


class VerificationMiss(models.Model):
    """A verification request for a code that does not exist, for throttling guessers (as failed logins)."""

    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.ip_address} {self.at:%Y-%m-%d %H:%M}"
