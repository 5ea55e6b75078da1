import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from thidua.accounts import scopes
from thidua.common.models import AuditEntry, ImportBatch, LegalDocument


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


# ---------------------------------------------------------------- the document register (movements UI helper)


def _ancestor_paths(path: str) -> list[str]:
    from thidua.organizations.models import PATH_SEGMENT_WIDTH, PATH_SEPARATOR

    segment = PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)
    return [path[:end] for end in range(segment, len(path) + 1, segment)]


def legal_documents_visible_to(user, permission: str = "document.view") -> QuerySet[LegalDocument]:
    """Documents kept by a unit in the user's scope, documents of the units above it (a province's
    plan applies to its departments), and documents kept by no unit (laws, decrees)."""
    queryset = LegalDocument.objects.select_related("unit")
    paths = scopes.scope_paths(user, permission)
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    condition = Q(unit__isnull=True)
    for path in paths:
        condition |= Q(unit__path__startswith=path) | Q(unit__path__in=_ancestor_paths(path))
    return queryset.filter(condition)


def can_manage_legal_document(user, document: LegalDocument) -> bool:
    if document.unit_id is None:
        return scopes.holds_root_scope(user, "document.manage")
    return scopes.can(user, "document.manage", document.unit)


def access_legal_document(user, pk, permission: str = "document.view") -> LegalDocument:
    try:
        return legal_documents_visible_to(user, permission).get(pk=int(pk))
    except (LegalDocument.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
