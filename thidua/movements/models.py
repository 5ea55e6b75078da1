"""Emulation movements (phong trào thi đua): their launch, registrations, clusters with covenants and
scores, and mid-term and final reviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.common.fields import NFCCharField, NFCTextField
from thidua.common.models import TimeStampedModel
from thidua.movements.enums import (
    ClusterKind,
    MovementKind,
    MovementStatus,
    Participation,
    RegistrationStatus,
    ReviewKind,
)


class Movement(TimeStampedModel):
    title = NFCCharField(_("tên phong trào"), max_length=300)
    kind = models.CharField(_("loại phong trào"), max_length=16, choices=MovementKind.choices)
    launching_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị phát động"), on_delete=models.PROTECT, related_name="movements"
    )
    # A five-year movement holds its yearly rounds as children.
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc phong trào"), null=True, blank=True, on_delete=models.PROTECT, related_name="rounds"
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    purpose = NFCTextField(_("mục đích, yêu cầu"), blank=True)
    content = NFCTextField(_("nội dung, chỉ tiêu"), blank=True)
    registration_deadline = models.DateField(_("hạn đăng ký thi đua"), null=True, blank=True)
    participation = models.CharField(
        _("đơn vị tham gia"), max_length=16, choices=Participation.choices, default=Participation.SUBTREE
    )
    chosen_units = models.ManyToManyField(
        "organizations.Unit", verbose_name=_("các đơn vị được chọn"), blank=True, related_name="chosen_for_movements"
    )
    planned_awards = models.ManyToManyField(
        "rules.AwardType", verbose_name=_("hình thức khen thưởng dự kiến"), blank=True, related_name="movements"
    )
    legal_bases = models.ManyToManyField(
        "common.LegalDocument", verbose_name=_("văn bản căn cứ, hướng dẫn"), blank=True, related_name="movements"
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=MovementStatus.choices, default=MovementStatus.DRAFT)
    launched_on = models.DateField(_("ngày phát động"), null=True, blank=True)
    closed_on = models.DateField(_("ngày tổng kết"), null=True, blank=True)
    final_review = NFCTextField(_("kết quả tổng kết"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start", "title"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="movement_period")]

    def __str__(self) -> str:
        return self.title

    def audit_unit_path(self) -> str:
        return self.launching_unit.path


class MovementTask(models.Model):
    """A focus task or target of the movement (the seed's six tasks of 2020–2025)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(default=1)
    text = NFCTextField(_("nhiệm vụ trọng tâm"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class MovementCriterion(models.Model):
    """A line of the movement's scoring grid, with its maximum points."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=1)
    name = NFCCharField(_("tiêu chí"), max_length=300)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class MovementAttachment(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="attachments")
    title = NFCCharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="movements/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class MovementTransition(models.Model):
    """One status change of a movement, as it happened."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=MovementStatus.choices)
    to_status = models.CharField(max_length=16, choices=MovementStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = NFCTextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.movement}: {self.from_status} → {self.to_status}"


class Registration(TimeStampedModel):
    """A unit (as a collective) or a person registering for a movement: the titles aimed for and the
    commitments. No longer a legal precondition of an award (Law 2022), but shown on nominations."""

    movement = models.ForeignKey(Movement, verbose_name=_("phong trào"), on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    # The participating unit the registration counts for (the person's unit when they registered).
    on_behalf_of = models.ForeignKey(
        "organizations.Unit", verbose_name=_("thuộc đơn vị"), on_delete=models.PROTECT, related_name="member_registrations"
    )
    awards = models.ManyToManyField("rules.AwardType", verbose_name=_("danh hiệu đăng ký"), blank=True, related_name="+")
    commitment = NFCTextField(_("nội dung cam kết"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.SUBMITTED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["movement", "on_behalf_of", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, person__isnull=True) | Q(unit__isnull=True, person__isnull=False),
                name="registration_one_subject",
            ),
            models.UniqueConstraint(fields=["movement", "unit"], condition=Q(unit__isnull=False), name="registration_movement_unit"),
            models.UniqueConstraint(fields=["movement", "person"], condition=Q(person__isnull=False), name="registration_movement_person"),
        ]

    def __str__(self) -> str:
        return f"{self.movement}: {self.person or self.unit}"

    def audit_unit_path(self) -> str:
        return self.on_behalf_of.path


class Cluster(TimeStampedModel):
    """An emulation cluster or bloc: comparable units compared with each other for a year."""

    name = NFCCharField(_("tên cụm, khối"), max_length=255)
    kind = models.CharField(_("loại"), max_length=8, choices=ClusterKind.choices, default=ClusterKind.CLUSTER)
    year = models.PositiveSmallIntegerField(_("năm"))
    organizer = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="organized_clusters"
    )
    movement = models.ForeignKey(
        Movement, verbose_name=_("phong trào (bảng tiêu chí)"), null=True, blank=True, on_delete=models.PROTECT, related_name="clusters"
    )
    head_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị cụm trưởng"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deputy_head_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị cụm phó"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    covenant_text = NFCTextField(_("nội dung giao ước thi đua"), blank=True)
    covenant_signed_on = models.DateField(_("ngày ký giao ước"), null=True, blank=True)
    covenant_file = models.FileField(_("tệp giao ước đã ký"), upload_to="clusters/%Y/", blank=True)

    class Meta:
        verbose_name = _("cụm, khối thi đua")
        verbose_name_plural = _("cụm, khối thi đua")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["organizer", "year", "name"], name="cluster_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def audit_unit_path(self) -> str:
        return self.organizer.path


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="cluster_memberships")
    covenant_signed_at = models.DateTimeField(_("đã ký giao ước lúc"), null=True, blank=True)
    covenant_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["cluster", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["cluster", "unit"], name="cluster_member_unique")]

    def __str__(self) -> str:
        return f"{self.cluster}: {self.unit}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class ClusterScore(models.Model):
    """A member's points on one criterion: its self-assessment, the cluster's review, the final score."""

    member = models.ForeignKey(ClusterMember, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(MovementCriterion, on_delete=models.PROTECT, related_name="scores")
    self_score = models.DecimalField(_("tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    review_score = models.DecimalField(_("cụm chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(_("điểm chính thức"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = NFCCharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["member", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["member", "criterion"], name="cluster_score_unique")]

    def __str__(self) -> str:
        return f"{self.member}: {self.criterion.name}"

    def audit_unit_path(self) -> str:
        return self.member.unit.path


class ReviewRequest(TimeStampedModel):
    """The launching unit asks the participating units for a mid-term or final review report."""

    movement = models.ForeignKey(Movement, verbose_name=_("phong trào"), on_delete=models.CASCADE, related_name="review_requests")
    kind = models.CharField(_("loại"), max_length=16, choices=ReviewKind.choices)
    title = NFCCharField(_("tiêu đề"), max_length=300)
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn gửi báo cáo"))
    instructions = NFCTextField(_("hướng dẫn"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("yêu cầu báo cáo sơ kết, tổng kết")
        verbose_name_plural = _("yêu cầu báo cáo sơ kết, tổng kết")
        ordering = ["-deadline", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_unit_path(self) -> str:
        return self.movement.launching_unit.path


class ReviewReport(TimeStampedModel):
    """A participating unit's figures for a review, plus its report file."""

    request = models.ForeignKey(ReviewRequest, verbose_name=_("yêu cầu"), on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="review_reports")
    registrations_met = models.PositiveIntegerField(_("số đăng ký đạt"), default=0)
    titles_achieved = models.PositiveIntegerField(_("số danh hiệu đạt được"), default=0)
    initiatives = models.PositiveIntegerField(_("số sáng kiến, đề tài"), default=0)
    commendations = models.PositiveIntegerField(_("số cá nhân, tập thể được khen thưởng"), default=0)
    remarks = NFCTextField(_("nhận xét, kiến nghị"), blank=True)
    file = models.FileField(_("tệp báo cáo"), upload_to="reviews/%Y/", blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("báo cáo sơ kết, tổng kết")
        verbose_name_plural = _("báo cáo sơ kết, tổng kết")
        ordering = ["request", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["request", "unit"], name="review_report_unique")]

    def __str__(self) -> str:
        return f"{self.request}: {self.unit}"

    def audit_unit_path(self) -> str:
        return self.unit.path
