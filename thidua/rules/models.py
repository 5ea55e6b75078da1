from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.common.fields import NFCCharField, NFCTextField
from thidua.common.models import TimeStampedModel
from thidua.rules.enums import AwardCategory, AwardLevel, Certainty


class AwardType(TimeStampedModel):
    """An entry of the award catalog: a title or a form, with who may receive and confer it.

    Shipped codes (LDTT, CSTDCS, …) are loaded from rules/data/awards.json; an agency may add its own.
    """

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = NFCCharField(_("tên"), max_length=200)
    short_name = NFCCharField(_("tên viết tắt"), max_length=40, blank=True)
    category = models.CharField(_("loại"), max_length=16, choices=AwardCategory.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=AwardLevel.choices)
    for_individual = models.BooleanField(_("cho cá nhân"), default=False)
    for_collective = models.BooleanField(_("cho tập thể"), default=False)
    for_household = models.BooleanField(_("cho hộ gia đình"), default=False)
    conferrer = NFCCharField(_("thẩm quyền quyết định"), max_length=255, blank=True)
    # Unit kinds whose head may confer it (organizations.enums.UnitKind values).
    conferrer_unit_kinds = models.JSONField(_("loại đơn vị có thẩm quyền"), default=list, blank=True)
    artifacts = NFCCharField(_("hiện vật"), max_length=255, blank=True)
    # Higher ranks first when several awards cover the same period (only the highest is paid).
    precedence = models.PositiveSmallIntegerField(_("thứ bậc"), default=0)
    annual = models.BooleanField(_("xét hằng năm"), default=False)
    legal_source = NFCCharField(_("căn cứ"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("danh mục khen thưởng")
        ordering = ["category", "-precedence", "code"]

    def __str__(self) -> str:
        return self.name

    def conferrable_by(self, unit) -> bool:
        """Whether ``unit`` may confer this award itself (by its kind); otherwise it proposes upward."""
        return unit.kind in (self.conferrer_unit_kinds or [])

    @property
    def subjects(self) -> list[str]:
        return [
            subject
            for subject, allowed in (
                ("individual", self.for_individual),
                ("collective", self.for_collective),
                ("household", self.for_household),
            )
            if allowed
        ]


class RuleOverride(TimeStampedModel):
    """A province or agency layer on top of the national ruleset: one value at one path, for a
    period, for a unit's subtree (or everywhere when unit is empty).

    ``target`` is a dotted path into the ruleset document, e.g. ``parameters.quotas.CSTDCS.max_share``
    or ``awards.TTLDTT.rules.members_ldtt.params.min_share``.
    """

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("áp dụng cho đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_overrides",
    )
    target = models.CharField(_("tham số"), max_length=200)
    value = models.JSONField(_("giá trị"))
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    legal_source = NFCCharField(_("căn cứ"), max_length=255)
    certainty = models.CharField(_("mức xác thực"), max_length=16, choices=Certainty.choices, default=Certainty.PROVINCIAL)
    note = NFCTextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("tham số của tỉnh, cơ quan")
        verbose_name_plural = _("tham số của tỉnh, cơ quan")
        ordering = ["target", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name="rule_override_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} = {self.value}"

    def audit_unit_path(self) -> str:
        return self.unit.path if self.unit_id else ""


class BaseSalaryRate(TimeStampedModel):
    """Mức lương cơ sở from a date; the shipped timeline (data/base_salary.json) plus rows added here."""

    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    amount = models.PositiveIntegerField(_("mức lương cơ sở (đồng)"))
    legal_source = NFCCharField(_("căn cứ"), max_length=255)
    certainty = models.CharField(_("mức xác thực"), max_length=16, choices=Certainty.choices, default=Certainty.VERIFIED)

    class Meta:
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.amount:,} đ từ {self.effective_from:%d/%m/%Y}"
