"""Report pages: statistics with charts, the lists behind every figure, the standard forms, the
five-year summary and the award history. Thin: the counting is in ``statistics`` and ``standard_forms``,
the files in ``spreadsheets`` and ``pdf``."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thidua.accounts import scopes
from thidua.common.spreadsheets import workbook_bytes, xlsx_response
from thidua.common.views import paginate
from thidua.organizations import selectors as org_selectors
from thidua.organizations.enums import Gender, PositionCategory
from thidua.records.enums import InitiativeKind, Scope
from thidua.reports import history as history_module
from thidua.reports import pdf, selectors, spreadsheets, standard_forms
from thidua.reports.charts import Bar, Chart
from thidua.reports.enums import Dimension, Revoked, YearBasis
from thidua.reports.forms import ReportFilterForm, query_value, with_query
from thidua.reports.statistics import (
    award_records,
    initiative_records,
    initiatives_per_year,
    summary,
    without_jit,
)
from thidua.rules.enums import AwardCategory, AwardLevel, Subject

PAGE_SIZE = 50
# An export larger than this is cut (a province-wide list has hundreds of thousands of rows): narrow it.
EXPORT_LIMIT = 100_000


def _pdf_response(filename: str, content: bytes, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


class _Report:
    """The validated query string of a report page, with its scope and filters."""

    def __init__(self, request):
        user = request.user
        scopes.require(user, "report.view")
        self.units = selectors.report_units(user)
        code = request.GET.get("unit") or ""
        if code and code not in {unit.code for unit in self.units}:
            selectors.access_report_unit(user, code)  # 404 for a unit out of sight
        self.form = ReportFilterForm(
            request.GET, units=self.units, default_unit=selectors.default_report_unit(user, self.units)
        )
        self.scope = None
        self.filters = None
        if not self.form.is_valid():
            return
        data = self.form.cleaned_data
        self.unit = data["unit_obj"]
        self.scope = selectors.report_scope(self.unit, data["as_of"])
        bucket = None
        bucket_code = (data.get("bucket") or "").strip()
        if bucket_code:
            bucket = self.scope.bucket_by_code(bucket_code)
            if bucket is None:
                self.form.add_error(
                    "bucket",
                    _("Đơn vị “%(code)s” không trực thuộc %(unit)s.") % {"code": bucket_code, "unit": self.unit.name},
                )
                self.scope = None
                return
        self.filters = self.form.filters(bucket=bucket)
        self.base = self.form.base_params()
        self.narrowing = self.form.narrowing_params()

    @property
    def valid(self) -> bool:
        return self.scope is not None

    def url(self, name: str, **narrowing) -> str:
        params = {**self.base, **self.narrowing, **{k: query_value(v) if isinstance(v, str | None) else str(v) for k, v in narrowing.items()}}
        return with_query(reverse(name), params)

    def narrowing_labels(self) -> list[str]:
        """What the list is narrowed to, in words (shown above it)."""
        filters, labels = self.filters, []
        if filters.award:
            from thidua.rules.models import AwardType

            award = AwardType.objects.filter(code=filters.award).first()
            labels.append(award.name if award else filters.award)
        if filters.category:
            labels.append(str(AwardCategory(filters.category).label))
        if filters.level:
            labels.append(str(AwardLevel(filters.level).label))
        if filters.subject:
            labels.append(str(Subject(filters.subject).label))
        if filters.gender is not None:
            labels.append(str(Gender(filters.gender).label) if filters.gender else _("Chưa ghi giới tính"))
        if filters.ethnicity is not None:
            labels.append(_("Dân tộc: %(name)s") % {"name": filters.ethnicity or _("chưa ghi")})
        if filters.position is not None:
            labels.append(str(PositionCategory(filters.position).label) if filters.position else _("Chưa ghi nhóm chức vụ"))
        if filters.year is not None:
            labels.append(_("Năm %(year)s") % {"year": filters.year})
        if filters.bucket is not None:
            labels.append(self.scope.buckets[filters.bucket][1])
        if filters.revoked == Revoked.ONLY:
            labels.append(_("Đã thu hồi"))
        return labels


def _context(report: _Report, **extra) -> dict:
    return {
        "form": report.form,
        "report": report,
        "scope": report.scope,
        "filters": report.filters,
        "year_bases": YearBasis,
        **extra,
    }


# ---------------------------------------------------------------- statistics


def _choice_label(choices, value, unknown: str) -> str:
    if value in (None, ""):
        return unknown
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@login_required
@require_GET
def overview(request):
    report = _Report(request)
    if not report.valid:
        return render(request, "reports/overview.html", _context(report), status=400 if request.GET else 200)
    scope, filters = report.scope, report.filters
    years = list(range(filters.year_from, filters.year_to + 1)) if filters.year is None else [filters.year]
    main = summary(scope, filters, [Dimension.AWARD, Dimension.YEAR, Dimension.SUBJECT], count_revoked=True)
    catalog = main.catalog
    by_units = summary(scope, filters, [Dimension.UNIT, Dimension.CATEGORY])
    individuals = filters.narrowed(subject="individual") if not filters.subject or filters.subject == "individual" else None
    people = summary(scope, individuals, [Dimension.GENDER, Dimension.POSITION, Dimension.ETHNICITY]) if individuals else None

    per_year = {year: [0, 0] for year in years}
    per_award: dict[str, int] = defaultdict(int)
    pivot: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    per_subject: dict[str, int] = defaultdict(int)
    per_level: dict[str, int] = defaultdict(int)
    category_totals = {AwardCategory.TITLE: 0, AwardCategory.FORM: 0}
    for row in main.rows:
        award = catalog.get(row["award"])
        category = award.category if award else AwardCategory.FORM
        if row["year"] in per_year:
            per_year[row["year"]][0 if category == AwardCategory.TITLE else 1] += row["count"]
        per_award[row["award"]] += row["count"]
        pivot[row["award"]][row["year"]] += row["count"]
        per_subject[row["subject"]] += row["count"]
        if award:
            per_level[award.level] += row["count"]
        category_totals[category] += row["count"]

    series = [_("Danh hiệu thi đua"), _("Hình thức khen thưởng")]
    cats = [AwardCategory.TITLE, AwardCategory.FORM]
    charts = []
    charts.append(Chart(
        "years", _("Khen thưởng theo năm"),
        [Bar(str(year), values, [report.url("reports:records", year=year, category=cat) for cat in cats]) for year, values in per_year.items()],
        series=series,
    ))
    unit_values: dict[str, list[int]] = {}
    for row in by_units.rows:
        unit_values.setdefault(row["unit"], [0, 0])[0 if row["category"] == AwardCategory.TITLE else 1] += row["count"]
    bucket_names = {code: name for code, name, *_rest in scope.buckets.values()}
    charts.append(Chart(
        "units", _("Khen thưởng theo đơn vị"),
        [Bar(bucket_names.get(code, code), values, [report.url("reports:records", bucket=code, category=cat) for cat in cats])
         for code, values in unit_values.items()],
        series=series, horizontal=True,
    ))
    award_bars = []
    for category in cats:
        for code, count in per_award.items():
            award = catalog.get(code)
            if (award.category if award else AwardCategory.FORM) == category:
                award_bars.append((award.name if award else code, count, report.url("reports:records", award=code)))
    charts.append(Chart(
        "awards", _("Khen thưởng theo danh hiệu, hình thức"),
        [Bar(label, [count], [url]) for label, count, url in award_bars], horizontal=True,
    ))
    charts.append(Chart(
        "subjects", _("Khen thưởng theo đối tượng"),
        [Bar(_choice_label(Subject, key, key), [per_subject[key]], [report.url("reports:records", subject=key)])
         for key in Subject.values if per_subject.get(key)],
        horizontal=True,
    ))
    breakdowns = {}
    if people is not None:
        genders, positions, ethnicities = defaultdict(int), defaultdict(int), defaultdict(int)
        for row in people.rows:
            genders[row["gender"]] += row["count"]
            positions[row["position"]] += row["count"]
            ethnicities[row["ethnicity"]] += row["count"]
        charts.append(Chart(
            "genders", _("Cá nhân được khen theo giới tính"),
            [Bar(_choice_label(Gender, key, _("Chưa ghi")), [count], [report.url("reports:records", subject="individual", gender=key)])
             for key, count in sorted(genders.items(), key=lambda item: item[0] or "~")],
            horizontal=True,
        ))
        position_order = [*PositionCategory.values, ""]
        charts.append(Chart(
            "positions", _("Cá nhân được khen theo nhóm chức vụ"),
            [Bar(_choice_label(PositionCategory, key, _("Chưa ghi")), [positions[key]], [report.url("reports:records", subject="individual", position=key)])
             for key in position_order if positions.get(key)],
            horizontal=True,
        ))
        charts.append(Chart(
            "ethnicities", _("Cá nhân được khen theo dân tộc"),
            [Bar(key or _("Chưa ghi"), [count], [report.url("reports:records", subject="individual", ethnicity=key)])
             for key, count in sorted(ethnicities.items(), key=lambda item: -item[1])],
            horizontal=True,
        ))
        total_people = people.total
        direct = positions.get(PositionCategory.DIRECT_WORKER, 0)
        minority = sum(count for key, count in ethnicities.items() if key and key != "Kinh")
        women = genders.get(Gender.FEMALE, 0)
        breakdowns = {
            "people": total_people,
            "direct": direct,
            "direct_share": 100 * direct / total_people if total_people else None,
            "women": women,
            "women_share": 100 * women / total_people if total_people else None,
            "minority": minority,
            "minority_share": 100 * minority / total_people if total_people else None,
            "direct_url": report.url("reports:records", subject="individual", position=PositionCategory.DIRECT_WORKER),
            "women_url": report.url("reports:records", subject="individual", gender=Gender.FEMALE),
        }
    initiatives = initiatives_per_year(scope, years[0], years[-1], bucket=filters.bucket)
    initiative_base = {**report.base}
    if filters.bucket is not None:
        initiative_base["bucket"] = scope.buckets[filters.bucket][0]
    charts.append(Chart(
        "initiatives", _("Sáng kiến, đề tài được công nhận theo năm"),
        [Bar(str(year), [count], [with_query(reverse("reports:initiatives"), {**initiative_base, "year": str(year)})]) for year, count in initiatives.items()],
    ))

    pivot_rows = []
    for category in cats:
        rows = []
        for code in sorted(pivot, key=lambda c: (-(catalog[c].precedence) if c in catalog else 0, c)):
            award = catalog.get(code)
            if (award.category if award else AwardCategory.FORM) != category:
                continue
            rows.append({
                "label": award.name if award else code,
                "cells": [(pivot[code].get(year, 0), report.url("reports:records", award=code, year=year)) for year in years],
                "total": sum(pivot[code].values()),
                "url": report.url("reports:records", award=code),
            })
        totals = [sum(row["cells"][i][0] for row in rows) for i in range(len(years))]
        pivot_rows.append({
            "category": category,
            "label": AwardCategory(category).label,
            "rows": rows,
            "totals": [(value, report.url("reports:records", category=category, year=year)) for value, year in zip(totals, years, strict=True)],
            "total": sum(totals),
            "url": report.url("reports:records", category=category),
        })
    context = _context(
        report,
        years=years,
        charts=charts,
        pivot=pivot_rows,
        levels=[(AwardLevel(key).label, per_level.get(key, 0), report.url("reports:records", level=key)) for key in AwardLevel.values],
        category_totals=[
            (AwardCategory.TITLE.label, category_totals[AwardCategory.TITLE], report.url("reports:records", category=AwardCategory.TITLE)),
            (AwardCategory.FORM.label, category_totals[AwardCategory.FORM], report.url("reports:records", category=AwardCategory.FORM)),
        ],
        revoked_count=main.revoked_count,
        revoked_url=report.url("reports:records", revoked=Revoked.ONLY),
        breakdowns=breakdowns,
        narrowing=report.narrowing_labels(),
        clear_url=with_query(reverse("reports:overview"), report.base),
    )
    return render(request, "reports/overview.html", context)


# ---------------------------------------------------------------- the lists behind the figures


def _records_queryset(report: _Report):
    return selectors.with_relations(award_records(report.scope, report.filters))


@login_required
@require_GET
def records(request):
    report = _Report(request)
    if not report.valid:
        return render(request, "reports/records.html", _context(report), status=400)
    with without_jit():
        page = paginate(request, _records_queryset(report), PAGE_SIZE)
        rows = selectors.records_page_rows(list(page.object_list), report.scope)
    context = _context(
        report,
        page=page,
        rows=rows,
        narrowing=report.narrowing_labels(),
        overview_url=with_query(reverse("reports:overview"), {**report.base, **report.narrowing}),
        export_url=with_query(reverse("reports:records_export"), {**report.base, **report.narrowing}),
    )
    return render(request, "reports/records.html", context)


def _recipient(record) -> str:
    if record.person_id:
        return record.person.full_name
    if record.unit_id:
        return record.unit.name
    return record.household_name


@login_required
@require_GET
def records_export(request):
    report = _Report(request)
    if not report.valid:
        return render(request, "reports/records.html", _context(report), status=400)
    with without_jit():
        chosen = list(_records_queryset(report)[:EXPORT_LIMIT])
    rows = [
        (
            number,
            _recipient(item["record"]),
            str(Subject(_subject_of(item["record"])).label),
            item["record"].award.name,
            str(AwardCategory(item["record"].award.category).label),
            item["record"].period_start,
            item["record"].period_end,
            item["record"].decision_number,
            item["record"].decision_date,
            item["record"].issuer_name or (item["record"].issuing_unit.name if item["record"].issuing_unit_id else ""),
            item["unit_name"],
            _("Có") if item["record"].revoked else "",
        )
        for number, item in enumerate(selectors.records_page_rows(chosen, report.scope), start=1)
    ]
    headers = [_("STT"), _("Người, tập thể được khen"), _("Đối tượng"), _("Danh hiệu, hình thức"), _("Loại"),
               _("Thành tích từ năm"), _("Thành tích đến năm"), _("Số quyết định"), _("Ngày quyết định"),
               _("Cơ quan quyết định"), _("Tính cho đơn vị"), _("Đã thu hồi")]
    parts = [report.unit.name, f"{report.filters.year_from}–{report.filters.year_to}", *report.narrowing_labels()]
    if len(chosen) == EXPORT_LIMIT:
        parts.append(_("chỉ %(count)s dòng đầu: hãy thu hẹp danh sách") % {"count": f"{EXPORT_LIMIT:,}".replace(",", ".")})
    title = " · ".join(parts)
    content = workbook_bytes(sheet_title=_("Danh sách khen thưởng"), headers=headers, rows=rows, title=title)
    return xlsx_response(f"danh-sach-khen-thuong-{report.unit.code}.xlsx", content)


def _subject_of(record) -> str:
    return "individual" if record.person_id else "collective" if record.unit_id else "household"


def _initiatives_queryset(report: _Report):
    filters = report.filters
    return (
        initiative_records(report.scope, filters.year_from, filters.year_to, year=filters.year, bucket=filters.bucket)
        .select_related("unit")
        .prefetch_related("authors")
        .order_by("-recognized_on", "-id")
    )


@login_required
@require_GET
def initiatives(request):
    report = _Report(request)
    if not report.valid:
        return render(request, "reports/initiatives.html", _context(report), status=400)
    page = paginate(request, _initiatives_queryset(report), PAGE_SIZE)
    context = _context(
        report,
        page=page,
        narrowing=report.narrowing_labels(),
        overview_url=with_query(reverse("reports:overview"), report.base),
        export_url=with_query(reverse("reports:initiatives_export"), {**report.base, **report.narrowing}),
    )
    return render(request, "reports/initiatives.html", context)


@login_required
@require_GET
def initiatives_export(request):
    report = _Report(request)
    if not report.valid:
        return render(request, "reports/initiatives.html", _context(report), status=400)
    chosen = list(_initiatives_queryset(report)[:EXPORT_LIMIT])
    rows = [
        (
            number,
            item.title,
            str(InitiativeKind(item.kind).label),
            ", ".join(author.full_name for author in item.authors.all()),
            item.unit.name if item.unit_id else "",
            str(Scope(item.scope).label),
            item.recognized_on,
            item.recognizing_decision,
        )
        for number, item in enumerate(chosen, start=1)
    ]
    headers = [_("STT"), _("Tên sáng kiến, đề tài"), _("Loại"), _("Tác giả"), _("Đơn vị"), _("Phạm vi ảnh hưởng"),
               _("Ngày công nhận"), _("Quyết định công nhận")]
    content = workbook_bytes(sheet_title=_("Sáng kiến, đề tài"), headers=headers, rows=rows, title=report.unit.name)
    return xlsx_response(f"sang-kien-{report.unit.code}.xlsx", content)


# ---------------------------------------------------------------- standard forms


def default_form_year() -> int:
    """The last statistical year that has ended (it ends on 30 November)."""
    today = timezone.localdate()
    return today.year if today.month == 12 else today.year - 1


def _form_year(request, report: _Report) -> int | None:
    raw = request.GET.get("year")
    if not raw:
        return default_form_year()
    try:
        year = int(raw)
    except ValueError:
        report.form.add_error(None, _("Năm báo cáo phải là một số, ví dụ 2024."))
        return None
    if not 1990 <= year <= timezone.localdate().year:
        report.form.add_error(None, _("Năm báo cáo phải trong khoảng 1990–%(last)s.") % {"last": timezone.localdate().year})
        return None
    return year


@login_required
@require_GET
def form_list(request):
    report = _Report(request)
    year = _form_year(request, report) if report.valid else None
    templates = standard_forms.templates()
    in_force = {template.slug for template in standard_forms.templates_in_force(year)} if year else set()
    params = {"unit": report.unit.code} if report.valid else {}
    items = [
        {
            "template": template,
            "in_force": template.slug in in_force,
            "url": with_query(reverse("reports:form_detail", args=[template.slug]), {**params, "year": str(year)}) if year else "",
        }
        for template in templates
    ]
    five_year = with_query(reverse("reports:five_year"), params)
    return render(
        request,
        "reports/form_list.html",
        _context(report, year=year, items=items, five_year_url=five_year, years=range(timezone.localdate().year, 2014, -1)),
    )


def _filled(request, slug: str):
    template = standard_forms.template_by_slug(slug)
    if template is None:
        raise Http404
    report = _Report(request)
    year = _form_year(request, report) if report.valid else None
    if not report.valid or year is None:
        return report, template, None
    return report, template, standard_forms.fill_form(template, report.scope, year)


@login_required
@require_GET
def form_detail(request, slug: str):
    report, template, filled = _filled(request, slug)
    if filled is None:
        return render(request, "reports/form_detail.html", _context(report, template=template), status=400)
    height, cells = template.header()
    header_rows = [[cell for cell in cells if cell.row == level] for level in range(height)]
    params = {"unit": report.unit.code, "year": str(filled.year)}
    context = _context(
        report,
        template=template,
        filled=filled,
        header_rows=header_rows,
        xlsx_url=with_query(reverse("reports:form_xlsx", args=[slug]), params),
        pdf_url=with_query(reverse("reports:form_pdf", args=[slug]), params),
        in_force=[t for t in standard_forms.templates_in_force(filled.year) if t.kind == template.kind],
        year=filled.year,
    )
    return render(request, "reports/form_detail.html", context)


@login_required
@require_GET
def form_xlsx(request, slug: str):
    report, template, filled = _filled(request, slug)
    if filled is None:
        return render(request, "reports/form_detail.html", _context(report, template=template), status=400)
    return xlsx_response(f"bieu-{slug}-{filled.year}-{report.unit.code}.xlsx", spreadsheets.form_workbook(filled))


@login_required
@require_GET
def form_pdf(request, slug: str):
    report, template, filled = _filled(request, slug)
    if filled is None:
        return render(request, "reports/form_detail.html", _context(report, template=template), status=400)
    return _pdf_response(f"bieu-{slug}-{filled.year}-{report.unit.code}.pdf", pdf.form_pdf(filled))


def _five_year(request):
    report = _Report(request)
    if not report.valid:
        return report, None
    filters = report.filters
    table = standard_forms.five_year_table(report.scope, filters.year_from, filters.year_to, by_current_unit=filters.by_current_unit)
    return report, table


def _five_year_rows(report: _Report, table) -> list[dict]:
    """The table's rows with a link behind every figure (an award's rows; a subtotal's by category)."""
    rows, number = [], 0
    category = None
    for row in table.rows:
        if row.style == "section":
            category = AwardCategory.TITLE if category is None else AwardCategory.FORM
        if row.style == "item":
            number += 1
            narrowing = {"award": row.code}
        elif row.style == "subtotal":
            narrowing = {"category": category}
        else:
            narrowing = {}
        rows.append({
            "row": row,
            "number": number if row.style == "item" else "",
            "cells": [] if row.style == "section" else [
                (value, report.url("reports:records", year=year, **narrowing)) for value, year in zip(row.by_year, table.years, strict=True)
            ],
            "total_url": report.url("reports:records", **narrowing),
        })
    return rows


