"""The one place that decides what a user may see and do.

Every permission is a set of roles; a role is held on a unit and reaches that unit's whole subtree.
Selectors turn a permission into a queryset filter (``scope_q``); views and the API ask ``can`` or
``require``. Nothing else in thidua looks at RoleAssignment rows.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from thidua.accounts.enums import Role

_ALL = frozenset(Role.values)
_READERS = _ALL - {Role.STAFF}

PERMISSIONS: dict[str, frozenset[str]] = {
    # organisation tree
    "unit.view": _ALL,
    "unit.manage": frozenset({Role.ADMIN, Role.OFFICER}),
    # people
    "person.view": _READERS,
    "person.manage": frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_MANAGER}),
    "person.export": frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_MANAGER, Role.AUDITOR}),
    # imports of units and people
    "import.run": frozenset({Role.ADMIN, Role.OFFICER}),
    # accounts and roles
    "role.manage": frozenset({Role.ADMIN}),
    # the audit log
    "audit.view": frozenset({Role.ADMIN, Role.AUDITOR}),
    # evidence: ratings, initiatives, discipline, leave, the award register
    "records.view": _READERS,
    "records.manage": frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_MANAGER}),
    # the award catalog, provincial parameters, base salary (the national rulesets are files)
    "rules.view": _READERS,
    "rules.manage": frozenset({Role.ADMIN}),
    # emulation movements: launching and running them; registering for them; reviews
    "movement.view": _ALL,
    "movement.manage": frozenset({Role.ADMIN, Role.OFFICER}),
    "registration.manage": frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_MANAGER}),
    "cluster.manage": frozenset({Role.ADMIN, Role.OFFICER}),
    "review.submit": frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_MANAGER}),
    # dossiers: the proposing unit prepares and submits; the awarding unit appraises and decides
    "nomination.propose": frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_MANAGER}),
    "nomination.appraise": frozenset({Role.ADMIN, Role.OFFICER}),
    # emulation councils: creating them and editing their members; reading councils, sessions and tallies
    # (voting and running a session come from council membership: thidua/council/selectors.py)
    "council.manage": frozenset({Role.ADMIN, Role.OFFICER}),
    "council.view": frozenset(
        {Role.ADMIN, Role.OFFICER, Role.AUDITOR, Role.SIGNER, Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY}
    ),
    # statistics, standard forms, charts and the lists behind them (thidua/reports)
    "report.view": _READERS,
    # award decisions: officers draft and issue (take the number), the signer approves; readers read
    "decision.draft": frozenset({Role.ADMIN, Role.OFFICER}),
    "decision.sign": frozenset({Role.ADMIN, Role.SIGNER}),
    "decision.view": _READERS,
    # the document register (plans, guidance, decisions that movements and decisions rest on)
    "document.view": _ALL,
    "document.manage": frozenset({Role.ADMIN, Role.OFFICER}),
    # screening (bình xét): eligibility of everyone in a unit for a year
    "screening.view": frozenset(
        {Role.ADMIN, Role.OFFICER, Role.UNIT_MANAGER, Role.AUDITOR, Role.SIGNER, Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY}
    ),
    # exemplars (điển hình tiên tiến): units propose, the officer confirms; everyone reads those of their units
    "exemplar.view": _ALL,
    "exemplar.propose": frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_MANAGER}),
    "exemplar.confirm": frozenset({Role.ADMIN, Role.OFFICER}),
    # exemplar conferences: the organiser runs them; everyone submits presentations for their own unit
    # (reviewing comes from the per-conference reviewer assignment: thidua/exemplars/selectors.py)
    "conference.manage": frozenset({Role.ADMIN, Role.OFFICER}),
    "presentation.submit": _ALL,
}


# Everyone may read their own person record and its evidence (ratings, awards: "sees own history").
SELF_VISIBLE = {"person.view", "records.view"}


def _assignments(user) -> list[tuple[str, str, int]]:
    """(role, unit path, unit depth) of the user's assignments, read once per user object."""
    cached = getattr(user, "_thidua_assignments", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            cached = []
        else:
            cached = list(user.roles.values_list("role", "unit__path", "unit__depth"))
        user._thidua_assignments = cached
    return cached


def forget(user) -> None:
    """Drop the cached assignments (after granting or revoking a role)."""
    if hasattr(user, "_thidua_assignments"):
        del user._thidua_assignments


def roles_of(user) -> set[str]:
    return {role for role, _, _ in _assignments(user)}


def is_unrestricted(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def scope_paths(user, permission: str) -> list[str] | None:
    """Unit path prefixes where the user holds the permission; None means everywhere (superuser)."""
    if is_unrestricted(user):
        return None
    roles = PERMISSIONS[permission]
    paths = sorted({path for role, path, _ in _assignments(user) if role in roles})
    # Drop paths inside another path: fewer OR branches in every query.
    outermost: list[str] = []
    for path in paths:
        if not any(path.startswith(outer) for outer in outermost):
            outermost.append(path)
    return outermost


def holds_root_scope(user, permission: str) -> bool:
    paths = scope_paths(user, permission)
    if paths is None:
        return True
    roles = PERMISSIONS[permission]
    return any(depth == 0 and role in roles for role, _, depth in _assignments(user))


def scope_q(user, permission: str, path_field: str = "path") -> Q:
    """A filter keeping the rows whose unit path lies in the user's scope for the permission."""
    paths = scope_paths(user, permission)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def can(user, permission: str, unit=None) -> bool:
    """Whether the user holds the permission on the unit (or, without a unit, anywhere)."""
    paths = scope_paths(user, permission)
    if paths is None:
        return True
    if unit is None:
        return bool(paths)
    return any(unit.path.startswith(path) for path in paths)


def can_any(user, permissions: Iterable[str]) -> bool:
    return any(can(user, permission) for permission in permissions)


def require(user, permission: str, unit=None) -> None:
    if not can(user, permission, unit):
        raise PermissionDenied


def person_scope_q(user, permission: str = "person.view") -> Q:
    """People visible for the permission: those whose current unit is in scope, people with no
    current unit for holders of a root-level scope, and always the user's own record."""
    condition = scope_q(user, permission, path_field="current_unit__path")
    if scope_paths(user, permission) is None:
        return condition
    if holds_root_scope(user, permission):
        condition |= Q(current_unit__isnull=True)
    if permission in SELF_VISIBLE and getattr(user, "person_id", None):
        condition |= Q(pk=user.person_id)
    return condition


def can_on_person(user, permission: str, person) -> bool:
    if is_unrestricted(user):
        return True
    if permission in SELF_VISIBLE and getattr(user, "person_id", None) == person.pk:
        return True
    if person.current_unit_id is None:
        return holds_root_scope(user, permission)
    return can(user, permission, person.current_unit)
