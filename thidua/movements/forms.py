"""Forms of the movement pages: the list filters, the movement itself, a status change, an attachment.

They check the shape of the input (dates, the scoring grid line by line) and the scope of every unit
and document picked, with Vietnamese messages; ``movements.services`` enforces the invariants and its
ValidationErrors come back onto the fields through ``ServiceErrorsMixin.add_service_error``.
"""

import decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thidua.common.models import LegalDocument
from thidua.common.selectors import legal_documents_visible_to
from thidua.common.text import clean_text
from thidua.movements import selectors
from thidua.movements.documents import TASK_NUMBER
from thidua.movements.enums import MovementKind, MovementStatus, Participation
from thidua.movements.models import Movement
from thidua.organizations.forms import (
    ServiceErrorsMixin,
    UnitChoiceField,
    UnitMultipleChoiceField,
    date_field,
    unit_choices_for,
)
from thidua.rules.enums import AwardCategory
from thidua.rules.models import AwardType

ALL = _("Tất cả")
MAX_POINTS = decimal.Decimal("9999.99")


# ---------------------------------------------------------------- the list


class MovementFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", ALL)] + MovementStatus.choices
    )
    kind = forms.ChoiceField(
        label=_("Loại phong trào"), required=False, choices=[("", ALL)] + MovementKind.choices
    )
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    unit = forms.ChoiceField(label=_("Đơn vị phát động"), required=False)

    def __init__(self, data=None, *, units, years, **kwargs):
        super().__init__(data, **kwargs)
        self.units_by_code = {unit.code: unit for unit in units}
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [(unit.code, unit.name) for unit in units]
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(year, year) for year in years]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Tên phong trào, gõ có dấu hay không dấu đều được"), "autocomplete": "off"}
        )
        for name in ("status", "kind", "year", "unit"):
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


# ---------------------------------------------------------------- the movement


def parse_tasks(text: str) -> list[str]:
    """One focus task per line; a typed number or bullet ("1.", "-") is dropped: the letter numbers them."""
    tasks = []
    for line in (text or "").splitlines():
        task = clean_text(TASK_NUMBER.sub("", line))
        if task:
            tasks.append(task)
    return tasks


def parse_criteria(text: str) -> list[tuple[str, decimal.Decimal]]:
    """Lines "tiêu chí | điểm tối đa"; every mistake is reported with its line number."""
    rows, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, separator, points = line.rpartition("|")
        if not separator:
            errors.append(_("Dòng %(line)d: thiếu dấu “|” giữa tiêu chí và điểm tối đa.") % {"line": number})
            continue
        name, points = clean_text(name), points.strip().replace(" ", "")
        if not name:
            errors.append(_("Dòng %(line)d: thiếu tên tiêu chí.") % {"line": number})
            continue
        if len(name) > 300:
            errors.append(_("Dòng %(line)d: tên tiêu chí dài quá 300 ký tự.") % {"line": number})
            continue
        try:
            value = decimal.Decimal(points.replace(",", "."))
        except decimal.InvalidOperation:
            errors.append(
                _("Dòng %(line)d: điểm tối đa “%(value)s” không phải là số.")
                % {"line": number, "value": points}
            )
            continue
        if not value.is_finite() or value <= 0:
            errors.append(_("Dòng %(line)d: điểm tối đa phải lớn hơn 0.") % {"line": number})
        elif value > MAX_POINTS or value != value.quantize(decimal.Decimal("0.01")):
            errors.append(
                _("Dòng %(line)d: điểm tối đa tối đa 9999,99 và nhiều nhất hai chữ số thập phân.")
                % {"line": number}
            )
        else:
            rows.append((name, value))
    if errors:
        raise ValidationError(errors)
    return rows


def criteria_text(movement: Movement) -> str:
    lines = []
    for criterion in movement.criteria.all():
        points = f"{criterion.max_points:f}"
        if "." in points:
            points = points.rstrip("0").rstrip(".")
        lines.append(f"{criterion.name} | {points.replace('.', ',')}")
    return "\n".join(lines)


class MovementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Movement) -> str:
        return f"{obj.title} ({obj.start:%Y}–{obj.end:%Y})"


class DocumentMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number} ngày {obj.issued_on:%d/%m/%Y} — {obj.title}"


