"""The Ministry of Home Affairs' yearly statistical forms (biểu mẫu thống kê TĐKT), versioned by legal
basis and kept as editable data (``data/forms/*.json``, described in its README), and the five-year
summary table for a congress or an exemplar conference.

A form for year Y counts the statistical year 1 December Y-1 – 30 November Y and is laid out by the
template in force on 30 November Y (Circular 03/2018/TT-BNV until 9 May 2023, then 02/2023/TT-BNV).
Award forms are filled with one GROUP BY query over the award register (``statistics``): the groups
carry award, subject, the recipient unit's kind, the position category and unit at the decision date,
and whether the award counts as regular, and each cell adds the groups that match its row and column.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from thidua.movements.enums import MovementStatus
from thidua.movements.models import Cluster, Movement
from thidua.organizations.enums import UnitKind
from thidua.reports.enums import Dimension, Revoked, YearBasis
from thidua.reports.scope import ReportScope
from thidua.reports.statistics import (
    Filters,
    _attributed_unit,
    _filtered,
    _position_expression,
    _subject_expression,
    award_catalog,
    statistical_year_bounds,
    summary,
    without_jit,
)
from thidua.rules.enums import AwardCategory

FORMS_DIR = Path(__file__).resolve().parent / "data" / "forms"
# Whom a province reports to when the reporting unit has no parent in the tree [?: presumed, unconfirmed].
NATIONAL_RECEIVER = "Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)"


@dataclass
class Column:
    heading: str
    index: str = ""
    match: dict[str, Any] | None = None
    total: bool = False
    verified: bool = True
    children: list["Column"] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> list["Column"]:
        return [self] if self.is_leaf else [leaf for child in self.children for leaf in child.leaves()]

    def depth(self) -> int:
        return 1 if self.is_leaf else 1 + max(child.depth() for child in self.children)


@dataclass
class Row:
    label: str
    code: str = ""
    uom: str = ""
    style: str = "item"
    match: dict[str, Any] | None = None
    blank: bool = False
    verified: bool = True

    @property
    def is_section(self) -> bool:
        return self.style == "section"


@dataclass
class HeaderCell:
    text: str
    row: int  # 0-based header row
    column: int  # 0-based among all columns, A included
    row_span: int
    column_span: int
    verified: bool = True


@dataclass
class FormTemplate:
    slug: str
    kind: str
    code: str
    title: str
    legal_basis: str
    issued_line: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    receipt: str
    receiver: bool
    period_line: str
    measure: str
    uom_column: bool
    footer: bool
    source: str
    verified: bool
    notes: list[str]
    columns: list[Column]
    rows: list[Row]
    file: str

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def leaves(self) -> list[Column]:
        return [leaf for column in self.columns for leaf in column.leaves()]

    @property
    def label_columns(self) -> list[str]:
        """The lettered columns before the numbered ones: A (label), B (Mã số), C (Đơn vị tính)."""
        return ["A", "B", "C"] if self.uom_column else ["A", "B"]

    def header(self) -> tuple[int, list[HeaderCell]]:
        """The merged header cells: (number of header rows, cells). A, B, C span every header row; a group
        spans its leaves; a leaf spans the rows left below it."""
        height = max(column.depth() for column in self.columns)
        cells = [HeaderCell("", 0, 0, height, 1), HeaderCell(_("Mã số"), 0, 1, height, 1)]
        if self.uom_column:
            cells.append(HeaderCell(_("Đơn vị tính"), 0, 2, height, 1))
        position = len(self.label_columns)

        def place(column: Column, level: int) -> None:
            nonlocal position
            if column.is_leaf:
                cells.append(HeaderCell(column.heading, level, position, height - level, 1, column.verified))
                position += 1
                return
            start = position
            for child in column.children:
                place(child, level + 1)
            cells.append(HeaderCell(column.heading, level, start, 1, position - start, column.verified))

        for column in self.columns:
            place(column, 0)
        return height, cells


def _column(data: dict[str, Any]) -> Column:
    return Column(
        heading=data["heading"],
        index=data.get("index", ""),
        match=data.get("match"),
        total=data.get("total", False),
        verified=data.get("verified", True),
        children=[_column(child) for child in data.get("columns", [])],
    )


def _template(path: Path) -> FormTemplate:
    data = json.loads(path.read_text(encoding="utf-8"))
    return FormTemplate(
        slug=data["slug"],
        kind=data["kind"],
        code=data["code"],
        title=data["title"],
        legal_basis=data["legal_basis"],
        issued_line=data["issued_line"],
        valid_from=datetime.date.fromisoformat(data["valid_from"]),
        valid_to=datetime.date.fromisoformat(data["valid_to"]) if data.get("valid_to") else None,
        receipt=data.get("receipt", ""),
        receiver=data.get("receiver", False),
        period_line=data.get("period_line", "period"),
        measure=data.get("measure", ""),
        uom_column=data.get("uom_column", False),
        footer=data.get("footer", True),
        source=data["source"],
        verified=data.get("verified", False),
        notes=data.get("notes", []),
        columns=[_column(column) for column in data["columns"]],
        rows=[
            Row(
                label=row["label"],
                code=row.get("code", ""),
                uom=row.get("uom", ""),
                style=row.get("style", "item"),
                match=row.get("match"),
                blank=row.get("blank", False),
                verified=row.get("verified", True),
            )
            for row in data["rows"]
        ],
        file=path.name,
    )


@lru_cache(maxsize=1)
def templates() -> tuple[FormTemplate, ...]:
    """Every shipped template in the order of their codes (read once per process)."""
    return tuple(sorted((_template(path) for path in FORMS_DIR.glob("*.json")), key=lambda t: t.slug))


def template_by_slug(slug: str) -> FormTemplate | None:
    return next((template for template in templates() if template.slug == slug), None)


def reference_day(year: int) -> datetime.date:
    """The day whose rules lay out the form for ``year``: the last day of its statistical year."""
    return statistical_year_bounds(year)[1]


def templates_in_force(year: int) -> list[FormTemplate]:
    day = reference_day(year)
    return [template for template in templates() if template.in_force_on(day)]


# ---------------------------------------------------------------- matching


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _award_ids(match: dict[str, Any], catalog_by_code: dict[str, Any], claimed: set[int]) -> set[int]:
    ids: set[int] = set()
    for code in match.get("awards", []):
        if code in catalog_by_code:
            ids.add(catalog_by_code[code].pk)
    for prefix in match.get("award_prefixes", []):
        ids |= {award.pk for code, award in catalog_by_code.items() if code.startswith(prefix)}
    if match.get("rest_of_level"):
        level = match["rest_of_level"]
        ids |= {award.pk for award in catalog_by_code.values() if award.level == level and award.pk not in claimed}
    return ids


def _award_group_matches(match: dict[str, Any], group: dict[str, Any]) -> bool:
    """Whether a group of the award query satisfies a row's or a column's conditions."""
    if not match:
        return True
    if "any_of" in match and not any(_award_group_matches(option, group) for option in match["any_of"]):
        return False
    if "subject" in match and group["subject"] not in _as_list(match["subject"]):
        return False
    if "recipient_kinds" in match and group["recipient_kind"] not in match["recipient_kinds"]:
        return False
    if "positions" in match and group["position"] not in match["positions"]:
        return False
    if "unit_kinds" in match and group["unit_kind"] not in match["unit_kinds"]:
        return False
    if "not_unit_kinds" in match and group["unit_kind"] in match["not_unit_kinds"]:
        return False
    if "method" in match:
        if match["method"] == "regular" and not group["regular"]:
            return False
        if match["method"] == "thematic" and group["regular"]:
            return False
    return True


def _movement_matches(match: dict[str, Any], movement: dict[str, Any]) -> bool:
    for key in ("launcher", "range", "duration"):
        if key in match and movement[key] not in _as_list(match[key]):
            return False
    if "kinds" in match and movement["kind"] not in match["kinds"]:
        return False
    return True


def duration_bucket(start: datetime.date, end: datetime.date) -> str:
    """The form's duration band from whole months (a movement from 1/1 to 31/12 lasts "1 năm")."""
    months = round(((end - start).days + 1) / 30.44)
    if months < 12:
        return "under_1"
    if months == 12:
        return "1"
    if months < 36:
        return "1_3"
    if months < 60:
        return "3_5"
    return "5_plus"


