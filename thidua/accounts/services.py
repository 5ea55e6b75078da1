"""Accounts, roles, API tokens and login throttling."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.accounts.models import ApiToken, LoginFailure, RoleAssignment, User
from thidua.common import audit
from thidua.common.models import AuditAction


@transaction.atomic
def user_create(
    *, actor, username: str, password: str | None, email: str = "", person=None, is_superuser: bool = False, is_demo: bool = False
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập %(name)s đã được dùng.") % {"name": username}})
    user = User(username=username, email=email, person=person, is_superuser=is_superuser, is_staff=is_superuser)
    user.is_demo = is_demo
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=user, changes=audit.created(user))
    return user


@transaction.atomic
def role_grant(*, actor, user: User, role: str, unit) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": actor if getattr(actor, "pk", None) else None}
    )
    if created:
        audit.record(actor=actor, action=AuditAction.GRANT, obj=assignment, changes={"role": [None, role], "unit": [None, unit.code]})
    scopes.forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.REVOKE,
        obj=assignment,
        changes={"role": [assignment.role, None], "unit": [assignment.unit.code, None]},
    )
    user = assignment.user
    assignment.delete()
    scopes.forget(user)


# ---------------------------------------------------------------- login throttling


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this user name, or from this address (password spraying)."""
    condition = Q(username__iexact=username)
    if ip_address:
        # An address is allowed more failures than one user name: several people share an office NAT.
        by_ip = LoginFailure.objects.filter(ip_address=ip_address, at__gte=_window_start()).count()
        if by_ip >= settings.LOGIN_FAILURE_LIMIT * 4:
            return True
    return LoginFailure.objects.filter(condition, at__gte=_window_start()).count() >= settings.LOGIN_FAILURE_LIMIT


@transaction.atomic
def login_attempt(*, request, username: str, password: str) -> tuple[User | None, str | None]:
    """Authenticate with throttling. Returns (user, None) or (None, a Vietnamese error message)."""
    ip_address = request.META.get("REMOTE_ADDR") if request is not None else None
    username = (username or "").strip()
    if login_is_locked(username=username, ip_address=ip_address):
        minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
        return None, _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": minutes}
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username[:150], ip_address=ip_address)
        LoginFailure.objects.filter(at__lt=_window_start() - datetime.timedelta(days=1)).delete()
        audit.record(actor=None, action=AuditAction.LOGIN_FAILED, note=username[:150], ip_address=ip_address)
        return None, _("Tên đăng nhập hoặc mật khẩu không đúng.")
    LoginFailure.objects.filter(username__iexact=username).delete()
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user, ip_address=ip_address)
    return user, None


# ---------------------------------------------------------------- API tokens


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=_hash(token),
        prefix=token[:8],
        expires_at=timezone.now() + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    audit.record(actor=user, action=AuditAction.TOKEN, obj=user, note=token[:8])
    return token


def api_token_user(token: str) -> User | None:
    """The active user behind a bearer token, or None."""
    if not token:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > datetime.timedelta(minutes=5):
        # Written at most every few minutes: a busy client should not turn every read into a write.
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


# ---------------------------------------------------------------- account administration

USER_EDITABLE_FIELDS = ("email", "person", "first_name", "last_name")


@transaction.atomic
def user_update(*, actor, user: User, **changes) -> User:
    """Change an account's e-mail, names or linked person (not its password or roles)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user)
    for key, value in changes.items():
        if key not in USER_EDITABLE_FIELDS:
            raise TypeError(f"unknown user field {key}")
        setattr(user, key, value)
    if user.person_id and User.objects.filter(person_id=user.person_id).exclude(pk=user.pk).exists():
        raise ValidationError({"person": _("Hồ sơ cá nhân này đã gắn với một tài khoản khác.")})
    user.full_clean(exclude=["password"])
    user.save()
    changed = audit.diff(before, audit.snapshot(user))
    if changed:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=user, changes=changed)
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """Lock or unlock an account. A locked account can neither log in nor use its API tokens."""
    if not active and getattr(actor, "pk", None) == user.pk:
        raise ValidationError({"is_active": _("Bạn không thể tự khóa tài khoản của chính mình.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=user, changes={"is_active": [not active, active]})
    scopes.forget(user)
    return user
