"""Forms for the organisation tree and people. They check the shape of the input and give Vietnamese
messages; the services enforce the invariants, and their ValidationErrors are put back on the fields
with ``ServiceErrorsMixin.add_service_error``."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.accounts import scopes
from thidua.common.text import clean_text
from thidua.organizations import selectors
from thidua.organizations.enums import Gender, PositionCategory, SuccessionKind, UnitKind
from thidua.organizations.models import Unit, UnitSuccession, phone_validator, unit_code_validator

_CCCD = re.compile(r"^\d{12}$")


class DateInput(forms.DateInput):
    """The browser's date picker; its value is ISO, and typed dd/mm/yyyy is accepted too
    (DATE_INPUT_FORMATS)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required: bool = False, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
        **kwargs,
    )


class ServiceErrorsMixin:
    """Puts a service's ValidationError on the form: each message on its field when the form has
    it (or on the field it is an alias of), otherwise at the top of the form."""

    field_aliases: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            field = self.field_aliases.get(key, key)
            if field not in self.fields:
                field = None
            for message in messages:
                self.add_error(field, message)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked from a list indented by depth, so the tree shows in a plain <select>."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


def unit_choices_for(user, permission: str, *, include: list[Unit | None] = ()) -> "forms.QuerySet":
    """Units in the user's scope that exist today, plus the given ones (a form's current value must
    stay selectable even when it has ceased)."""
    today = timezone.localdate()
    queryset = selectors.units_visible_to(user, permission).valid_on(today)
    extra = [unit.pk for unit in include if unit is not None]
    if extra:
        queryset = Unit.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=extra))
    return queryset.order_by("path")


# ---------------------------------------------------------------- units


class UnitTreeFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False, max_length=100)
    at = date_field(_("Tại ngày"))
    show_ceased = forms.BooleanField(label=_("Hiện cả đơn vị đã giải thể"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"placeholder": _("Tên, tên viết tắt hoặc mã đơn vị")})


class UnitForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Mã đơn vị"), max_length=40, validators=[unit_code_validator])
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    short_name = forms.CharField(
        label=_("Tên viết tắt"),
        max_length=40,
        required=False,
        help_text=_("Dùng trong số văn bản, ví dụ SKHCN trong “15/QĐ-SKHCN”."),
    )
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=[("", "—")] + UnitKind.choices)
    parent = UnitChoiceField(label=_("Đơn vị cấp trên"), queryset=Unit.objects.none(), required=False)
    valid_from = date_field(_("Hiệu lực từ ngày"))
    valid_to = date_field(_("Hiệu lực đến ngày"), help_text=_("Để trống nếu đơn vị còn hoạt động."))
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        current_parent = unit.parent if unit is not None else None
        parents = unit_choices_for(user, "unit.manage", include=[current_parent])
        if unit is not None:
            # A unit cannot move under itself or its own subtree.
            parents = parents.exclude(path__startswith=unit.path)
        self.fields["parent"].queryset = parents
        # Only someone whose scope starts at a root may create or keep a unit without parent.
        self.fields["parent"].required = not scopes.holds_root_scope(user, "unit.manage")
        if (
            unit is not None
            and current_parent is not None
            and not scopes.can(user, "unit.manage", current_parent)
        ):
            # The user manages this unit but not its parent: they may edit it, not move it.
            self.fields["parent"].disabled = True
            self.fields["parent"].required = False
            self.fields["parent"].help_text = _(
                "Bạn không quản lý đơn vị cấp trên nên không thể chuyển đơn vị này."
            )
        self.fields["code"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})

    def clean_code(self) -> str:
        code = clean_text(self.cleaned_data["code"])
        clash = Unit.objects.filter(code__iexact=code)
        if self.unit is not None:
            clash = clash.exclude(pk=self.unit.pk)
        if clash.exists():
            raise ValidationError(_("Mã đơn vị %(code)s đã được dùng cho đơn vị khác.") % {"code": code})
        return code

    def clean(self):
        cleaned = super().clean()
        valid_from, valid_to = cleaned.get("valid_from"), cleaned.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", _("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."))
        return cleaned

    def service_values(self) -> dict:
        values = {
            name: self.cleaned_data[name]
            for name in ("code", "name", "short_name", "kind", "valid_from", "valid_to", "address", "note")
        }
        if not self.fields["parent"].disabled:
            values["parent"] = self.cleaned_data["parent"]
        return values


