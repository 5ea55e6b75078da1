"""Pages for the organisation tree and people. Views fetch protected objects through the ``access_*``
selectors (404 outside the user's scope), check actions with ``scopes`` (403 when the user may see
but not act) and write only through the services."""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from thidua.accounts import scopes
from thidua.common.selectors import audit_entries_visible_to
from thidua.common.spreadsheets import workbook_bytes, xlsx_response
from thidua.common.text import fold, sort_key
from thidua.common.views import paginate
from thidua.organizations import selectors, services
from thidua.organizations.forms import (
    EmploymentForm,
    PersonFilterForm,
    PersonForm,
    UnitForm,
    UnitSuccessionForm,
    UnitTreeFilterForm,
)
from thidua.organizations.models import Unit

PERSON_PAGE_SIZE = 50
UNIT_PEOPLE_PAGE_SIZE = 20
# Below this many units the whole tree opens; above it only the top level does.
TREE_OPEN_ALL_BELOW = 60


# ---------------------------------------------------------------- unit tree


@dataclass
class TreeNode:
    unit: Unit
    children: list["TreeNode"] = field(default_factory=list)
    ceased: bool = False
    matched: bool = False
    open: bool = False
    people: int | None = None
    people_total: int | None = None


def _build_nodes(units: list[Unit], *, at: datetime.date, counts: dict[int, int] | None) -> list[TreeNode]:
    nodes = []
    for unit in units:
        node = TreeNode(unit=unit, ceased=not unit.is_valid_on(at))
        node.children = _build_nodes(unit.tree_children, at=at, counts=counts)
        if counts is not None:
            node.people = counts.get(unit.pk, 0)
            node.people_total = node.people + sum(child.people_total for child in node.children)
        nodes.append(node)
    return nodes


def _filter_nodes(nodes: list[TreeNode], terms: list[str]) -> list[TreeNode]:
    """Keep the nodes whose name or code holds every search word, with their ancestors (so the tree
    keeps its shape), and open the way down to them."""
    kept = []
    for node in nodes:
        node.children = _filter_nodes(node.children, terms)
        haystack = " ".join([fold(node.unit.name), fold(node.unit.short_name), node.unit.code.lower()])
        node.matched = all(term in haystack for term in terms)
        if node.matched or node.children:
            node.open = bool(node.children)
            kept.append(node)
    return kept


def _open_top(nodes: list[TreeNode], open_all: bool) -> None:
    for node in nodes:
        node.open = bool(node.children)
        if open_all:
            _open_top(node.children, open_all)


def _count_nodes(nodes: list[TreeNode]) -> int:
    return sum(1 + _count_nodes(node.children) for node in nodes)


@login_required
def unit_tree(request):
    user = request.user
    scopes.require(user, "unit.view")
    today = timezone.localdate()
    data = None
    if request.GET:
        # A bound form shows what was sent; an empty date means today, so show today.
        data = request.GET.copy()
        if not data.get("at"):
            data["at"] = today.isoformat()
    form = UnitTreeFilterForm(data, initial={"at": today})
    at, show_ceased, query = today, False, ""
    if form.is_bound and form.is_valid():
        at = form.cleaned_data["at"] or today
        show_ceased = form.cleaned_data["show_ceased"]
        query = form.cleaned_data["q"]
    roots = selectors.unit_tree(user, at=None if show_ceased else at)
    counts = None
    if scopes.can(user, "person.view"):
        # One aggregate query for every unit of the tree, not one count per node.
        counts = dict(
            selectors.people_visible_to(user)
            .filter(current_unit__isnull=False)
            .values_list("current_unit")
            .annotate(total=Count("id"))
            .order_by()
        )
    nodes = _build_nodes(roots, at=at, counts=counts)
    terms = fold(query).split()
    if terms:
        nodes = _filter_nodes(nodes, terms)
    else:
        _open_top(nodes, open_all=_count_nodes(nodes) < TREE_OPEN_ALL_BELOW)
    return render(
        request,
        "organizations/unit_tree.html",
        {
            "form": form,
            "nodes": nodes,
            "at": at,
            "is_today": at == today,
            "query": query,
            "show_counts": counts is not None,
            "can_manage": scopes.can(user, "unit.manage"),
        },
    )


