from django.contrib import admin

from thidua.accounts.models import ApiToken, LoginFailure, RoleAssignment, User
from thidua.common.admin import ReadOnlyAdmin


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ["role", "unit", "granted_at", "granted_by"]
    readonly_fields = ["granted_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "email", "person", "is_active", "is_superuser", "is_demo", "last_login"]
    list_filter = ["is_active", "is_superuser", "is_demo"]
    search_fields = ["username", "email", "person__search_text"]
    list_select_related = ["person"]
    exclude = ["password", "user_permissions", "groups"]
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "unit", "granted_at", "granted_by"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    list_select_related = ["user", "unit", "granted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    list_select_related = ["user"]


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "ip_address"]
    search_fields = ["username", "ip_address"]