class UnitSuccessionForm(ServiceErrorsMixin, forms.Form):
    predecessors = UnitMultipleChoiceField(
        label=_("Đơn vị cũ"),
        queryset=Unit.objects.none(),
        help_text=_("Giữ phím Ctrl (hoặc ⌘) để chọn nhiều đơn vị khi hợp nhất."),
        error_messages={"required": _("Chọn ít nhất một đơn vị cũ.")},
    )
    successor = UnitChoiceField(label=_("Đơn vị kế thừa"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Hình thức"), choices=[("", "—")] + SuccessionKind.choices)
    effective_on = date_field(
        _("Có hiệu lực từ ngày"),
        required=True,
        help_text=_("Đơn vị cũ ngừng hoạt động từ ngày này (hiệu lực đến ngày hôm trước)."),
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.units_visible_to(user, "unit.manage").order_by("path")
        self.fields["predecessors"].queryset = units
        self.fields["predecessors"].widget.attrs["size"] = 8
        self.fields["successor"].queryset = units

    def clean(self):
        cleaned = super().clean()
        predecessors = cleaned.get("predecessors") or []
        successor = cleaned.get("successor")
        effective_on = cleaned.get("effective_on")
        if successor is not None and successor in predecessors:
            self.add_error("successor", _("Đơn vị kế thừa phải khác đơn vị cũ."))
            return cleaned
        if effective_on is not None:
            for predecessor in predecessors:
                if predecessor.valid_from and predecessor.valid_from >= effective_on:
                    self.add_error(
                        "effective_on",
                        _("Đơn vị %(unit)s bắt đầu hoạt động từ %(day)s, không thể ngừng trước ngày đó.")
                        % {"unit": predecessor.name, "day": f"{predecessor.valid_from:%d/%m/%Y}"},
                    )
            if successor is not None and not successor.is_valid_on(effective_on):
                self.add_error(
                    "successor",
                    _("Đơn vị kế thừa không có hiệu lực vào ngày %(day)s.")
                    % {"day": f"{effective_on:%d/%m/%Y}"},
                )
        if successor is not None and predecessors:
            existing = UnitSuccession.objects.filter(
                successor=successor, predecessor__in=predecessors
            ).select_related("predecessor")
            for link in existing:
                self.add_error(
                    "predecessors",
                    _("Đã ghi nhận %(old)s được kế thừa bởi %(new)s.")
                    % {"old": link.predecessor.name, "new": successor.name},
                )
        return cleaned


# ---------------------------------------------------------------- people


def _position_field() -> forms.CharField:
    return forms.CharField(label=_("Chức vụ"), max_length=120, required=False)


def _position_category_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Nhóm chức vụ"), choices=[("", "—")] + PositionCategory.choices, required=False
    )


def _rank_field() -> forms.CharField:
    return forms.CharField(label=_("Ngạch, chức danh nghề nghiệp"), max_length=120, required=False)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    sub = forms.BooleanField(label=_("Gồm đơn vị trực thuộc"), required=False)
    position = forms.ChoiceField(label=_("Chức vụ"), required=False)
    gender = forms.ChoiceField(
        label=_("Giới tính"), required=False, choices=[("", _("Tất cả"))] + Gender.choices
    )

    def __init__(self, data=None, *, units, positions, **kwargs):
        if data is not None and "sub" not in data:
            # Subunits are included unless the box was unticked: the form sends "false" from a
            # hidden input before the box, so a link such as ?unit=SKHCN lists the whole subtree.
            data = data.copy()
            data["sub"] = "on"
        super().__init__(data, **kwargs)
        self.units_by_code = {unit.code: unit for unit in units}
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [
            (unit.code, f"{'— ' * unit.depth}{unit.name}") for unit in units
        ]
        self.fields["position"].choices = [("", _("Tất cả chức vụ"))] + [(p, p) for p in positions]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Họ tên hoặc số CCCD, gõ có dấu hay không dấu đều được"), "autocomplete": "off"}
        )
        for name in ("unit", "sub", "position", "gender"):
            self.fields[name].widget.attrs["data-autosubmit"] = True

    def search_arguments(self) -> dict:
        """Keyword arguments for ``people_search``; an unknown value of a filter is ignored."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "query": data.get("q", ""),
            "unit": self.units_by_code.get(data.get("unit") or ""),
            "include_subunits": bool(data.get("sub")),
            "position": data.get("position", ""),
            "gender": data.get("gender", ""),
        }


class FieldGroup:
    """Some of a form's fields, rendered as a section by ``common/_form_fields.html``."""

    def __init__(self, form: forms.Form, names: list[str], *, with_form_errors: bool):
        self.form, self.names, self.with_form_errors = form, names, with_form_errors

    def visible_fields(self):
        return [
            self.form[name]
            for name in self.names
            if name in self.form.fields and not self.form[name].is_hidden
        ]

    def hidden_fields(self):
        return [
            self.form[name] for name in self.names if name in self.form.fields and self.form[name].is_hidden
        ]

    def non_field_errors(self):
        return self.form.non_field_errors() if self.with_form_errors else self.form.error_class()


PERSONAL_FIELDS = ["full_name", "gender", "birth_date", "ethnicity", "cccd", "email", "phone", "recruited_on"]
FIRST_EMPLOYMENT_FIELDS = ["unit", "position", "position_category", "rank", "start_date"]


class PersonForm(ServiceErrorsMixin, forms.Form):
    """A person's own facts; on creation also their first employment."""

    field_aliases = {"family_name": "full_name", "middle_name": "full_name", "given_name": "full_name"}

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        help_text=_("Họ, tên đệm và tên, ví dụ: Nguyễn Thị Minh Khai."),
        error_messages={"required": _("Họ và tên không được để trống.")},
    )
    gender = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—")] + Gender.choices, required=False)
    birth_date = date_field(_("Ngày sinh"))
    ethnicity = forms.CharField(label=_("Dân tộc"), max_length=40, required=False, initial="Kinh")
    cccd = forms.CharField(label=_("Số CCCD"), required=False, help_text=_("12 chữ số, có thể để trống."))
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=20, required=False, validators=[phone_validator]
    )
    recruited_on = date_field(_("Ngày tuyển dụng"))

    def __init__(self, *args, user, creating: bool, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["cccd"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["full_name"].widget.attrs.update({"autocomplete": "name"})
        if creating:
            self.fields["unit"] = UnitChoiceField(
                label=_("Đơn vị công tác"),
                queryset=unit_choices_for(user, "person.manage"),
                required=not scopes.holds_root_scope(user, "person.manage"),
                initial=unit,
                error_messages={
                    "invalid_choice": _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn.")
                },
            )
            self.fields["position"] = _position_field()
            self.fields["position_category"] = _position_category_field()
            self.fields["rank"] = _rank_field()
            self.fields["start_date"] = date_field(
                _("Công tác tại đơn vị từ ngày"), help_text=_("Để trống: lấy ngày tuyển dụng, hoặc hôm nay.")
            )

    @property
    def personal(self) -> FieldGroup:
        return FieldGroup(self, PERSONAL_FIELDS, with_form_errors=True)

    @property
    def employment(self) -> FieldGroup:
        return FieldGroup(self, FIRST_EMPLOYMENT_FIELDS, with_form_errors=False)

    def clean_full_name(self) -> str:
        return clean_text(self.cleaned_data["full_name"])

    def clean_cccd(self) -> str:
        cccd = re.sub(r"[\s.]", "", self.cleaned_data.get("cccd") or "")
        if cccd and not _CCCD.match(cccd):
            raise ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."))
        return cccd

    def clean_birth_date(self) -> datetime.date | None:
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise ValidationError(_("Ngày sinh không được sau ngày hôm nay."))
        return birth_date

    def clean(self):
        cleaned = super().clean()
        birth_date = cleaned.get("birth_date")
        if birth_date:
            if cleaned.get("recruited_on") and cleaned["recruited_on"] < birth_date:
                self.add_error("recruited_on", _("Ngày tuyển dụng không được trước ngày sinh."))
            if cleaned.get("start_date") and cleaned["start_date"] < birth_date:
                self.add_error("start_date", _("Ngày bắt đầu công tác không được trước ngày sinh."))
        return cleaned

    def person_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSONAL_FIELDS}

    def employment_values(self) -> dict:
        return {
            "unit": self.cleaned_data.get("unit"),
            "position": self.cleaned_data.get("position", ""),
            "position_category": self.cleaned_data.get("position_category", ""),
            "rank": self.cleaned_data.get("rank", ""),
            "start_date": self.cleaned_data.get("start_date"),
        }


class EmploymentForm(ServiceErrorsMixin, forms.Form):
    """A move to a new unit or position (``editing=False``), or a correction of a period."""

    unit = UnitChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn.")},
    )
    position = _position_field()
    position_category = _position_category_field()
    rank = _rank_field()
    start_date = date_field(_("Từ ngày"), required=True)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, user, person, employment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        current_unit = employment.unit if employment is not None else None
        self.fields["unit"].queryset = unit_choices_for(user, "person.manage", include=[current_unit])
        if employment is not None:
            self.fields["end_date"] = date_field(_("Đến ngày"), help_text=_("Để trống nếu đang công tác."))
            self.order_fields(
                ["unit", "position", "position_category", "rank", "start_date", "end_date", "note"]
            )
        else:
            self.fields["start_date"].help_text = _("Vị trí hiện tại (nếu có) kết thúc vào ngày hôm trước.")

    def clean(self):
        cleaned = super().clean()
        start_date, end_date = cleaned.get("start_date"), cleaned.get("end_date")
        if start_date and end_date and end_date < start_date:
            self.add_error("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
        if start_date and self.person.birth_date and start_date < self.person.birth_date:
            self.add_error("start_date", _("Ngày bắt đầu công tác không được trước ngày sinh."))
        return cleaned

    def service_values(self) -> dict:
        names = ["unit", "position", "position_category", "rank", "start_date", "note"]
        if "end_date" in self.fields:
            names.append("end_date")
        return {name: self.cleaned_data[name] for name in names}
