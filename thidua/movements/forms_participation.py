"""Forms for taking part in a movement: registering a unit and its people, registering oneself,
the registration overview's filters, review requests, review reports and the summary report.

They check the shape of the input with Vietnamese messages; the services in
``thidua.movements.services`` enforce the rules (deadline, scope, who may register whom)."""

import zipfile
from collections import defaultdict
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thidua.common.text import clean_text
from thidua.movements.enums import RegistrationStatus, ReviewKind
from thidua.organizations.forms import ServiceErrorsMixin, date_field

COMMITMENT_MAX = 4000
PERSON_COMMITMENT_MAX = 1000
REMARKS_MAX = 8000
REPORT_FILE_MAX_BYTES = 20 * 1024 * 1024


class AwardCheckboxes(forms.ModelMultipleChoiceField):
    """Titles as check boxes labelled with their short name (LĐTT, CSTĐCS…) when they have one."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.short_name or obj.name


class UnitPickForm(forms.Form):
    """Which participating unit the page is about (only units the user may act for are offered)."""

    unit = forms.ChoiceField(label=_("Đơn vị"), widget=forms.Select(attrs={"data-autosubmit": ""}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            (unit.code, f"{'— ' * unit.depth}{unit.name} ({unit.code})") for unit in units
        ]


# ---------------------------------------------------------------- registering a unit


class UnitRegistrationForm(ServiceErrorsMixin, forms.Form):
    """The whole unit on one form: the collective's titles, then one row per person with a check box
    per individual title and an optional commitment of their own, and the commitment shared by all.

    People whose own registration awaits a decision have no boxes: the manager approves or rejects
    it (registration_decide) rather than overwriting it here."""

    commitment = forms.CharField(
        label=_("Nội dung cam kết chung"),
        required=False,
        max_length=COMMITMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Áp dụng cho tập thể và mọi cá nhân không ghi cam kết riêng."),
    )

    def __init__(
        self,
        data=None,
        *,
        people,
        registrations,
        individual_awards,
        collective_awards,
        unit_registration=None,
    ):
        super().__init__(data)
        self.people = list(people)
        self.registrations = registrations  # person id → Registration
        self.unit_registration = unit_registration
        # In the order of the check boxes, so that the column headings match them.
        self.individual_awards = sorted(individual_awards, key=_award_order)
        self.collective_awards = sorted(collective_awards, key=_award_order)
        self.fields["unit_awards"] = AwardCheckboxes(
            label=_("Danh hiệu tập thể đăng ký"),
            queryset=_queryset_of(self.collective_awards),
            required=False,
        )
        if unit_registration is not None:
            self.fields["unit_awards"].initial = [award.pk for award in unit_registration.awards.all()]
            self.fields["commitment"].initial = unit_registration.commitment
        for person in self.people:
            registration = registrations.get(person.pk)
            if registration is not None and registration.status == RegistrationStatus.SUBMITTED:
                continue
            awards_field = AwardCheckboxes(
                label=person.full_name, queryset=_queryset_of(self.individual_awards), required=False
            )
            commitment_field = forms.CharField(
                label=_("Cam kết riêng của %(name)s") % {"name": person.full_name},
                required=False,
                max_length=PERSON_COMMITMENT_MAX,
                widget=forms.TextInput(attrs={"placeholder": _("Cam kết riêng (nếu có)")}),
            )
            if registration is not None and registration.status == RegistrationStatus.APPROVED:
                awards_field.initial = [award.pk for award in registration.awards.all()]
                if unit_registration is None or registration.commitment != unit_registration.commitment:
                    commitment_field.initial = registration.commitment
            self.fields[f"p{person.pk}"] = awards_field
            self.fields[f"c{person.pk}"] = commitment_field

    # ------------------------------------------------------------ presentation

    @property
    def rows(self) -> list[dict]:
        rows = []
        for number, person in enumerate(self.people, start=1):
            registration = self.registrations.get(person.pk)
            editable = f"p{person.pk}" in self.fields
            rows.append(
                {
                    "number": number,
                    "person": person,
                    "registration": registration,
                    "awards": self[f"p{person.pk}"] if editable else None,
                    "commitment": self[f"c{person.pk}"] if editable else None,
                    "pending": not editable,
                }
            )
        return rows

    # ------------------------------------------------------------ validation

    def clean(self):
        cleaned = super().clean()
        for person in self.people:
            key = f"p{person.pk}"
            if key not in self.fields:
                continue
            registration = self.registrations.get(person.pk)
            if (
                registration is not None
                and registration.status == RegistrationStatus.APPROVED
                and not cleaned.get(key)
            ):
                # The services register; they do not withdraw a registration.
                self.add_error(
                    key,
                    gettext("%(name)s đã đăng ký: giữ ít nhất một danh hiệu (không hủy được đăng ký đã có).")
                    % {"name": person.full_name},
                )
        unit_awards = cleaned.get("unit_awards")
        if self.unit_registration is not None and not unit_awards and "unit_awards" not in self.errors:
            self.add_error(
                "unit_awards",
                gettext("Tập thể đã đăng ký: giữ ít nhất một danh hiệu (không hủy được đăng ký đã có)."),
            )
        return cleaned

    def unit_awards(self) -> list:
        return list(self.cleaned_data.get("unit_awards") or [])

    def groups(self) -> list[tuple[str, dict]]:
        """(commitment, {person: [awards]}) for every person with at least one title ticked, grouped by
        the commitment that applies to them (their own, else the shared one); the shared group first."""
        shared = clean_text(self.cleaned_data.get("commitment") or "")
        grouped: dict[str, dict] = defaultdict(dict)
        grouped[shared] = {}
        for person in self.people:
            awards = self.cleaned_data.get(f"p{person.pk}")
            if not awards:
                continue
            own = clean_text(self.cleaned_data.get(f"c{person.pk}") or "")
            grouped[own or shared][person] = list(awards)
        return list(grouped.items())


def _award_order(award) -> tuple:
    return (award.category, -award.precedence, award.code)


def _queryset_of(awards):
    from thidua.rules.models import AwardType

    return AwardType.objects.filter(pk__in=[award.pk for award in awards]).order_by(
        "category", "-precedence", "code"
    )


# ---------------------------------------------------------------- registering oneself


class SelfRegistrationForm(ServiceErrorsMixin, forms.Form):
    awards = AwardCheckboxes(
        label=_("Danh hiệu đăng ký"),
        queryset=None,
        error_messages={"required": _("Chọn ít nhất một danh hiệu.")},
    )
    commitment = forms.CharField(
        label=_("Nội dung cam kết"),
        required=False,
        max_length=COMMITMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, individual_awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awards"].queryset = _queryset_of(individual_awards)


# ---------------------------------------------------------------- the overview


class OverviewFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Tất cả")),
        ("missing", _("Chưa đăng ký")),
        ("registered", _("Đã đăng ký")),
        ("pending", _("Có đăng ký chờ duyệt")),
    ]

    q = forms.CharField(
        label=_("Đơn vị"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tên hoặc mã đơn vị")}),
    )
    status = forms.ChoiceField(
        label=_("Tình hình"),
        required=False,
        choices=STATUS_CHOICES,
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )

    def values(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"q": "", "status": ""}
        return self.cleaned_data

    @property
    def filtered(self) -> bool:
        values = self.values()
        return bool(values["q"] or values["status"])


# ---------------------------------------------------------------- reviews


class ReviewRequestForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReviewKind.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    period_start = date_field(_("Kỳ báo cáo từ ngày"), required=True)
    period_end = date_field(_("Đến ngày"), required=True)
    deadline = date_field(_("Hạn gửi báo cáo"), required=True)
    instructions = forms.CharField(
        label=_("Hướng dẫn"),
        required=False,
        max_length=REMARKS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Nội dung, số liệu cần báo cáo; các đơn vị thấy hướng dẫn này khi gửi báo cáo."),
    )

    def clean_title(self):
        title = clean_text(self.cleaned_data["title"])
        if not title:
            raise ValidationError(gettext("Nhập tiêu đề."))
        return title

    def clean(self):
        cleaned = super().clean()
        start, end, deadline = cleaned.get("period_start"), cleaned.get("period_end"), cleaned.get("deadline")
        if start and end and end < start:
            self.add_error("period_end", gettext("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu."))
        if start and deadline and deadline < start:
            self.add_error("deadline", gettext("Hạn gửi báo cáo không thể trước ngày bắt đầu kỳ báo cáo."))
        return cleaned


# Report files: what the extension promises must be what the bytes are.
REPORT_FILE_KINDS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
}
# The part every genuine file of the kind holds inside its zip archive.
_OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def check_report_file(uploaded) -> None:
    """PDF, DOCX or XLSX only, at most 20 MB, and the content must match the extension (a renamed
    .exe or .doc is refused)."""
    name = clean_text(getattr(uploaded, "name", "") or "")
    suffix = PurePath(name).suffix.lower()
    kind = REPORT_FILE_KINDS.get(suffix)
    if kind is None:
        raise ValidationError(gettext("Chỉ nhận tệp PDF, Word (.docx) hoặc Excel (.xlsx)."))
    if uploaded.size > REPORT_FILE_MAX_BYTES:
        raise ValidationError(
            gettext("Tệp lớn hơn giới hạn %(size)d MB.") % {"size": REPORT_FILE_MAX_BYTES // (1024 * 1024)}
        )
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    mismatch = ValidationError(
        gettext("Nội dung tệp “%(name)s” không phải là %(kind)s như phần mở rộng của tên tệp.")
        % {"name": name, "kind": {"pdf": "PDF", "docx": "Word (.docx)", "xlsx": "Excel (.xlsx)"}[kind]}
    )
    if kind == "pdf":
        if not head.startswith(b"%PDF-"):
            raise mismatch
        return
    if not head.startswith(b"PK\x03\x04"):
        raise mismatch
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise mismatch from None
    finally:
        uploaded.seek(0)
    if _OOXML_MAIN_PART[kind] not in names:
        raise mismatch


class ReviewReportForm(ServiceErrorsMixin, forms.Form):
    registrations_met = forms.IntegerField(
        label=_("Số đăng ký thi đua đạt"), min_value=0, max_value=1_000_000
    )
    titles_achieved = forms.IntegerField(
        label=_("Số danh hiệu thi đua đạt được"), min_value=0, max_value=1_000_000
    )
    initiatives = forms.IntegerField(label=_("Số sáng kiến, đề tài"), min_value=0, max_value=1_000_000)
    commendations = forms.IntegerField(
        label=_("Số cá nhân, tập thể được khen thưởng"), min_value=0, max_value=1_000_000
    )
    remarks = forms.CharField(
        label=_("Nhận xét, kiến nghị"),
        required=False,
        max_length=REMARKS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Kết quả nổi bật, hạn chế, kiến nghị; đưa vào báo cáo tổng hợp của đơn vị phát động."),
    )
    file = forms.FileField(
        label=_("Tệp báo cáo (PDF, DOCX, XLSX; tối đa 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.xlsx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("registrations_met", "titles_achieved", "initiatives", "commendations"):
            self.fields[name].error_messages.update(
                {
                    "required": gettext("Nhập số liệu (0 nếu không có)."),
                    "invalid": gettext("Nhập một số nguyên."),
                    "min_value": gettext("Số liệu không được âm."),
                    "max_value": gettext("Số liệu quá lớn."),
                }
            )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            check_report_file(uploaded)
        return uploaded

    def figures(self) -> dict:
        data = self.cleaned_data
        return {
            "registrations_met": data["registrations_met"],
            "titles_achieved": data["titles_achieved"],
            "initiatives": data["initiatives"],
            "commendations": data["commendations"],
            "remarks": data.get("remarks") or "",
        }


class SummaryDocumentForm(forms.Form):
    """The few things a summary report needs that the data does not hold."""

    number = forms.CharField(
        label=_("Số, ký hiệu"),
        required=False,
        max_length=80,
        help_text=_("Để trống để văn thư ghi số khi ban hành."),
    )
    place = forms.CharField(label=_("Địa danh"), required=False, max_length=80)
    day = date_field(_("Ngày báo cáo"), required=True)
    signer_title = forms.CharField(
        label=_("Chức danh người ký"),
        required=False,
        max_length=120,
        help_text=_("Ví dụ “Giám đốc”, hoặc “KT. Giám đốc / Phó Giám đốc” (dấu “/” để xuống dòng)."),
    )
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, max_length=120)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("day", timezone.localdate())
        super().__init__(*args, **kwargs)
