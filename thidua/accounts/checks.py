"""Production refuses to start while an account can log in with the public demo password."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError
from django.db.models import Q

from thidua.accounts.validators import DEMO_PASSWORD

DEMO_USERNAMES = ["admin", "vanphong", "giamdoc", "truongphong", "canbo", "thuky"] + [f"hoidong{i}" for i in range(1, 8)]


def accounts_with_demo_password() -> list[str]:
    from thidua.accounts.models import User

    candidates = User.objects.filter(Q(is_demo=True) | Q(username__in=DEMO_USERNAMES), is_active=True)
    return sorted(user.username for user in candidates if user.has_usable_password() and user.check_password(DEMO_PASSWORD))


class DemoPasswordInProduction(Exception):
    pass


def refuse_demo_passwords() -> None:
    if not settings.PRODUCTION:
        return
    try:
        usernames = accounts_with_demo_password()
    except DatabaseError:
        return  # not migrated yet: nothing to refuse
    if usernames:
        raise DemoPasswordInProduction(
            "Refusing to start in production: these accounts use the demo password: " + ", ".join(usernames)
        )


@register(Tags.security, deploy=True)
def check_demo_passwords(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    try:
        usernames = accounts_with_demo_password()
    except DatabaseError:
        return []
    if not usernames:
        return []
    return [
        Error(
            "Accounts use the public demo password: " + ", ".join(usernames),
            hint="Change their passwords or deactivate them before running in production.",
            id="thidua.E001",
        )
    ]