# ---------------------------------------------------------------- unit pages


def _ancestors(user, unit: Unit) -> list[Unit]:
    paths = [path for path in unit.ancestor_paths() if path != unit.path]
    if not paths:
        return []
    return list(selectors.units_visible_to(user).filter(path__in=paths).order_by("depth"))


@login_required
def unit_detail(request, code: str):
    user = request.user
    unit = selectors.access_unit(user, code)
    today = timezone.localdate()
    can_see_people = scopes.can(user, "person.view", unit)
    children = Unit.objects.filter(parent=unit)
    if can_see_people:
        children = children.annotate(people=Count("current_people"))
    people_page = None
    if can_see_people:
        people_page = paginate(
            request, selectors.people_search(user, unit=unit, include_subunits=False), UNIT_PEOPLE_PAGE_SIZE
        )
    predecessors = list(selectors.unit_predecessors(unit))
    successors = list(selectors.unit_successors(unit))
    ceased = unit.valid_to is not None and unit.valid_to < today
    not_started = unit.valid_from is not None and unit.valid_from > today
    current_successor = selectors.unit_successor_on(unit, today) if ceased else None
    if current_successor is not None and current_successor.pk == unit.pk:
        current_successor = None
    visible_ids = set(
        selectors.units_visible_to(user)
        .filter(
            pk__in=[link.predecessor_id for link in predecessors]
            + [link.successor_id for link in successors]
            + ([current_successor.pk] if current_successor else [])
        )
        .values_list("pk", flat=True)
    )
    recent_changes = None
    if scopes.can(user, "audit.view", unit):
        recent_changes = list(audit_entries_visible_to(user).filter(unit_path=unit.path)[:10])
    return render(
        request,
        "organizations/unit_detail.html",
        {
            "unit": unit,
            "ancestors": _ancestors(user, unit),
            # Units still working first, each group in Vietnamese dictionary order (Đ after D, not after V).
            "children": sorted(
                ((child, not child.is_valid_on(today)) for child in children),
                key=lambda pair: (pair[1], sort_key(pair[0].name)),
            ),
            "people_page": people_page,
            "can_see_records": scopes.can(user, "records.view", unit),
            "can_screen": scopes.can(user, "screening.view", unit),
            "predecessors": predecessors,
            "successors": successors,
            "visible_ids": visible_ids,
            "ceased": ceased,
            "ceased_since": unit.valid_to + datetime.timedelta(days=1) if ceased else None,
            "not_started": not_started,
            "current_successor": current_successor,
            "recent_changes": recent_changes,
            "can_manage_unit": scopes.can(user, "unit.manage", unit),
            "can_manage_people": scopes.can(user, "person.manage", unit),
            "can_see_people": can_see_people,
            "can_export": scopes.can(user, "person.export", unit),
        },
    )