@login_required
@require_GET
def five_year(request):
    report, table = _five_year(request)
    if table is None:
        return render(request, "reports/five_year.html", _context(report), status=400)
    params = {**report.base}
    return render(
        request,
        "reports/five_year.html",
        _context(
            report,
            table=table,
            xlsx_url=with_query(reverse("reports:five_year_xlsx"), params),
            pdf_url=with_query(reverse("reports:five_year_pdf"), params),
            rows=_five_year_rows(report, table),
        ),
    )


@login_required
@require_GET
def five_year_xlsx(request):
    report, table = _five_year(request)
    if table is None:
        return render(request, "reports/five_year.html", _context(report), status=400)
    return xlsx_response(f"tong-hop-khen-thuong-{table.first}-{table.last}-{report.unit.code}.xlsx", spreadsheets.five_year_workbook(table))


@login_required
@require_GET
def five_year_pdf(request):
    report, table = _five_year(request)
    if table is None:
        return render(request, "reports/five_year.html", _context(report), status=400)
    return _pdf_response(f"tong-hop-khen-thuong-{table.first}-{table.last}-{report.unit.code}.pdf", pdf.five_year_pdf(table))


# ---------------------------------------------------------------- award history


def _person_history(request, pk: int):
    person = org_selectors.access_person(request.user, pk, "records.view")
    return person, history_module.person_history(person)


