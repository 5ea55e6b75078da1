"""Forms for the evidence: ratings (one at a time and a whole unit at once), initiatives and research,
discipline and pending matters, leave, and the register of past awards.

They check the shape of the input and the scope of every person and unit picked, with Vietnamese
messages; the services enforce the invariants, and their ValidationErrors come back onto the fields
through ``ServiceErrorsMixin.add_service_error``.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.accounts import scopes
from thidua.common.text import clean_text
from thidua.organizations import selectors as org_selectors
from thidua.organizations.forms import ServiceErrorsMixin, date_field
from thidua.organizations.models import Person, Unit
from thidua.records import selectors
from thidua.records.enums import (
    AwardSource,
    DisciplineLevel,
    InitiativeKind,
    LeaveKind,
    PendingMatterKind,
    Rating,
    Scope,
)
from thidua.records.services import MIN_YEAR
from thidua.rules.enums import AwardCategory, Subject
from thidua.rules.models import AwardType

EMPTY = [("", "—")]
ALL = _("Tất cả")
PENDING_HELP = _("Vụ việc đang xem xét sẽ tạm hoãn mọi hình thức khen thưởng")
PENDING_SOURCE = _("khoản 4 Điều 4 Nghị định 152/2025/NĐ-CP")
MATERNITY_HELP = _("Thời gian nghỉ thai sản được tính là thời gian công tác")


def this_year() -> int:
    return timezone.localdate().year


# ---------------------------------------------------------------- fields


class YearField(forms.IntegerField):
    """A year between 1945 and this year (a rating or an award for a year not yet over is possible
    in December; one for next year is a typing mistake)."""

    def __init__(self, *, label, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid", _("Năm phải là một số, ví dụ 2024."))
        kwargs["error_messages"].setdefault("required", _("Nhập năm."))
        super().__init__(label=label, **kwargs)
        self.widget.attrs.update({"min": MIN_YEAR, "max": this_year(), "inputmode": "numeric"})

    def validate(self, value):
        super().validate(value)
        if value is not None and not (MIN_YEAR <= value <= this_year()):
            raise ValidationError(
                _("Năm phải trong khoảng %(first)s–%(last)s.") % {"first": MIN_YEAR, "last": this_year()},
                code="year_range",
            )


def check_day(value: datetime.date | None, *, allow_future: bool = False) -> None:
    if value is None:
        return
    if value.year < MIN_YEAR:
        raise ValidationError(_("Ngày phải từ năm %(year)s trở đi.") % {"year": MIN_YEAR})
    if not allow_future and value > timezone.localdate():
        raise ValidationError(_("Ngày không được sau ngày hôm nay."))


def unit_label(unit: Unit, *, indent: bool = True) -> str:
    today = timezone.localdate()
    label = f"{'— ' * unit.depth if indent else ''}{unit.name} ({unit.code})"
    if not unit.is_valid_on(today):
        label += " " + str(_("[đã giải thể]"))
    return label


class UnitField(forms.ModelChoiceField):
    """A unit from a list indented by depth; ceased units stay (evidence is often about past years)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "—")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn.")},
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj)


def managed_units(user) -> QuerySet[Unit]:
    return org_selectors.units_visible_to(user, "records.manage").order_by("path")


class PersonPickerWidget(forms.Widget):
    """People picked by typing a name: an htmx search box that adds the chosen person under it.

    Several people (``multiple``) are kept in the order they were added, as ticked boxes (untick to
    remove); one person is a ticked radio button that the next pick replaces."""

    template_name = "records/widgets/person_picker.html"

    def __init__(self, *, multiple: bool, permission: str, attrs=None):
        super().__init__(attrs)
        self.multiple, self.permission, self.queryset = multiple, permission, Person.objects.none()

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, (list, tuple)) else [] if value in (None, "") else [value]
        ids = []
        for item in values:
            pk = item.pk if isinstance(item, Person) else item
            try:
                ids.append(int(pk))
            except (TypeError, ValueError):
                continue
        found = {
            person.pk: person for person in self.queryset.filter(pk__in=ids).select_related("current_unit")
        }
        context["widget"].update(
            {
                "people": [found[pk] for pk in dict.fromkeys(ids) if pk in found],
                "multiple": self.multiple,
                "scope": "manage" if self.permission == "records.manage" else "view",
            }
        )
        return context


