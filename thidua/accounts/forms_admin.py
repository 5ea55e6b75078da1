"""Forms of the account administration pages (role.manage)."""

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thidua.accounts import scopes
from thidua.accounts.enums import Role
from thidua.accounts.models import User
from thidua.organizations.forms import ServiceErrorsMixin, UnitChoiceField, unit_choices_for
from thidua.organizations.models import Person

username_validator = UnicodeUsernameValidator(
    message=_("Tên đăng nhập chỉ gồm chữ cái, chữ số và các ký tự @ . + - _")
)


# Django's Vietnamese catalog lags behind some of its own messages (the length rule shows in English), so
# the validators' errors are worded here by their codes; unknown codes keep Django's text.
PASSWORD_MESSAGES = {
    "password_too_short": _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
    "password_too_common": _("Mật khẩu này quá phổ biến, dễ bị đoán."),
    "password_entirely_numeric": _("Mật khẩu không được chỉ gồm chữ số."),
    "password_too_similar": _("Mật khẩu quá giống %(verbose_name)s."),
}


def password_errors(password: str, user: User) -> list[str]:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        messages = []
        for item in error.error_list:
            template = PASSWORD_MESSAGES.get(item.code)
            messages.append(str(template) % (item.params or {}) if template else " ".join(item.messages))
        return messages
    return []


def people_linkable_by(actor):
    """People whose record an administrator may attach to an account."""
    return Person.objects.filter(scopes.person_scope_q(actor, "role.manage")).select_related("current_unit")


class PersonReferenceField(forms.CharField):
    """A person named by their record number or their 12-digit CCCD, looked up in the
    administrator's scope. A plain text box: a drop-down of a whole province's staff would not load."""

    def __init__(self, *args, actor, **kwargs):
        kwargs.setdefault("label", _("Hồ sơ cá nhân"))
        kwargs.setdefault(
            "help_text", _("Mã hồ sơ (số trên trang cá nhân) hoặc số CCCD. Để trống nếu không gắn.")
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def prepare_value(self, value):
        return value.pk if isinstance(value, Person) else value

    def clean(self, value):
        text = re.sub(r"\s", "", super().clean(value) or "")
        if not text:
            return None
        people = people_linkable_by(self.actor)
        if re.fullmatch(r"\d{12}", text):
            person = people.filter(cccd=text).first()
        elif text.isdigit() and len(text) <= 18:
            person = people.filter(pk=int(text)).first()
        else:
            raise ValidationError(_("Nhập mã hồ sơ hoặc số CCCD (12 chữ số)."))
        if person is None:
            raise ValidationError(
                _("Không tìm thấy hồ sơ cá nhân %(ref)s trong phạm vi bạn quản lý.") % {"ref": text}
            )
        return person


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Vai trò"), required=False, choices=[("", _("Tất cả vai trò"))] + Role.choices
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    active = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khóa"))],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units_by_code = {unit.code: unit for unit in units}
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [
            (unit.code, f"{'— ' * unit.depth}{unit.name}") for unit in units
        ]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = _("Tên đăng nhập, thư điện tử hoặc họ tên")

    def search_arguments(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        active = data.get("active", "")
        return {
            "query": data.get("q", ""),
            "role": data.get("role", ""),
            "unit": self.units_by_code.get(data.get("unit") or ""),
            "active": None if active == "" else active == "1",
        }


class RoleFieldsMixin:
    def add_role_fields(self, actor, *, required: bool) -> None:
        self.fields["role"] = forms.ChoiceField(
            label=_("Vai trò"), required=required, choices=[("", "—")] + Role.choices
        )
        self.fields["unit"] = UnitChoiceField(
            label=_("Phạm vi đơn vị"),
            queryset=unit_choices_for(actor, "role.manage"),
            required=required,
            help_text=_("Vai trò có hiệu lực trên đơn vị này và mọi đơn vị trực thuộc."),
            error_messages={"invalid_choice": _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn.")},
        )


class UserCreateForm(RoleFieldsMixin, ServiceErrorsMixin, forms.Form):
    field_aliases = {"password": "password1"}

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[username_validator],
        help_text=_("Tối đa 150 ký tự: chữ cái, chữ số và @ . + - _"),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["password1"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )
        self.fields["person"] = PersonReferenceField(actor=actor)
        self.add_role_fields(actor, required=False)
        self.fields["role"].label = _("Vai trò ban đầu")
        self.order_fields(["username", "password1", "password2", "email", "person", "role", "unit"])
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("Tên đăng nhập %(name)s đã được dùng.") % {"name": username})
        return username

    def clean_person(self):
        person = self.cleaned_data.get("person")
        if person is not None and User.objects.filter(person=person).exists():
            raise ValidationError(_("%(name)s đã có tài khoản.") % {"name": person.full_name})
        return person

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
        elif password1:
            candidate = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            for message in password_errors(password1, candidate):
                self.add_error("password1", message)
        role, unit = cleaned.get("role"), cleaned.get("unit")
        if role and unit is None and "unit" not in self.errors:
            self.add_error("unit", _("Chọn đơn vị cho vai trò."))
        if unit is not None and not role:
            self.add_error("role", _("Chọn vai trò cho đơn vị đã chọn."))
        if (
            not role
            and cleaned.get("person") is None
            and not scopes.holds_root_scope(self.actor, "role.manage")
        ):
            # Otherwise the new account would belong to no unit of the administrator's and vanish from their list.
            self.add_error(
                None, _("Hãy gắn hồ sơ cá nhân hoặc cấp một vai trò để tài khoản thuộc phạm vi bạn quản lý.")
            )
        return cleaned


class UserEditForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )

    def __init__(self, *args, actor, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["person"] = PersonReferenceField(actor=actor)

    def clean_person(self):
        person = self.cleaned_data.get("person")
        if person is not None and User.objects.filter(person=person).exclude(pk=self.user.pk).exists():
            raise ValidationError(_("%(name)s đã có tài khoản khác.") % {"name": person.full_name})
        return person


class RoleGrantForm(RoleFieldsMixin, ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_role_fields(actor, required=True)
        self.fields["role"].error_messages["required"] = _("Chọn vai trò.")
        self.fields["unit"].error_messages["required"] = _("Chọn đơn vị.")
