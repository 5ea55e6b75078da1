"""Pages for the evidence: annual ratings (one by one and a whole unit at once), initiatives and
research, discipline and pending matters, leave, the register of past awards, and the evidence of one
person or one unit.

Reading needs ``records.view``, writing ``records.manage``. Protected objects are fetched only through
the ``access_*`` selectors: 404 outside the user's scope, 403 when the user may see an object but not
change it. Every write goes through ``thidua.records.services``.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.spreadsheets import workbook_bytes, xlsx_response
from thidua.common.text import clean_text, fold, search_terms
from thidua.common.views import paginate
from thidua.organizations import selectors as org_selectors
from thidua.records import selectors, services
from thidua.records.enums import LEAVE_COUNTS_AS_WORK, AwardSource, LeaveKind
from thidua.records.forms import (
    MATERNITY_HELP,
    PENDING_HELP,
    PENDING_SOURCE,
    AwardFilterForm,
    AwardRecordForm,
    DisciplineFilterForm,
    DisciplineForm,
    InitiativeFilterForm,
    InitiativeForm,
    LeaveFilterForm,
    LeaveForm,
    RatingFilterForm,
    RatingForm,
    RatingSheetForm,
    RatingSheetPickForm,
    managed_units,
)
from thidua.rules.enums import Subject
from thidua.rules.models import AwardType

PAGE_SIZE = 50
PICKER_LIMIT = 15
# Sections of the evidence, shown as tabs on every list page: (url name, label).
SECTIONS = [
    ("records:rating_list", gettext_lazy("Xếp loại hằng năm")),
    ("records:initiative_list", gettext_lazy("Sáng kiến, đề tài")),
    ("records:discipline_list", gettext_lazy("Kỷ luật, vụ việc")),
    ("records:leave_list", gettext_lazy("Thời gian nghỉ")),
    ("records:award_list", gettext_lazy("Sổ khen thưởng")),
]


# ---------------------------------------------------------------- shared helpers


def _sections(current: str) -> list[dict]:
    return [{"url": reverse(name), "label": label, "active": name == current} for name, label in SECTIONS]


def _filter_units(user):
    return list(
        org_selectors.units_visible_to(user, "records.view")
        .only("code", "name", "depth", "path")
        .order_by("path")
    )


def _person_to_manage(user, person_id):
    """The person whose evidence is being written: 404 when out of sight, 403 when visible but not in
    the user's care."""
    person = org_selectors.access_person(user, person_id, "records.view")
    if not scopes.can_on_person(user, "records.manage", person):
        raise PermissionDenied
    return person


def _unit_to_manage(user, code: str):
    unit = org_selectors.access_unit(user, code, "records.view")
    if not scopes.can(user, "records.manage", unit):
        raise PermissionDenied
    return unit


def _for_change(access, user, pk):
    """The object through its ``access_*`` selector: 404 when the user cannot see it, 403 when they
    see it but may not change it."""
    access(user, pk, "records.view")
    try:
        return access(user, pk, "records.manage")
    except Http404:
        raise PermissionDenied from None


def _unit_ids_matching(user, terms: list[str]) -> list[int]:
    """Units whose name, short name or code holds every folded search word. Units have no folded
    column; the visible ones are few enough to fold here (one query)."""
    ids = []
    for pk, name, short_name, code in org_selectors.units_visible_to(user, "records.view").values_list(
        "pk", "name", "short_name", "code"
    ):
        # Each word must begin a word, as in the people search ("an" finds "An", not "Văn").
        haystack = f" {fold(name)} {fold(short_name)} {code.lower()}"
        if all(" " + term in haystack for term in terms):
            ids.append(pk)
    return ids


def _person_name_q(terms: list[str], prefix: str = "person__") -> Q:
    condition = Q(**{f"{prefix}isnull": False})
    for term in terms:
        # search_text holds folded words each after a space: a search word matches a word's start.
        condition &= Q(**{f"{prefix}search_text__contains": " " + term})
    return condition


def _subject_url(person=None, unit=None) -> str:
    if person is not None:
        return reverse("records:person_records", args=[person.pk])
    return reverse("records:unit_records", args=[unit.code])


def _list_response(request, template: str, context: dict):
    """A whole page, or only the results for an htmx search (the same URL answers both)."""
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, f"{template}#results", context)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _posted(request):
    """The POST data, or None for a GET (an empty POST must still bind the form and show its errors)."""
    return request.POST if request.method == "POST" else None


