"""Forms for screening, rulesets, provincial overrides, the base salary and the award catalog. They
check the shape of the input with Vietnamese messages; the services enforce the rest and their
ValidationErrors are put back on the fields."""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.common.text import clean_text
from thidua.organizations.enums import UnitKind
from thidua.organizations.forms import ServiceErrorsMixin, UnitChoiceField, date_field
from thidua.rules.enums import Certainty, Verdict
from thidua.rules.models import AwardType
from thidua.rules.selectors import MIN_YEAR, OverridablePath, year_problem


def _unit_label(unit) -> str:
    return f"{'— ' * unit.depth}{unit.name} ({unit.code})"


def _award_label(award: AwardType) -> str:
    return award.short_name or award.name


# ---------------------------------------------------------------- screening


class ScreeningForm(forms.Form):
    """Which unit, year and date to screen, and the filters on the rows (applied after one engine run)."""

    unit = forms.ChoiceField(label=_("Đơn vị"))
    year = forms.IntegerField(
        label=_("Năm xét"),
        min_value=MIN_YEAR,
        error_messages={
            "invalid": _("Năm phải là một số, ví dụ 2025."),
            "min_value": _("Năm xét phải từ %(limit_value)s trở về sau."),
        },
    )
    as_of = date_field(
        _("Xét theo quy định tại ngày"), help_text=_("Quy định áp dụng là quy định có hiệu lực vào ngày này.")
    )
    extra = forms.MultipleChoiceField(
        label=_("Xét thêm"), required=False, widget=forms.CheckboxSelectMultiple
    )
    award = forms.ChoiceField(label=_("Danh hiệu"), required=False)
    verdict = forms.ChoiceField(
        label=_("Kết quả"), required=False, choices=[("", _("Tất cả"))] + Verdict.choices
    )
    q = forms.CharField(label=_("Tìm theo tên"), required=False, max_length=100)
    sub = forms.ChoiceField(label=_("Đơn vị trực thuộc"), required=False)

    def __init__(
        self,
        data=None,
        *,
        units: list,
        root,
        awards: list[AwardType],
        annual: list[str],
        optional: list[str],
        initial=None,
    ):
        super().__init__(data, initial=initial)
        self.fields["unit"].choices = [(unit.code, _unit_label(unit)) for unit in units]
        by_code = {award.code: award for award in awards}
        self.fields["extra"].choices = [(code, by_code[code].name) for code in optional]
        self.fields["award"].choices = [("", _("Tất cả"))] + [
            (code, _award_label(by_code[code])) for code in annual + optional
        ]
        subtree = [
            unit
            for unit in units
            if root is not None and unit.path.startswith(root.path) and unit.pk != root.pk
        ]
        self.fields["sub"].choices = [("", _("Toàn bộ"))] + [
            (unit.code, _unit_label(unit)) for unit in subtree
        ]
        self.subunits = {unit.code: unit for unit in subtree}
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Họ tên, có dấu hoặc không dấu"), "autocomplete": "off"}
        )
        self.fields["year"].widget.attrs.update({"min": MIN_YEAR, "max": timezone.localdate().year})

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        problem = year_problem(year)
        if problem:
            raise ValidationError(problem)
        return year

    def sub_unit(self):
        return self.subunits.get(self.cleaned_data.get("sub") or "")


# ---------------------------------------------------------------- rulesets


class RulesetQueryForm(forms.Form):
    """ "Quy định nào áp dụng vào ngày …?" — for a unit, since provincial overrides depend on it."""

    on = date_field(_("Vào ngày"), required=True)
    unit = forms.ChoiceField(label=_("Cho đơn vị"), required=False)

    def __init__(self, data=None, *, units: list, initial=None):
        super().__init__(data, initial=initial)
        self.fields["unit"].choices = [("", _("Không chọn (chỉ quy định chung)"))] + [
            (unit.code, _unit_label(unit)) for unit in units
        ]


# ---------------------------------------------------------------- overrides

_NUMBER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+([.,]\d+)?$")
_TRUE = {"có", "co", "true", "1", "đúng", "dung", "yes"}
_FALSE = {"không", "khong", "false", "0", "sai", "no"}