def _unit_history(request, code: str):
    unit = org_selectors.access_unit(request.user, code, "records.view")
    return unit, history_module.unit_history(unit)


@login_required
@require_GET
def person_history(request, pk: int):
    person, history = _person_history(request, pk)
    return render(
        request,
        "reports/history.html",
        {
            "history": history,
            "person": person,
            "pdf_url": reverse("reports:person_history_pdf", args=[pk]),
            "xlsx_url": reverse("reports:person_history_xlsx", args=[pk]),
        },
    )


@login_required
@require_GET
def person_history_pdf(request, pk: int):
    person, history = _person_history(request, pk)
    return _pdf_response(f"qua-trinh-khen-thuong-{person.pk}.pdf", pdf.history_pdf(history))


@login_required
@require_GET
def person_history_xlsx(request, pk: int):
    person, history = _person_history(request, pk)
    return xlsx_response(f"qua-trinh-khen-thuong-{person.pk}.xlsx", spreadsheets.history_workbook(history))


@login_required
@require_GET
def unit_history(request, code: str):
    unit, history = _unit_history(request, code)
    return render(
        request,
        "reports/history.html",
        {
            "history": history,
            "unit": unit,
            "pdf_url": reverse("reports:unit_history_pdf", args=[code]),
            "xlsx_url": reverse("reports:unit_history_xlsx", args=[code]),
        },
    )


@login_required
@require_GET
def unit_history_pdf(request, code: str):
    unit, history = _unit_history(request, code)
    return _pdf_response(f"qua-trinh-khen-thuong-{unit.code}.pdf", pdf.history_pdf(history))


@login_required
@require_GET
def unit_history_xlsx(request, code: str):
    unit, history = _unit_history(request, code)
    return xlsx_response(f"qua-trinh-khen-thuong-{unit.code}.xlsx", spreadsheets.history_workbook(history))
