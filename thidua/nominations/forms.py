"""Forms of the dossier pages. They check the shape of the input with Vietnamese messages; the services
(``nominations.services``, ``nominations.attachments``) enforce the rules and their ValidationErrors come
back onto the fields through ``ServiceErrorsMixin.add_service_error``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.nominations.enums import AttachmentKind, NominationStatus, NomineeStatus, Track
from thidua.organizations.forms import ServiceErrorsMixin, UnitChoiceField, date_field, unit_choices_for
from thidua.rules.models import AwardType

ALL = _("Tất cả")


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", ALL)] + NominationStatus.choices)
    round = forms.ChoiceField(label=_("Đợt xét"), required=False)
    unit = forms.ChoiceField(label=_("Đơn vị đề nghị"), required=False)
    award = forms.ChoiceField(label=_("Danh hiệu, hình thức"), required=False)

    def __init__(self, data=None, *, rounds, units, awards, **kwargs):
        super().__init__(data, **kwargs)
        self.rounds = {str(round_.pk): round_ for round_ in rounds}
        self.units = {unit.code: unit for unit in units}
        self.awards = {award.code: award for award in awards}
        self.fields["round"].choices = [("", _("Tất cả đợt xét"))] + [(key, r.title) for key, r in self.rounds.items()]
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [(key, u.name) for key, u in self.units.items()]
        self.fields["award"].choices = [("", ALL)] + [(key, a.name) for key, a in self.awards.items()]
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = True

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "status": data.get("status") or "",
            "round": self.rounds.get(data.get("round") or ""),
            "unit": self.units.get(data.get("unit") or ""),
            "award": self.awards.get(data.get("award") or ""),
        }

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class RoundForm(ServiceErrorsMixin, forms.Form):
    awarding_unit = UnitChoiceField(label=_("Đơn vị xét khen thưởng"), queryset=None,
                                    error_messages={"required": _("Chọn đơn vị xét khen thưởng."), "invalid_choice": _("Đơn vị không thuộc phạm vi của bạn.")})
    title = forms.CharField(label=_("Tên đợt xét"), max_length=300, error_messages={"required": _("Nhập tên đợt xét.")})
    track = forms.ChoiceField(label=_("Loại khen thưởng"), choices=Track.choices, initial=Track.REGULAR)
    simplified = forms.BooleanField(label=_("Thủ tục đơn giản"), required=False)
    period_start = forms.IntegerField(label=_("Thành tích từ năm"), min_value=1945, max_value=2100,
                                      error_messages={"required": _("Nhập năm bắt đầu."), "invalid": _("Nhập năm bằng số.")})
    period_end = forms.IntegerField(label=_("Thành tích đến năm"), min_value=1945, max_value=2100,
                                    error_messages={"required": _("Nhập năm kết thúc."), "invalid": _("Nhập năm bằng số.")})
    opens_on = date_field(_("Nhận hồ sơ từ ngày"), required=True)
    submission_deadline = date_field(_("Hạn nộp hồ sơ"), required=True)
    accepted_awards = forms.ModelMultipleChoiceField(
        label=_("Danh hiệu, hình thức nhận xét"), queryset=AwardType.objects.filter(is_active=True).order_by("precedence", "name"),
        widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Chọn ít nhất một danh hiệu hoặc hình thức khen thưởng.")},
    )

    accepted_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được đề nghị"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Để trống: mọi đơn vị trực thuộc đơn vị xét khen thưởng."),
    )
    movement = forms.ModelChoiceField(label=_("Phong trào thi đua"), queryset=None, required=False, empty_label=_("— không gắn phong trào —"),
                                      help_text=_("Gắn đợt xét với phong trào để biết người được đề nghị đã đăng ký thi đua chưa."))

    def __init__(self, data=None, *, user, **kwargs):
        from thidua.movements.selectors import movements_visible_to

        super().__init__(data, **kwargs)
        self.fields["awarding_unit"].queryset = unit_choices_for(user, "nomination.appraise")
        # The proposers a round may be limited to: units in the user's appraisal scope (the service checks
        # they lie under the round's awarding unit).
        self.fields["accepted_units"].queryset = unit_choices_for(user, "nomination.appraise")
        self.fields["movement"].queryset = movements_visible_to(user).order_by("-start", "title")
        for name in ("opens_on", "submission_deadline"):
            self.fields[name].error_messages["required"] = _("Nhập ngày theo dạng dd/mm/yyyy.")

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("Năm kết thúc phải không trước năm bắt đầu."))
        if data.get("opens_on") and data.get("submission_deadline") and data["submission_deadline"] < data["opens_on"]:
            self.add_error("submission_deadline", _("Hạn nộp hồ sơ phải sau ngày bắt đầu nhận hồ sơ."))
        return data


class NominationForm(ServiceErrorsMixin, forms.Form):
    proposing_unit = UnitChoiceField(label=_("Đơn vị đề nghị"), queryset=None,
                                     error_messages={"required": _("Chọn đơn vị đề nghị."), "invalid_choice": _("Đơn vị không thuộc phạm vi của bạn.")})
    title = forms.CharField(label=_("Trích yếu"), max_length=300, required=False, help_text=_("Để trống để dùng tên mặc định."))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["proposing_unit"].queryset = unit_choices_for(user, "nomination.propose")


class NomineeForm(ServiceErrorsMixin, forms.Form):
    UNIT_CHOICE = "unit"
    subject = forms.ChoiceField(label=_("Cá nhân hoặc tập thể"), error_messages={"required": _("Chọn cá nhân hoặc tập thể được đề nghị."), "invalid_choice": _("Lựa chọn không hợp lệ.")})
    award = forms.ModelChoiceField(label=_("Danh hiệu, hình thức"), queryset=AwardType.objects.none(), empty_label="—",
                                   error_messages={"required": _("Chọn danh hiệu hoặc hình thức."), "invalid_choice": _("Đợt xét không nhận danh hiệu này.")})
    summary = forms.CharField(label=_("Tóm tắt thành tích"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    field_aliases = {"person": "subject", "unit": "subject", "nomination": "subject"}

    def __init__(self, data=None, *, nomination, people, **kwargs):
        super().__init__(data, **kwargs)
        self.people = {str(person.pk): person for person in people}
        self.unit = nomination.proposing_unit
        self.fields["subject"].choices = [("", "—"), (self.UNIT_CHOICE, _("Tập thể: %(unit)s") % {"unit": self.unit.name})] + [
            (key, person.full_name) for key, person in self.people.items()
        ]
        self.fields["award"].queryset = nomination.round.accepted_awards.order_by("precedence", "name")

    def subject_kwargs(self) -> dict:
        choice = self.cleaned_data["subject"]
        if choice == self.UNIT_CHOICE:
            return {"unit": self.unit}
        return {"person": self.people[choice]}


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=[("", "—")] + AttachmentKind.choices,
                             error_messages={"required": _("Chọn loại tài liệu."), "invalid_choice": _("Chọn loại tài liệu.")})
    file = forms.FileField(label=_("Tệp"), help_text=_("PDF, DOCX, XLSX, JPEG hoặc PNG."),
                           error_messages={"required": _("Chọn tệp cần đính kèm."), "empty": _("Tệp rỗng.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=NominationStatus.choices, error_messages={"invalid_choice": _("Trạng thái không hợp lệ."), "required": _("Trạng thái không hợp lệ.")})
    note = forms.CharField(label=_("Ghi chú, lý do"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    items = forms.CharField(label=_("Nội dung cần bổ sung (mỗi dòng một mục)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("items", "").splitlines() if line.strip()]


class NomineeDecisionForm(forms.Form):
    to = forms.ChoiceField(choices=NomineeStatus.choices, error_messages={"invalid_choice": _("Kết quả xét không hợp lệ."), "required": _("Kết quả xét không hợp lệ.")})
    note = forms.CharField(label=_("Ý kiến thẩm định"), required=False, max_length=5000)


class NomineeSummaryForm(ServiceErrorsMixin, forms.Form):
    summary = forms.CharField(label=_("Tóm tắt thành tích"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


class AssignForm(forms.Form):
    officer = forms.ChoiceField(label=_("Cán bộ thẩm định"))

    def __init__(self, data=None, *, officers, **kwargs):
        super().__init__(data, **kwargs)
        self.officers = {str(user.pk): user for user in officers}
        self.fields["officer"].choices = [("", "—")] + [(key, user.get_full_name() or user.username) for key, user in self.officers.items()]

    def clean_officer(self):
        return self.officers.get(self.cleaned_data["officer"])


class ForwardForm(forms.Form):
    round = forms.ChoiceField(label=_("Đợt xét của cấp trên"), error_messages={"required": _("Chọn đợt xét của cấp trên."), "invalid_choice": _("Chọn đợt xét của cấp trên.")})
    nominees = forms.MultipleChoiceField(label=_("Đề nghị trình cấp trên"), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Chọn ít nhất một đề nghị cần trình."), "invalid_choice": _("Đề nghị không còn chờ xét.")})
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, rounds, nominees, **kwargs):
        super().__init__(data, **kwargs)
        self.rounds = {str(round_.pk): round_ for round_ in rounds}
        self.nominees = {str(nominee.pk): nominee for nominee in nominees}
        self.fields["round"].choices = [("", "—")] + [(key, f"{r.title} — {r.awarding_unit.name}") for key, r in self.rounds.items()]
        self.fields["nominees"].choices = [
            (key, f"{n.person.full_name if n.person_id else n.unit.name if n.unit_id else n.household_name} — {n.award.name}")
            for key, n in self.nominees.items()
        ]

    def clean_round(self):
        return self.rounds[self.cleaned_data["round"]]

    def clean_nominees(self):
        return [self.nominees[key] for key in self.cleaned_data["nominees"]]


class BulkTransitionForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": _("Chọn ít nhất một hồ sơ.")})
    to = forms.ChoiceField(choices=NominationStatus.choices, error_messages={"invalid_choice": _("Chọn thao tác."), "required": _("Chọn thao tác.")})
    note = forms.CharField(required=False, max_length=5000)
    items = forms.CharField(required=False, max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be posted; the view keeps only the dossiers the user can see.
        self.fields["ids"].choices = [(value, value) for value in self.data.getlist("ids")] if hasattr(self.data, "getlist") else []

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("items", "").splitlines() if line.strip()]