class PersonPickerField(forms.Field):
    """One person or an ordered list of people, each of whom must be in ``queryset`` (the user's
    scope)."""

    def __init__(self, *, multiple: bool = False, permission: str = "records.manage", **kwargs):
        self.multiple = multiple
        kwargs.setdefault("widget", PersonPickerWidget(multiple=multiple, permission=permission))
        super().__init__(**kwargs)
        self.queryset: QuerySet[Person] = Person.objects.none()

    def set_queryset(self, queryset: QuerySet[Person]) -> None:
        self.queryset = queryset
        self.widget.queryset = queryset

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.queryset = result.queryset
        return result

    def to_python(self, value):
        values = value if isinstance(value, (list, tuple)) else [] if value in (None, "") else [value]
        ids = []
        for item in values:
            if isinstance(item, Person):
                ids.append(item.pk)
                continue
            try:
                ids.append(int(item))
            except (TypeError, ValueError):
                raise ValidationError(_("Lựa chọn cá nhân không hợp lệ."), code="invalid") from None
        if len(set(ids)) != len(ids):
            raise ValidationError(_("Một người được chọn hai lần."), code="duplicate")
        if not self.multiple and len(ids) > 1:
            raise ValidationError(_("Chỉ chọn một cá nhân."), code="invalid")
        found = {
            person.pk: person for person in self.queryset.filter(pk__in=ids).select_related("current_unit")
        }
        if len(found) != len(ids):
            raise ValidationError(
                _("Không tìm thấy cá nhân đã chọn, hoặc người này ngoài phạm vi của bạn."),
                code="invalid_choice",
            )
        people = [found[pk] for pk in ids]
        if self.multiple:
            return people
        return people[0] if people else None

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        return True


class PickerFormMixin:
    """Lists the form's person pickers, so that the page can give each search box a small form of its
    own outside the main one (pressing Enter there searches instead of submitting the main form)."""

    @property
    def pickers(self) -> list[dict]:
        return [
            {
                "id": self[name].auto_id,
                "name": name,
                "multiple": field.multiple,
                "scope": "manage" if field.widget.permission == "records.manage" else "view",
            }
            for name, field in self.fields.items()
            if isinstance(field, PersonPickerField)
        ]


def person_picker(
    label, *, user, multiple: bool = False, permission: str = "records.manage", **kwargs
) -> PersonPickerField:
    field = PersonPickerField(label=label, multiple=multiple, permission=permission, **kwargs)
    field.set_queryset(org_selectors.people_visible_to(user, permission))
    return field


# ---------------------------------------------------------------- filters on the lists


