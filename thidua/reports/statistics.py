"""Statistics over the award register: counts by award, category, level, year, subject, gender,
ethnicity, position and unit, for a unit's subtree as of a date (see ``scope`` for mergers), and the
lists behind every figure.

How a record is placed and counted:

- **Which unit.** A collective award counts under the unit that received it; a household's under the
  unit that issued it. An individual's counts under the unit the person belonged to when the award was
  *decided*: their period of work (Employment) that had started last on the decision date — the one
  covering that day, or, for someone who had left or retired by then, the last one before it. Without
  any such period: their current unit, else the issuing unit. With ``by_current_unit`` every individual
  award counts under the person's current unit instead (no history lookup: cheaper, and what a unit
  wants when it asks "what have my people received").
- **Which position.** Leaders, managers, staff and direct workers are told apart by the position
  category of that same period of work (the current one with ``by_current_unit``).
- **Which year.** ``achievement``: the last year of the achievement period (LĐTT 2020, decided in
  February 2021, counts in 2020; a Bằng khen for 2019–2020 too). ``statistical``: the statistical
  year of the decision date, 1 December of the year before to 30 November (the Ministry of Home Affairs'
  forms, Circular 02/2023/TT-BNV).
- **Revoked awards** are left out unless asked for; they are counted apart (``revoked_count``).
- **Titles and forms** (AwardType.category) are kept apart: every table shows them in separate groups
  with their own subtotals.

Every figure is one ``GROUP BY`` query in the database (a few hundred result rows at most, folded into
the report's buckets in Python); the lists behind them are the same filters as a queryset.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from thidua.organizations.models import Employment, Person
from thidua.records.models import AwardRecord, Initiative, InitiativeAuthor
from thidua.reports.enums import Dimension, Revoked, YearBasis
from thidua.reports.scope import ReportScope
from thidua.rules.models import AwardType

# What each dimension groups on, once the queryset carries the annotations it needs.
_GROUP_FIELD = {
    Dimension.AWARD: "award_id",
    Dimension.CATEGORY: "award__category",
    Dimension.LEVEL: "award__level",
    Dimension.YEAR: "report_year",
    Dimension.SUBJECT: "subject",
    Dimension.GENDER: "person__gender",
    Dimension.ETHNICITY: "person__ethnicity",
    Dimension.POSITION: "position",
    Dimension.UNIT: "attributed_unit",
}


@dataclass(frozen=True)
class Filters:
    """The period and the narrowing of a report; every field maps to a query-string parameter."""

    year_from: int
    year_to: int
    basis: str = YearBasis.ACHIEVEMENT
    by_current_unit: bool = False
    revoked: str = Revoked.EXCLUDE
    award: str = ""  # an AwardType code
    category: str = ""
    level: str = ""
    subject: str = ""
    # None: no filter; "": people with the attribute not recorded.
    gender: str | None = None
    ethnicity: str | None = None
    position: str | None = None
    year: int | None = None
    bucket: int | None = None  # a bucket's unit id (a child of the report's unit, or the unit itself)

    def narrowed(self, **changes: Any) -> "Filters":
        return replace(self, **changes)


def statistical_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """1 December of the year before to 30 November: the TĐKT reporting year (Circular 02/2023/TT-BNV)."""
    return datetime.date(year - 1, 12, 1), datetime.date(year, 11, 30)


def _year_expression(basis: str):
    if basis == YearBasis.STATISTICAL:
        year = ExtractYear("decision_date")
        return Case(When(decision_date__month=12, then=year + 1), default=year, output_field=IntegerField())
    return F("period_end")


def _period_q(basis: str, first: int, last: int) -> Q:
    if basis == YearBasis.STATISTICAL:
        return Q(decision_date__gte=statistical_year_bounds(first)[0], decision_date__lte=statistical_year_bounds(last)[1])
    return Q(period_end__gte=first, period_end__lte=last)


def _subject_expression():
    return Case(
        When(person__isnull=False, then=Value("individual")),
        When(unit__isnull=False, then=Value("collective")),
        default=Value("household"),
        output_field=CharField(),
    )


def _at_decision(field_name: str):
    """The given field of the person's period of work that had started last on the decision date."""
    return Subquery(
        Employment.objects.filter(person_id=OuterRef("person_id"), start_date__lte=OuterRef("decision_date"))
        .order_by("-start_date", "-id")
        .values(field_name)[:1]
    )


def _person_field(field_name: str):
    # A correlated lookup rather than a join: it sits last in a COALESCE, so the database runs it only
    # for the few records whose person has no period of work before the decision.
    return Subquery(Person.objects.filter(pk=OuterRef("person_id")).order_by().values(field_name)[:1])


