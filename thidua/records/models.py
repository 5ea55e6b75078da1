"""The evidence the rules look at: ratings, initiatives and research, discipline and pending matters,
leave, and the register of past awards."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.common.fields import NFCCharField, NFCTextField
from thidua.common.models import TimeStampedModel
from thidua.records.enums import (
    AwardSource,
    DisciplineLevel,
    InitiativeKind,
    LeaveKind,
    PendingMatterKind,
    Rating,
    Scope,
)

_ONE_SUBJECT = Q(person__isnull=False, unit__isnull=True) | Q(person__isnull=True, unit__isnull=False)


class AnnualRating(TimeStampedModel):
    """The yearly rating (đánh giá, xếp loại) of a person or of a unit."""

    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=8, choices=Rating.choices)
    note = NFCCharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kết quả xếp loại")
        verbose_name_plural = _("kết quả xếp loại")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(condition=_ONE_SUBJECT, name="rating_one_subject"),
            models.UniqueConstraint(fields=["person", "year"], condition=Q(person__isnull=False), name="rating_person_year"),
            models.UniqueConstraint(fields=["unit", "year"], condition=Q(unit__isnull=False), name="rating_unit_year"),
        ]
        indexes = [models.Index(fields=["year", "person"]), models.Index(fields=["year", "unit"])]

    def __str__(self) -> str:
        return f"{self.person or self.unit} {self.year}: {self.rating}"

    def audit_unit_path(self) -> str:
        if self.unit_id:
            return self.unit.path
        return self.person.current_unit.path if self.person.current_unit_id else ""


class Initiative(TimeStampedModel):
    """A recognised initiative (sáng kiến) or research task (đề tài, đề án) with its authors."""

    title = NFCCharField(_("tên"), max_length=500)
    kind = models.CharField(_("loại"), max_length=16, choices=InitiativeKind.choices)
    authors = models.ManyToManyField(
        "organizations.Person", verbose_name=_("tác giả"), through="InitiativeAuthor", related_name="initiatives"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="initiatives"
    )
    scope = models.CharField(_("phạm vi ảnh hưởng"), max_length=16, choices=Scope.choices)
    recognized_on = models.DateField(_("ngày công nhận"))
    recognizing_decision = NFCCharField(_("quyết định công nhận"), max_length=200, blank=True)
    recognizing_body = NFCCharField(_("cơ quan công nhận"), max_length=255, blank=True)
    applied = models.BooleanField(_("đã áp dụng"), default=False)
    effective = models.BooleanField(_("có hiệu quả"), default=False)
    summary = NFCTextField(_("tóm tắt"), blank=True)

    class Meta:
        verbose_name = _("sáng kiến, đề tài")
        verbose_name_plural = _("sáng kiến, đề tài")
        ordering = ["-recognized_on", "id"]
        indexes = [models.Index(fields=["recognized_on"])]

    def __str__(self) -> str:
        return self.title

    def audit_unit_path(self) -> str:
        return self.unit.path if self.unit_id else ""


class InitiativeAuthor(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="author_links")
    person = models.ForeignKey("organizations.Person", on_delete=models.PROTECT, related_name="initiative_links")
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["initiative", "person"], name="initiative_author_unique")]


class Discipline(TimeStampedModel):
    """A disciplinary measure in force over a period, or a pending matter (investigation, complaint
    under verification, discipline being considered) that defers any award until it is settled."""

    person = models.ForeignKey("organizations.Person", verbose_name=_("cá nhân"), on_delete=models.CASCADE, related_name="disciplines")
    level = models.CharField(_("hình thức kỷ luật"), max_length=16, choices=DisciplineLevel.choices, blank=True)
    pending = models.BooleanField(_("đang xem xét, chưa có kết luận"), default=False)
    pending_kind = models.CharField(_("loại vụ việc"), max_length=24, choices=PendingMatterKind.choices, blank=True)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    decision = NFCCharField(_("quyết định"), max_length=200, blank=True)
    note = NFCTextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("kỷ luật, vụ việc đang xem xét")
        verbose_name_plural = _("kỷ luật, vụ việc đang xem xét")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(pending=True) | ~Q(level=""), name="discipline_level_or_pending"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="discipline_dates"),
        ]

    def __str__(self) -> str:
        label = self.get_pending_kind_display() if self.pending else self.get_level_display()
        return f"{self.person}: {label}"

    def audit_unit_path(self) -> str:
        return self.person.current_unit.path if self.person.current_unit_id else ""


class Leave(TimeStampedModel):
    person = models.ForeignKey("organizations.Person", verbose_name=_("cá nhân"), on_delete=models.CASCADE, related_name="leaves")
    kind = models.CharField(_("loại nghỉ"), max_length=16, choices=LeaveKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    note = NFCCharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thời gian nghỉ")
        verbose_name_plural = _("thời gian nghỉ")
        ordering = ["-start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="leave_dates")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    def audit_unit_path(self) -> str:
        return self.person.current_unit.path if self.person.current_unit_id else ""


class AwardRecord(TimeStampedModel):
    """One award received: the register (sổ vàng) that history, eligibility and reports read.

    Past awards are imported from old decisions; issued decisions add theirs. The achievement period is
    a year or a span of years (``period_start``–``period_end``).
    """

    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    household_name = NFCCharField(_("hộ gia đình"), max_length=255, blank=True)
    award = models.ForeignKey("rules.AwardType", verbose_name=_("danh hiệu, hình thức"), on_delete=models.PROTECT, related_name="records")
    period_start = models.PositiveSmallIntegerField(_("thành tích từ năm"))
    period_end = models.PositiveSmallIntegerField(_("thành tích đến năm"))
    decision_number = NFCCharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    issuing_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("cơ quan quyết định"), null=True, blank=True, on_delete=models.PROTECT, related_name="issued_awards"
    )
    issuer_name = NFCCharField(_("cơ quan quyết định (ghi rõ)"), max_length=255, blank=True)
    register_number = NFCCharField(_("số sổ"), max_length=40, blank=True)
    amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=16, choices=AwardSource.choices, default=AwardSource.MANUAL)
    # Awards from sudden or thematic rounds do not count towards regular ones (Decree 152 art. 4).
    counts_for_regular = models.BooleanField(_("tính cho khen thưởng thường xuyên"), default=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)
    note = NFCCharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("sổ khen thưởng")
        ordering = ["-period_end", "-decision_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True, household_name="")
                | Q(person__isnull=True, unit__isnull=False, household_name="")
                | (Q(person__isnull=True, unit__isnull=True) & ~Q(household_name="")),
                name="award_record_one_recipient",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="award_record_period"),
        ]
        indexes = [
            models.Index(fields=["person", "period_end"]),
            models.Index(fields=["unit", "period_end"]),
            models.Index(fields=["award", "period_end"]),
        ]

    def __str__(self) -> str:
        recipient = self.person or self.unit or self.household_name
        period = str(self.period_end) if self.period_start == self.period_end else f"{self.period_start}–{self.period_end}"
        return f"{recipient}: {self.award} ({period})"

    def audit_unit_path(self) -> str:
        if self.unit_id:
            return self.unit.path
        if self.person_id and self.person.current_unit_id:
            return self.person.current_unit.path
        return self.issuing_unit.path if self.issuing_unit_id else ""