# ---------------------------------------------------------------- filling


@dataclass
class FilledRow:
    row: Row
    total: int | None
    # One value per leaf column, None for a cell left blank.
    cells: list[int | None]


@dataclass
class FilledForm:
    template: FormTemplate
    scope: ReportScope
    year: int
    rows: list[FilledRow]
    reporting_unit: str
    receiving_unit: str
    period_text: str
    in_force: bool


def _receiver(scope: ReportScope) -> str:
    parent = scope.root.parent
    return parent.name if parent is not None else NATIONAL_RECEIVER


def _period_text(template: FormTemplate, year: int) -> str:
    if template.period_line == "year":
        return _("Năm %(year)s") % {"year": year}
    first, last = statistical_year_bounds(year)
    return _("Thời điểm báo cáo: từ ngày %(first)s đến ngày %(last)s") % {
        "first": f"{first:%d/%m/%Y}",
        "last": f"{last:%d/%m/%Y}",
    }


def _award_groups(template: FormTemplate, scope: ReportScope, year: int) -> tuple[list[dict], dict[int, set[int]]]:
    catalog_by_code = {award.code: award for award in award_catalog().values()}
    leaves = [leaf for leaf in template.leaves if not leaf.total]
    explicit: set[int] = set()
    for leaf in leaves:
        if leaf.match and not leaf.match.get("rest_of_level"):
            explicit |= _award_ids(leaf.match, catalog_by_code, set())
    leaf_awards = {id(leaf): _award_ids(leaf.match or {}, catalog_by_code, explicit) for leaf in leaves}
    form_awards = set().union(*leaf_awards.values()) if leaf_awards else set()
    if not form_awards:
        return [], leaf_awards
    filters = Filters(year, year, basis=YearBasis.STATISTICAL, revoked=Revoked.EXCLUDE)
    records = (
        _filtered(scope, filters)
        .filter(award_id__in=form_awards)
        .annotate(
            attributed_unit=_attributed_unit(False),
            position=_position_expression(False),
            subject=_subject_expression(),
        )
    )
    allowed = scope.unit_ids
    groups = []
    with without_jit():
        rows = list(
            records.values("award_id", "subject", "unit__kind", "position", "attributed_unit", "counts_for_regular")
            .annotate(count=Count("id"))
            .order_by()
        )
    for row in rows:
        unit_id = row["attributed_unit"]
        if allowed is not None and unit_id not in allowed:
            continue
        groups.append(
            {
                "award_id": row["award_id"],
                "subject": row["subject"],
                "recipient_kind": row["unit__kind"],
                "position": row["position"] or "",
                "unit_kind": scope.kind_of.get(unit_id, ""),
                "regular": row["counts_for_regular"],
                "count": row["count"],
            }
        )
    return groups, leaf_awards