def _form_status(form) -> int:
    return 400 if form.errors else 200


# ---------------------------------------------------------------- the person picker (htmx)


@login_required
@require_GET
def person_picker(request):
    """Search results for a person picker, or (``pick``) the chosen person as a ticked box to add
    under the picker. ``scope=manage`` offers only the people whose evidence the user may write."""
    user = request.user
    permission = "records.manage" if request.GET.get("scope") == "manage" else "records.view"
    scopes.require(user, permission)
    field = request.GET.get("field", "")
    if not field.isidentifier() or len(field) > 40:
        return HttpResponseBadRequest(_("Thiếu tên trường."))
    multiple = request.GET.get("multiple") == "1"
    scope = "manage" if permission == "records.manage" else "view"
    context = {
        "field": field,
        "multiple": multiple,
        "scope": scope,
        "id": f"id_{field}",
        "pick_query": urlencode({"field": field, "multiple": "1" if multiple else "0", "scope": scope}),
    }
    if "pick" in request.GET:
        person = org_selectors.access_person(user, request.GET["pick"], permission)
        if multiple and str(person.pk) in request.GET.getlist(field):
            return HttpResponse(status=204)
        context["person"] = person
        return render(request, "records/widgets/_picked.html", context)
    query = request.GET.get(f"{field}_q", "")
    people = None
    more = False
    if len("".join(search_terms(query))) >= 2:
        people = list(
            org_selectors.people_search(user, query=query, permission=permission)[: PICKER_LIMIT + 1]
        )
        more = len(people) > PICKER_LIMIT
        people = people[:PICKER_LIMIT]
    context.update({"people": people, "more": more, "query": query})
    return render(request, "records/widgets/_results.html", context)


# ---------------------------------------------------------------- ratings


def _filtered_ratings(user, values: dict):
    ratings = selectors.ratings_visible_to(user)
    if values.get("year"):
        ratings = ratings.filter(year=values["year"])
    if values.get("rating"):
        ratings = ratings.filter(rating=values["rating"])
    if values.get("kind") == "person":
        ratings = ratings.filter(person__isnull=False)
    elif values.get("kind") == "unit":
        ratings = ratings.filter(unit__isnull=False)
    unit = values.get("unit")
    if unit is not None:
        ratings = ratings.filter(
            Q(person__current_unit__path__startswith=unit.path) | Q(unit__path__startswith=unit.path)
        )
    terms = search_terms(values.get("q"))
    if terms:
        ratings = ratings.filter(_person_name_q(terms) | Q(unit__in=_unit_ids_matching(user, terms)))
    return ratings.order_by(
        "-year", F("person__sort_key").asc(nulls_last=True), F("unit__path").asc(nulls_last=True), "id"
    )


@login_required
def rating_list(request):
    user = request.user
    scopes.require(user, "records.view")
    form = RatingFilterForm(request.GET or None, units=_filter_units(user))
    page = paginate(request, _filtered_ratings(user, form.values()), PAGE_SIZE)
    return _list_response(
        request,
        "records/rating_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.filtered,
            "sections": _sections("records:rating_list"),
            "can_manage": scopes.can(user, "records.manage"),
        },
    )


def _export_unit(rating) -> str:
    if rating.unit_id:
        return rating.unit.code
    return rating.person.current_unit.name if rating.person.current_unit_id else ""


@login_required
@require_GET
def rating_export(request):
    user = request.user
    scopes.require(user, "records.view")
    form = RatingFilterForm(request.GET or None, units=_filter_units(user))
    ratings = _filtered_ratings(user, form.values())
    rows = (
        (
            number,
            rating.person.full_name if rating.person_id else rating.unit.name,
            _("Cá nhân") if rating.person_id else _("Tập thể"),
            _export_unit(rating),
            rating.year,
            rating.rating,
            rating.get_rating_display(),
            rating.note,
        )
        for number, rating in enumerate(ratings.iterator(chunk_size=2000), start=1)
    )
    today = timezone.localdate()
    content = workbook_bytes(
        sheet_title=_("Xếp loại"),
        headers=[
            _("STT"),
            _("Cá nhân, tập thể"),
            _("Đối tượng"),
            _("Đơn vị (mã tập thể)"),
            _("Năm"),
            _("Mã xếp loại"),
            _("Xếp loại"),
            _("Ghi chú"),
        ],
        rows=rows,
        title=_("Kết quả xếp loại hằng năm (xuất ngày %(day)s)") % {"day": f"{today:%d/%m/%Y}"},
    )
    return xlsx_response(f"xep-loai-{today:%Y%m%d}.xlsx", content)