class MovementForm(ServiceErrorsMixin, forms.Form):
    """Every field of a movement. Launching unit, start date and participation are locked by the
    service once the movement is launched; the form leaves them editable so the service can say why."""

    STRUCTURAL = ("launching_unit", "start", "participation", "chosen_units")
    SIMPLE = (
        "title",
        "kind",
        "launching_unit",
        "parent",
        "start",
        "end",
        "purpose",
        "content",
        "registration_deadline",
        "participation",
    )

    title = forms.CharField(
        label=_("Tên phong trào"), max_length=300, error_messages={"required": _("Nhập tên phong trào.")}
    )
    kind = forms.ChoiceField(
        label=_("Loại phong trào"),
        choices=[("", "—")] + MovementKind.choices,
        error_messages={"required": _("Chọn loại phong trào.")},
    )
    launching_unit = UnitChoiceField(
        label=_("Đơn vị phát động"),
        queryset=None,
        error_messages={
            "required": _("Chọn đơn vị phát động."),
            "invalid_choice": _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn."),
        },
    )
    parent = MovementChoiceField(
        label=_("Thuộc phong trào (đợt thi đua)"),
        queryset=None,
        required=False,
        empty_label=_("— Không (phong trào độc lập)"),
        help_text=_("Chọn phong trào 5 năm nếu đây là một đợt thi đua hằng năm của nó."),
        error_messages={"invalid_choice": _("Phong trào không hợp lệ hoặc ngoài phạm vi quản lý của bạn.")},
    )
    start = date_field(_("Từ ngày"), required=True)
    end = date_field(_("Đến ngày"), required=True)
    registration_deadline = date_field(
        _("Hạn đăng ký thi đua"), help_text=_("Để trống nếu phong trào không yêu cầu đăng ký.")
    )
    purpose = forms.CharField(
        label=_("Mục đích, yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    content = forms.CharField(
        label=_("Nội dung, chỉ tiêu thi đua"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    tasks = forms.CharField(
        label=_("Nhiệm vụ trọng tâm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mỗi dòng một nhiệm vụ; số thứ tự được đánh tự động."),
    )
    criteria = forms.CharField(
        label=_("Bảng tiêu chí chấm điểm"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "placeholder": _("Hoàn thành nhiệm vụ chuyên môn | 60\nCải cách hành chính | 20"),
            }
        ),
        help_text=_("Mỗi dòng: tiêu chí | điểm tối đa. Để trống nếu không chấm điểm."),
    )
    planned_awards = forms.MultipleChoiceField(
        label=_("Danh hiệu, hình thức khen thưởng dự kiến"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Danh hiệu, hình thức “%(value)s” không có trong danh mục.")},
    )
    legal_bases = DocumentMultipleChoiceField(
        label=_("Văn bản căn cứ, hướng dẫn"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Giữ Ctrl (hoặc ⌘) để chọn nhiều văn bản."),
        error_messages={"invalid_choice": _("Văn bản không hợp lệ hoặc ngoài phạm vi của bạn.")},
    )
    participation = forms.ChoiceField(
        label=_("Đơn vị tham gia"),
        choices=Participation.choices,
        widget=forms.RadioSelect,
        initial=Participation.SUBTREE,
    )
    chosen_units = UnitMultipleChoiceField(
        label=_("Các đơn vị được chọn"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Chỉ dùng khi chọn “Các đơn vị được chọn”."),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn.")},
    )

    def __init__(self, *args, user, movement: Movement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.movement = movement
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        current_units = list(movement.chosen_units.all()) if movement else []
        self.fields["launching_unit"].queryset = unit_choices_for(
            user, "movement.manage", include=[movement.launching_unit if movement else None]
        )
        if movement is None and not self.initial.get("launching_unit"):
            # Most officers launch for the agency they work for: the top unit of their scope.
            self.initial["launching_unit"] = (
                self.fields["launching_unit"].queryset.order_by("depth", "path").first()
            )
        self.fields["chosen_units"].queryset = unit_choices_for(
            user, "movement.manage", include=current_units
        )
        parents = selectors.parent_choices(user, exclude=movement)
        if movement is not None and movement.parent_id:
            parents = Movement.objects.filter(
                pk__in=[*parents.values_list("pk", flat=True), movement.parent_id]
            ).order_by("-start", "title")
        if movement is not None and movement.rounds.exists():
            # A movement with rounds is itself a top-level movement.
            parents = parents.none()
        self.fields["parent"].queryset = parents
        documents = legal_documents_visible_to(user)
        if movement is not None:
            current = list(movement.legal_bases.values_list("pk", flat=True))
            documents = LegalDocument.objects.filter(
                pk__in=[*documents.values_list("pk", flat=True), *current]
            )
        self.fields["legal_bases"].queryset = documents.order_by("-issued_on", "number")
        awards = list(AwardType.objects.filter(is_active=True).order_by("category", "-precedence", "code"))
        if movement is not None:
            kept = {award.pk for award in awards}
            awards += [award for award in movement.planned_awards.all() if award.pk not in kept]
        self.awards_by_code = {award.code: award for award in awards}
        self.fields["planned_awards"].choices = [
            (
                str(category.label),
                [(award.code, award.name) for award in awards if award.category == category],
            )
            for category in AwardCategory
            if any(award.category == category for award in awards)
        ]
        if movement is not None and movement.status != MovementStatus.DRAFT:
            locked = _("Phong trào đã phát động: không đổi được trường này.")
            for name in self.STRUCTURAL:
                self.fields[name].help_text = locked

    GROUPS = (
        (
            _("Thông tin chung"),
            ("title", "kind", "launching_unit", "parent", "start", "end", "registration_deadline"),
            True,
        ),
        (_("Mục đích và nội dung"), ("purpose", "content", "tasks", "criteria"), False),
        (_("Khen thưởng và văn bản căn cứ"), ("planned_awards", "legal_bases"), False),
        (_("Đơn vị tham gia"), ("participation", "chosen_units"), False),
    )
    REQUIRED_MESSAGES = {"start": _("Nhập ngày bắt đầu."), "end": _("Nhập ngày kết thúc.")}

    @property
    def field_groups(self) -> list[dict]:
        return [
            {"title": title, "fields": [self[name] for name in names], "grid": grid}
            for title, names, grid in self.GROUPS
        ]

    @classmethod
    def initial_for(cls, movement: Movement) -> dict:
        initial = {name: getattr(movement, name) for name in cls.SIMPLE}
        initial.update(
            {
                "tasks": "\n".join(task.text for task in movement.tasks.all()),
                "criteria": criteria_text(movement),
                "planned_awards": [award.code for award in movement.planned_awards.all()],
                "legal_bases": list(movement.legal_bases.all()),
                "chosen_units": list(movement.chosen_units.all()),
            }
        )
        return initial

    def clean_title(self):
        return clean_text(self.cleaned_data["title"])

    def clean_tasks(self):
        return parse_tasks(self.cleaned_data["tasks"])

    def clean_criteria(self):
        return parse_criteria(self.cleaned_data["criteria"])

    def clean_planned_awards(self):
        return [self.awards_by_code[code] for code in self.cleaned_data["planned_awards"]]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        unit = cleaned.get("launching_unit")
        chosen = cleaned.get("chosen_units") or []
        if cleaned.get("participation") == Participation.CHOSEN:
            if "chosen_units" not in self.errors and not chosen:
                self.add_error("chosen_units", _("Chọn ít nhất một đơn vị tham gia."))
            elif unit is not None:
                outside = [item.name for item in chosen if not item.path.startswith(unit.path)]
                if outside:
                    self.add_error(
                        "chosen_units",
                        _("Đơn vị không thuộc đơn vị phát động: %(units)s.") % {"units": ", ".join(outside)},
                    )
        parent = cleaned.get("parent")
        if parent is not None and self.movement is not None and parent.pk == self.movement.pk:
            self.add_error("parent", _("Phong trào không thể là đợt của chính nó."))
        return cleaned

    def changes(self) -> dict:
        """The values to hand to the service. On editing, only what changed: the service refuses any
        structural field of a launched movement, and a grid already scored, even when resent unchanged."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.SIMPLE}
        values["chosen_units"] = (
            list(data["chosen_units"]) if data["participation"] == Participation.CHOSEN else []
        )
        lists = {
            "tasks": data["tasks"],
            "criteria": data["criteria"],
            "planned_awards": data["planned_awards"],
            "legal_bases": list(data["legal_bases"]),
        }
        values.update(lists)
        movement = self.movement
        if movement is None:
            return values
        changed = {}
        for name in self.SIMPLE:
            if values[name] != getattr(movement, name):
                changed[name] = values[name]
        if sorted(unit.pk for unit in values["chosen_units"]) != sorted(
            movement.chosen_units.values_list("pk", flat=True)
        ):
            changed["chosen_units"] = values["chosen_units"]
        if values["tasks"] != [task.text for task in movement.tasks.all()]:
            changed["tasks"] = values["tasks"]
        current_grid = [(criterion.name, criterion.max_points) for criterion in movement.criteria.all()]
        if values["criteria"] != current_grid:
            changed["criteria"] = values["criteria"]
        if sorted(award.pk for award in values["planned_awards"]) != sorted(
            movement.planned_awards.values_list("pk", flat=True)
        ):
            changed["planned_awards"] = values["planned_awards"]
        if sorted(doc.pk for doc in values["legal_bases"]) != sorted(
            movement.legal_bases.values_list("pk", flat=True)
        ):
            changed["legal_bases"] = values["legal_bases"]
        return changed


# ---------------------------------------------------------------- status, attachments


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        choices=MovementStatus.choices, error_messages={"invalid_choice": _("Trạng thái không hợp lệ.")}
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Tên tài liệu"), max_length=255, required=False, help_text=_("Để trống để dùng tên tệp.")
    )
    file = forms.FileField(
        label=_("Tệp"), error_messages={"required": _("Chọn tệp cần đính kèm."), "empty": _("Tệp rỗng.")}
    )