def _movements(scope: ReportScope, year: int) -> list[dict]:
    first, last = statistical_year_bounds(year)
    movements = Movement.objects.filter(status__in=[MovementStatus.LAUNCHED, MovementStatus.CLOSED]).filter(
        Q(launched_on__gte=first, launched_on__lte=last) | Q(launched_on__isnull=True, start__gte=first, start__lte=last)
    )
    if not scope.everything:
        movements = movements.filter(launching_unit_id__in=sorted(scope.unit_ids))
    in_clusters = set(Cluster.objects.exclude(movement=None).values_list("movement_id", flat=True))
    found = []
    for pk, kind, start, end, launcher_kind in movements.values_list("pk", "kind", "start", "end", "launching_unit__kind"):
        launcher = "province" if launcher_kind == UnitKind.PROVINCE_COMMITTEE else "unit"
        found.append(
            {
                "kind": kind,
                "launcher": launcher,
                "range": "cluster" if pk in in_clusters else launcher,
                "duration": duration_bucket(start, end),
            }
        )
    return found


def fill_form(template: FormTemplate, scope: ReportScope, year: int) -> FilledForm:
    leaves = template.leaves
    filled: list[FilledRow] = []
    if template.source == "awards":
        groups, leaf_awards = _award_groups(template, scope, year)
        for row in template.rows:
            if row.is_section:
                filled.append(FilledRow(row, None, []))
                continue
            if row.blank or row.match is None or (row.match.get("method") == "none"):
                filled.append(FilledRow(row, None, [None] * len(leaves)))
                continue
            cells: list[int | None] = []
            for leaf in leaves:
                if leaf.total:
                    cells.append(None)  # filled below from the others
                    continue
                awards = leaf_awards[id(leaf)]
                cells.append(
                    sum(
                        group["count"]
                        for group in groups
                        if group["award_id"] in awards
                        and _award_group_matches(leaf.match or {}, group)
                        and _award_group_matches(row.match, group)
                    )
                )
            total = sum(value for value in cells if value is not None)
            cells = [total if leaf.total else value for leaf, value in zip(leaves, cells, strict=True)]
            filled.append(FilledRow(row, total, cells))
    elif template.source == "movements":
        movements = _movements(scope, year)
        for row in template.rows:
            if row.is_section:
                filled.append(FilledRow(row, None, []))
                continue
            if row.blank or row.match is None:
                filled.append(FilledRow(row, None, [None] * len(leaves)))
                continue
            chosen = [m for m in movements if _movement_matches(row.match, m)]
            cells = [
                None if leaf.total else sum(1 for m in chosen if _movement_matches(leaf.match or {}, m))
                for leaf in leaves
            ]
            total = sum(value for value in cells if value is not None)
            filled.append(FilledRow(row, total, [total if leaf.total else v for leaf, v in zip(leaves, cells, strict=True)]))
    else:
        for row in template.rows:
            filled.append(FilledRow(row, None, [] if row.is_section else [None] * len(leaves)))
    return FilledForm(
        template=template,
        scope=scope,
        year=year,
        rows=filled,
        reporting_unit=scope.root.name,
        receiving_unit=_receiver(scope),
        period_text=_period_text(template, year),
        in_force=template.in_force_on(reference_day(year)),
    )


