from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEMO_PASSWORD = "thidua-demo"


class NotDemoPasswordValidator:
    """In production, the public demo password may never be chosen."""

    def validate(self, password, user=None):
        if settings.PRODUCTION and password == DEMO_PASSWORD:
            raise ValidationError(_("Không được dùng mật khẩu của bản trình diễn."), code="demo_password")

    def get_help_text(self):
        return _("Mật khẩu không được trùng mật khẩu của bản trình diễn.")
