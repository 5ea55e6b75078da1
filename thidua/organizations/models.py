import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.common.fields import NFCCharField, NFCTextField
from thidua.common.models import TimeStampedModel
from thidua.organizations.enums import Gender, PositionCategory, SuccessionKind, UnitKind

# A path segment per unit: the primary key in base 36, fixed width, so that a subtree is a path prefix
# and "all units under X" is one indexed LIKE 'prefix%' query, never recursion in Python.
PATH_SEGMENT_WIDTH = 7
PATH_SEPARATOR = "/"
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def path_segment(pk: int) -> str:
    digits = ""
    while pk:
        pk, remainder = divmod(pk, 36)
        digits = _DIGITS36[remainder] + digits
    return digits.rjust(PATH_SEGMENT_WIDTH, "0") + PATH_SEPARATOR


unit_code_validator = RegexValidator(
    r"^[A-Za-z0-9_.\-]+$", _("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ -")
)
cccd_validator = RegexValidator(r"^\d{12}$", _("Số CCCD phải gồm đúng 12 chữ số."))
phone_validator = RegexValidator(r"^\+?[0-9 .\-]{8,15}$", _("Số điện thoại không hợp lệ."))


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "UnitQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def under(self, unit: "Unit", include_self: bool = True) -> "UnitQuerySet":
        queryset = self.filter(path__startswith=unit.path)
        return queryset if include_self else queryset.exclude(pk=unit.pk)


class Unit(TimeStampedModel):
    """An agency, office, centre, commune… at one place in the tree, for the dates it existed.

    A unit that is merged or split is not deleted: it gets a ``valid_to`` and successor links
    (UnitSuccession), so its history stays and its successor is found.
    """

    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True, validators=[unit_code_validator])
    name = NFCCharField(_("tên đơn vị"), max_length=255)
    short_name = NFCCharField(
        _("tên viết tắt"),
        max_length=40,
        blank=True,
        help_text=_("Dùng trong số văn bản, ví dụ SKHCN trong “15/QĐ-SKHCN”."),
    )
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    address = NFCCharField(_("địa chỉ"), max_length=255, blank=True)
    note = NFCTextField(_("ghi chú"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def document_code(self) -> str:
        return self.short_name or self.code

    def audit_unit_path(self) -> str:
        return self.path

    def ancestor_paths(self) -> list[str]:
        segment = PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)
        return [self.path[:end] for end in range(segment, len(self.path) + 1, segment)]


class UnitSuccession(TimeStampedModel):
    """predecessor → successor on a date: a merger, a split, a renaming or a transfer."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị kế thừa"), on_delete=models.PROTECT, related_name="successions_in"
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("từ ngày"))
    legal_basis = NFCCharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        ordering = ["effective_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_succession_unique"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="unit_succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"

    def audit_unit_path(self) -> str:
        return self.predecessor.path


class Person(TimeStampedModel):
    """One lifelong record of a person, whatever unit they work in over the years."""

    family_name = NFCCharField(_("họ"), max_length=60, blank=True)
    middle_name = NFCCharField(_("tên đệm"), max_length=80, blank=True)
    given_name = NFCCharField(_("tên"), max_length=60)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    ethnicity = NFCCharField(_("dân tộc"), max_length=40, blank=True, default="Kinh")
    cccd = models.CharField(
        _("số CCCD"), max_length=12, null=True, blank=True, unique=True, validators=[cccd_validator]
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, validators=[phone_validator])
    recruited_on = models.DateField(_("ngày tuyển dụng"), null=True, blank=True)
    # Current employment, kept in step by the employment services so that lists and unit scoping
    # need no subquery over the history.
    current_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="current_people"
    )
    current_position = NFCCharField(_("chức vụ"), max_length=120, blank=True)
    current_position_category = models.CharField(
        _("nhóm chức vụ"), max_length=24, choices=PositionCategory.choices, blank=True
    )
    # Derived from the names (organizations.services): accent-folded text for search and a
    # Vietnamese dictionary-order key (given, family, middle) for sorting.
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=False)
    sort_key = models.CharField(max_length=400, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["current_unit", "sort_key"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.family_name, self.middle_name, self.given_name) if part)

    def audit_unit_path(self) -> str:
        return self.current_unit.path if self.current_unit_id else ""


class Employment(TimeStampedModel):
    """A period of work in one unit, in one position."""

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.CASCADE, related_name="employments")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="employments")
    position = NFCCharField(_("chức vụ"), max_length=120, blank=True)
    position_category = models.CharField(
        _("nhóm chức vụ"), max_length=24, choices=PositionCategory.choices, blank=True
    )
    rank = NFCCharField(_("ngạch, chức danh nghề nghiệp"), max_length=120, blank=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    note = NFCCharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["person", "-start_date", "-id"]
        indexes = [models.Index(fields=["unit", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position or ''} {self.unit}"

    def audit_unit_path(self) -> str:
        return self.unit.path