def _attributed_unit(by_current_unit: bool):
    person_unit = (
        Coalesce(F("person__current_unit_id"), F("issuing_unit_id"))
        if by_current_unit
        else Coalesce(_at_decision("unit_id"), _person_field("current_unit_id"), F("issuing_unit_id"))
    )
    return Case(
        When(unit__isnull=False, then=F("unit_id")),
        When(person__isnull=False, then=person_unit),
        default=F("issuing_unit_id"),
        output_field=IntegerField(),
    )


def _position_expression(by_current_unit: bool):
    if by_current_unit:
        position = F("person__current_position_category")
    else:
        position = Coalesce(_at_decision("position_category"), _person_field("current_position_category"))
    return Case(
        When(person__isnull=False, then=position),
        default=Value(None),
        output_field=CharField(),
    )


def _candidates_q(unit_ids: Sequence[int]) -> Q:
    """A cheap necessary condition for being attributed to one of ``unit_ids``: the attribution is the
    record's unit, its issuing unit, or a unit the person has worked in (a person's current unit is
    always their open period of work). The database checks it before the per-row history lookup."""
    return (
        Q(unit_id__in=unit_ids)
        | Q(issuing_unit_id__in=unit_ids)
        | Q(person_id__in=Employment.objects.filter(unit_id__in=unit_ids).values("person_id"))
    )