def parse_number(text: str) -> int | float:
    """ "0,7", "0.7", "70%", "1.500.000" → a number; ValueError for anything else."""
    raw = text.strip().replace(" ", "")
    percent = raw.endswith("%")
    if percent:
        raw = raw[:-1]
    if not _NUMBER.match(raw):
        raise ValueError(text)
    if re.match(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$", raw):
        raw = raw.replace(".", "")  # thousands separators in the Vietnamese way
    raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValueError(text) from None
    if percent:
        return float(number / 100)
    if number == number.to_integral_value() and "." not in raw:
        return int(number)
    return float(number)


class OverrideForm(ServiceErrorsMixin, forms.Form):
    unit = UnitChoiceField(
        label=_("Áp dụng cho đơn vị"),
        queryset=None,
        required=False,
        help_text=_("Áp dụng cho đơn vị này và mọi đơn vị trực thuộc."),
    )
    target = forms.ChoiceField(
        label=_("Tham số"), error_messages={"invalid_choice": _("Chọn một tham số trong danh sách.")}
    )
    value = forms.CharField(
        label=_("Giá trị mới"),
        max_length=500,
        help_text=_(
            "Số: 0,7 hoặc 70%. Có/không: “có” hoặc “không”. Danh sách: các giá trị cách nhau bằng dấu phẩy."
        ),
    )
    valid_from = date_field(_("Hiệu lực từ ngày"), required=True)
    valid_to = date_field(_("Hiệu lực đến ngày"), help_text=_("Để trống nếu chưa có ngày hết hiệu lực."))
    legal_source = forms.CharField(
        label=_("Căn cứ"),
        max_length=255,
        help_text=_(
            "Số, ngày và cơ quan ban hành văn bản, ví dụ: Quyết định 12/2025/QĐ-UBND ngày 10/3/2025 của UBND tỉnh."
        ),
    )
    certainty = forms.ChoiceField(
        label=_("Mức xác thực"), choices=Certainty.choices, initial=Certainty.PROVINCIAL
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, units, paths: list[OverridablePath], unit_required: bool, initial=None):
        super().__init__(data, initial=initial)
        self.fields["unit"].queryset = units
        self.fields["unit"].required = unit_required
        if not unit_required:
            self.fields["unit"].empty_label = _("Áp dụng chung cho mọi đơn vị")
        self.paths = {path.path: path for path in paths}
        groups: dict[str, list[tuple[str, str]]] = {}
        for path in paths:
            groups.setdefault(path.group, []).append((path.path, path.choice_label))
        self.fields["target"].choices = [("", "—")] + list(groups.items())

    def clean_value(self) -> str:
        return clean_text(self.cleaned_data["value"])

    def clean(self):
        cleaned = super().clean()
        valid_from, valid_to = cleaned.get("valid_from"), cleaned.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", _("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."))
        target, text = cleaned.get("target"), cleaned.get("value")
        if target and text is not None and "value" not in self.errors:
            try:
                cleaned["typed_value"] = self._typed(self.paths[target], text)
            except ValidationError as error:
                self.add_error("value", error)
        return cleaned

    @staticmethod
    def _typed(path: OverridablePath, text: str) -> Any:
        kind = path.kind
        if kind == "number":
            try:
                return parse_number(text)
            except ValueError:
                raise ValidationError(_("Tham số này cần một số, ví dụ 0,7 hoặc 70% hoặc 6.")) from None
        if kind == "boolean":
            folded = text.strip().lower()
            if folded in _TRUE:
                return True
            if folded in _FALSE:
                return False
            raise ValidationError(_("Tham số này chỉ nhận “có” hoặc “không”."))
        if kind == "list":
            items = [clean_text(item) for item in text.split(",") if clean_text(item)]
            if not items:
                raise ValidationError(_("Nhập ít nhất một giá trị."))
            return items
        return text

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "unit": data.get("unit"),
            "target": data["target"],
            "value": data["typed_value"],
            "valid_from": data["valid_from"],
            "valid_to": data.get("valid_to"),
            "legal_source": clean_text(data["legal_source"]),
            "certainty": data["certainty"],
            "note": data.get("note", "").strip(),
        }


