from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.exemplars.enums import (
    AgendaKind,
    ConsentField,
    ExemplarStatus,
    InvitationKind,
    PresentationStatus,
    Recommendation,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_ERRORS = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy."), "required": _("Nhập ngày.")}
TIME_ERRORS = {"invalid": _("Nhập giờ theo dạng hh:mm.")}
YEAR_ERRORS = {"invalid": _("Nhập năm (4 chữ số)."), "required": _("Nhập năm.")}


class ServiceErrorsMixin:
    def add_service_error(self, error) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---------------------------------------------------------------- exemplars


class ExemplarFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm tên, nội dung, lĩnh vực"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, required=False, empty_label=_("— Tất cả"))
    year = forms.IntegerField(label=_("Điển hình trong năm"), required=False, min_value=1945, max_value=2100,
                              error_messages={"invalid": _("Nhập năm (4 chữ số).")})

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("— Tất cả"))] + list(ExemplarStatus.choices)
        self.fields["unit"].queryset = units
        self.fields["q"].widget.input_type = "search"

    def values(self) -> dict:
        if self.is_bound and self.is_valid():
            return self.cleaned_data
        return {"q": "", "status": "", "unit": None, "year": None}

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class ExemplarForm(ServiceErrorsMixin, forms.Form):
    subject = forms.ChoiceField(label=_("Điển hình là"), choices=[("person", _("Cá nhân")), ("collective", _("Tập thể"))],
                                widget=forms.RadioSelect, initial="person")
    person = forms.ModelChoiceField(label=_("Cá nhân"), queryset=None, required=False, empty_label=_("— Chọn cá nhân"))
    collective = forms.ModelChoiceField(label=_("Tập thể"), queryset=None, required=False, empty_label=_("— Chọn tập thể"))
    headline = forms.CharField(label=_("Điển hình về"), max_length=300,
                               help_text=_("Ví dụ: Điển hình trong ứng dụng chữ ký số vào công tác văn thư."),
                               error_messages={"required": _("Nhập nội dung điển hình (điển hình về việc gì).")})
    field_of_work = forms.CharField(label=_("Lĩnh vực"), max_length=200, required=False)
    period_start = forms.IntegerField(label=_("Giai đoạn từ năm"), min_value=1945, max_value=2100, error_messages=YEAR_ERRORS)
    period_end = forms.IntegerField(label=_("Đến năm"), min_value=1945, max_value=2100, error_messages=YEAR_ERRORS)
    summary = forms.CharField(label=_("Tóm tắt thành tích"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    story_html = forms.CharField(
        label=_("Câu chuyện điển hình"), required=False, widget=forms.Textarea(attrs={"rows": 12, "class": "story-editor"}),
        help_text=_("Được dùng các thẻ <p>, <strong>, <em>, <ul>, <ol>, <li>, <h3>, <blockquote>, <a>, <figure> và ảnh đã tải lên "
                    "(<img src=\"/vinh-danh/anh/SỐ/\" alt=\"…\">); mọi thẻ khác bị loại bỏ khi lưu."),
    )
    awards = forms.ModelMultipleChoiceField(label=_("Khen thưởng làm căn cứ"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    initiatives = forms.ModelMultipleChoiceField(label=_("Sáng kiến, đề tài"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people, collectives, awards, initiatives, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda person: f"{person.full_name} — {person.current_unit.name if person.current_unit_id else ''}"
        self.fields["collective"].queryset = collectives
        self.fields["awards"].queryset = awards
        self.fields["initiatives"].queryset = initiatives
        if editing:
            for name in ("subject", "person", "collective"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if "subject" in self.fields:
            if cleaned.get("subject") == "person" and not cleaned.get("person"):
                self.add_error("person", _("Chọn cá nhân."))
            if cleaned.get("subject") == "collective" and not cleaned.get("collective"):
                self.add_error("collective", _("Chọn tập thể."))
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Năm kết thúc phải từ năm bắt đầu trở đi."))
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsentForm(ServiceErrorsMixin, forms.Form):
    fields_ = forms.MultipleChoiceField(label=_("Đồng ý công khai trên bảng vinh danh"), choices=ConsentField.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Căn cứ (văn bản đồng ý, ngày ký)"), required=False, max_length=300,
                           help_text=_("Bắt buộc khi ghi nhận thay người được biểu dương."))

    def __init__(self, *args, by_holder: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if by_holder:
            del self.fields["note"]


class PhotoForm(ServiceErrorsMixin, forms.Form):
    photo = forms.FileField(label=_("Ảnh (JPEG, PNG)"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
                            error_messages={"required": _("Chọn ảnh cần tải lên.")})
    alt_text = forms.CharField(label=_("Mô tả ảnh"), max_length=300, error_messages={"required": _("Mô tả ngắn nội dung ảnh.")})
    caption = forms.CharField(label=_("Chú thích"), max_length=300, required=False)


class ReplicationForm(ServiceErrorsMixin, forms.Form):
    adopter = forms.CharField(label=_("Đơn vị, người áp dụng"), max_length=300, error_messages={"required": _("Nhập đơn vị hoặc người áp dụng.")})
    place = forms.CharField(label=_("Nơi áp dụng"), max_length=300, required=False)
    adopted_on = forms.DateField(label=_("Thời điểm áp dụng"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    result = forms.CharField(label=_("Kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------- conferences


class ConferenceForm(ServiceErrorsMixin, forms.Form):
    organising_unit = forms.ModelChoiceField(label=_("Đơn vị tổ chức"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Tên hội nghị"), max_length=300, error_messages={"required": _("Nhập tên hội nghị.")})
    held_on = forms.DateField(label=_("Ngày tổ chức"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    starts_at = forms.TimeField(label=_("Giờ khai mạc"), required=False, widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    venue = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    period_start = forms.IntegerField(label=_("Tổng kết giai đoạn từ năm"), min_value=1945, max_value=2100, error_messages=YEAR_ERRORS)
    period_end = forms.IntegerField(label=_("Đến năm"), min_value=1945, max_value=2100, error_messages=YEAR_ERRORS)
    legal_bases = forms.ModelMultipleChoiceField(label=_("Thực hiện kế hoạch, hướng dẫn (sổ văn bản)"), queryset=None, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    purposes = forms.CharField(label=_("Mục đích (mỗi dòng một mục đích)"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    submission_deadline = forms.DateField(label=_("Hạn gửi tham luận"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    blind_review = forms.BooleanField(label=_("Đánh giá ẩn danh (người đánh giá không thấy tên tác giả, đơn vị)"), required=False)
    criteria = forms.CharField(label=_("Tiêu chí đánh giá tham luận (mỗi dòng: tên tiêu chí | điểm tối đa)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    speaker_name = forms.CharField(label=_("Người phát biểu chỉ đạo"), max_length=120, required=False)
    speaker_title = forms.CharField(label=_("Chức vụ người phát biểu"), max_length=200, required=False)
    ceremony_batch_size = forms.IntegerField(label=_("Số người mỗi lượt lên nhận khen thưởng"), min_value=1, max_value=30, initial=7)

    def __init__(self, *args, units, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organising_unit"].queryset = units
        self.fields["legal_bases"].queryset = documents

    def clean_criteria(self):
        rows = []
        for number, line in enumerate(lines_of(self.cleaned_data.get("criteria", "")), start=1):
            name, separator, points = line.rpartition("|")
            if not separator or not points.strip().isdigit():
                raise forms.ValidationError(_("Dòng %(number)d: viết “tên tiêu chí | điểm tối đa”, ví dụ “Tính thực tiễn | 30”.") % {"number": number})
            rows.append((name.strip(), int(points.strip())))
        return rows

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Năm kết thúc phải từ năm bắt đầu trở đi."))
        return cleaned


class TransitionForm(forms.Form):
    to = forms.CharField(max_length=32)
    note = forms.CharField(required=False, max_length=500)
    on = forms.DateField(required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)


class AgendaItemForm(ServiceErrorsMixin, forms.Form):
    starts_at = forms.TimeField(label=_("Từ"), required=False, widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    ends_at = forms.TimeField(label=_("Đến"), required=False, widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    kind = forms.ChoiceField(label=_("Loại nội dung"), choices=AgendaKind.choices)
    title = forms.CharField(label=_("Nội dung"), max_length=300, required=False)
    speaker = forms.CharField(label=_("Người thực hiện"), max_length=300, required=False)
    presentation = forms.ModelChoiceField(label=_("Tham luận (đã được chọn)"), queryset=None, required=False, empty_label=_("— Không"))

    def __init__(self, *args, presentations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presentation"].queryset = presentations

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and not cleaned.get("presentation"):
            self.add_error("title", _("Nhập nội dung, hoặc chọn một tham luận."))
        return cleaned


class HonoursForm(ServiceErrorsMixin, forms.Form):
    decisions = forms.ModelMultipleChoiceField(label=_("Quyết định khen thưởng trao tại hội nghị"), queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decisions"].queryset = decisions


class SpeechForm(ServiceErrorsMixin, forms.Form):
    speaker_name = forms.CharField(label=_("Người phát biểu chỉ đạo"), max_length=120, required=False)
    speaker_title = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    speech_text = forms.CharField(label=_("Nội dung phát biểu"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class MovementLinkForm(ServiceErrorsMixin, forms.Form):
    movement = forms.ModelChoiceField(label=_("Phong trào đã có"), queryset=None, empty_label=_("— Chọn phong trào"))

    def __init__(self, *args, movements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["movement"].queryset = movements


class MovementLaunchForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Tên phong trào"), max_length=300, error_messages={"required": _("Nhập tên phong trào.")})
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    purpose = forms.CharField(label=_("Mục đích, yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tasks = forms.CharField(label=_("Nhiệm vụ trọng tâm (mỗi dòng một nhiệm vụ)"), widget=forms.Textarea(attrs={"rows": 6}),
                            error_messages={"required": _("Nhập ít nhất một nhiệm vụ trọng tâm.")})
    registration_deadline = forms.DateField(label=_("Hạn đăng ký thi đua"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)


class ReviewerForm(ServiceErrorsMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Người đánh giá"), queryset=None, empty_label=_("— Chọn tài khoản"))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.person.full_name} ({user.username})" if user.person_id else f"{user.get_full_name() or user.username} ({user.username})")


class PresentationForm(ServiceErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị gửi"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Tên tham luận"), max_length=300, error_messages={"required": _("Nhập tên tham luận.")})
    abstract = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    authors = forms.CharField(label=_("Tác giả (mỗi dòng: họ tên | chức vụ, đơn vị)"), widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("Nhập ít nhất một tác giả.")})
    file = forms.FileField(label=_("Tệp tham luận (PDF hoặc DOCX)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_authors(self):
        authors = []
        for line in lines_of(self.cleaned_data.get("authors", "")):
            name, _separator, affiliation = line.partition("|")
            authors.append({"name": name.strip(), "affiliation": affiliation.strip()})
        if not authors:
            raise forms.ValidationError(_("Nhập ít nhất một tác giả."))
        return authors


class ResubmitForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Tên tham luận"), max_length=300)
    abstract = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label=_("Tệp đã chỉnh sửa (PDF hoặc DOCX)"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}))


class DecideForm(ServiceErrorsMixin, forms.Form):
    to = forms.ChoiceField(label=_("Quyết định"), choices=[(value, label) for value, label in PresentationStatus.choices
                                                         if value in ("accepted", "revisions_required", "rejected")], widget=forms.RadioSelect)
    message = forms.CharField(label=_("Ý kiến gửi tác giả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class BlindCopyForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Bản ẩn danh (PDF hoặc DOCX)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
                           error_messages={"required": _("Chọn tệp.")})


class ReviewForm(ServiceErrorsMixin, forms.Form):
    recommendation = forms.ChoiceField(label=_("Đề nghị"), choices=Recommendation.choices, widget=forms.RadioSelect,
                                       error_messages={"required": _("Chọn đề nghị.")})
    comment = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (0–{criterion.max_points})", min_value=0, max_value=criterion.max_points,
                error_messages={"required": _("Chấm điểm tiêu chí này."), "invalid": _("Nhập số nguyên."),
                                "min_value": _("Điểm không âm."), "max_value": _("Tối đa %(limit_value)s điểm.")},
            )

    def scores(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[f"score_{criterion.pk}"] for criterion in self.criteria}


class InvitationForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Đại biểu"), choices=InvitationKind.choices, initial=InvitationKind.GUEST)
    name = forms.CharField(label=_("Họ tên"), max_length=200, error_messages={"required": _("Nhập họ tên đại biểu.")})
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=300, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False, error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})


class InvitePeopleForm(ServiceErrorsMixin, forms.Form):
    people = forms.ModelMultipleChoiceField(label=_("Mời cán bộ trong cơ quan"), queryset=None, widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("Chọn ít nhất một người.")})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda person: (
            f"{person.full_name} — {person.current_position}" if person.current_position else person.full_name)


class DoorForm(forms.Form):
    code = forms.CharField(label=_("Mã giấy mời hoặc đường dẫn quét từ mã QR"), max_length=300,
                           error_messages={"required": _("Quét mã QR hoặc nhập mã giấy mời.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters", "autofocus": True,
                                                 "inputmode": "text", "spellcheck": "false"})


class ReportForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.CharField(label=_("Đánh giá chung, bài học kinh nghiệm"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    report_number = forms.CharField(label=_("Số báo cáo"), max_length=40, required=False, help_text=_("Ví dụ: 125/BC-SKHCN"))
    report_date = forms.DateField(label=_("Ngày báo cáo"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    report_signer_title = forms.CharField(label=_("Chức vụ người ký (mỗi dòng một dòng, ví dụ “KT. GIÁM ĐỐC” rồi “PHÓ GIÁM ĐỐC”)"),
                                          required=False, widget=forms.Textarea(attrs={"rows": 2}))
    report_signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120, required=False)
    report_recipients = forms.CharField(label=_("Nơi nhận (mỗi dòng một nơi)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    news_byline = forms.CharField(label=_("Tác giả tin bài"), max_length=200, required=False, help_text=_("Ví dụ: Bảo Sơn (Văn phòng Sở)"))


# ---------------------------------------------------------------- public search


class PublicExemplarSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm điển hình"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(year, year) for year in years]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = _("Tên, lĩnh vực, nội dung")


class PublicAwardSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm tên, hình thức khen thưởng"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)

    def __init__(self, *args, years, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit in units}
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(year, year) for year in years]
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [(str(unit.pk), unit.name) for unit in units]
        self.fields["q"].widget.input_type = "search"