@contextmanager
def without_jit() -> Iterator[None]:
    """Run report queries with PostgreSQL's JIT compiler off. The per-record history lookup makes the
    planner's cost estimates huge, and PostgreSQL then spends seconds compiling a query that runs in a
    fraction of that (measured: 2.9 s of JIT for a 0.4 s department summary)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def _counted_units(scope: ReportScope, filters: Filters) -> list[int] | None:
    if filters.bucket is not None:
        return scope.units_in_bucket(filters.bucket)
    return None if scope.everything else sorted(scope.unit_ids)


def _filtered(scope: ReportScope, filters: Filters) -> QuerySet[AwardRecord]:
    """Every filter that needs no per-row history lookup."""
    records = AwardRecord.objects.all()
    if filters.revoked == Revoked.EXCLUDE:
        records = records.filter(revoked=False)
    elif filters.revoked == Revoked.ONLY:
        records = records.filter(revoked=True)
    if filters.year is not None:
        records = records.filter(_period_q(filters.basis, filters.year, filters.year))
    else:
        records = records.filter(_period_q(filters.basis, filters.year_from, filters.year_to))
    if filters.award:
        records = records.filter(award__code=filters.award)
    if filters.category:
        records = records.filter(award__category=filters.category)
    if filters.level:
        records = records.filter(award__level=filters.level)
    if filters.subject == "individual":
        records = records.filter(person__isnull=False)
    elif filters.subject == "collective":
        records = records.filter(unit__isnull=False)
    elif filters.subject == "household":
        records = records.filter(person__isnull=True, unit__isnull=True)
    if filters.gender is not None:
        records = records.filter(person__isnull=False, person__gender=filters.gender)
    if filters.ethnicity is not None:
        records = records.filter(person__isnull=False, person__ethnicity=filters.ethnicity)
    counted = _counted_units(scope, filters)
    if counted is not None:
        records = records.filter(_candidates_q(counted))
    return records


def award_records(scope: ReportScope, filters: Filters) -> QuerySet[AwardRecord]:
    """The records behind a figure (the drill-down list), each with ``attributed_unit`` (an id)."""
    records = _filtered(scope, filters).annotate(attributed_unit=_attributed_unit(filters.by_current_unit))
    counted = _counted_units(scope, filters)
    if counted is not None:
        records = records.filter(attributed_unit__in=counted)
    if filters.position is not None:
        records = records.annotate(position=_position_expression(filters.by_current_unit)).filter(
            position=filters.position
        )
    return records


@dataclass
class Summary:
    dims: tuple[str, ...]
    # One dict per group: each dimension's key (award code, year, bucket unit code, gender…) and "count".
    rows: list[dict[str, Any]]
    total: int
    revoked_count: int | None = None
    catalog: dict[str, AwardType] = field(default_factory=dict)


def award_catalog() -> dict[int, AwardType]:
    return {award.pk: award for award in AwardType.objects.all()}


def _award_order(award: AwardType | None) -> tuple:
    if award is None:
        return ("~", 0, "")
    return (award.category, -award.precedence, award.code)


def summary(
    scope: ReportScope, filters: Filters, dims: Iterable[str], *, count_revoked: bool = False
) -> Summary:
    """Counts grouped by ``dims`` (Dimension values), one GROUP BY query (two with ``count_revoked``)."""
    dims = tuple(Dimension(dim).value for dim in dims)
    records = _filtered(scope, filters)
    counted = _counted_units(scope, filters)
    needs_unit = Dimension.UNIT in dims or counted is not None
    group = [_GROUP_FIELD[dim] for dim in dims if dim != Dimension.UNIT]
    if needs_unit:
        records = records.annotate(attributed_unit=_attributed_unit(filters.by_current_unit))
        group.append("attributed_unit")
    if Dimension.POSITION in dims or filters.position is not None:
        records = records.annotate(position=_position_expression(filters.by_current_unit))
        if filters.position is not None:
            records = records.filter(position=filters.position)
    if Dimension.YEAR in dims:
        records = records.annotate(report_year=_year_expression(filters.basis))
    if Dimension.SUBJECT in dims:
        records = records.annotate(subject=_subject_expression())
    with without_jit() if needs_unit or Dimension.POSITION in dims else nullcontext():
        grouped = list(records.values(*group).annotate(count=Count("id")).order_by()) if group else [
            {"count": records.count()}
        ]

    allowed = set(counted) if counted is not None else None
    catalog = award_catalog()
    folded: dict[tuple, int] = defaultdict(int)
    for row in grouped:
        if needs_unit:
            unit_id = row["attributed_unit"]
            # The attribution is computed once per record, in the SELECT; records attributed outside the
            # scope (candidates that matched through another column) are dropped here, group by group.
            if allowed is not None and unit_id not in allowed:
                continue
            if allowed is None and unit_id not in scope.bucket_of:
                continue
        key = []
        for dim in dims:
            if dim == Dimension.UNIT:
                key.append(scope.buckets[scope.bucket_of[row["attributed_unit"]]][0])
            elif dim == Dimension.AWARD:
                award = catalog.get(row["award_id"])
                key.append(award.code if award else "")
            else:
                value = row[_GROUP_FIELD[dim]]
                key.append("" if value is None and dim in (Dimension.GENDER, Dimension.ETHNICITY, Dimension.POSITION) else value)
        folded[tuple(key)] += row["count"]

    by_code = {award.code: award for award in catalog.values()}
    bucket_order = {code: index for index, (code, *_rest) in enumerate(scope.buckets.values())}

    def order(item: tuple[tuple, int]) -> tuple:
        key, count = item
        parts = []
        for dim, value in zip(dims, key, strict=True):
            if dim == Dimension.AWARD:
                parts.append(_award_order(by_code.get(value)))
            elif dim == Dimension.UNIT:
                parts.append(bucket_order.get(value, 0))
            elif dim == Dimension.YEAR:
                parts.append(value or 0)
            else:
                parts.append(str(value or "~"))
        return tuple(parts)

    rows = [{**dict(zip(dims, key, strict=True)), "count": count} for key, count in sorted(folded.items(), key=order)]
    result = Summary(dims=dims, rows=rows, total=sum(row["count"] for row in rows), catalog=by_code)
    if count_revoked and filters.revoked == Revoked.EXCLUDE:
        result.revoked_count = summary(scope, filters.narrowed(revoked=Revoked.ONLY), ()).total
    return result


# ---------------------------------------------------------------- initiatives


def _initiatives(scope: ReportScope, first: int, last: int, *, year: int | None = None, bucket: int | None = None):
    """Initiatives and research recognised in the years, of units counted by the scope; one with no
    unit counts where one of its authors works now."""
    initiatives = Initiative.objects.filter(
        recognized_on__gte=datetime.date(year or first, 1, 1), recognized_on__lte=datetime.date(year or last, 12, 31)
    )
    unit_ids = scope.units_in_bucket(bucket) if bucket is not None else (None if scope.everything else sorted(scope.unit_ids))
    if unit_ids is not None:
        by_author = Exists(
            InitiativeAuthor.objects.filter(initiative_id=OuterRef("pk"), person__current_unit_id__in=unit_ids)
        )
        initiatives = initiatives.filter(Q(unit_id__in=unit_ids) | (Q(unit__isnull=True) & by_author))
    return initiatives


def initiatives_per_year(scope: ReportScope, first: int, last: int, *, bucket: int | None = None) -> dict[int, int]:
    with without_jit():
        rows = list(
            _initiatives(scope, first, last, bucket=bucket)
            .annotate(report_year=ExtractYear("recognized_on"))
            .values("report_year")
            .annotate(count=Count("id"))
            .order_by()
        )
    counts = {year: 0 for year in range(first, last + 1)}
    for row in rows:
        counts[row["report_year"]] = row["count"]
    return counts


def initiative_records(scope: ReportScope, first: int, last: int, *, year: int | None = None, bucket: int | None = None):
    return _initiatives(scope, first, last, year=year, bucket=bucket)
