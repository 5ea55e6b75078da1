"""Pages for screening (bình xét), the rulesets and provincial parameters, the base salary and the
award catalog, and a person's "what is missing" section.

Protected units and people are fetched through the ``access_*`` selectors (404 outside the user's
scope); actions are checked with ``scopes`` (403 when the user may see but not act); writes go through
``rules.services``, which record the audit rows.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common.spreadsheets import workbook_bytes, xlsx_response
from thidua.common.views import paginate
from thidua.organizations.selectors import access_person, access_unit, units_visible_to
from thidua.records import selectors as records_selectors
from thidua.rules import selectors, services
from thidua.rules.forms import (
    AwardTypeForm,
    BaseSalaryForm,
    OverrideEndForm,
    OverrideFilterForm,
    OverrideForm,
    RulesetQueryForm,
    ScreeningForm,
)
from thidua.rules.models import AwardType
from thidua.rules.rulesets import ruleset_for

SCREENING_PAGE_SIZE = 50
OVERRIDE_PAGE_SIZE = 50
TAB_PEOPLE, TAB_UNITS = selectors.TAB_PEOPLE, selectors.TAB_UNITS


def _require_global_manage(user) -> None:
    """The catalog and the base salary are the same for every unit: only an admin whose scope starts
    at a root of the tree may change them."""
    if not scopes.holds_root_scope(user, "rules.manage"):
        raise PermissionDenied


def _parse_day(value: str | None) -> datetime.date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------- screening


class _Screening:
    """What the screening page and its export share: the form, the root, and (when the form is
    valid) the table from one engine run with the filters applied."""

    def __init__(self, request):
        user = request.user
        scopes.require(user, "screening.view")
        self.units = selectors.screening_units(user)
        code = request.GET.get("unit")
        self.root = (
            access_unit(user, code, "screening.view") if code else selectors.default_root(user, self.units)
        )
        self.awards = selectors.catalog()
        today = timezone.localdate()
        data = request.GET.copy()
        # Missing choices take their defaults, so that the first visit already shows a screening.
        defaults = {
            "unit": self.root.code if self.root else "",
            "year": str(selectors.default_year(today)),
            "as_of": today.isoformat(),
        }
        for key, value in defaults.items():
            if not data.get(key):
                data[key] = value
        self.form = ScreeningForm(
            data,
            units=self.units,
            root=self.root,
            awards=self.awards,
            annual=selectors.annual_codes(self.awards),
            optional=selectors.optional_codes(self.awards),
        )
        self.table = None
        self.people: list = []
        self.collectives: list = []
        self.filtered = any(request.GET.get(key) for key in ("award", "verdict", "q", "sub"))
        if self.root is None or not self.form.is_valid():
            return
        cleaned = self.form.cleaned_data
        self.table = selectors.screening_table(
            root=self.root,
            year=cleaned["year"],
            as_of=cleaned["as_of"],
            extra_codes=cleaned["extra"],
            awards=self.awards,
        )
        sub = self.form.sub_unit()
        filters = {
            "award": cleaned["award"],
            "verdict": cleaned["verdict"],
            "query": cleaned["q"],
            "under_path": sub.path if sub else "",
        }
        self.people = selectors.filter_rows(self.table.people, **filters)
        self.collectives = selectors.filter_rows(self.table.units, **filters)


@login_required
def screening(request):
    screening = _Screening(request)
    tab = TAB_UNITS if request.GET.get("tab") == TAB_UNITS else TAB_PEOPLE
    rows = screening.collectives if tab == TAB_UNITS else screening.people
    page = Paginator(rows, SCREENING_PAGE_SIZE).get_page(request.GET.get("page"))
    table = screening.table
    context = {
        "form": screening.form,
        "root": screening.root,
        "table": table,
        "tab": tab,
        "tab_people": TAB_PEOPLE,
        "tab_units": TAB_UNITS,
        "page": page,
        "columns": (table.collective_awards if tab == TAB_UNITS else table.individual_awards)
        if table
        else [],
        "people_count": len(screening.people),
        "units_count": len(screening.collectives),
        "filtered": screening.filtered,
        "can_view_rules": scopes.can(request.user, "rules.view"),
    }
    if request.htmx and not request.htmx.history_restore_request and table is not None:
        response = render(request, "rules/screening.html#results", context)
    else:
        response = render(request, "rules/screening.html", context)
    # The same URL answers a whole page or only the results: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def screening_export(request):
    screening = _Screening(request)
    table = screening.table
    if table is None:
        return redirect(reverse("rules:screening") + ("?" + request.GET.urlencode() if request.GET else ""))
    headers = [_("STT"), _("Đối tượng"), _("Họ và tên, tên tập thể"), _("Đơn vị, mã đơn vị")]
    headers += [award.short_name or award.name for award in table.awards]
    headers += [_("Đề xuất"), _("Lý do chưa đủ, cần xem xét")]
    title = _("Kết quả bình xét năm %(year)d — %(unit)s (theo %(ruleset)s, xét ngày %(day)s)") % {
        "year": table.year,
        "unit": table.root.name,
        "ruleset": table.ruleset.code,
        "day": f"{table.as_of:%d/%m/%Y}",
    }
    content = workbook_bytes(
        sheet_title=_("Bình xét %(year)d") % {"year": table.year},
        headers=headers,
        rows=selectors.screening_export_rows(table, screening.people, screening.collectives),
        title=title,
    )
    return xlsx_response(f"binh-xet-{table.root.code}-{table.year}.xlsx", content)


# ---------------------------------------------------------------- a person's next levels


@login_required
def person_next_levels(request, pk: int):
    """The "what is missing" section of a person's page: title history, then for each higher award
    the verdict and the rules not yet met. Loaded by htmx into the person page, or on its own."""
    user = request.user
    person = access_person(user, pk, "records.view")
    today = timezone.localdate()
    year = selectors.default_year(today)
    year_error = ""
    if request.GET.get("year"):
        try:
            asked = int(request.GET["year"])
        except ValueError:
            year_error = _("Năm phải là một số, ví dụ 2025.")
        else:
            year_error = selectors.year_problem(asked, today=today) or ""
            if not year_error:
                year = asked
    awards = selectors.catalog()
    result = records_selectors.person_next_levels(person, year=year, as_of=today)
    context = {
        "person": person,
        "year": year,
        "year_error": year_error,
        "years": list(range(today.year, today.year - 10, -1)),
        "result": result,
        "levels": selectors.next_levels(result, awards),
        "history": list(records_selectors.person_award_history(person)),
    }
    template = "rules/_person_next_levels.html" if request.htmx else "rules/person_next_levels.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- rulesets


@login_required
def ruleset_list(request):
    user = request.user
    scopes.require(user, "rules.view")
    units = selectors.screening_units(user, "rules.view")
    today = timezone.localdate()
    code = request.GET.get("unit")
    unit = access_unit(user, code, "rules.view") if code else None
    form = RulesetQueryForm(request.GET or None, units=units, initial={"on": today})
    day = today
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["on"]
    answer = ruleset_for(day, unit) if not form.errors else None
    return render(
        request,
        "rules/ruleset_list.html",
        {
            "form": form,
            "rulesets": selectors.ruleset_summaries(),
            "answer": answer,
            "answer_day": day,
            "answer_unit": unit,
            "today": today,
            "can_manage": scopes.can(user, "rules.manage"),
        },
    )


@login_required
def ruleset_detail(request, code: str):
    user = request.user
    scopes.require(user, "rules.view")
    if selectors.shipped_document(code) is None:
        raise Http404
    units = selectors.screening_units(user, "rules.view")
    unit_code = request.GET.get("unit")
    unit = access_unit(user, unit_code, "rules.view") if unit_code else None
    day = _parse_day(request.GET.get("on"))
    day_error = bool(request.GET.get("on")) and day is None
    view = selectors.ruleset_view(code, day=day, unit=unit)
    form = RulesetQueryForm(initial={"on": view.day, "unit": unit.code if unit else ""}, units=units)
    return render(
        request,
        "rules/ruleset_detail.html",
        {
            "view": view,
            "form": form,
            "day_error": day_error,
            "can_manage": scopes.can(user, "rules.manage"),
        },
    )


# ---------------------------------------------------------------- provincial and agency overrides


@login_required
def override_list(request):
    user = request.user
    scopes.require(user, "rules.view")
    units = list(
        units_visible_to(user, "rules.view").only("pk", "code", "name", "path", "depth").order_by("path")
    )
    form = OverrideFilterForm(request.GET or None, units=units)
    overrides = selectors.override_search(user, **form.search_arguments())
    page = paginate(request, overrides, OVERRIDE_PAGE_SIZE)
    manageable = set()
    if scopes.can(user, "rules.manage"):
        manageable = set(
            selectors.overrides_visible_to(user, "rules.manage")
            .filter(pk__in=[item.pk for item in page.object_list])
            .values_list("pk", flat=True)
        )
    today = timezone.localdate()
    # Targets named the way the override form names them (for paths of the ruleset in force).
    _, paths = selectors.overridable_paths_on(today)
    labels = {path.path: path.label for path in paths}
    rows = [
        {
            "override": item,
            "label": labels.get(item.target, ""),
            # Break points after the dots, so that a long path wraps inside its cell.
            "target_display": item.target.replace(".", ".\u200b"),
            "value": selectors.format_value(item.value, item.target.rsplit(".", 1)[-1]),
            "certainty": selectors.certainty_badge(item.certainty),
            "active": item.valid_from <= today and (item.valid_to is None or item.valid_to >= today),
            "future": item.valid_from > today,
            "can_end": item.pk in manageable and (item.valid_to is None or item.valid_to >= today),
        }
        for item in page.object_list
    ]
    return render(
        request,
        "rules/override_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": any(request.GET.get(key) for key in ("q", "unit", "status")),
            "can_manage": scopes.can(user, "rules.manage"),
        },
    )


@login_required
def override_create(request):
    user = request.user
    scopes.require(user, "rules.manage")
    today = timezone.localdate()
    units = units_visible_to(user, "rules.manage").valid_on(today).order_by("path")
    ruleset, paths = selectors.overridable_paths_on(today)
    initial = {"valid_from": today}
    if request.GET.get("target"):
        initial["target"] = request.GET["target"]
    if request.GET.get("unit"):
        initial["unit"] = access_unit(user, request.GET["unit"], "rules.manage")
    form = OverrideForm(
        request.POST or None,
        units=units,
        paths=paths,
        unit_required=not scopes.holds_root_scope(user, "rules.manage"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            override = services.rule_override_create(actor=user, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Đã thêm tham số %(target)s từ ngày %(day)s.")
                % {"target": override.target, "day": f"{override.valid_from:%d/%m/%Y}"},
            )
            return redirect("rules:override_list")
    return render(
        request,
        "rules/override_form.html",
        {"form": form, "ruleset": ruleset},
        status=400 if form.errors else 200,
    )


@login_required
def override_end(request, pk: int):
    user = request.user
    override = selectors.access_override(user, pk, "rules.manage")
    form = OverrideEndForm(
        request.POST or None, override=override, initial={"valid_to": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            override = services.rule_override_end(
                actor=user, override=override, valid_to=form.cleaned_data["valid_to"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Tham số %(target)s hết hiệu lực sau ngày %(day)s.")
                % {"target": override.target, "day": f"{override.valid_to:%d/%m/%Y}"},
            )
            return redirect("rules:override_list")
    return render(
        request,
        "rules/override_end.html",
        {
            "form": form,
            "override": override,
            "value": selectors.format_value(override.value, override.target.rsplit(".", 1)[-1]),
            "certainty": selectors.certainty_badge(override.certainty),
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------- base salary


@login_required
def base_salary(request):
    user = request.user
    scopes.require(user, "rules.view")
    can_manage = scopes.holds_root_scope(user, "rules.manage")
    form = None
    if can_manage:
        form = BaseSalaryForm(request.POST or None)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            row = services.base_salary_set(actor=user, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Đã ghi mức lương cơ sở %(amount)s đồng từ ngày %(day)s.")
                % {"amount": selectors.format_number(row.amount), "day": f"{row.effective_from:%d/%m/%Y}"},
            )
            return redirect("rules:base_salary")
    return render(
        request,
        "rules/base_salary.html",
        {"rows": selectors.base_salary_rows(), "form": form, "can_manage": can_manage},
        status=400 if form is not None and form.errors else 200,
    )


# ---------------------------------------------------------------- award catalog


@login_required
def award_list(request):
    user = request.user
    scopes.require(user, "rules.view")
    awards = selectors.catalog()
    return render(
        request,
        "rules/award_list.html",
        {
            "titles": [award for award in awards if award.category == "danh_hieu"],
            "forms": [award for award in awards if award.category != "danh_hieu"],
            "can_manage": scopes.holds_root_scope(user, "rules.manage"),
        },
    )


@login_required
def award_edit(request, code: str):
    user = request.user
    scopes.require(user, "rules.view")
    try:
        award = AwardType.objects.get(code=code)
    except AwardType.DoesNotExist:
        raise Http404 from None
    _require_global_manage(user)
    initial = {name: getattr(award, name) for name in AwardTypeForm.FIELDS}
    form = AwardTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.award_type_update(actor=user, award=award, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu %(name)s.") % {"name": award.name})
            return redirect("rules:award_list")
    return render(
        request, "rules/award_form.html", {"form": form, "award": award}, status=400 if form.errors else 200
    )
