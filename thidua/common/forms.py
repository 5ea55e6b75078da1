from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from thidua.common.models import AuditAction

# Django's own apps: their objects are never written through thidua's services.
_FRAMEWORK_APPS = ("admin", "auth", "contenttypes", "sessions", "django_tasks_db", "django_tasks")


def audited_content_types() -> list[ContentType]:
    """The object types the audit log can name, labelled by their Vietnamese model name."""
    types = [
        ct
        for ct in ContentType.objects.exclude(app_label__in=_FRAMEWORK_APPS)
        if ct.model_class() is not None
    ]
    return sorted(types, key=lambda ct: str(ct.model_class()._meta.verbose_name))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Tài khoản thực hiện"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Hành động"), required=False, choices=[("", _("Tất cả"))] + AuditAction.choices
    )
    type = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )
    q = forms.CharField(label=_("Đối tượng"), required=False, max_length=200)
    # Set by links from a unit's or a person's page, not shown as inputs.
    unit = forms.CharField(required=False, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.content_types = {f"{ct.app_label}.{ct.model}": ct for ct in audited_content_types()}
        self.fields["type"].choices = [("", _("Tất cả"))] + [
            (key, str(ct.model_class()._meta.verbose_name).capitalize())
            for key, ct in self.content_types.items()
        ]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = _("Tên hoặc mã đối tượng")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return cleaned

    def content_type(self) -> ContentType | None:
        return self.content_types.get(self.cleaned_data.get("type") or "")


# ---------------------------------------------------------------- the document register (movements UI helper)


class LegalDocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Năm ban hành"), required=False, coerce=int, empty_value=None)
    unit = forms.ChoiceField(label=_("Đơn vị quản lý"), required=False)

    def __init__(self, data=None, *, units, years, **kwargs):
        super().__init__(data, **kwargs)
        self.units_by_code = {unit.code: unit for unit in units}
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [(unit.code, unit.name) for unit in units]
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(year, year) for year in years]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Số, ký hiệu, trích yếu hoặc cơ quan ban hành"), "autocomplete": "off"}
        )
        for name in ("year", "unit"):
            self.fields[name].widget.attrs["data-autosubmit"] = True

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "year": data.get("year"),
            "unit": self.units_by_code.get(data.get("unit") or ""),
        }

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class LegalDocumentForm(forms.Form):
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=80,
        help_text=_("Ví dụ: 204/KH-UBND"),
        error_messages={"required": _("Nhập số, ký hiệu văn bản.")},
    )
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Nhập ngày theo dạng dd/mm/yyyy."),
            "required": _("Nhập ngày ban hành."),
        },
    )
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"), max_length=255, error_messages={"required": _("Nhập cơ quan ban hành.")}
    )
    title = forms.CharField(
        label=_("Trích yếu"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Nhập trích yếu nội dung văn bản.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị quản lý"),
        queryset=None,
        required=False,
        empty_label=_("— Văn bản chung (luật, nghị định)"),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn.")},
    )
    file = forms.FileField(
        label=_("Tệp văn bản"),
        required=False,
        widget=forms.FileInput,
        help_text=_("PDF, Word hoặc ảnh chụp; tối đa 20 MB."),
        error_messages={"empty": _("Tệp rỗng.")},
    )

    def __init__(self, *args, user, document=None, **kwargs):
        from django.db.models import Q
        from django.utils import timezone

        from thidua.accounts import scopes
        from thidua.organizations.models import Unit
        from thidua.organizations.selectors import units_visible_to

        super().__init__(*args, **kwargs)
        units = units_visible_to(user, "document.manage").valid_on(timezone.localdate())
        if document is not None and document.unit_id:
            units = Unit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=document.unit_id))
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["unit"].label_from_instance = lambda unit: f"{'— ' * unit.depth}{unit.name}"
        # Only a province-wide manager keeps documents of no unit.
        self.fields["unit"].required = not scopes.holds_root_scope(user, "document.manage")
        self.fields["unit"].error_messages["required"] = _("Chọn đơn vị quản lý văn bản.")
        if document is not None and document.file:
            self.fields["file"].help_text = _("Đang có tệp %(name)s; chọn tệp khác để thay.") % {
                "name": document.file.name.rsplit("/", 1)[-1]
            }

    def add_service_error(self, error) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
