from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.accounts.enums import Role
from thidua.common.fields import NFCCharField


class User(AbstractUser):
    """A login. Permissions come from RoleAssignment rows, each scoped to a unit and its subtree."""

    first_name = NFCCharField(_("tên"), max_length=150, blank=True)
    last_name = NFCCharField(_("họ"), max_length=150, blank=True)
    person = models.OneToOneField(
        "organizations.Person",
        verbose_name=_("hồ sơ cá nhân"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    # Set only by `thidua demo`; production start refuses to run while such accounts can log in.
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        ordering = ["username"]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def audit_unit_path(self) -> str:
        """Entries about an account belong to its person's unit, or to the unit of its first role."""
        if self.person_id and self.person.current_unit_id:
            return self.person.current_unit.path
        first_role = self.roles.select_related("unit").order_by("id").first()
        return first_role.unit.path if first_role else ""

    def get_full_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        return " ".join(part for part in (self.last_name, self.first_name) if part)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("phạm vi đơn vị"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("người cấp"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["user", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.get_role_display()} — {self.unit}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class ApiToken(models.Model):
    """A bearer token for /api/v1/. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user.username} {self.prefix}…"


class LoginFailure(models.Model):
    """A failed login, for throttling. Rows older than the window are ignored and pruned."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("đăng nhập thất bại")
        verbose_name_plural = _("đăng nhập thất bại")

