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