@login_required
def rating_create(request):
    user = request.user
    scopes.require(user, "records.manage")
    initial = {"year": timezone.localdate().year - 1}
    person = _person_to_manage(user, request.GET["person"]) if request.GET.get("person") else None
    unit = _unit_to_manage(user, request.GET["unit"]) if request.GET.get("unit") else None
    if request.GET.get("year", "").isdigit():
        initial["year"] = int(request.GET["year"])
    initial.update({"person": person, "unit": unit})
    form = RatingForm(_posted(request), user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating = services.rating_set(
                actor=user,
                year=data["year"],
                rating=data["rating"],
                note=data["note"],
                person=data["person"],
                unit=data["unit"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            subject = rating.person or rating.unit
            messages.success(
                request,
                _("Đã lưu xếp loại năm %(year)s của %(name)s: %(rating)s.")
                % {"year": rating.year, "name": str(subject), "rating": rating.get_rating_display()},
            )
            return redirect(_subject_url(rating.person, rating.unit))
    return render(
        request,
        "records/rating_form.html",
        {"form": form, "rating": None, "person": person, "unit": unit},
        status=_form_status(form),
    )


@login_required
def rating_edit(request, pk: int):
    user = request.user
    rating = _for_change(selectors.access_rating, user, pk)
    form = RatingForm(
        _posted(request), user=user, editing=True, initial={"rating": rating.rating, "note": rating.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_set(
                actor=user,
                year=rating.year,
                rating=form.cleaned_data["rating"],
                note=form.cleaned_data["note"],
                person=rating.person,
                unit=rating.unit,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu xếp loại năm %(year)s.") % {"year": rating.year})
            return redirect(_subject_url(rating.person, rating.unit))
    return render(
        request,
        "records/rating_form.html",
        {"form": form, "rating": rating, "person": rating.person, "unit": rating.unit},
        status=_form_status(form),
    )


@login_required
@require_POST
def rating_delete(request, pk: int):
    user = request.user
    rating = _for_change(selectors.access_rating, user, pk)
    services.rating_delete(actor=user, rating=rating)
    messages.success(request, _("Đã xóa xếp loại năm %(year)s.") % {"year": rating.year})
    return redirect(_subject_url(rating.person, rating.unit))


@login_required
def rating_sheet(request):
    """All the ratings of a unit for a year on one page: everyone employed in the unit's subtree at
    the end of the year, then the unit and its sub-units. Saving is all or nothing."""
    user = request.user
    scopes.require(user, "records.manage")
    if request.GET.get("unit"):
        # Answer 404 / 403 for a unit out of sight / out of care, as everywhere else.
        _unit_to_manage(user, request.GET["unit"])
    units = list(managed_units(user).only("code", "name", "depth", "path", "valid_from", "valid_to"))
    pick = RatingSheetPickForm(request.GET or None, units=units)
    chosen = pick.chosen()
    context = {"pick": pick, "sheet": None, "sections": _sections("records:rating_list")}
    if chosen is None:
        return render(request, "records/rating_sheet.html", context, status=400 if pick.errors else 200)
    unit, year = chosen
    sheet = RatingSheetForm(
        request.POST if request.method == "POST" else None,
        people_rows=selectors.rating_sheet_people(unit, year),
        unit_rows=selectors.rating_sheet_units(unit, year),
    )
    context.update({"sheet": sheet, "unit": unit, "year": year, "day": datetime.date(year, 12, 31)})
    if request.method == "POST" and sheet.is_valid():
        changes = sheet.changes()
        failed = {}
        with transaction.atomic():
            for row, value in changes:
                subject = {row["kind"]: row["subject"]}
                try:
                    if value:
                        services.rating_set(actor=user, year=year, rating=value, **subject)
                    else:
                        services.rating_delete(actor=user, rating=row["current"])
                except ValidationError as error:
                    failed[row["name"]] = error.messages
            if failed:
                # One refused value refuses the whole sheet: nothing half-saved.
                transaction.set_rollback(True)
        if not failed:
            if changes:
                messages.success(
                    request,
                    ngettext("Đã lưu %(count)s kết quả.", "Đã lưu %(count)s kết quả.", len(changes))
                    % {"count": len(changes)},
                )
            else:
                messages.info(request, _("Không có thay đổi nào để lưu."))
            return redirect(request.get_full_path())
        for name, errors in failed.items():
            for error in errors:
                sheet.add_error(name, error)
    context["failed_count"] = len(sheet.errors) if sheet.is_bound else 0
    return render(request, "records/rating_sheet.html", context, status=_form_status(sheet))


# ---------------------------------------------------------------- initiatives and research


def _filtered_initiatives(user, values: dict):
    initiatives = selectors.initiatives_visible_to(user)
    distinct = False
    if values.get("kind"):
        initiatives = initiatives.filter(kind=values["kind"])
    if values.get("scope"):
        initiatives = initiatives.filter(scope=values["scope"])
    if values.get("year"):
        initiatives = initiatives.filter(recognized_on__year=values["year"])
    if values.get("applied") == "yes":
        initiatives = initiatives.filter(applied=True)
    elif values.get("applied") == "no":
        initiatives = initiatives.filter(applied=False)
    unit = values.get("unit")
    if unit is not None:
        initiatives = initiatives.filter(
            Q(unit__path__startswith=unit.path)
            | Q(author_links__person__current_unit__path__startswith=unit.path)
        )
        distinct = True
    query = values.get("q") or ""
    terms = search_terms(query)
    if terms:
        # Titles as typed (case-insensitive); authors accent-insensitive through their folded names.
        author_match = Q()
        for term in terms:
            author_match &= Q(author_links__person__search_text__contains=" " + term)
        initiatives = initiatives.filter(Q(title__icontains=clean_text(query)) | author_match)
        distinct = True
    if distinct:
        initiatives = initiatives.distinct()
    return initiatives.order_by("-recognized_on", "-id")


@login_required
def initiative_list(request):
    user = request.user
    scopes.require(user, "records.view")
    form = InitiativeFilterForm(request.GET or None, units=_filter_units(user))
    page = paginate(request, _filtered_initiatives(user, form.values()), PAGE_SIZE)
    return _list_response(
        request,
        "records/initiative_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.filtered,
            "sections": _sections("records:initiative_list"),
            "can_manage": scopes.can(user, "records.manage"),
        },
    )


@login_required
def initiative_create(request):
    user = request.user
    scopes.require(user, "records.manage")
    person = (
        org_selectors.access_person(user, request.GET["person"], "records.view")
        if request.GET.get("person")
        else None
    )
    initial = {"authors": [person] if person else [], "unit": person.current_unit if person else None}
    if initial["unit"] is not None and not scopes.can(user, "records.manage", initial["unit"]):
        initial["unit"] = None
    form = InitiativeForm(_posted(request), user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(
                actor=user, authors=form.cleaned_data["authors"], **form.service_values()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã thêm “%(title)s”.") % {"title": initiative.title})
            if person is not None:
                return redirect("records:person_records", pk=person.pk)
            return redirect("records:initiative_list")
    return render(
        request,
        "records/initiative_form.html",
        {"form": form, "initiative": None, "person": person},
        status=_form_status(form),
    )


@login_required
def initiative_edit(request, pk: int):
    user = request.user
    initiative = _for_change(selectors.access_initiative, user, pk)
    initial = {
        name: getattr(initiative, name)
        for name in (
            "title",
            "kind",
            "unit",
            "scope",
            "recognized_on",
            "recognizing_decision",
            "recognizing_body",
            "applied",
            "effective",
            "summary",
        )
    }
    initial["authors"] = [link.person for link in initiative.author_links.all()]
    form = InitiativeForm(_posted(request), user=user, initiative=initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_update(
                actor=user,
                initiative=initiative,
                authors=form.cleaned_data["authors"],
                **form.service_values(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu “%(title)s”.") % {"title": initiative.title})
            return redirect("records:initiative_list")
    return render(
        request,
        "records/initiative_form.html",
        {"form": form, "initiative": initiative, "person": None},
        status=_form_status(form),
    )


@login_required
@require_POST
def initiative_delete(request, pk: int):
    user = request.user
    initiative = _for_change(selectors.access_initiative, user, pk)
    services.initiative_delete(actor=user, initiative=initiative)
    messages.success(request, _("Đã xóa “%(title)s”.") % {"title": initiative.title})
    return redirect("records:initiative_list")


# ---------------------------------------------------------------- discipline and pending matters


def _filter_by_person(queryset, values: dict):
    """The unit (subtree of the person's current unit) and name filters of the per-person record lists."""
    unit = values.get("unit")
    if unit is not None:
        queryset = queryset.filter(person__current_unit__path__startswith=unit.path)
    terms = search_terms(values.get("q"))
    if terms:
        queryset = queryset.filter(_person_name_q(terms))
    return queryset


def _filtered_disciplines(user, values: dict):
    disciplines = selectors.disciplines_visible_to(user)
    if values.get("type") == "discipline":
        disciplines = disciplines.filter(pending=False)
    elif values.get("type") == "pending":
        disciplines = disciplines.filter(pending=True)
    today = timezone.localdate()
    if values.get("status") == "current":
        disciplines = disciplines.filter(Q(end__isnull=True) | Q(end__gte=today), start__lte=today)
    elif values.get("status") == "ended":
        disciplines = disciplines.filter(end__lt=today)
    return _filter_by_person(disciplines, values).order_by("-start", "-id")


@login_required
def discipline_list(request):
    user = request.user
    scopes.require(user, "records.view")
    form = DisciplineFilterForm(request.GET or None, units=_filter_units(user))
    page = paginate(request, _filtered_disciplines(user, form.values()), PAGE_SIZE)
    return _list_response(
        request,
        "records/discipline_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.filtered,
            "today": timezone.localdate(),
            "sections": _sections("records:discipline_list"),
            "can_manage": scopes.can(user, "records.manage"),
            "pending_help": PENDING_HELP,
            "pending_source": PENDING_SOURCE,
        },
    )


def _switch_fields(request, form, field: str):
    """Make the kind switch of a form re-render its fields through htmx."""
    form.fields[field].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-trigger": "change",
            "hx-target": "#record-fields",
            "hx-swap": "outerHTML",
            "hx-include": "#record-fields",
            "hx-vals": '{"switch": "1"}',
        }
    )


def _switch_initial(request) -> dict:
    """The values typed so far, carried over when the kind switch re-renders the fields."""
    return {key: value for key, value in request.GET.items() if key not in {"switch", "csrfmiddlewaretoken"}}


@login_required
def discipline_create(request):
    user = request.user
    scopes.require(user, "records.manage")
    person = _person_to_manage(user, request.GET["person"]) if request.GET.get("person") else None
    if request.GET.get("switch"):
        form = DisciplineForm(user=user, initial=_switch_initial(request))
        _switch_fields(request, form, "type")
        return render(request, "records/discipline_form.html#fields", {"form": form})
    form = DisciplineForm(
        _posted(request), user=user, initial={"person": person, "type": request.GET.get("type")}
    )
    _switch_fields(request, form, "type")
    if request.method == "POST" and form.is_valid():
        subject = form.cleaned_data["person"]
        try:
            discipline = services.discipline_create(actor=user, person=subject, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if discipline.pending:
                messages.success(
                    request,
                    _("Đã ghi vụ việc đang xem xét của %(name)s. %(help)s.")
                    % {"name": subject.full_name, "help": PENDING_HELP},
                )
            else:
                messages.success(request, _("Đã ghi kỷ luật của %(name)s.") % {"name": subject.full_name})
            if person is not None:
                return redirect("records:person_records", pk=person.pk)
            return redirect("records:discipline_list")
    return render(
        request,
        "records/discipline_form.html",
        {"form": form, "discipline": None, "person": person},
        status=_form_status(form),
    )


@login_required
def discipline_edit(request, pk: int):
    user = request.user
    discipline = _for_change(selectors.access_discipline, user, pk)
    if request.GET.get("switch"):
        form = DisciplineForm(user=user, person=discipline.person, initial=_switch_initial(request))
        _switch_fields(request, form, "type")
        return render(request, "records/discipline_form.html#fields", {"form": form})
    initial = {
        name: getattr(discipline, name)
        for name in ("level", "decision", "pending_kind", "start", "end", "note")
    }
    initial["type"] = "pending" if discipline.pending else "discipline"
    form = DisciplineForm(_posted(request), user=user, person=discipline.person, initial=initial)
    _switch_fields(request, form, "type")
    if request.method == "POST" and form.is_valid():
        try:
            services.discipline_update(actor=user, discipline=discipline, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("records:person_records", pk=discipline.person_id)
    return render(
        request,
        "records/discipline_form.html",
        {"form": form, "discipline": discipline, "person": discipline.person},
        status=_form_status(form),
    )


@login_required
@require_POST
def discipline_delete(request, pk: int):
    user = request.user
    discipline = _for_change(selectors.access_discipline, user, pk)
    services.discipline_delete(actor=user, discipline=discipline)
    messages.success(
        request, _("Đã xóa một dòng kỷ luật, vụ việc của %(name)s.") % {"name": discipline.person.full_name}
    )
    return redirect("records:discipline_list")


# ---------------------------------------------------------------- leave


def _filtered_leaves(user, values: dict):
    leaves = selectors.leaves_visible_to(user)
    if values.get("kind"):
        leaves = leaves.filter(kind=values["kind"])
    if values.get("year"):
        year = values["year"]
        leaves = leaves.filter(start__lte=datetime.date(year, 12, 31), end__gte=datetime.date(year, 1, 1))
    return _filter_by_person(leaves, values).order_by("-start", "-id")


@login_required
def leave_list(request):
    user = request.user
    scopes.require(user, "records.view")
    form = LeaveFilterForm(request.GET or None, units=_filter_units(user))
    page = paginate(request, _filtered_leaves(user, form.values()), PAGE_SIZE)
    return _list_response(
        request,
        "records/leave_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.filtered,
            "sections": _sections("records:leave_list"),
            "can_manage": scopes.can(user, "records.manage"),
            "counts_as_work": {kind: LEAVE_COUNTS_AS_WORK[kind] for kind in LeaveKind},
            "maternity": LeaveKind.MATERNITY,
            "maternity_help": MATERNITY_HELP,
        },
    )


@login_required
def leave_create(request):
    user = request.user
    scopes.require(user, "records.manage")
    person = _person_to_manage(user, request.GET["person"]) if request.GET.get("person") else None
    form = LeaveForm(_posted(request), user=user, initial={"person": person, "kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            leave = services.leave_create(actor=user, **values)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Đã ghi %(kind)s của %(name)s.")
                % {"kind": leave.get_kind_display().lower(), "name": values["person"].full_name},
            )
            if person is not None:
                return redirect("records:person_records", pk=person.pk)
            return redirect("records:leave_list")
    return render(
        request, "records/leave_form.html", {"form": form, "person": person}, status=_form_status(form)
    )


@login_required
@require_POST
def leave_delete(request, pk: int):
    user = request.user
    leave = _for_change(selectors.access_leave, user, pk)
    services.leave_delete(actor=user, leave=leave)
    messages.success(request, _("Đã xóa một thời gian nghỉ của %(name)s.") % {"name": leave.person.full_name})
    return redirect("records:leave_list")


# ---------------------------------------------------------------- the award register


def _filtered_awards(user, values: dict):
    records = selectors.award_records_visible_to(user)
    if values.get("award") is not None:
        records = records.filter(award=values["award"])
    if values.get("category"):
        records = records.filter(award__category=values["category"])
    if values.get("year"):
        records = records.filter(period_start__lte=values["year"], period_end__gte=values["year"])
    if values.get("source"):
        records = records.filter(source=values["source"])
    if values.get("revoked") == "yes":
        records = records.filter(revoked=True)
    elif values.get("revoked") == "no":
        records = records.filter(revoked=False)
    unit = values.get("unit")
    if unit is not None:
        records = records.filter(
            Q(person__current_unit__path__startswith=unit.path)
            | Q(unit__path__startswith=unit.path)
            | Q(person__isnull=True, unit__isnull=True, issuing_unit__path__startswith=unit.path)
        )
    query = values.get("q") or ""
    terms = search_terms(query)
    if terms:
        text = clean_text(query)
        records = records.filter(
            _person_name_q(terms)
            | Q(unit__in=_unit_ids_matching(user, terms))
            | Q(household_name__icontains=text)
            | Q(decision_number__icontains=text)
        )
    return records.order_by("-period_end", "-decision_date", "-id")


def _award_filter_form(request):
    awards = list(AwardType.objects.order_by("category", "-precedence", "code"))
    return AwardFilterForm(request.GET or None, units=_filter_units(request.user), awards=awards)


@login_required
def award_list(request):
    user = request.user
    scopes.require(user, "records.view")
    form = _award_filter_form(request)
    page = paginate(request, _filtered_awards(user, form.values()), PAGE_SIZE)
    return _list_response(
        request,
        "records/award_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.filtered,
            "sections": _sections("records:award_list"),
            "can_manage": scopes.can(user, "records.manage"),
            "decision_source": AwardSource.DECISION,
        },
    )


@login_required
@require_GET
def award_export(request):
    user = request.user
    scopes.require(user, "records.view")
    form = _award_filter_form(request)
    records = _filtered_awards(user, form.values())
    yes, no = _("Có"), _("Không")

    def recipient(record):
        if record.person_id:
            return (
                record.person.full_name,
                _("Cá nhân"),
                record.person.current_unit.name if record.person.current_unit_id else "",
            )
        if record.unit_id:
            return record.unit.name, _("Tập thể"), record.unit.code
        return record.household_name, _("Hộ gia đình"), ""

    rows = (
        (
            number,
            *recipient(record),
            record.award.name,
            record.award.get_category_display(),
            record.period_start
            if record.period_start == record.period_end
            else f"{record.period_start}–{record.period_end}",
            record.decision_number,
            record.decision_date,
            record.issuing_unit.name if record.issuing_unit_id else record.issuer_name,
            record.register_number,
            record.amount,
            record.get_source_display(),
            yes if record.counts_for_regular else no,
            yes if record.revoked else no,
            record.note,
        )
        for number, record in enumerate(records.iterator(chunk_size=2000), start=1)
    )
    today = timezone.localdate()
    content = workbook_bytes(
        sheet_title=_("Sổ khen thưởng"),
        headers=[
            _("STT"),
            _("Người, tập thể được khen"),
            _("Đối tượng"),
            _("Đơn vị (mã tập thể)"),
            _("Danh hiệu, hình thức"),
            _("Loại"),
            _("Thành tích năm"),
            _("Số quyết định"),
            _("Ngày quyết định"),
            _("Cơ quan quyết định"),
            _("Số sổ vàng"),
            _("Tiền thưởng (đồng)"),
            _("Nguồn"),
            _("Tính cho khen thưởng thường xuyên"),
            _("Đã thu hồi"),
            _("Ghi chú"),
        ],
        rows=rows,
        title=_("Sổ khen thưởng (xuất ngày %(day)s)") % {"day": f"{today:%d/%m/%Y}"},
    )
    return xlsx_response(f"so-khen-thuong-{today:%Y%m%d}.xlsx", content)


def _check_award_recipient(user, form) -> bool:
    """The recipient must be in the user's care (a household: the deciding unit). Puts the error on
    the field and answers False otherwise."""
    data = form.cleaned_data
    if data.get("person") is not None and not scopes.can_on_person(user, "records.manage", data["person"]):
        form.add_error("person", _("Cá nhân này ngoài phạm vi quản lý của bạn."))
        return False
    if data.get("unit") is not None and not scopes.can(user, "records.manage", data["unit"]):
        form.add_error("unit", _("Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn."))
        return False
    return True


@login_required
def award_create(request):
    user = request.user
    scopes.require(user, "records.manage")
    person = _person_to_manage(user, request.GET["person"]) if request.GET.get("person") else None
    unit = _unit_to_manage(user, request.GET["unit"]) if request.GET.get("unit") else None
    if request.GET.get("switch"):
        form = AwardRecordForm(user=user, initial=_switch_initial(request))
        _switch_fields(request, form, "recipient")
        return render(request, "records/award_form.html#fields", {"form": form})
    initial = {"person": person, "unit": unit}
    if unit is not None:
        initial["recipient"] = Subject.COLLECTIVE
    form = AwardRecordForm(_posted(request), user=user, initial=initial)
    _switch_fields(request, form, "recipient")
    if request.method == "POST" and form.is_valid() and _check_award_recipient(user, form):
        try:
            record = services.award_record_create(actor=user, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã ghi vào sổ khen thưởng: %(record)s.") % {"record": str(record)})
            if person is not None or unit is not None:
                return redirect(_subject_url(person, unit))
            return redirect("records:award_list")
    return render(
        request,
        "records/award_form.html",
        {"form": form, "record": None, "person": person, "unit": unit},
        status=_form_status(form),
    )


def _award_from_decision(request, record) -> bool:
    if record.source == AwardSource.DECISION:
        messages.error(
            request,
            _(
                "Khen thưởng này do quyết định trên hệ thống ghi vào sổ: không sửa hay xóa ở đây; muốn hủy phải ban hành quyết định thu hồi."
            ),
        )
        return True
    return False


@login_required
def award_edit(request, pk: int):
    user = request.user
    record = _for_change(selectors.access_award_record, user, pk)
    if _award_from_decision(request, record):
        return redirect("records:award_list")
    if request.GET.get("switch"):
        form = AwardRecordForm(user=user, record=record, initial=_switch_initial(request))
        _switch_fields(request, form, "recipient")
        return render(request, "records/award_form.html#fields", {"form": form})
    initial = {
        name: getattr(record, name)
        for name in (
            "person",
            "unit",
            "household_name",
            "award",
            "period_start",
            "period_end",
            "decision_number",
            "decision_date",
            "issuing_unit",
            "issuer_name",
            "register_number",
            "amount",
            "source",
            "counts_for_regular",
            "note",
        )
    }
    initial["recipient"] = (
        Subject.INDIVIDUAL
        if record.person_id
        else Subject.COLLECTIVE
        if record.unit_id
        else Subject.HOUSEHOLD
    )
    if initial["period_end"] == initial["period_start"]:
        initial["period_end"] = None
    form = AwardRecordForm(_posted(request), user=user, record=record, initial=initial)
    _switch_fields(request, form, "recipient")
    if request.method == "POST" and form.is_valid() and _check_award_recipient(user, form):
        try:
            record = services.award_record_update(actor=user, record=record, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu: %(record)s.") % {"record": str(record)})
            return redirect("records:award_list")
    return render(
        request,
        "records/award_form.html",
        {"form": form, "record": record, "person": None, "unit": None},
        status=_form_status(form),
    )


@login_required
@require_POST
def award_delete(request, pk: int):
    user = request.user
    record = _for_change(selectors.access_award_record, user, pk)
    if _award_from_decision(request, record):
        return redirect("records:award_list")
    services.award_record_delete(actor=user, record=record)
    messages.success(request, _("Đã xóa khỏi sổ khen thưởng: %(record)s.") % {"record": str(record)})
    return redirect("records:award_list")


# ---------------------------------------------------------------- one person, one unit


@login_required
def person_records(request, pk: int):
    user = request.user
    person = org_selectors.access_person(user, pk, "records.view")
    can_manage = scopes.can_on_person(user, "records.manage", person)
    query = urlencode({"person": person.pk})
    return render(
        request,
        "records/person_records.html",
        {
            "person": person,
            "ratings": list(selectors.person_ratings(person)),
            "initiatives": list(
                selectors.person_initiatives(person)
                .select_related("unit")
                .prefetch_related("author_links__person")
            ),
            "disciplines": list(selectors.person_disciplines(person)),
            "leaves": list(selectors.person_leaves(person)),
            "awards": list(selectors.person_award_history(person)),
            "can_manage": can_manage,
            "can_see_person": scopes.can_on_person(user, "person.view", person),
            "query": query,
            "today": timezone.localdate(),
            "maternity": LeaveKind.MATERNITY,
            "maternity_help": MATERNITY_HELP,
            "pending_help": PENDING_HELP,
            "decision_source": AwardSource.DECISION,
        },
    )


@login_required
def unit_records(request, code: str):
    user = request.user
    unit = org_selectors.access_unit(user, code, "records.view")
    return render(
        request,
        "records/unit_records.html",
        {
            "unit": unit,
            "ratings": list(selectors.ratings_visible_to(user).filter(unit=unit).order_by("-year")),
            "awards": list(selectors.unit_award_history(unit)),
            "can_manage": scopes.can(user, "records.manage", unit),
            "can_see_unit": scopes.can(user, "unit.view", unit),
            "query": urlencode({"unit": unit.code}),
            "decision_source": AwardSource.DECISION,
        },
    )
