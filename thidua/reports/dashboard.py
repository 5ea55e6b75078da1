"""The per-role panels of the home page (common:dashboard), each a few queries:

- officer: the dossiers waiting for them (with the appraisal and submission countdowns of the soonest),
  and the quotas of the ruleset in force (e.g. CSTĐCS as a share of LĐTT) against what was awarded;
- unit manager: the unit's figures for the last two years and its registrations in ongoing movements;
- director (signer) and admin: the year at a glance for their unit — titles and forms, revoked awards,
  initiatives, and awards per unit as a chart whose bars open the list behind them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.accounts.enums import Role
from thidua.reports.charts import Bar, Chart
from thidua.reports.enums import Dimension
from thidua.reports.forms import with_query
from thidua.reports.selectors import default_report_unit, report_scope, report_units
from thidua.reports.statistics import Filters, initiatives_per_year, summary
from thidua.rules.enums import AwardCategory

WAITING_SHOWN = 6


@dataclass
class QuotaUse:
    award: str
    of: str
    awarded: int
    base: int
    max_share: float | None  # None: no cap in force (the share is still shown)
    source: str

    @property
    def share(self) -> float | None:
        return self.awarded / self.base if self.base else None

    @property
    def share_percent(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.1f}%".replace(".", ",")

    @property
    def cap_percent(self) -> str:
        return "" if self.max_share is None else f"{self.max_share * 100:g}%".replace(".", ",")

    @property
    def allowed(self) -> int | None:
        return None if self.max_share is None else int(self.base * self.max_share + 1e-9)

    @property
    def over(self) -> bool:
        return self.allowed is not None and self.awarded > self.allowed


@dataclass
class Panels:
    officer: dict | None = None
    manager: dict | None = None
    director: dict | None = None
    extra: dict = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.officer or self.manager or self.director)


def _report_url(name: str, unit_code: str, **params) -> str:
    return with_query(reverse(name), {"unit": unit_code, **{k: str(v) for k, v in params.items()}})


def _officer_panel(user, today: datetime.date) -> dict:
    from thidua.nominations.checks import round_deadline_days_left_many
    from thidua.nominations.selectors import appraisal_days_left_many, nominations_visible_to, waiting_for

    waiting = waiting_for(user, nominations_visible_to(user))
    count = waiting.count()
    shown = list(waiting.order_by("appraisal_due", "round__submission_deadline", "id")[:WAITING_SHOWN])
    appraisal = appraisal_days_left_many(shown, today)
    submission = round_deadline_days_left_many(shown, today)
    rows = []
    for nomination in shown:
        if nomination.pk in appraisal:
            label, days = _("Hạn thẩm định"), appraisal[nomination.pk]
        elif nomination.pk in submission:
            label, days = submission[nomination.pk].label, submission[nomination.pk].working_days_left
        else:
            label, days = None, None
        clock = None if label is None else {"label": label, "days": days, "late": max(0, -days)}
        rows.append({"nomination": nomination, "clock": clock})
    return {"waiting_count": count, "waiting": rows, "quotas": _quotas(user, today)}


def _quotas(user, today: datetime.date) -> list[QuotaUse]:
    """The ruleset's quotas for last year's titles in the officer's unit (from the award register)."""
    from thidua.rules.models import AwardType
    from thidua.rules.rulesets import ruleset_for

    unit = default_report_unit(user)
    if unit is None:
        return []
    year = today.year - 1
    ruleset = ruleset_for(datetime.date(year + 1, 3, 1), unit)
    quotas = dict(ruleset.parameters.get("quotas") or {})
    if not quotas:
        return []
    counts = {row["award"]: row["count"] for row in summary(report_scope(unit), Filters(year, year), [Dimension.AWARD]).rows}
    names = dict(AwardType.objects.filter(code__in=[*quotas, *(q["of"] for q in quotas.values())]).values_list("code", "short_name"))
    return [
        QuotaUse(
            award=names.get(code) or code,
            of=names.get(quota["of"]) or quota["of"],
            awarded=counts.get(code, 0),
            base=counts.get(quota["of"], 0),
            max_share=None if quota.get("max_share") is None else float(quota["max_share"]),
            source=quota.get("source", ""),
        )
        for code, quota in quotas.items()
    ]


