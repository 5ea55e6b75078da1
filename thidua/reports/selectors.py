"""Reads that depend on who asks: which units a user may report on, and the scope of a report.

Reports need ``report.view`` on the unit asked for (404 otherwise, as everywhere). A report on a unit
counts its predecessors' records too (``scope``), even when those old units lie outside the user's own
roles: the successor carries their history, and its readers read it.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from thidua.accounts import scopes
from thidua.organizations import selectors as org_selectors
from thidua.organizations.models import Unit
from thidua.records.models import AwardRecord
from thidua.reports.scope import ReportScope, resolve_scope


def report_units(user) -> list[Unit]:
    """Units the user may report on, in tree order (the unit picker)."""
    return list(Unit.objects.filter(scopes.scope_q(user, "report.view")).order_by("path"))


def default_report_unit(user, units: list[Unit] | None = None) -> Unit | None:
    """The user's outermost unit, preferring one valid today (after a merger: the successor)."""
    units = report_units(user) if units is None else units
    if not units:
        return None
    today = timezone.localdate()
    top = min(unit.depth for unit in units)
    outermost = [unit for unit in units if unit.depth == top]
    valid = [unit for unit in outermost if unit.is_valid_on(today)]
    return (valid or outermost)[0]


def access_report_unit(user, code: str) -> Unit:
    return org_selectors.access_unit(user, code, "report.view")


def report_scope(unit: Unit, as_of: datetime.date | None = None) -> ReportScope:
    return resolve_scope(unit, as_of or timezone.localdate())


def records_page_rows(records: list[AwardRecord], scope: ReportScope) -> list[dict]:
    """The rows of a page of the list: each record with the name of the unit it is counted under."""
    return [
        {
            "record": record,
            "unit_code": scope.names.get(getattr(record, "attributed_unit", None), ("", ""))[0],
            "unit_name": scope.names.get(getattr(record, "attributed_unit", None), ("", ""))[1],
        }
        for record in records
    ]


def with_relations(records: QuerySet[AwardRecord]) -> QuerySet[AwardRecord]:
    return records.select_related("person", "unit", "award", "issuing_unit").order_by("-decision_date", "-id")