class ListFilterForm(forms.Form):
    """Shared by the list pages: a search box and a unit (with its subtree). Unknown values are ignored."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    search_placeholder = _("Họ tên, gõ có dấu hay không dấu đều được")
    autosubmit: tuple[str, ...] = ()

    def __init__(self, data=None, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.units_by_code = {unit.code: unit for unit in units}
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [
            (unit.code, f"{'— ' * unit.depth}{unit.name}") for unit in units
        ]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"placeholder": self.search_placeholder, "autocomplete": "off"})
        for name in ("unit", *self.autosubmit):
            self.fields[name].widget.attrs["data-autosubmit"] = True

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        values = {name: data.get(name) for name in self.fields}
        values["unit"] = self.units_by_code.get(data.get("unit") or "")
        values["q"] = data.get("q") or ""
        return values

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


def _year_filter(label=None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label or _("Năm"), required=False, coerce=int, empty_value=None)


def _year_choices() -> list[tuple]:
    return [("", _("Tất cả các năm"))] + [(year, year) for year in range(this_year(), MIN_YEAR - 1, -1)]


class RatingFilterForm(ListFilterForm):
    year = _year_filter()
    rating = forms.ChoiceField(label=_("Xếp loại"), required=False, choices=[("", ALL)] + Rating.choices)
    kind = forms.ChoiceField(
        label=_("Đối tượng"),
        required=False,
        choices=[("", _("Cá nhân và tập thể")), ("person", _("Cá nhân")), ("unit", _("Tập thể"))],
    )
    search_placeholder = _("Họ tên hoặc tên tập thể, gõ có dấu hay không dấu đều được")
    autosubmit = ("year", "rating", "kind")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()


class InitiativeFilterForm(ListFilterForm):
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", ALL)] + InitiativeKind.choices)
    scope = forms.ChoiceField(
        label=_("Phạm vi ảnh hưởng"), required=False, choices=[("", ALL)] + Scope.choices
    )
    year = _year_filter(_("Năm công nhận"))
    applied = forms.ChoiceField(
        label=_("Áp dụng"),
        required=False,
        choices=[("", ALL), ("yes", _("Đã áp dụng")), ("no", _("Chưa áp dụng"))],
    )
    search_placeholder = _("Tên sáng kiến, đề tài hoặc tên tác giả")
    autosubmit = ("kind", "scope", "year", "applied")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()


class DisciplineFilterForm(ListFilterForm):
    type = forms.ChoiceField(
        label=_("Loại"),
        required=False,
        choices=[("", ALL), ("discipline", _("Kỷ luật")), ("pending", _("Vụ việc đang xem xét"))],
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", ALL), ("current", _("Còn hiệu lực hôm nay")), ("ended", _("Đã hết hiệu lực"))],
    )
    autosubmit = ("type", "status")


class LeaveFilterForm(ListFilterForm):
    kind = forms.ChoiceField(label=_("Loại nghỉ"), required=False, choices=[("", ALL)] + LeaveKind.choices)
    year = _year_filter()
    autosubmit = ("kind", "year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()


class AwardFilterForm(ListFilterForm):
    award = forms.ChoiceField(label=_("Danh hiệu, hình thức"), required=False)
    category = forms.ChoiceField(
        label=_("Loại khen thưởng"), required=False, choices=[("", ALL)] + AwardCategory.choices
    )
    year = _year_filter(_("Thành tích năm"))
    source = forms.ChoiceField(label=_("Nguồn"), required=False, choices=[("", ALL)] + AwardSource.choices)
    revoked = forms.ChoiceField(
        label=_("Thu hồi"),
        required=False,
        choices=[("", ALL), ("no", _("Còn hiệu lực")), ("yes", _("Đã thu hồi"))],
    )
    search_placeholder = _("Người, tập thể, hộ gia đình hoặc số quyết định")
    autosubmit = ("award", "category", "year", "source", "revoked")

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.awards_by_code = {award.code: award for award in awards}
        self.fields["award"].choices = [("", ALL)] + [(award.code, award.name) for award in awards]

    def values(self) -> dict:
        values = super().values()
        values["award"] = self.awards_by_code.get(values.get("award") or "")
        return values


# ---------------------------------------------------------------- ratings


class RatingForm(PickerFormMixin, ServiceErrorsMixin, forms.Form):
    """One rating of a person or of a unit. On editing, only the rating and the note change."""

    person = forms.Field(required=False)
    unit = UnitField(label=_("Hoặc tập thể"), queryset=Unit.objects.none(), required=False)
    year = YearField(label=_("Năm"))
    rating = forms.ChoiceField(
        label=_("Xếp loại"),
        choices=EMPTY + Rating.choices,
        error_messages={"required": _("Chọn xếp loại."), "invalid_choice": _("Xếp loại không hợp lệ.")},
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in ("person", "unit", "year"):
                del self.fields[name]
            return
        self.fields["person"] = person_picker(
            _("Cá nhân"),
            user=user,
            required=False,
            help_text=_("Gõ họ tên để tìm; hoặc chọn một tập thể bên dưới."),
        )
        self.fields["unit"].queryset = managed_units(user)
        self.order_fields(["person", "unit", "year", "rating", "note"])

    def clean(self):
        cleaned = super().clean()
        if self.editing:
            return cleaned
        person, unit = cleaned.get("person"), cleaned.get("unit")
        if "person" in self.errors or "unit" in self.errors:
            return cleaned
        if person and unit:
            self.add_error(
                "unit", _("Chỉ chọn một đối tượng: một cá nhân hoặc một tập thể, không chọn cả hai.")
            )
        elif not person and not unit:
            self.add_error("person", _("Chọn một cá nhân hoặc một tập thể."))
        return cleaned


class RatingSheetPickForm(forms.Form):
    """Which unit and year the sheet shows."""

    unit = forms.ChoiceField(label=_("Đơn vị"), error_messages={"required": _("Chọn đơn vị.")})
    year = YearField(label=_("Năm"))

    def __init__(self, data=None, *, units, **kwargs):
        # Until November the sheet is about last year; from then on, this year's review is under way.
        default_year = this_year() - 1 if timezone.localdate().month < 11 else this_year()
        if data is not None and data.get("unit") and not data.get("year"):
            # A link such as ?unit=SKHCN opens the sheet of the usual year.
            data = data.copy()
            data["year"] = str(default_year)
        super().__init__(data, **kwargs)
        self.units_by_code = {unit.code: unit for unit in units}
        self.fields["unit"].choices = EMPTY + [(unit.code, unit_label(unit)) for unit in units]
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn."
        )
        self.fields["year"].initial = default_year

    def chosen(self) -> tuple[Unit, int] | None:
        if self.is_bound and self.is_valid():
            return self.units_by_code[self.cleaned_data["unit"]], self.cleaned_data["year"]
        return None


class RatingSheetForm(forms.Form):
    """One select per person and per unit of the sheet. The values are only read here; the rating
    service decides what a valid rating is (so that a tampered or stale value fails inside the saving
    transaction, and the whole sheet is refused)."""

    def __init__(self, data=None, *, people_rows, unit_rows, **kwargs):
        super().__init__(data, **kwargs)
        choices = EMPTY + [(code, code) for code in Rating.values]
        self.rows = []
        for person, placement, current, previous in people_rows:
            name = f"p{person.pk}"
            self.fields[name] = forms.CharField(
                label=person.full_name,
                required=False,
                max_length=16,
                widget=forms.Select(choices=choices, attrs={"aria-label": person.full_name}),
            )
            self.initial[name] = current.rating if current else ""
            self.rows.append(
                {
                    "kind": "person",
                    "name": name,
                    "subject": person,
                    "placement": placement,
                    "current": current,
                    "previous": previous,
                }
            )
        for unit, current, previous in unit_rows:
            name = f"u{unit.pk}"
            self.fields[name] = forms.CharField(
                label=unit.name,
                required=False,
                max_length=16,
                widget=forms.Select(choices=choices, attrs={"aria-label": unit.name}),
            )
            self.initial[name] = current.rating if current else ""
            self.rows.append(
                {"kind": "unit", "name": name, "subject": unit, "current": current, "previous": previous}
            )
        for row in self.rows:
            row["field"] = self[row["name"]]

    @property
    def person_rows(self):
        return [row for row in self.rows if row["kind"] == "person"]

    @property
    def unit_rows(self):
        return [row for row in self.rows if row["kind"] == "unit"]

    def changes(self) -> list[tuple[dict, str]]:
        """(row, new value) for every row whose value differs from the saved rating; "" clears it."""
        result = []
        for row in self.rows:
            value = clean_text(self.cleaned_data.get(row["name"]) or "").upper()
            saved = row["current"].rating if row["current"] else ""
            if value != saved:
                result.append((row, value))
        return result


# ---------------------------------------------------------------- initiatives and research


class InitiativeForm(PickerFormMixin, ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Tên sáng kiến, đề tài"),
        max_length=500,
        error_messages={"required": _("Nhập tên sáng kiến, đề tài.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại"), choices=EMPTY + InitiativeKind.choices, error_messages={"required": _("Chọn loại.")}
    )
    authors = forms.Field(required=False)
    unit = UnitField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Đơn vị chủ trì hoặc nơi áp dụng; có thể để trống."),
    )
    scope = forms.ChoiceField(
        label=_("Phạm vi ảnh hưởng"),
        choices=EMPTY + Scope.choices,
        error_messages={"required": _("Chọn phạm vi ảnh hưởng.")},
    )
    recognized_on = date_field(_("Ngày công nhận"), required=True)
    recognizing_decision = forms.CharField(
        label=_("Quyết định công nhận"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Quyết định số 125/QĐ-SKHCN ngày 15/10/2024."),
    )
    recognizing_body = forms.CharField(label=_("Cơ quan công nhận"), max_length=255, required=False)
    applied = forms.BooleanField(label=_("Đã được áp dụng"), required=False)
    effective = forms.BooleanField(label=_("Có hiệu quả"), required=False)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, initiative=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["recognized_on"].error_messages["required"] = _("Nhập ngày công nhận.")
        self.fields["authors"] = person_picker(
            _("Tác giả"),
            user=user,
            multiple=True,
            permission="records.view",
            help_text=_(
                "Gõ họ tên để tìm và thêm; thứ tự thêm là thứ tự tác giả (chủ nhiệm trước). Bỏ chọn để xóa."
            ),
            error_messages={"required": _("Cần ít nhất một tác giả.")},
        )
        current_unit = initiative.unit if initiative is not None else None
        units = managed_units(user)
        if current_unit is not None and not units.filter(pk=current_unit.pk).exists():
            units = Unit.objects.filter(
                pk__in=[*units.values_list("pk", flat=True), current_unit.pk]
            ).order_by("path")
        self.fields["unit"].queryset = units
        self.order_fields(list(INITIATIVE_ORDER))

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"])

    def clean_recognized_on(self):
        value = self.cleaned_data.get("recognized_on")
        check_day(value)
        return value

    def clean(self):
        cleaned = super().clean()
        authors = cleaned.get("authors") or []
        unit = cleaned.get("unit")
        if (
            unit is not None
            and "unit" in self.changed_data
            and not scopes.can(self.user, "records.manage", unit)
        ):
            self.add_error("unit", _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn."))
        if (
            authors
            and unit is None
            and not any(scopes.can_on_person(self.user, "records.manage", p) for p in authors)
        ):
            # Without a unit the initiative belongs where its authors are: one must be in the user's care.
            self.add_error(
                "authors",
                _("Ít nhất một tác giả phải thuộc phạm vi quản lý của bạn, hoặc chọn đơn vị của sáng kiến."),
            )
        if cleaned.get("effective") and not cleaned.get("applied"):
            self.add_error("effective", _("Chỉ ghi “có hiệu quả” khi sáng kiến, đề tài đã được áp dụng."))
        return cleaned

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in INITIATIVE_ORDER if name != "authors"}

    def field_groups(self) -> list[dict]:
        """The title and kind, the authors on a row of their own (the picker needs the width), the rest."""
        return [
            {"fields": [self["title"], self["kind"]], "grid": True},
            {"fields": [self["authors"]], "grid": False},
            {"fields": [self[name] for name in INITIATIVE_ORDER[3:]], "grid": True},
        ]


INITIATIVE_ORDER = (
    "title",
    "kind",
    "authors",
    "unit",
    "scope",
    "recognized_on",
    "recognizing_decision",
    "recognizing_body",
    "applied",
    "effective",
    "summary",
)


# ---------------------------------------------------------------- discipline and pending matters

DISCIPLINE = "discipline"
PENDING = "pending"


class DisciplineForm(PickerFormMixin, ServiceErrorsMixin, forms.Form):
    """A disciplinary measure or a pending matter: the type chooses which fields show (the page
    re-renders them through htmx when the type changes)."""

    person = forms.Field()
    type = forms.ChoiceField(
        label=_("Loại"),
        choices=[(DISCIPLINE, _("Kỷ luật")), (PENDING, _("Vụ việc đang xem xét, chưa có kết luận"))],
        widget=forms.RadioSelect,
        initial=DISCIPLINE,
        error_messages={"required": _("Chọn loại."), "invalid_choice": _("Loại không hợp lệ.")},
    )
    level = forms.ChoiceField(
        label=_("Hình thức kỷ luật"), choices=EMPTY + DisciplineLevel.choices, required=False
    )
    decision = forms.CharField(
        label=_("Quyết định kỷ luật"),
        max_length=200,
        required=False,
        help_text=_("Số, ngày và cơ quan ban hành, ví dụ: 12/QĐ-SKHCN ngày 05/3/2024."),
    )
    pending_kind = forms.ChoiceField(
        label=_("Loại vụ việc"), choices=EMPTY + PendingMatterKind.choices, required=False
    )
    start = date_field(_("Từ ngày"), required=True)
    end = date_field(_("Đến ngày"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].error_messages["required"] = _("Nhập ngày bắt đầu.")
        if person is None:
            self.fields["person"] = person_picker(
                _("Cá nhân"), user=user, error_messages={"required": _("Chọn cá nhân.")}
            )
        else:
            del self.fields["person"]
        # Only the fields of the chosen type show, and the one that names it is required.
        required, message = (
            ("pending_kind", _("Chọn loại vụ việc đang xem xét."))
            if self.kind == PENDING
            else ("level", _("Chọn hình thức kỷ luật."))
        )
        self.fields[required].required = True
        self.fields[required].error_messages["required"] = message
        if self.kind == PENDING:
            self.fields["type"].help_text = f"{PENDING_HELP} ({PENDING_SOURCE})."
            self.fields["end"].help_text = _("Ngày có kết luận; để trống khi vụ việc còn đang xem xét.")
            self.fields["start"].label = _("Phát sinh từ ngày")
        else:
            self.fields["end"].help_text = _("Ngày hết thời hạn kỷ luật; để trống nếu chưa xác định.")
            self.fields["type"].help_text = _(
                "Nếu chưa có kết luận, chọn “Vụ việc đang xem xét”: %(help)s."
            ) % {"help": str(PENDING_HELP).lower()}

    @property
    def kind(self) -> str:
        """The type the form shows: what was sent, else the initial one."""
        value = (self.data.get("type") if self.is_bound or self.data else None) or self.initial.get("type")
        return PENDING if value == PENDING else DISCIPLINE

    def shown_fields(self):
        names = ["person", "type"]
        names += ["pending_kind"] if self.kind == PENDING else ["level", "decision"]
        names += ["start", "end", "note"]
        return [self[name] for name in names if name in self.fields]

    def clean_start(self):
        value = self.cleaned_data.get("start")
        check_day(value)
        return value

    def clean_end(self):
        value = self.cleaned_data.get("end")
        check_day(value, allow_future=True)
        return value

    def clean(self):
        cleaned = super().clean()
        pending = cleaned.get("type") == PENDING
        if pending:
            cleaned["level"], cleaned["decision"] = "", ""
            if not cleaned.get("pending_kind") and "pending_kind" not in self.errors:
                self.add_error("pending_kind", _("Chọn loại vụ việc đang xem xét."))
        else:
            cleaned["pending_kind"] = ""
            if not cleaned.get("level") and "level" not in self.errors:
                self.add_error("level", _("Chọn hình thức kỷ luật."))
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "pending": data["type"] == PENDING,
            "level": data["level"],
            "pending_kind": data["pending_kind"],
            "decision": clean_text(data["decision"]),
            "start": data["start"],
            "end": data["end"],
            "note": data["note"].strip(),
        }


# ---------------------------------------------------------------- leave


class LeaveForm(PickerFormMixin, ServiceErrorsMixin, forms.Form):
    person = forms.Field()
    kind = forms.ChoiceField(
        label=_("Loại nghỉ"),
        choices=EMPTY + LeaveKind.choices,
        help_text=MATERNITY_HELP,
        error_messages={"required": _("Chọn loại nghỉ.")},
    )
    start = date_field(_("Từ ngày"), required=True)
    end = date_field(_("Đến ngày"), required=True)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = person_picker(
            _("Cá nhân"), user=user, error_messages={"required": _("Chọn cá nhân.")}
        )
        self.fields["start"].error_messages["required"] = _("Nhập ngày bắt đầu nghỉ.")
        self.fields["end"].error_messages["required"] = _("Nhập ngày kết thúc nghỉ.")
        self.order_fields(["person", "kind", "start", "end", "note"])

    def clean_start(self):
        value = self.cleaned_data.get("start")
        check_day(value, allow_future=True)
        return value

    def clean_end(self):
        value = self.cleaned_data.get("end")
        check_day(value, allow_future=True)
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("person", "kind", "start", "end", "note")}


# ---------------------------------------------------------------- the award register

RECIPIENT_CHOICES = [
    (Subject.INDIVIDUAL, _("Cá nhân")),
    (Subject.COLLECTIVE, _("Tập thể")),
    (Subject.HOUSEHOLD, _("Hộ gia đình")),
]


class AwardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AwardType) -> str:
        return obj.name if obj.is_active else f"{obj.name} " + str(_("[không còn dùng]"))


class AwardRecordForm(PickerFormMixin, ServiceErrorsMixin, forms.Form):
    """An award received in the past. The recipient kind chooses the recipient field shown and the
    awards offered (the page re-renders both through htmx when it changes)."""

    field_aliases = {"household_name": "household_name"}

    recipient = forms.ChoiceField(
        label=_("Đối tượng được khen"),
        choices=RECIPIENT_CHOICES,
        widget=forms.RadioSelect,
        initial=Subject.INDIVIDUAL,
        error_messages={
            "required": _("Chọn đối tượng được khen."),
            "invalid_choice": _("Đối tượng không hợp lệ."),
        },
    )
    person = forms.Field(required=False)
    unit = UnitField(label=_("Tập thể"), queryset=Unit.objects.none(), required=False)
    household_name = forms.CharField(
        label=_("Hộ gia đình"),
        max_length=255,
        required=False,
        help_text=_("Ghi tên chủ hộ và địa chỉ, ví dụ: Hộ ông Nguyễn Văn Ba, ấp 3, xã Tân Phước."),
    )
    award = AwardChoiceField(
        label=_("Danh hiệu, hình thức"),
        queryset=AwardType.objects.none(),
        empty_label="—",
        error_messages={
            "required": _("Chọn danh hiệu hoặc hình thức khen thưởng."),
            "invalid_choice": _("Danh hiệu, hình thức này không dành cho đối tượng đã chọn."),
        },
    )
    period_start = YearField(label=_("Thành tích năm (hoặc từ năm)"))
    period_end = YearField(
        label=_("Đến năm"), required=False, help_text=_("Để trống nếu thành tích trong một năm.")
    )
    decision_number = forms.CharField(
        label=_("Số quyết định"),
        max_length=60,
        help_text=_("Ví dụ: 1234/QĐ-UBND."),
        error_messages={"required": _("Nhập số quyết định.")},
    )
    decision_date = date_field(_("Ngày quyết định"), required=True)
    issuing_unit = UnitField(
        label=_("Cơ quan quyết định"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Chọn trong danh sách, hoặc ghi tên ở ô bên cạnh nếu không có."),
    )
    issuer_name = forms.CharField(
        label=_("Cơ quan quyết định (ghi rõ)"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: Thủ tướng Chính phủ; Bộ Khoa học và Công nghệ."),
    )
    register_number = forms.CharField(label=_("Số sổ vàng"), max_length=40, required=False)
    amount = forms.IntegerField(
        label=_("Tiền thưởng (đồng)"),
        required=False,
        min_value=0,
        error_messages={"invalid": _("Nhập số tiền bằng chữ số."), "min_value": _("Số tiền không được âm.")},
    )
    source = forms.ChoiceField(
        label=_("Nguồn"),
        choices=[
            (AwardSource.IMPORTED, AwardSource.IMPORTED.label),
            (AwardSource.MANUAL, AwardSource.MANUAL.label),
        ],
        initial=AwardSource.IMPORTED,
    )
    counts_for_regular = forms.BooleanField(
        label=_("Tính cho khen thưởng thường xuyên"),
        required=False,
        initial=True,
        help_text=_(
            "Bỏ chọn với khen thưởng đột xuất, theo chuyên đề: không tính cho khen thưởng thường xuyên."
        ),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, user, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["decision_date"].error_messages["required"] = _("Nhập ngày quyết định.")
        self.fields["person"] = person_picker(_("Cá nhân"), user=user, required=False)
        units = managed_units(user)
        issuers = selectors.issuing_units_for(user)
        keep = [getattr(record, name) for name in ("unit", "issuing_unit")] if record is not None else []
        if keep and keep[0] is not None and not units.filter(pk=keep[0].pk).exists():
            units = Unit.objects.filter(pk__in=[*units.values_list("pk", flat=True), keep[0].pk]).order_by(
                "path"
            )
        if len(keep) > 1 and keep[1] is not None and not issuers.filter(pk=keep[1].pk).exists():
            issuers = Unit.objects.filter(
                pk__in=[*issuers.values_list("pk", flat=True), keep[1].pk]
            ).order_by("path")
        self.fields["unit"].queryset = units
        self.fields["issuing_unit"].queryset = issuers
        subject = self.subject
        shown, message = {
            Subject.INDIVIDUAL: ("person", _("Chọn cá nhân được khen.")),
            Subject.COLLECTIVE: ("unit", _("Chọn tập thể được khen.")),
            Subject.HOUSEHOLD: ("household_name", _("Ghi tên hộ gia đình được khen.")),
        }[subject]
        self.fields[shown].required = True
        self.fields[shown].error_messages["required"] = message
        self.fields["award"].queryset = AwardType.objects.filter(
            **{f"for_{_SUBJECT_FIELD[subject]}": True}
        ).order_by("category", "-precedence", "code")
        # Titles apart from forms, as the catalog keeps them.
        groups: dict[str, list] = {}
        for award in self.fields["award"].queryset:
            groups.setdefault(str(award.get_category_display()), []).append(
                (award.pk, self.fields["award"].label_from_instance(award))
            )
        self.fields["award"].choices = EMPTY + list(groups.items())
        self.order_fields(list(AWARD_ORDER))

    @property
    def subject(self) -> str:
        value = (self.data.get("recipient") if self.data else None) or self.initial.get("recipient")
        return value if value in _SUBJECT_FIELD else Subject.INDIVIDUAL

    def shown_fields(self):
        recipient_field = {
            Subject.INDIVIDUAL: "person",
            Subject.COLLECTIVE: "unit",
            Subject.HOUSEHOLD: "household_name",
        }[self.subject]
        names = ["recipient", recipient_field] + [
            name for name in AWARD_ORDER if name not in _RECIPIENT_FIELDS
        ]
        return [self[name] for name in names]

    def clean_decision_number(self) -> str:
        return clean_text(self.cleaned_data["decision_number"])

    def clean_household_name(self) -> str:
        return clean_text(self.cleaned_data["household_name"])

    def clean_issuer_name(self) -> str:
        return clean_text(self.cleaned_data["issuer_name"])

    def clean_decision_date(self):
        value = self.cleaned_data.get("decision_date")
        check_day(value)
        return value

    def clean(self):
        cleaned = super().clean()
        subject = cleaned.get("recipient")
        person, unit, household = cleaned.get("person"), cleaned.get("unit"), cleaned.get("household_name")
        if subject == Subject.INDIVIDUAL:
            cleaned["unit"], cleaned["household_name"] = None, ""
            if not person and "person" not in self.errors:
                self.add_error("person", _("Chọn cá nhân được khen."))
        elif subject == Subject.COLLECTIVE:
            cleaned["person"], cleaned["household_name"] = None, ""
            if not unit and "unit" not in self.errors:
                self.add_error("unit", _("Chọn tập thể được khen."))
        elif subject == Subject.HOUSEHOLD:
            cleaned["person"], cleaned["unit"] = None, None
            if not household and "household_name" not in self.errors:
                self.add_error("household_name", _("Ghi tên hộ gia đình được khen."))
        issuing_unit, issuer_name = cleaned.get("issuing_unit"), cleaned.get("issuer_name")
        if issuing_unit and issuer_name:
            self.add_error("issuer_name", _("Chọn cơ quan trong danh sách hoặc ghi tên, không cả hai."))
        elif not issuing_unit and not issuer_name and "issuing_unit" not in self.errors:
            self.add_error(
                "issuing_unit", _("Cho biết cơ quan quyết định: chọn trong danh sách hoặc ghi tên.")
            )
        if subject == Subject.HOUSEHOLD and not (
            issuing_unit and scopes.can(self.user, "records.manage", issuing_unit)
        ):
            if "issuing_unit" not in self.errors:
                # A household belongs to no unit: the register keeps it under the unit that decided.
                self.add_error(
                    "issuing_unit",
                    _("Khen thưởng hộ gia đình cần chọn cơ quan quyết định thuộc phạm vi quản lý của bạn."),
                )
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Năm kết thúc phải từ năm bắt đầu trở đi."))
        decision_date = cleaned.get("decision_date")
        if decision_date and start and decision_date.year < start:
            self.add_error("decision_date", _("Ngày quyết định phải sau thời gian đạt thành tích."))
        return cleaned

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in AWARD_ORDER if name not in {"recipient", "period_end"}}
        values["period_end"] = data["period_end"] or data["period_start"]
        return values


_SUBJECT_FIELD = {
    Subject.INDIVIDUAL: "individual",
    Subject.COLLECTIVE: "collective",
    Subject.HOUSEHOLD: "household",
}
_RECIPIENT_FIELDS = {"recipient", "person", "unit", "household_name"}
AWARD_ORDER = (
    "recipient",
    "person",
    "unit",
    "household_name",
    "award",
    "period_start",
    "period_end",
    "decision_number",
    "decision_date",
    "issuing_unit",
    "issuer_name",
    "register_number",
    "amount",
    "source",
    "counts_for_regular",
    "note",
)