def _manager_panel(user, today: datetime.date) -> dict | None:
    from thidua.movements.models import Registration
    from thidua.movements.selectors import ongoing_movements

    paths = scopes.scope_paths(user, "registration.manage") or []
    unit = default_report_unit(user)
    if unit is None:
        return None
    years = (today.year - 2, today.year - 1)
    scope = report_scope(unit)
    by_year = summary(scope, Filters(*years), [Dimension.YEAR, Dimension.CATEGORY]).rows
    figures = {year: {AwardCategory.TITLE: 0, AwardCategory.FORM: 0} for year in years}
    for row in by_year:
        figures[row["year"]][row["category"]] = row["count"]
    movements = ongoing_movements(user, limit=5)
    registrations = {}
    if movements and paths:
        in_scope = Q()
        for path in paths:
            in_scope |= Q(unit__path__startswith=path) | Q(person__current_unit__path__startswith=path)
        for row in (
            Registration.objects.filter(movement__in=movements)
            .filter(in_scope)
            .values("movement_id", "status")
            .annotate(count=Count("id"))
            .order_by()
        ):
            registrations.setdefault(row["movement_id"], {})[row["status"]] = row["count"]
    return {
        "unit": unit,
        "figures": [
            {
                "year": year,
                "titles": figures[year][AwardCategory.TITLE],
                "forms": figures[year][AwardCategory.FORM],
                "titles_url": _report_url("reports:records", unit.code, year=year, category=AwardCategory.TITLE, **{"from": year, "to": year}),
                "forms_url": _report_url("reports:records", unit.code, year=year, category=AwardCategory.FORM, **{"from": year, "to": year}),
            }
            for year in years
        ],
        "movements": [{"movement": movement, "counts": registrations.get(movement.pk, {})} for movement in movements],
        "report_url": _report_url("reports:overview", unit.code),
    }


def _director_panel(user, today: datetime.date) -> dict | None:
    units = report_units(user)
    unit = default_report_unit(user, units)
    if unit is None:
        return None
    scope = report_scope(unit)
    # Last year; its decisions may not all be in yet (or the register stops earlier): the latest of the
    # last three years that has any award.
    first_try = None
    for year in range(today.year - 1, today.year - 4, -1):
        by_unit = summary(scope, Filters(year, year), [Dimension.UNIT, Dimension.CATEGORY], count_revoked=True)
        first_try = first_try or (year, by_unit)
        if by_unit.total:
            break
    else:
        year, by_unit = first_try
    totals = {AwardCategory.TITLE: 0, AwardCategory.FORM: 0}
    per_bucket: dict[str, list[int]] = {}
    for row in by_unit.rows:
        totals[row["category"]] += row["count"]
        pair = per_bucket.setdefault(row["unit"], [0, 0])
        pair[0 if row["category"] == AwardCategory.TITLE else 1] += row["count"]
    names = {code: name for code, name, *_rest in scope.buckets.values()}
    ranked = sorted(per_bucket.items(), key=lambda item: -sum(item[1]))[:10]
    base = {"from": year, "to": year, "year": year}
    chart = Chart(
        key="director-units",
        title=_("Khen thưởng năm %(year)s theo đơn vị") % {"year": year},
        bars=[
            Bar(
                names.get(code, code),
                values,
                [
                    _report_url("reports:records", unit.code, bucket=code, category=AwardCategory.TITLE, **base),
                    _report_url("reports:records", unit.code, bucket=code, category=AwardCategory.FORM, **base),
                ],
            )
            for code, values in ranked
        ],
        series=[_("Danh hiệu thi đua"), _("Hình thức khen thưởng")],
        horizontal=True,
    )
    return {
        "unit": unit,
        "year": year,
        "titles": totals[AwardCategory.TITLE],
        "forms": totals[AwardCategory.FORM],
        "revoked": by_unit.revoked_count or 0,
        "initiatives": initiatives_per_year(scope, year, year)[year],
        "titles_url": _report_url("reports:records", unit.code, category=AwardCategory.TITLE, **base),
        "forms_url": _report_url("reports:records", unit.code, category=AwardCategory.FORM, **base),
        "revoked_url": _report_url("reports:records", unit.code, revoked="only", **base),
        "initiatives_url": _report_url("reports:initiatives", unit.code, **base),
        "chart": chart,
        "report_url": _report_url("reports:overview", unit.code, **{"from": year, "to": year}),
    }


def panels_for(user) -> Panels:
    panels = Panels()
    if not scopes.can(user, "report.view"):
        return panels
    today = timezone.localdate()
    roles = scopes.roles_of(user)
    unrestricted = scopes.is_unrestricted(user)
    if unrestricted or Role.OFFICER in roles or Role.ADMIN in roles:
        if scopes.can_any(user, ("nomination.appraise", "nomination.propose")):
            panels.officer = _officer_panel(user, today)
    if Role.UNIT_MANAGER in roles:
        panels.manager = _manager_panel(user, today)
    if unrestricted or Role.SIGNER in roles or Role.ADMIN in roles:
        panels.director = _director_panel(user, today)
    return panels