class OverrideEndForm(ServiceErrorsMixin, forms.Form):
    valid_to = date_field(
        _("Hết hiệu lực từ sau ngày"),
        required=True,
        help_text=_("Ngày cuối cùng tham số còn áp dụng. Các lần xét trước ngày này vẫn giữ nguyên."),
    )

    def __init__(self, data=None, *, override, initial=None):
        super().__init__(data, initial=initial)
        self.override = override

    def clean_valid_to(self) -> datetime.date:
        day = self.cleaned_data["valid_to"]
        if day < self.override.valid_from:
            raise ValidationError(
                _("Ngày kết thúc không được trước ngày bắt đầu hiệu lực (%(day)s).")
                % {"day": f"{self.override.valid_from:%d/%m/%Y}"}
            )
        return day


class OverrideFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("active", _("Đang áp dụng")),
            ("future", _("Chưa đến ngày áp dụng")),
            ("ended", _("Đã hết hiệu lực")),
        ],
    )

    def __init__(self, data=None, *, units: list):
        super().__init__(data)
        self.fields["unit"].choices = [("", _("Tất cả"))] + [(unit.code, _unit_label(unit)) for unit in units]
        self.units = {unit.code: unit for unit in units}
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = _("Tham số, căn cứ hoặc ghi chú")

    def search_arguments(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "query": self.cleaned_data["q"],
            "unit": self.units.get(self.cleaned_data["unit"] or ""),
            "status": self.cleaned_data["status"],
        }


# ---------------------------------------------------------------- base salary and catalog


class BaseSalaryForm(ServiceErrorsMixin, forms.Form):
    effective_from = date_field(_("Áp dụng từ ngày"), required=True)
    amount = forms.CharField(
        label=_("Mức lương cơ sở (đồng)"), max_length=20, help_text=_("Ví dụ: 2.340.000")
    )
    legal_source = forms.CharField(
        label=_("Căn cứ"), max_length=255, help_text=_("Ví dụ: Nghị định 73/2024/NĐ-CP.")
    )
    certainty = forms.ChoiceField(
        label=_("Mức xác thực"), choices=Certainty.choices, initial=Certainty.VERIFIED
    )

    def clean_amount(self) -> int:
        text = self.cleaned_data["amount"].strip().replace(" ", "").replace(".", "").replace(",", "")
        if not text.isdigit():
            raise ValidationError(_("Nhập số tiền bằng chữ số, ví dụ 2.340.000."))
        amount = int(text)
        if amount <= 0:
            raise ValidationError(_("Mức lương cơ sở phải lớn hơn 0."))
        return amount

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "effective_from": data["effective_from"],
            "amount": data["amount"],
            "legal_source": clean_text(data["legal_source"]),
            "certainty": data["certainty"],
        }


class AwardTypeForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=40, required=False)
    artifacts = forms.CharField(label=_("Hiện vật"), max_length=255, required=False)
    conferrer = forms.CharField(label=_("Thẩm quyền quyết định"), max_length=255, required=False)
    conferrer_unit_kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị có thẩm quyền"),
        required=False,
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    precedence = forms.IntegerField(
        label=_("Thứ bậc"),
        min_value=0,
        max_value=1000,
        help_text=_(
            "Số lớn hơn là mức cao hơn; khi cùng thời gian đạt nhiều danh hiệu, chỉ thưởng danh hiệu có thứ bậc cao nhất."
        ),
        error_messages={"invalid": _("Nhập một số nguyên."), "min_value": _("Thứ bậc không được âm.")},
    )
    annual = forms.BooleanField(label=_("Xét hằng năm (hiện trên trang bình xét)"), required=False)
    legal_source = forms.CharField(label=_("Căn cứ"), max_length=255, required=False)
    is_active = forms.BooleanField(label=_("Đang dùng"), required=False)

    FIELDS = (
        "name",
        "short_name",
        "artifacts",
        "conferrer",
        "conferrer_unit_kinds",
        "precedence",
        "annual",
        "legal_source",
        "is_active",
    )

    def service_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        for name in ("name", "short_name", "artifacts", "conferrer", "legal_source"):
            values[name] = clean_text(values[name])
        values["conferrer_unit_kinds"] = list(values["conferrer_unit_kinds"])
        return values