@login_required
def unit_create(request):
    user = request.user
    scopes.require(user, "unit.manage")
    parent = (
        selectors.access_unit(user, request.GET["parent"], "unit.manage")
        if request.GET.get("parent")
        else None
    )
    form = UnitForm(request.POST or None, user=user, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=user, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit.name})
            return redirect("organizations:unit_detail", code=unit.code)
    return render(
        request,
        "organizations/unit_form.html",
        {
            "form": form,
            "unit": None,
            "parent": parent,
            "ancestors": _ancestors(user, parent) + [parent] if parent else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def unit_edit(request, code: str):
    user = request.user
    unit = selectors.access_unit(user, code)
    scopes.require(user, "unit.manage", unit)
    initial = {
        name: getattr(unit, name)
        for name in (
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "address",
            "note",
        )
    }
    form = UnitForm(request.POST or None, user=user, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_update(actor=user, unit=unit, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu thông tin đơn vị %(name)s.") % {"name": unit.name})
            return redirect("organizations:unit_detail", code=unit.code)
    return render(
        request,
        "organizations/unit_form.html",
        {"form": form, "unit": unit, "ancestors": _ancestors(user, unit)},
        status=400 if form.errors else 200,
    )


@login_required
def unit_succession(request):
    user = request.user
    scopes.require(user, "unit.manage")
    initial = {}
    if request.GET.get("successor"):
        initial["successor"] = selectors.access_unit(user, request.GET["successor"], "unit.manage")
    if request.GET.get("predecessor"):
        initial["predecessors"] = [selectors.access_unit(user, request.GET["predecessor"], "unit.manage")]
    form = UnitSuccessionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.unit_record_succession(
                actor=user,
                predecessors=list(data["predecessors"]),
                successor=data["successor"],
                kind=data["kind"],
                effective_on=data["effective_on"],
                legal_basis=data["legal_basis"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Đã ghi nhận: %(old)s do %(new)s kế thừa từ ngày %(day)s.")
                % {
                    "old": ", ".join(unit.name for unit in data["predecessors"]),
                    "new": data["successor"].name,
                    "day": f"{data['effective_on']:%d/%m/%Y}",
                },
            )
            return redirect("organizations:unit_detail", code=data["successor"].code)
    return render(
        request, "organizations/unit_succession.html", {"form": form}, status=400 if form.errors else 200
    )


# ---------------------------------------------------------------- people


def _person_filter_form(request, permission: str) -> PersonFilterForm:
    units = list(
        selectors.units_visible_to(request.user, permission)
        .only("code", "name", "depth", "path")
        .order_by("path")
    )
    positions = selectors.positions_in_use(request.user)
    return PersonFilterForm(request.GET or None, units=units, positions=positions, initial={"sub": True})


@login_required
def person_list(request):
    user = request.user
    scopes.require(user, "person.view")
    form = _person_filter_form(request, "person.view")
    people = selectors.people_search(user, **form.search_arguments())
    page = paginate(request, people, PERSON_PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "filtered": any(request.GET.get(key) for key in ("q", "unit", "position", "gender")),
        "can_export": scopes.can(user, "person.export"),
        "can_manage": scopes.can(user, "person.manage"),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "organizations/person_list.html#results", context)
    else:
        response = render(request, "organizations/person_list.html", context)
    # The same URL answers a whole page or only the results: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


EXPORT_HEADERS = [
    gettext_lazy("STT"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Dân tộc"),
    gettext_lazy("Số CCCD"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Chức vụ"),
    gettext_lazy("Ngày tuyển dụng"),
]


@login_required
def person_export(request):
    user = request.user
    scopes.require(user, "person.export")
    form = _person_filter_form(request, "person.export")
    people = selectors.people_search(user, permission="person.export", **form.search_arguments())
    rows = (
        (
            number,
            person.full_name,
            person.get_gender_display(),
            person.birth_date,
            person.ethnicity,
            person.cccd or "",
            person.current_unit.name if person.current_unit_id else "",
            person.current_position,
            person.recruited_on,
        )
        for number, person in enumerate(people.iterator(chunk_size=2000), start=1)
    )
    today = timezone.localdate()
    content = workbook_bytes(
        sheet_title=_("Danh sách cá nhân"),
        headers=[str(header) for header in EXPORT_HEADERS],
        rows=rows,
        title=_("Danh sách cá nhân (xuất ngày %(day)s)") % {"day": f"{today:%d/%m/%Y}"},
    )
    return xlsx_response(f"danh-sach-ca-nhan-{today:%Y%m%d}.xlsx", content)


@login_required
def person_detail(request, pk: int):
    user = request.user
    person = selectors.access_person(user, pk)
    account = getattr(person, "user", None) if scopes.can(user, "role.manage") else None
    return render(
        request,
        "organizations/person_detail.html",
        {
            "person": person,
            "history": selectors.employment_history(person),
            "can_manage": scopes.can_on_person(user, "person.manage", person),
            "can_list_people": scopes.can(user, "person.view"),
            "can_see_unit": person.current_unit_id is not None
            and scopes.can(user, "unit.view", person.current_unit),
            "can_audit": scopes.can(user, "audit.view"),
            "can_manage_roles": scopes.can(user, "role.manage"),
            "can_see_records": scopes.can_on_person(user, "records.view", person),
            "account": account,
            "today": timezone.localdate(),
        },
    )


def _require_manage(user, person) -> None:
    if not scopes.can_on_person(user, "person.manage", person):
        raise PermissionDenied


def _after_person_change(request, person):
    """Back to the person's page, unless the change moved them out of the user's sight."""
    person.refresh_from_db()
    if scopes.can_on_person(request.user, "person.view", person):
        return redirect("organizations:person_detail", pk=person.pk)
    messages.info(
        request, _("%(name)s đã chuyển ra ngoài phạm vi bạn được xem.") % {"name": person.full_name}
    )
    return redirect("organizations:person_list")


@login_required
def person_create(request):
    user = request.user
    scopes.require(user, "person.manage")
    unit = (
        selectors.access_unit(user, request.GET["unit"], "person.manage") if request.GET.get("unit") else None
    )
    form = PersonForm(request.POST or None, user=user, creating=True, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=user, **form.person_values(), **form.employment_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": person.full_name})
            return _after_person_change(request, person)
    return render(
        request,
        "organizations/person_form.html",
        {"form": form, "person": None},
        status=400 if form.errors else 200,
    )


@login_required
def person_edit(request, pk: int):
    user = request.user
    person = selectors.access_person(user, pk)
    _require_manage(user, person)
    initial = {
        name: getattr(person, name)
        for name in ("gender", "birth_date", "ethnicity", "cccd", "email", "phone", "recruited_on")
    }
    initial["full_name"] = person.full_name
    form = PersonForm(request.POST or None, user=user, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_update(actor=user, person=person, **form.person_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu thông tin của %(name)s.") % {"name": person.full_name})
            return redirect("organizations:person_detail", pk=person.pk)
    return render(
        request,
        "organizations/person_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


@login_required
def employment_add(request, pk: int):
    user = request.user
    person = selectors.access_person(user, pk)
    _require_manage(user, person)
    initial = {
        "unit": person.current_unit,
        "position": person.current_position,
        "position_category": person.current_position_category,
    }
    form = EmploymentForm(request.POST or None, user=user, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_start(actor=user, person=person, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Đã ghi nhận quá trình công tác mới của %(name)s.") % {"name": person.full_name}
            )
            return _after_person_change(request, person)
    return render(
        request,
        "organizations/employment_form.html",
        {"form": form, "person": person, "employment": None},
        status=400 if form.errors else 200,
    )


@login_required
def employment_edit(request, pk: int, employment_pk: int):
    user = request.user
    person = selectors.access_person(user, pk)
    _require_manage(user, person)
    employment = get_object_or_404(selectors.employment_history(person), pk=employment_pk)
    initial = {
        name: getattr(employment, name)
        for name in ("unit", "position", "position_category", "rank", "start_date", "end_date", "note")
    }
    form = EmploymentForm(
        request.POST or None, user=user, person=person, employment=employment, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_update(actor=user, employment=employment, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu quá trình công tác."))
            return _after_person_change(request, person)
    return render(
        request,
        "organizations/employment_form.html",
        {"form": form, "person": person, "employment": employment},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def employment_delete(request, pk: int, employment_pk: int):
    user = request.user
    person = selectors.access_person(user, pk)
    _require_manage(user, person)
    employment = get_object_or_404(selectors.employment_history(person), pk=employment_pk)
    services.employment_delete(actor=user, employment=employment)
    messages.success(request, _("Đã xóa một dòng quá trình công tác."))
    return _after_person_change(request, person)
