"""Reads on units and people that depend on who asks. Views and the API use these, and the
``access_*`` functions, never raw querysets of protected objects."""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.accounts import scopes
from thidua.common.text import search_terms
from thidua.organizations.models import Employment, Person, Unit, UnitSuccession


def units_visible_to(user, permission: str = "unit.view") -> QuerySet[Unit]:
    return Unit.objects.filter(scopes.scope_q(user, permission))


def units_under(root: Unit, *, at: datetime.date | None = None, include_self: bool = True) -> QuerySet[Unit]:
    """All units in root's subtree (one indexed prefix query), optionally only those valid on ``at``."""
    queryset = Unit.objects.under(root, include_self=include_self)
    return queryset.valid_on(at) if at else queryset


def unit_tree(user, *, root: Unit | None = None, at: datetime.date | None = None) -> list[Unit]:
    """The visible units (under root) in tree order, each with ``.tree_children`` filled, as a forest."""
    queryset = units_visible_to(user).select_related("parent")
    if root is not None:
        queryset = queryset.filter(path__startswith=root.path)
    if at is not None:
        queryset = queryset.valid_on(at)
    units = list(queryset.order_by("path"))
    by_path = {unit.path: unit for unit in units}
    roots: list[Unit] = []
    for unit in units:
        unit.tree_children = []
    for unit in units:
        parent_path = unit.path[: -len(unit.path.split("/")[-2]) - 1]
        parent = by_path.get(parent_path)
        if parent is not None:
            parent.tree_children.append(unit)
        else:
            roots.append(unit)
    return roots


def access_unit(user, code: str, permission: str = "unit.view") -> Unit:
    """The unit with this code if the user holds the permission on it; 404 otherwise (not 403, so
    that other units' codes are not disclosed)."""
    try:
        unit = Unit.objects.select_related("parent").get(code=code)
    except Unit.DoesNotExist:
        raise Http404 from None
    if not scopes.can(user, permission, unit):
        raise Http404
    return unit


def unit_successor_on(unit: Unit, day: datetime.date) -> Unit:
    """The unit that carries ``unit``'s history on ``day``: itself if still valid, else the chain of
    successors followed until one is valid (the first link of a split)."""
    seen = {unit.pk}
    current = unit
    while not current.is_valid_on(day):
        link = (
            UnitSuccession.objects.filter(predecessor=current, effective_on__lte=day)
            .select_related("successor")
            .order_by("effective_on", "id")
            .first()
        )
        if link is None or link.successor_id in seen:
            return current
        current = link.successor
        seen.add(current.pk)
    return current


def unit_predecessors(unit: Unit) -> QuerySet[UnitSuccession]:
    return UnitSuccession.objects.filter(successor=unit).select_related("predecessor")


def unit_successors(unit: Unit) -> QuerySet[UnitSuccession]:
    return UnitSuccession.objects.filter(predecessor=unit).select_related("successor")


def people_visible_to(user, permission: str = "person.view") -> QuerySet[Person]:
    return Person.objects.filter(scopes.person_scope_q(user, permission))


def people_search(
    user,
    *,
    query: str = "",
    unit: Unit | None = None,
    include_subunits: bool = True,
    position: str = "",
    gender: str = "",
    permission: str = "person.view",
) -> QuerySet[Person]:
    """Visible people matching an accent-insensitive query, in Vietnamese name order.

    Every word of the query must begin a word of the folded name (or the CCCD number): "nguyen van an"
    finds "Nguyễn Văn An" and "Nguyễn Văn Anh", not "Nguyễn Văn Bình". On PostgreSQL a trigram index
    serves these LIKE '% word%' filters.
    """
    queryset = people_visible_to(user, permission)
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=" " + term)
    if unit is not None:
        if include_subunits:
            queryset = queryset.filter(current_unit__path__startswith=unit.path)
        else:
            queryset = queryset.filter(current_unit=unit)
    if position:
        queryset = queryset.filter(current_position=position)
    if gender:
        queryset = queryset.filter(gender=gender)
    return queryset.select_related("current_unit").order_by("sort_key", "id")


def positions_in_use(user) -> list[str]:
    return list(
        people_visible_to(user)
        .exclude(current_position="")
        .order_by("current_position")
        .values_list("current_position", flat=True)
        .distinct()
    )


def access_person(user, person_id, permission: str = "person.view") -> Person:
    try:
        person = Person.objects.select_related("current_unit").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not scopes.can_on_person(user, permission, person):
        raise Http404
    return person


def employment_history(person: Person) -> QuerySet[Employment]:
    return person.employments.select_related("unit").order_by("-start_date", "-id")


def people_in_unit_on(unit: Unit, day: datetime.date, *, include_subunits: bool = True) -> QuerySet[Person]:
    """People employed in the unit (subtree) on a given day, from the employment history."""
    unit_filter = Q(employments__unit__path__startswith=unit.path) if include_subunits else Q(employments__unit=unit)
    # One filter() call, so that all conditions apply to the same employment row.
    return (
        Person.objects.filter(
            unit_filter,
            Q(employments__start_date__lte=day),
            Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=day),
        )
        .distinct()
        .order_by("sort_key", "id")
    )
