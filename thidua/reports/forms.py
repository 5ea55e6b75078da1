"""The query string of every report page: the unit, the day it is seen as of, the period, and the
narrowing a figure's link adds (award, year, unit bucket, gender…). Bad values come back as Vietnamese
messages on the field they belong to; nothing is counted until the whole query is valid."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.organizations.enums import Gender, PositionCategory
from thidua.organizations.forms import date_field
from thidua.organizations.models import Unit
from thidua.records.services import MIN_YEAR
from thidua.reports.enums import Revoked, YearBasis
from thidua.reports.statistics import Filters
from thidua.rules.enums import AwardCategory, AwardLevel, Subject
from thidua.rules.models import AwardType

# In a query string "_" stands for "not recorded" (people whose gender, ethnicity or position is blank).
UNKNOWN = "_"
MAX_SPAN_YEARS = 30


def _unknown_or(value: str) -> str | None:
    if value == "":
        return None
    return "" if value == UNKNOWN else value


def query_value(value: str | None) -> str:
    return UNKNOWN if value == "" else (value or "")


class ReportFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    as_of = date_field(_("Tính theo tổ chức tại ngày"))
    basis = forms.ChoiceField(label=_("Tính năm theo"), required=False, choices=YearBasis.choices)
    current = forms.BooleanField(label=_("Cá nhân tính theo đơn vị hiện nay"), required=False)
    revoked = forms.ChoiceField(label=_("Khen thưởng đã thu hồi"), required=False, choices=Revoked.choices)
    # Narrowing added by the links of the figures.
    award = forms.CharField(required=False, max_length=40)
    category = forms.ChoiceField(required=False, choices=[("", "")] + AwardCategory.choices)
    level = forms.ChoiceField(required=False, choices=[("", "")] + AwardLevel.choices)
    subject = forms.ChoiceField(required=False, choices=[("", "")] + Subject.choices)
    gender = forms.ChoiceField(required=False, choices=[("", ""), (UNKNOWN, "")] + Gender.choices)
    ethnicity = forms.CharField(required=False, max_length=40)
    position = forms.ChoiceField(required=False, choices=[("", ""), (UNKNOWN, "")] + PositionCategory.choices)
    year = forms.IntegerField(required=False)
    bucket = forms.CharField(required=False, max_length=40)

    # The fields a figure's link may set, in the order the list page names them.
    NARROWING = ("award", "category", "level", "subject", "gender", "ethnicity", "position", "year", "bucket")

    def __init__(self, data, *, units: list[Unit], default_unit: Unit | None, **kwargs):
        super().__init__(data, **kwargs)
        self.units_by_code = {unit.code: unit for unit in units}
        self.default_unit = default_unit
        self.fields["unit"].choices = [(unit.code, f"{'— ' * unit.depth}{unit.name}") for unit in units]
        self.fields["unit"].widget.attrs["data-autosubmit"] = True
        # "from" and "to" are Python keywords-ish names the query string (and the API) use: fields by key.
        self.fields = {
            "unit": self.fields.pop("unit"),
            "as_of": self.fields.pop("as_of"),
            "from": forms.IntegerField(label=_("Từ năm"), required=False),
            "to": forms.IntegerField(label=_("Đến năm"), required=False),
            **self.fields,
        }
        today = timezone.localdate()
        for name in ("from", "to"):
            self.fields[name].widget.attrs.update({"min": MIN_YEAR, "max": today.year + 1, "inputmode": "numeric"})
            self.fields[name].error_messages["invalid"] = _("Năm phải là một số, ví dụ 2020.")

    @staticmethod
    def default_years(today: datetime.date) -> tuple[int, int]:
        return today.year - 5, today.year - 1

    def _check_year(self, name: str, value: int | None) -> int | None:
        last = timezone.localdate().year + 1
        if value is not None and not MIN_YEAR <= value <= last:
            self.add_error(name, _("Năm phải trong khoảng %(first)s–%(last)s.") % {"first": MIN_YEAR, "last": last})
        return value

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        code = data.get("unit") or ""
        data["unit_obj"] = self.units_by_code.get(code) if code else self.default_unit
        if data["unit_obj"] is None:
            raise ValidationError(_("Chưa chọn đơn vị báo cáo, hoặc bạn không có quyền xem thống kê của đơn vị nào."))
        first_default, last_default = self.default_years(today)
        first = self._check_year("from", data.get("from"))
        last = self._check_year("to", data.get("to"))
        self._check_year("year", data.get("year"))
        data["year_from"] = first if first is not None else first_default
        data["year_to"] = last if last is not None else last_default
        if data["year_from"] > data["year_to"]:
            self.add_error("to", _("“Đến năm” phải bằng hoặc sau “Từ năm”."))
        elif data["year_to"] - data["year_from"] >= MAX_SPAN_YEARS:
            self.add_error("to", _("Chỉ thống kê tối đa %(years)s năm một lần.") % {"years": MAX_SPAN_YEARS})
        if data.get("as_of") is None:
            data["as_of"] = today
        award = (data.get("award") or "").strip()
        if award and not AwardType.objects.filter(code=award).exists():
            self.add_error("award", _("Không có danh hiệu, hình thức khen thưởng mã “%(code)s”.") % {"code": award})
        return data

    def filters(self, *, bucket: int | None = None) -> Filters:
        data = self.cleaned_data
        return Filters(
            year_from=data["year_from"],
            year_to=data["year_to"],
            basis=data.get("basis") or YearBasis.ACHIEVEMENT,
            by_current_unit=bool(data.get("current")),
            revoked=data.get("revoked") or Revoked.EXCLUDE,
            award=(data.get("award") or "").strip(),
            category=data.get("category") or "",
            level=data.get("level") or "",
            subject=data.get("subject") or "",
            gender=_unknown_or(data.get("gender") or ""),
            ethnicity=_unknown_or((data.get("ethnicity") or "").strip()),
            position=_unknown_or(data.get("position") or ""),
            year=data.get("year"),
            bucket=bucket,
        )

    def base_params(self) -> dict[str, str]:
        """The report's own parameters (no narrowing), for building links."""
        data = self.cleaned_data
        params = {
            "unit": data["unit_obj"].code,
            "from": str(data["year_from"]),
            "to": str(data["year_to"]),
        }
        if data["as_of"] != timezone.localdate():
            params["as_of"] = data["as_of"].isoformat()
        if data.get("basis") and data["basis"] != YearBasis.ACHIEVEMENT:
            params["basis"] = data["basis"]
        if data.get("current"):
            params["current"] = "1"
        if data.get("revoked") and data["revoked"] != Revoked.EXCLUDE:
            params["revoked"] = data["revoked"]
        return params

    def narrowing_params(self) -> dict[str, str]:
        data = self.cleaned_data
        params = {}
        for name in self.NARROWING:
            value = self.data.get(name)
            if value not in (None, ""):
                params[name] = str(value)
        if "award" in params:
            params["award"] = (data.get("award") or "").strip()
        return params


def with_query(url: str, params: dict[str, str]) -> str:
    return f"{url}?{urlencode(params)}" if params else url

