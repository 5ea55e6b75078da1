import datetime

from django.db.models import QuerySet
from django.utils import timezone

from thidua.accounts import scopes
from thidua.common.models import AuditEntry, ImportBatch


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Admins and auditors see the entries about objects in their subtree; superusers see all,
    including entries with no unit (logins, failed logins)."""
    queryset = AuditEntry.objects.select_related("content_type")
    paths = scopes.scope_paths(user, "audit.view")
    if paths is None:
        return queryset
    return queryset.filter(scopes.scope_q(user, "audit.view", path_field="unit_path"))


def imports_visible_to(user) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(scopes.scope_q(user, "import.run", path_field="unit_path")).select_related(
        "uploaded_by"
    )


def dashboard_summary(user) -> dict:
    from thidua.organizations.selectors import people_visible_to, units_visible_to

    today = timezone.localdate()
    summary: dict = {"today": today}
    if scopes.can(user, "unit.view"):
        summary["unit_count"] = units_visible_to(user).valid_on(today).count()
    if scopes.can(user, "person.view"):
        summary["person_count"] = people_visible_to(user).filter(current_unit__isnull=False).count()
    if scopes.can(user, "audit.view"):
        since = timezone.now() - datetime.timedelta(days=7)
        summary["recent_changes"] = list(audit_entries_visible_to(user).filter(at__gte=since)[:10])
    if scopes.can(user, "import.run"):
        summary["recent_imports"] = list(imports_visible_to(user)[:5])
    summary["roles"] = list(user.roles.select_related("unit").order_by("role")) if user.is_authenticated else []
    return summary
