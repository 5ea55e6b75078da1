"""Reads on accounts that depend on who asks (the account administration pages)."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from thidua.accounts import scopes
from thidua.accounts.models import RoleAssignment, User
from thidua.common.text import fold, search_terms


def users_visible_to(actor, permission: str = "role.manage") -> QuerySet[User]:
    """Accounts an administrator may see and manage: those holding a role in the administrator's
    subtree or linked to a person working there; unattached accounts only for holders of a root
    scope. Superuser accounts are left to superusers."""
    users = User.objects.all()
    if scopes.is_unrestricted(actor):
        return users
    if not scopes.scope_paths(actor, permission):
        return users.none()
    roles_in_scope = RoleAssignment.objects.filter(scopes.scope_q(actor, permission, "unit__path")).values(
        "user_id"
    )
    condition = Q(pk__in=roles_in_scope) | (
        Q(person__current_unit__isnull=False)
        & scopes.scope_q(actor, permission, "person__current_unit__path")
    )
    if scopes.holds_root_scope(actor, permission):
        condition |= Q(person__current_unit__isnull=True) & ~Q(
            pk__in=RoleAssignment.objects.values("user_id")
        )
    return users.filter(condition).exclude(is_superuser=True)


def roles_in_scope(actor, permission: str = "role.manage") -> QuerySet[RoleAssignment]:
    """Role assignments the administrator may see and revoke (never another subtree's)."""
    return RoleAssignment.objects.filter(scopes.scope_q(actor, permission, "unit__path"))


def users_search(
    actor, *, query: str = "", role: str = "", unit=None, active: bool | None = None
) -> QuerySet[User]:
    """Visible accounts by user name, e-mail or linked person's name (accent-insensitive), with
    the roles the administrator may see prefetched (one query for the whole page)."""
    users = users_visible_to(actor)
    for term in search_terms(query):
        users = users.filter(
            Q(username__icontains=term)
            | Q(email__icontains=term)
            | Q(person__search_text__contains=" " + fold(term))
        )
    if role or unit is not None:
        assignments = roles_in_scope(actor)
        if role:
            assignments = assignments.filter(role=role)
        if unit is not None:
            assignments = assignments.filter(unit__path__startswith=unit.path)
        users = users.filter(pk__in=assignments.values("user_id"))
    if active is not None:
        users = users.filter(is_active=active)
    visible_roles = roles_in_scope(actor).select_related("unit").order_by("role", "unit__path")
    return (
        users.select_related("person")
        .prefetch_related(Prefetch("roles", queryset=visible_roles, to_attr="visible_roles"))
        .order_by("username")
    )


def access_user(actor, user_id, permission: str = "role.manage") -> User:
    """The account if the administrator may manage it; 404 otherwise."""
    try:
        return users_visible_to(actor, permission).select_related("person__current_unit").get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
