from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.council.enums import Choice, MemberRole, SessionStatus

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


def nominee_label(nominee) -> str:
    if nominee.person_id:
        name = nominee.person.full_name
    elif nominee.unit_id:
        name = f"{_('Tập thể')}: {nominee.unit.name}"
    else:
        name = nominee.household_name
    return f"{name} — {nominee.award.name} ({nominee.nomination.proposing_unit.name})"


class CouncilForm(ServiceErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, error_messages={"required": _("Chọn đơn vị của Hội đồng.")})
    name = forms.CharField(label=_("Tên Hội đồng"), max_length=300, error_messages={"required": _("Nhập tên Hội đồng.")})
    established_by = forms.CharField(label=_("Quyết định thành lập"), max_length=200, required=False,
                                     help_text=_("Ví dụ: Quyết định số 12/QĐ-SKHCN ngày 05/01/2025"))

    def __init__(self, *args, user, **kwargs):
        from thidua.accounts import scopes
        from thidua.organizations.models import Unit

        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(scopes.scope_q(user, "council.manage")).valid_on(timezone.localdate()).order_by("path")
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: f"{'— ' * unit.depth}{unit.name}"


class MembershipForm(ServiceErrorsMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Tài khoản của thành viên"), queryset=None,
                                  error_messages={"required": _("Chọn tài khoản của thành viên."), "invalid_choice": _("Tài khoản không hợp lệ.")})
    role = forms.ChoiceField(label=_("Vai trò trong Hội đồng"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    title = forms.CharField(label=_("Chức vụ"), max_length=200, required=False, help_text=_("Ví dụ: Phó Giám đốc Sở"))
    start_on = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    end_on = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, required=False, error_messages=DATE_ERRORS,
                             help_text=_("Để trống nếu nhiệm kỳ chưa kết thúc."))

    def __init__(self, *args, council, **kwargs):
        from thidua.accounts.models import User

        super().__init__(*args, **kwargs)
        path = council.unit.path
        # People of the council's unit: a role there, or a person record working there.
        users = User.objects.filter(is_active=True).filter(
            Q(roles__unit__path__startswith=path) | Q(person__current_unit__path__startswith=path)
            | Q(roles__unit__path__in=council.unit.ancestor_paths())
        ).distinct().select_related("person").order_by("username")
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: str(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_on") and cleaned.get("end_on") and cleaned["end_on"] < cleaned["start_on"]:
            self.add_error("end_on", _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."))
        return cleaned


class MembershipEndForm(ServiceErrorsMixin, forms.Form):
    end_on = forms.DateField(label=_("Kết thúc nhiệm kỳ ngày"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)


class NomineeChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, nominee):
        return nominee_label(nominee)


class SessionForm(ServiceErrorsMixin, forms.Form):
    held_on = forms.DateField(label=_("Ngày họp"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    title = forms.CharField(label=_("Nội dung phiên họp"), max_length=300, required=False,
                            help_text=_("Để trống: “Phiên họp xét khen thưởng ngày …”."))
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    nominees = NomineeChoiceField(label=_("Đề nghị đưa ra Hội đồng"), queryset=None,
                                  error_messages={"required": _("Chọn ít nhất một đề nghị đưa ra Hội đồng."),
                                                  "invalid_choice": _("Một đề nghị đã chọn không còn chờ Hội đồng xét.")})

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].queryset = nominees
        self.fields["held_on"].initial = timezone.localdate()


class SessionEditForm(ServiceErrorsMixin, forms.Form):
    held_on = forms.DateField(label=_("Ngày họp"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    title = forms.CharField(label=_("Nội dung phiên họp"), max_length=300, required=False)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)


class AgendaForm(ServiceErrorsMixin, forms.Form):
    nominees = NomineeChoiceField(label=_("Đề nghị trong chương trình họp"), queryset=None,
                                  error_messages={"required": _("Chọn ít nhất một đề nghị đưa ra Hội đồng.")})

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].queryset = nominees


class AttendanceForm(ServiceErrorsMixin, forms.Form):
    present = forms.MultipleChoiceField(label=_("Thành viên có mặt"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(row.membership.pk), f"{row.membership.name} — {row.membership.get_role_display()}") for row in roster
        ]
        if not self.is_bound:
            self.fields["present"].initial = [str(row.membership.pk) for row in roster if row.present]


class OpenVotingForm(ServiceErrorsMixin, forms.Form):
    ALL, PART = "all", "part"
    scope = forms.ChoiceField(label=_("Biểu quyết"), widget=forms.RadioSelect, initial="all",
                              choices=[("all", _("Toàn bộ chương trình")), ("part", _("Các đề nghị được chọn"))])
    nominees = forms.MultipleChoiceField(label=_("Đề nghị được chọn"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].choices = [(str(item.nominee_id), nominee_label(item.nominee)) for item in items]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.PART and not cleaned.get("nominees"):
            self.add_error("nominees", _("Chọn ít nhất một đề nghị để biểu quyết."))
        return cleaned

    def chosen(self):
        return None if self.cleaned_data["scope"] == self.ALL else [int(pk) for pk in self.cleaned_data["nominees"]]


CHOICE_WIDGET_ATTRS = {"class": "vote-choices"}


def _choice_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=Choice.choices, widget=forms.RadioSelect(attrs=CHOICE_WIDGET_ATTRS),
        error_messages={"required": _("Chọn một ý kiến cho đề nghị này.")},
    )


class BallotForm(forms.Form):
    """One required choice per nominee under vote: nothing is pre-selected."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"nominee_{item.nominee_id}"] = _choice_field(nominee_label(item.nominee))

    def votes(self) -> dict[int, str]:
        return {item.nominee_id: self.cleaned_data[f"nominee_{item.nominee_id}"] for item in self.items}

    def rows(self):
        return [(item, self[f"nominee_{item.nominee_id}"]) for item in self.items]


class WrittenVoteForm(ServiceErrorsMixin, BallotForm):
    membership = forms.ChoiceField(label=_("Thành viên vắng mặt"), error_messages={"required": _("Chọn thành viên vắng mặt.")})
    file = forms.FileField(label=_("Văn bản ý kiến (bản quét PDF, JPEG, PNG)"), error_messages={"required": _("Đính kèm văn bản ý kiến của thành viên.")})

    field_order = ["membership", "file"]

    def __init__(self, *args, items, absent, **kwargs):
        super().__init__(*args, items=items, **kwargs)
        self.absent = {str(m.pk): m for m in absent}
        self.fields["membership"].choices = [("", "—")] + [(str(m.pk), m.name) for m in absent]
        self.order_fields(["membership", "file"])

    def chosen_membership(self):
        return self.absent[self.cleaned_data["membership"]]


class PaperForm(ServiceErrorsMixin, forms.Form):
    sheet = forms.FileField(label=_("Biên bản kiểm phiếu giấy (bản quét PDF, JPEG, PNG)"),
                            error_messages={"required": _("Đính kèm bản quét biên bản kiểm phiếu giấy.")})

    def __init__(self, *args, items, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            row = current.get(item.nominee_id)
            for key, label, value in (("yes", Choice.YES.label, row.yes_count if row else 0), ("no", Choice.NO.label, row.no_count if row else 0),
                                      ("abstain", Choice.ABSTAIN.label, row.abstain_count if row else 0)):
                self.fields[f"{key}_{item.nominee_id}"] = forms.IntegerField(
                    label=label, min_value=0, initial=value,
                    error_messages={"required": _("Nhập số phiếu."), "invalid": _("Nhập một số nguyên."), "min_value": _("Số phiếu không được âm.")},
                    widget=forms.NumberInput(attrs={"class": "count-input", "min": 0}),
                )

    def counts(self) -> dict[int, tuple[int, int, int]]:
        return {
            item.nominee_id: tuple(self.cleaned_data[f"{key}_{item.nominee_id}"] for key in ("yes", "no", "abstain"))
            for item in self.items
        }

    def rows(self):
        return [(item, [self[f"{key}_{item.nominee_id}"] for key in ("yes", "no", "abstain")]) for item in self.items]


class CloseForm(ServiceErrorsMixin, forms.Form):
    conclusion = forms.CharField(label=_("Ý kiến, kết luận của Chủ tịch Hội đồng"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("Tôi xác nhận kết thúc biểu quyết; sau đó phiên họp không thể thay đổi."),
                                 error_messages={"required": _("Đánh dấu xác nhận trước khi kết thúc biểu quyết.")})


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do hủy phiên họp"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Ghi rõ lý do hủy phiên họp.")})


class ReceiptCheckForm(forms.Form):
    code = forms.CharField(label=_("Mã biên nhận"), max_length=100, error_messages={"required": _("Nhập mã biên nhận.")},
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}))


class SessionFilterForm(forms.Form):
    council = forms.ChoiceField(label=_("Hội đồng"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + SessionStatus.choices)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, councils, years, **kwargs):
        super().__init__(data, **kwargs)
        self.councils = {str(council.pk): council for council in councils}
        self.fields["council"].choices = [("", _("Tất cả"))] + [(str(c.pk), c.name) for c in councils]
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(year, year) for year in years]
        for name in self.fields:
            self.fields[name].widget.attrs["data-autosubmit"] = True

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"council": self.councils.get(data.get("council") or ""), "status": data.get("status") or "", "year": data.get("year")}

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)
