"""Forms for clusters and blocs: the list's filters, the cluster itself, its covenant and the scoring
grid. They check the shape of the input with Vietnamese messages; the cluster services enforce the
rules (membership, head and deputy, score bounds) and their ValidationErrors come back onto the fields
through ``ServiceErrorsMixin.add_service_error``."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.common.text import clean_text
from thidua.movements.enums import ClusterKind
from thidua.movements.models import Movement
from thidua.movements.services_clusters import MIN_YEAR, SCORE_FIELDS, points, score_error_key
from thidua.organizations.forms import ServiceErrorsMixin, date_field
from thidua.organizations.models import Unit

EMPTY = [("", "—")]
COVENANT_FILE_MAX_BYTES = 20 * 1024 * 1024


def unit_label(unit: Unit, *, below: Unit | None = None) -> str:
    """The unit's name and code, indented by its depth under ``below``; ceased units marked."""
    depth = unit.depth - (below.depth + 1 if below is not None else 0)
    label = f"{'— ' * max(depth, 0)}{unit.name} ({unit.code})"
    if not unit.is_valid_on(timezone.localdate()):
        label += " " + str(_("[đã giải thể]"))
    return label


class ClusterFilterForm(forms.Form):
    """The list's filters. Unknown values are ignored (a stale link still opens the list)."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Cụm và khối"))] + ClusterKind.choices
    )
    organizer = forms.ChoiceField(label=_("Đơn vị tổ chức"), required=False)

    def __init__(self, data=None, *, organizers: list[Unit], years: list[int], **kwargs):
        super().__init__(data, **kwargs)
        self.organizers_by_code = {unit.code: unit for unit in organizers}
        self.fields["organizer"].choices = [("", _("Tất cả đơn vị"))] + [
            (unit.code, unit.name) for unit in organizers
        ]
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(year, year) for year in years]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"placeholder": _("Tên cụm, khối"), "autocomplete": "off"})
        for name in ("year", "kind", "organizer"):
            self.fields[name].widget.attrs["data-autosubmit"] = True

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": clean_text(data.get("q") or ""),
            "year": data.get("year"),
            "kind": data.get("kind") or "",
            "organizer": self.organizers_by_code.get(data.get("organizer") or ""),
        }

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class UnitCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, below: Unit | None = None, **kwargs):
        self.below = below
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj, below=self.below)


class MemberUnitField(forms.ModelChoiceField):
    def __init__(self, *args, below: Unit | None = None, **kwargs):
        self.below = below
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class MovementField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Movement) -> str:
        return f"{obj.title} ({obj.start:%Y}–{obj.end:%Y})"


class OrganizerPickForm(forms.Form):
    """Which organizer's sub-units the new cluster is made of (its own small GET form)."""

    organizer = forms.ChoiceField(label=_("Đơn vị tổ chức"))

    def __init__(self, data=None, *, organizers: list[Unit], **kwargs):
        super().__init__(data, **kwargs)
        self.organizers_by_code = {unit.code: unit for unit in organizers}
        self.fields["organizer"].choices = [
            (unit.code, f"{'— ' * unit.depth}{unit.name}") for unit in organizers
        ]
        self.fields["organizer"].widget.attrs["data-autosubmit"] = True
        self.fields["organizer"].error_messages["invalid_choice"] = _(
            "Đơn vị không hợp lệ hoặc bạn không được tổ chức cụm, khối thi đua tại đó."
        )

    def chosen(self) -> Unit | None:
        if self.is_bound and self.is_valid():
            return self.organizers_by_code[self.cleaned_data["organizer"]]
        return None


class ClusterForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên cụm, khối thi đua"),
        max_length=255,
        error_messages={"required": _("Nhập tên cụm, khối thi đua.")},
        help_text=_("Ví dụ: Cụm thi đua các sở quản lý kinh tế – kỹ thuật."),
    )
    kind = forms.ChoiceField(
        label=_("Loại"), choices=ClusterKind.choices, error_messages={"required": _("Chọn cụm hoặc khối.")}
    )
    year = forms.IntegerField(
        label=_("Năm"),
        error_messages={"required": _("Nhập năm."), "invalid": _("Năm phải là một số, ví dụ 2026.")},
    )
    movement = MovementField(
        label=_("Phong trào (bảng tiêu chí chấm điểm)"),
        queryset=Movement.objects.none(),
        required=False,
        empty_label=_("— Chưa gắn phong trào —"),
        help_text=_("Các thành viên được chấm điểm theo bảng tiêu chí của phong trào này."),
        error_messages={
            "invalid_choice": _("Phong trào không hợp lệ hoặc ngoài phạm vi của đơn vị tổ chức.")
        },
    )
    members = UnitCheckboxes(
        label=_("Đơn vị thành viên"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Ít nhất 2 đơn vị tương đương thuộc đơn vị tổ chức."),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ hoặc không thuộc đơn vị tổ chức.")},
    )
    head_unit = MemberUnitField(
        label=_("Cụm trưởng, khối trưởng"),
        queryset=Unit.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ.")},
    )
    deputy_head_unit = MemberUnitField(
        label=_("Cụm phó, khối phó"),
        queryset=Unit.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ.")},
    )

    def __init__(
        self, *args, organizer: Unit, units: QuerySet[Unit], movements: QuerySet[Movement], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.organizer = organizer
        self.fields["year"].widget.attrs.update({"min": MIN_YEAR, "max": timezone.localdate().year + 1})
        self.fields["movement"].queryset = movements
        for name in ("members", "head_unit", "deputy_head_unit"):
            self.fields[name].queryset = units
            self.fields[name].below = organizer

    def clean_name(self) -> str:
        return clean_text(self.cleaned_data["name"])


class CovenantForm(ServiceErrorsMixin, forms.Form):
    covenant_text = forms.CharField(
        label=_("Nội dung giao ước thi đua"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        error_messages={"required": _("Nhập nội dung giao ước thi đua.")},
        help_text=_(
            "Các chỉ tiêu, nhiệm vụ các thành viên cùng cam kết. Sau khi có đơn vị ký, nội dung không sửa được nữa."
        ),
    )
    covenant_signed_on = date_field(_("Ngày ký kết giao ước"))
    covenant_file = forms.FileField(
        label=_("Bản giao ước đã ký (PDF, ảnh chụp; tối đa 20 MB)"),
        required=False,
        validators=[
            FileExtensionValidator(
                ["pdf", "jpg", "jpeg", "png", "docx"],
                message=_("Chỉ nhận tệp PDF, JPG, PNG hoặc DOCX."),
            )
        ],
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )

    def clean_covenant_file(self):
        uploaded = self.cleaned_data.get("covenant_file")
        if uploaded and uploaded.size > COVENANT_FILE_MAX_BYTES:
            raise ValidationError(_("Tệp quá lớn: tối đa 20 MB."))
        return uploaded


def parse_points(value: str) -> Decimal | None:
    """Points typed in the grid: "7,5" or "7.5"; blank clears the score."""
    text = clean_text(value).replace(" ", "")
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Nhập một số, ví dụ 7,5.")) from None
    if not number.is_finite():
        raise ValidationError(_("Nhập một số, ví dụ 7,5."))
    return number


class ScoreGridForm(forms.Form):
    """One text box per score the user may enter (member × criterion × self/review/final). The values
    are only parsed here; the score service decides what a valid score is, inside the saving
    transaction, so that one refused cell refuses the whole grid."""

    def __init__(self, data=None, *, rows, criteria, editable: dict[int, set[str]], **kwargs):
        super().__init__(data, **kwargs)
        self.grid = []
        self.cells = {}
        for row in rows:
            member = row.member
            lines = []
            for criterion in criteria:
                score = row.scores.get(criterion.pk)
                line = {"criterion": criterion, "max": points(criterion.max_points), "cells": []}
                for field_name in SCORE_FIELDS:
                    current = getattr(score, field_name) if score else None
                    cell = {
                        "field_name": field_name,
                        "current": current,
                        "text": points(current),
                        "bound": None,
                    }
                    if field_name in editable.get(member.pk, set()):
                        name = f"m{member.pk}_c{criterion.pk}_{field_name}"
                        self.fields[name] = forms.CharField(
                            required=False,
                            max_length=12,
                            widget=forms.TextInput(
                                attrs={
                                    "inputmode": "decimal",
                                    "size": 5,
                                    "autocomplete": "off",
                                    "aria-label": f"{member.unit.name} — {criterion.name} — {SCORE_LABELS[field_name]}",
                                }
                            ),
                        )
                        self.initial[name] = points(current)
                        self.cells[score_error_key(member.pk, criterion.pk, field_name)] = name
                        cell["name"] = name
                        cell["member"], cell["criterion"] = member, criterion
                    line["cells"].append(cell)
                lines.append(line)
            self.grid.append({"row": row, "lines": lines, "editable": bool(editable.get(member.pk))})
        for block in self.grid:
            for line in block["lines"]:
                for cell in line["cells"]:
                    if "name" in cell:
                        cell["bound"] = self[cell["name"]]

    @property
    def has_inputs(self) -> bool:
        return bool(self.fields)

    def clean(self):
        cleaned = super().clean()
        for name in list(self.fields):
            if name not in cleaned:
                continue  # already refused by the field itself (too long)
            try:
                cleaned[name] = parse_points(cleaned[name] or "")
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def changes(self) -> list[dict]:
        """Rows for ``scores_bulk``: only the cells whose value differs from the saved one."""
        rows: dict[tuple[int, int], dict] = {}
        for block in self.grid:
            for line in block["lines"]:
                for cell in line["cells"]:
                    if "name" not in cell:
                        continue
                    value = self.cleaned_data.get(cell["name"])
                    if value == cell["current"]:  # Decimal: 58.5 == 58.50
                        continue
                    key = (cell["member"].pk, cell["criterion"].pk)
                    row = rows.setdefault(key, {"member": cell["member"], "criterion": cell["criterion"]})
                    row[cell["field_name"]] = value
        return list(rows.values())

    def add_service_error(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            name = self.cells.get(key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


SCORE_LABELS = {
    "self_score": _("Tự chấm"),
    "review_score": _("Cụm chấm"),
    "final_score": _("Điểm chính thức"),
}


def default_year() -> int:
    """Clusters are set up at the start of the year they are for (in December, for the next)."""
    today = timezone.localdate()
    return today.year + 1 if today.month == 12 else today.year