# ---------------------------------------------------------------- the five-year summary


@dataclass
class SummaryTableRow:
    label: str
    code: str  # the award code; "" for a group or total row
    style: str  # "section", "item", "subtotal", "total"
    by_year: list[int]
    total: int
    collective: int
    individual: int
    household: int


@dataclass
class FiveYearTable:
    scope: ReportScope
    first: int
    last: int
    rows: list[SummaryTableRow]
    title: str
    legal_note: str

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))


def five_year_table(scope: ReportScope, first: int, last: int, *, by_current_unit: bool = False) -> FiveYearTable:
    """Awards by kind and year of achievement over a congress period, titles and forms apart, with
    each one's split between collectives, individuals and households (two GROUP BY queries)."""
    filters = Filters(first, last, by_current_unit=by_current_unit)
    by_year = summary(scope, filters, [Dimension.AWARD, Dimension.YEAR])
    by_subject = summary(scope, filters, [Dimension.AWARD, Dimension.SUBJECT])
    years = list(range(first, last + 1))
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in by_year.rows:
        counts[row["award"]][row["year"]] += row["count"]
    subjects: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in by_subject.rows:
        subjects[row["award"]][row["subject"]] += row["count"]
    catalog = sorted(by_year.catalog.values(), key=lambda a: (a.category, -a.precedence, a.code))
    rows: list[SummaryTableRow] = []
    grand = SummaryTableRow(_("Tổng số lượt khen thưởng"), "", "total", [0] * len(years), 0, 0, 0, 0)
    for category, heading in ((AwardCategory.TITLE, _("I. DANH HIỆU THI ĐUA")), (AwardCategory.FORM, _("II. HÌNH THỨC KHEN THƯỞNG"))):
        rows.append(SummaryTableRow(heading, "", "section", [], 0, 0, 0, 0))
        subtotal = SummaryTableRow(_("Cộng"), "", "subtotal", [0] * len(years), 0, 0, 0, 0)
        for award in catalog:
            if award.category != category:
                continue
            if award.code not in counts and not award.is_active:
                continue
            per_year = [counts[award.code][year] for year in years]
            split = subjects[award.code]
            row = SummaryTableRow(
                award.name, award.code, "item", per_year, sum(per_year),
                split["collective"], split["individual"], split["household"],
            )
            rows.append(row)
            for target in (subtotal, grand):
                target.by_year = [a + b for a, b in zip(target.by_year, per_year, strict=True)]
                target.total += row.total
                target.collective += row.collective
                target.individual += row.individual
                target.household += row.household
        rows.append(subtotal)
    rows.append(grand)
    return FiveYearTable(
        scope=scope,
        first=first,
        last=last,
        rows=rows,
        title=_("BẢNG TỔNG HỢP KẾT QUẢ KHEN THƯỞNG GIAI ĐOẠN %(first)s–%(last)s") % {"first": first, "last": last},
        legal_note=_(
            "Mẫu tổng hợp phục vụ Đại hội Thi đua yêu nước, Hội nghị điển hình tiên tiến; đơn vị điều chỉnh "
            "theo hướng dẫn của tỉnh (chưa có mẫu chính thức)."
        ),
    )

