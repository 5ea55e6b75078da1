from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.decisions.certificates import ALIGNS, FIELD_KEYS, FIELDS, template_fields
from thidua.decisions.enums import (
    AttachmentKind,
    CertificateMode,
    DecisionKind,
    DecisionStatus,
    Grouping,
    RevocationGround,
    SignerAuthority,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy."), "required": _("Nhập ngày.")}


class ServiceErrorsMixin:
    def add_service_error(self, error) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm số, trích yếu"), required=False, max_length=200)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    unit = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=None, required=False, empty_label=_("— Tất cả"))
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    kind = forms.ChoiceField(label=_("Loại"), required=False)
    award = forms.ModelChoiceField(label=_("Danh hiệu, hình thức"), queryset=None, required=False, empty_label=_("— Tất cả"))

    def __init__(self, *args, units, years, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("— Tất cả"))] + [(year, year) for year in years]
        self.fields["unit"].queryset = units
        self.fields["status"].choices = [("", _("— Tất cả"))] + list(DecisionStatus.choices)
        self.fields["kind"].choices = [("", _("— Tất cả"))] + list(DecisionKind.choices)
        self.fields["award"].queryset = awards

    def values(self) -> dict:
        if self.is_bound and self.is_valid():
            return self.cleaned_data
        return {"q": "", "year": None, "unit": None, "status": "", "kind": "", "award": None}

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class NomineePickFilterForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Đợt xét"), queryset=None, required=False, empty_label=_("— Tất cả"))
    award = forms.ModelChoiceField(label=_("Danh hiệu, hình thức"), queryset=None, required=False, empty_label=_("— Tất cả"))

    def __init__(self, *args, rounds, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["award"].queryset = awards

    def values(self) -> dict:
        if self.is_bound and self.is_valid():
            return self.cleaned_data
        return {"round": None, "award": None}


class DraftForm(ServiceErrorsMixin, forms.Form):
    nominees = forms.TypedMultipleChoiceField(
        label=_("Đề nghị"), coerce=int, error_messages={"required": _("Chọn ít nhất một đề nghị đã được chấp thuận."),
                                                         "invalid_choice": _("Có đề nghị không còn chờ quyết định; tải lại trang.")},
    )
    grouping = forms.ChoiceField(label=_("Lập quyết định"), choices=Grouping.choices, initial=Grouping.PER_AWARD, widget=forms.RadioSelect)
    decision_date = forms.DateField(label=_("Ngày ký dự kiến"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS,
                                    help_text=_("Chức vụ, đơn vị của từng người được ghi theo ngày này; để trống: hôm nay."))

    def __init__(self, *args, nominee_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].choices = [(pk, pk) for pk in nominee_ids]


class DecisionForm(ServiceErrorsMixin, forms.Form):
    subject = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": _("Nhập trích yếu của quyết định.")})
    decision_date = forms.DateField(label=_("Ngày ký dự kiến"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    authority_line = forms.CharField(label=_("Thẩm quyền ban hành"), max_length=300, required=False,
                                     help_text=_("Ví dụ: GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"))
    bases_text = forms.CharField(label=_("Căn cứ (mỗi dòng một căn cứ)"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    legal_documents = forms.ModelMultipleChoiceField(label=_("Căn cứ từ sổ văn bản"), queryset=None, required=False,
                                                     widget=forms.CheckboxSelectMultiple)
    proposal = forms.CharField(label=_("Theo đề nghị của"), max_length=500, required=False)
    achievement = forms.CharField(label=_("Thành tích (Điều 1, ghi trên giấy khen)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    with_annex = forms.BooleanField(label=_("Kèm danh sách (phụ lục) thay vì liệt kê trong Điều 1"), required=False)
    fund = forms.CharField(label=_("Nguồn kinh phí (Điều 2)"), max_length=300, required=False)
    effect = forms.CharField(label=_("Hiệu lực (Điều 3)"), max_length=300, required=False)
    executors = forms.CharField(label=_("Tổ chức thực hiện (Điều 3)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    signer = forms.ModelChoiceField(label=_("Người ký (duyệt dự thảo trên hệ thống)"), queryset=None, required=False,
                                    empty_label=_("— Bất kỳ người có quyền ký"))
    signer_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=SignerAuthority.choices, required=False)
    signer_body_title = forms.CharField(label=_("Chức danh thủ trưởng (sau KT., TM.)"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120, required=False)
    distribution = forms.CharField(label=_("Nơi nhận (mỗi dòng một nơi)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    replaces = forms.ModelChoiceField(label=_("Thay thế quyết định"), queryset=None, required=False, empty_label=_("— Không"))
    amends = forms.ModelChoiceField(label=_("Sửa đổi, bổ sung quyết định"), queryset=None, required=False, empty_label=_("— Không"))
    revocation_ground = forms.ChoiceField(label=_("Căn cứ hủy bỏ (Điều 93)"), choices=RevocationGround.choices, required=False)
    revocation_reason = forms.CharField(label=_("Lý do cụ thể"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, decision, signers, documents, linkable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = signers
        self.fields["signer"].label_from_instance = lambda user: user.person.full_name if user.person_id else user.get_full_name() or user.username
        self.fields["legal_documents"].queryset = documents
        self.fields["replaces"].queryset = linkable
        self.fields["amends"].queryset = linkable
        if decision.kind != DecisionKind.REVOCATION:
            del self.fields["revocation_ground"]
            del self.fields["revocation_reason"]
        else:
            del self.fields["with_annex"]
            del self.fields["fund"]

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        bases = [*_lines(data.pop("bases_text")), *data.pop("legal_documents")]
        data["distribution"] = _lines(data["distribution"])
        data["signer_authority"] = data.get("signer_authority") or ""
        return {"bases": bases, **data}


class RecipientForm(ServiceErrorsMixin, forms.Form):
    salutation = forms.CharField(label=_("Danh xưng"), max_length=20, required=False)
    name = forms.CharField(label=_("Họ tên, tên tập thể"), max_length=255, error_messages={"required": _("Nhập họ tên hoặc tên tập thể.")})
    position = forms.CharField(label=_("Chức vụ, đơn vị"), max_length=500, required=False)
    achievement = forms.CharField(label=_("Thành tích ghi trên giấy khen"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Để trống: dùng thành tích chung của quyết định."))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(forms.Form):
    decision_date = forms.DateField(label=_("Ngày ký"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].initial = timezone.localdate()


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("Tệp (PDF, JPEG, PNG)"), error_messages={"required": _("Chọn tệp cần đính kèm."), "empty": _("Tệp rỗng.")})


class CertificateForm(ServiceErrorsMixin, forms.Form):
    mode = forms.ChoiceField(label=_("Cách in"), choices=CertificateMode.choices, initial=CertificateMode.FULL, widget=forms.RadioSelect)
    template = forms.ModelChoiceField(label=_("Mẫu phôi"), queryset=None, required=False, empty_label=_("— Chọn mẫu phôi"))

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class RevocationForm(ServiceErrorsMixin, forms.Form):
    awards = forms.TypedMultipleChoiceField(label=_("Khen thưởng cần hủy bỏ"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("Chọn ít nhất một khen thưởng cần hủy bỏ.")})
    ground = forms.ChoiceField(label=_("Căn cứ hủy bỏ (Điều 93 Luật Thi đua, khen thưởng)"), choices=[("", "—"), *RevocationGround.choices],
                               error_messages={"required": _("Chọn căn cứ hủy bỏ khen thưởng.")})
    reason = forms.CharField(label=_("Lý do cụ thể"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decision_date = forms.DateField(label=_("Ngày ký dự kiến"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awards"].choices = choices


class ReturnedForm(forms.Form):
    returned_on = forms.DateField(label=_("Ngày nộp lại"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)


class TemplateForm(ServiceErrorsMixin, forms.Form):
    """A blank's size and, for every field, its box (x, y, width in mm), size, style, alignment, shown or not."""

    COLUMNS = ("x", "y", "w", "size", "align", "bold", "italic", "upper", "visible")

    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, error_messages={"required": _("Chọn đơn vị dùng mẫu phôi.")})
    name = forms.CharField(label=_("Tên mẫu phôi"), max_length=200, error_messages={"required": _("Nhập tên mẫu phôi.")})
    award = forms.ModelChoiceField(label=_("Dùng cho"), queryset=None, required=False, empty_label=_("— Mọi hình thức"))
    width_mm = forms.DecimalField(label=_("Chiều rộng (mm)"), min_value=50, max_value=1000, decimal_places=1, initial=297)
    height_mm = forms.DecimalField(label=_("Chiều cao (mm)"), min_value=50, max_value=1000, decimal_places=1, initial=210)

    def __init__(self, *args, units, awards, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: f"{'— ' * unit.depth}{unit.name}"
        self.fields["award"].queryset = awards
        current = template_fields(template) if template is not None else template_fields(_Blank())
        self.rows = []
        for key, label in FIELDS:
            spec = current[key]
            names = {}
            for attribute, field in (
                ("x", forms.DecimalField(label=_("x (mm)"), min_value=0, max_value=1000, decimal_places=1, initial=spec["x"])),
                ("y", forms.DecimalField(label=_("y (mm)"), min_value=0, max_value=1000, decimal_places=1, initial=spec["y"])),
                ("w", forms.DecimalField(label=_("rộng (mm)"), min_value=1, max_value=1000, decimal_places=1, initial=spec["w"])),
            ):
                names[attribute] = f"{key}__{attribute}"
                self.fields[names[attribute]] = field
            if key != "qr":
                self.fields[f"{key}__size"] = forms.DecimalField(label=_("cỡ chữ"), min_value=4, max_value=72, decimal_places=1, initial=spec["size"])
                self.fields[f"{key}__align"] = forms.ChoiceField(label=_("căn lề"), choices=list(zip(ALIGNS, (_("trái"), _("giữa"), _("phải")), strict=True)), initial=spec["align"])
                for flag, flag_label in (("bold", _("đậm")), ("italic", _("nghiêng")), ("upper", _("in hoa"))):
                    self.fields[f"{key}__{flag}"] = forms.BooleanField(label=flag_label, required=False, initial=spec.get(flag, False))
            self.fields[f"{key}__visible"] = forms.BooleanField(label=_("in"), required=False, initial=spec.get("visible", True))
            self.rows.append({"key": key, "label": label, "cells": [
                self[f"{key}__{attribute}"] if f"{key}__{attribute}" in self.fields else None for attribute in self.COLUMNS]})

    def positions(self) -> dict:
        data = self.cleaned_data
        result = {}
        for key in FIELD_KEYS:
            spec = {}
            for name, value in data.items():
                prefix, _sep, attribute = name.partition("__")
                if prefix == key and attribute:
                    spec[attribute] = float(value) if attribute in ("x", "y", "w", "size") else value
            result[key] = spec
        return result


class _Blank:
    """The default Giấy khen sheet, for a new template's initial positions."""

    width_mm, height_mm, fields = 297, 210, {}


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Mã xác thực"), max_length=40, help_text=_("16 ký tự in trên giấy khen, ví dụ 7KQ2-M9XD-4TRB-HC3N."))


class NumberingForm(ServiceErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=None, error_messages={"required": _("Chọn cơ quan ban hành.")})
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, error_messages={"required": _("Nhập năm.")})
    last = forms.IntegerField(label=_("Số quyết định cuối cùng đã dùng ngoài hệ thống"), min_value=0, max_value=99999,
                              error_messages={"required": _("Nhập số cuối cùng đã dùng.")},
                              help_text=_("Quyết định ban hành tiếp theo trên hệ thống nhận số kế tiếp."))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: f"{'— ' * unit.depth}{unit.name}"
        self.fields["year"].initial = timezone.localdate().year
