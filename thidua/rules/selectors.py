"""Reads for the rules pages, the API and the CLI: the screening table (bình xét), rulesets shown as
readable parameters and rules with the provincial overrides inline, the paths an override may target,
the overrides and base-salary rows a user may see.

The screening table calls ``engine.screen`` once for the whole subtree and joins the verdicts with the
names and units of people read in one query, so a page costs the same number of queries for 1 person
as for 300.
"""

import copy
import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts import scopes
from thidua.common.text import fold, search_terms
from thidua.records.enums import DisciplineLevel, Rating, Scope
from thidua.rules.engine import (
    COLLECTIVE,
    INDIVIDUAL,
    QuotaStatus,
    RuleResult,
    ScreeningResult,
    VerdictResult,
    screen,
)
from thidua.rules.enums import AwardCategory, Certainty, RoundingMode, Subject, Verdict
from thidua.rules.models import AwardType, BaseSalaryRate, RuleOverride
from thidua.rules.rulesets import (
    EffectiveRuleset,
    RulesetError,
    get_at_path,
    ruleset_for,
    set_at_path,
    shipped_rulesets,
)

# Achievement years before the first recorded rules make no sense to screen.
MIN_YEAR = 1990

# The screening page shows people and collectives in two tabs (their URL values).
TAB_PEOPLE, TAB_UNITS = "ca-nhan", "tap-the"

VERDICT_LABELS = dict(Verdict.choices)
VERDICT_BADGES = {
    Verdict.ELIGIBLE: "badge-ok",
    Verdict.INELIGIBLE: "badge-no",
    Verdict.NEEDS_REVIEW: "badge-warn",
}


def verdict_short(verdict: str) -> str:
    """The badge text: "Đủ điều kiện", "Chưa đủ", "Cần xem xét" (translated at call time)."""
    return {
        Verdict.ELIGIBLE: _("Đủ điều kiện"),
        Verdict.INELIGIBLE: _("Chưa đủ"),
        Verdict.NEEDS_REVIEW: _("Cần xem xét"),
    }.get(verdict, verdict)


def certainty_badge(certainty: str) -> str:
    """The warning shown next to a legal fact that is not settled; empty for verified facts."""
    if certainty == Certainty.RECOLLECTION:
        return _("Cần xác minh")
    if certainty == Certainty.PROVINCIAL:
        return _("Do tỉnh quy định")
    return ""


def year_problem(year: int, *, today: datetime.date | None = None) -> str | None:
    """Why an achievement year cannot be screened, or None. Shared by the form, the API and the CLI."""
    today = today or timezone.localdate()
    if year < MIN_YEAR:
        return _("Năm xét phải từ %(min)d trở về sau.") % {"min": MIN_YEAR}
    if year > today.year:
        return _("Năm xét không được sau năm hiện tại (%(year)d).") % {"year": today.year}
    return None


def default_year(today: datetime.date | None = None) -> int:
    """Screening happens from November to January for the year just ended: last year by default."""
    return (today or timezone.localdate()).year - 1


# ---------------------------------------------------------------- units and awards for the forms


def screening_units(user, permission: str = "screening.view") -> list:
    """The units the user may screen (or read rules for), in tree order."""
    from thidua.organizations.selectors import units_visible_to

    return list(
        units_visible_to(user, permission)
        .only("pk", "code", "name", "path", "depth", "valid_from", "valid_to")
        .order_by("path")
    )


def default_root(user, units: list, permission: str = "screening.view", today: datetime.date | None = None):
    """The outermost unit of the user's scope, where their role was given; a unit still working
    today before one that has ceased (a role kept on a merged department for its history)."""
    today = today or timezone.localdate()
    paths = scopes.scope_paths(user, permission)
    by_path = {unit.path: unit for unit in units}
    roots = [
        by_path[path]
        for path in (paths if paths is not None else [u.path for u in units if u.depth == 0])
        if path in by_path
    ]
    working = [unit for unit in roots if unit.is_valid_on(today)]
    if working or roots:
        return (working or roots)[0]
    return units[0] if units else None


def catalog() -> list[AwardType]:
    return list(AwardType.objects.all())


def _by_rank(awards: list[AwardType]) -> list[AwardType]:
    # Ascending rank, titles before forms: LĐTT, CSTĐCS, CSTĐ tỉnh…, then Giấy khen, Bằng khen.
    return sorted(
        awards, key=lambda award: (award.category != AwardCategory.TITLE, award.precedence, award.code)
    )


def annual_codes(awards: list[AwardType]) -> list[str]:
    """The annual titles screened by default (LĐTT, CSTĐCS, CSTĐ tỉnh, TTLĐTT, TTLĐXS, Cờ thi đua…)."""
    return [award.code for award in _by_rank(awards) if award.annual and award.is_active]


def optional_codes(awards: list[AwardType]) -> list[str]:
    """Awards that may be added to a screening on request (Bằng khen tỉnh, Giấy khen…)."""
    return [award.code for award in _by_rank(awards) if not award.annual and award.is_active]


# ---------------------------------------------------------------- the screening table


@dataclass
class ReasonLine:
    """One rule checked, for display; the parts of an "any of"/"all of" rule are its children."""

    rule: str
    label: str
    passed: bool | None
    message: str
    source: str
    certainty: str
    children: list["ReasonLine"] = field(default_factory=list)

    @property
    def mark(self) -> str:
        return "✓" if self.passed is True else "✗" if self.passed is False else "?"

    @property
    def mark_badge(self) -> str:
        return "badge-ok" if self.passed is True else "badge-no" if self.passed is False else "badge-warn"

    @property
    def mark_title(self) -> str:
        return (
            _("Đạt")
            if self.passed is True
            else _("Không đạt")
            if self.passed is False
            else _("Chưa xác định")
        )

    @property
    def certainty_label(self) -> str:
        return certainty_badge(self.certainty)

    @property
    def certainty_class(self) -> str:
        return "badge-warn" if self.certainty == Certainty.RECOLLECTION else ""


def _without_source(message: str, source: str) -> str:
    # The engine appends " — <source>" to every message; pages show the source on its own.
    suffix = f" — {source}"
    return message[: -len(suffix)] if source and message.endswith(suffix) else message


def _line(reason: RuleResult, children: list[ReasonLine]) -> ReasonLine:
    if reason.children:
        # A composite's message repeats its label and its parts' messages: the parts are shown below it.
        message = (
            _("đạt")
            if reason.passed is True
            else _("chưa đạt")
            if reason.passed is False
            else _("cần xem xét")
        )
    else:
        message = _without_source(reason.message, reason.source)
    return ReasonLine(
        reason.rule, reason.label, reason.passed, message, reason.source, reason.certainty, children
    )


def reason_lines(reasons: list[RuleResult]) -> list[ReasonLine]:
    return [_line(reason, reason_lines(reason.children)) for reason in reasons]


def missing_lines(reasons: list[RuleResult]) -> list[ReasonLine]:
    """The rules not (yet) met; under an "any of"/"all of" rule, its parts not met."""
    return [_line(reason, missing_lines(reason.children)) for reason in reasons if reason.passed is not True]


@dataclass
class Cell:
    award: AwardType
    verdict: VerdictResult | None

    @property
    def code(self) -> str:
        return self.verdict.verdict if self.verdict else ""

    @property
    def label(self) -> str:
        return verdict_short(self.verdict.verdict) if self.verdict else ""

    @property
    def badge(self) -> str:
        return VERDICT_BADGES.get(self.verdict.verdict, "") if self.verdict else ""

    @property
    def lines(self) -> list[ReasonLine]:
        return reason_lines(self.verdict.reasons) if self.verdict else []


@dataclass
class ScreeningRow:
    subject: str  # "individual" or "collective"
    pk: int
    name: str
    code: str  # the unit code of a collective; empty for a person
    unit_name: str
    unit_path: str
    sort: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def evaluated(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.verdict is not None]

    @property
    def suggested(self) -> list[AwardType]:
        """The highest eligible title, then any eligible form (Bằng khen…), which is given on its own."""
        eligible = [cell.award for cell in self.cells if cell.code == Verdict.ELIGIBLE]
        titles = [award for award in eligible if award.category == AwardCategory.TITLE]
        forms = [award for award in eligible if award.category != AwardCategory.TITLE]
        best = [max(titles, key=lambda award: award.precedence)] if titles else []
        return best + sorted(forms, key=lambda award: -award.precedence)

    def verdict_for(self, code: str) -> str:
        return next((cell.code for cell in self.cells if cell.award.code == code), "")

    def reasons_text(self) -> str:
        """Plain text for the export: for each award not (yet) granted, the rules not met."""
        parts = []
        for cell in self.evaluated:
            if cell.code == Verdict.ELIGIBLE:
                continue
            missing = "; ".join(
                _without_source(reason.message, reason.source)
                for reason in cell.verdict.reasons
                if reason.passed is not True
            )
            parts.append(f"{cell.award.short_name or cell.award.name}: {missing}")
        return "\n".join(parts)


@dataclass
class QuotaView:
    status: QuotaStatus
    # The province's or agency's values behind this quota (the national ruleset may leave it unset).
    overrides: list["OverrideNote"] = field(default_factory=list)

    @property
    def share_label(self) -> str:
        return format_share(self.status.max_share)

    @property
    def blocking(self) -> bool:
        return self.status.exceeded and self.status.mode == "block"

    @property
    def alert_class(self) -> str:
        if not self.status.exceeded:
            return "alert-info"
        return "alert-error" if self.status.mode == "block" else "alert-warning"

    @property
    def mode_label(self) -> str:
        return (
            _("Không được đề nghị vượt định mức")
            if self.status.mode == "block"
            else _("Cảnh báo khi vượt định mức")
        )

    @property
    def certainty_label(self) -> str:
        return certainty_badge(self.status.certainty)


@dataclass
class AwardSummary:
    award: AwardType
    subject: str
    eligible: int = 0
    ineligible: int = 0
    needs_review: int = 0

    @property
    def tab(self) -> str:
        return TAB_UNITS if self.subject == COLLECTIVE else TAB_PEOPLE


@dataclass
class ScreeningTable:
    result: ScreeningResult
    root: Any
    year: int
    as_of: datetime.date
    individual_awards: list[AwardType]
    collective_awards: list[AwardType]
    people: list[ScreeningRow]
    units: list[ScreeningRow]
    summaries: list[AwardSummary]

    @property
    def ruleset(self) -> EffectiveRuleset:
        return self.result.ruleset

    @property
    def override_notes(self) -> list["OverrideNote"]:
        base = shipped_document(self.ruleset.code) or self.ruleset.document
        return _override_notes(base, self.ruleset)

    @property
    def quotas(self) -> list[QuotaView]:
        # QuotaStatus names the award by its short name; the overrides name it by code.
        codes = {award.short_name or award.code: award.code for award in self.awards}
        notes = self.override_notes
        views = []
        for status in self.result.quotas:
            prefix = f"parameters.quotas.{codes.get(status.award, status.award)}."
            views.append(QuotaView(status, [note for note in notes if note.target.startswith(prefix)]))
        return views

    @property
    def awards(self) -> list[AwardType]:
        return self.individual_awards + [a for a in self.collective_awards if a not in self.individual_awards]


def _member_day(root, year: int) -> datetime.date:
    # The same reference day as the engine: 31/12 of the year, or the unit's last day.
    day = datetime.date(year, 12, 31)
    if root.valid_to and root.valid_to < day:
        day = root.valid_to
    return day


def _people_of(root, day: datetime.date) -> dict[int, tuple[str, str, str, str]]:
    """person id → (full name, sort key, unit name, unit path) for everyone employed in the subtree on
    ``day`` (one query; a person with two posts in the subtree shows under the most recent one)."""
    from thidua.organizations.models import Employment

    rows = (
        Employment.objects.filter(unit__path__startswith=root.path, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("person_id", "-start_date", "-id")
        .values_list(
            "person_id",
            "person__family_name",
            "person__middle_name",
            "person__given_name",
            "person__sort_key",
            "unit__name",
            "unit__path",
        )
    )
    people: dict[int, tuple[str, str, str, str]] = {}
    for person_id, family, middle, given, key, unit_name, unit_path in rows:
        if person_id not in people:
            name = " ".join(part for part in (family, middle, given) if part)
            people[person_id] = (name, key, unit_name, unit_path)
    return people


def screening_table(
    *,
    root,
    year: int,
    as_of: datetime.date,
    extra_codes: list[str] | tuple = (),
    awards: list[AwardType] | None = None,
) -> ScreeningTable:
    """Every person and collective of ``root``'s subtree with a verdict for each annual title (and the
    extra awards asked for), under the ruleset in force on ``as_of``. One engine run."""
    from thidua.organizations.models import Unit

    awards = awards if awards is not None else catalog()
    by_code = {award.code: award for award in awards}
    codes = list(dict.fromkeys(annual_codes(awards) + [code for code in extra_codes if code in by_code]))
    result = screen(root=root, year=year, award_codes=codes, as_of=as_of)
    ruleset = result.ruleset
    individual = [by_code[code] for code in codes if ruleset.award_rules(code, INDIVIDUAL)]
    collective = [by_code[code] for code in codes if ruleset.award_rules(code, COLLECTIVE)]
    individual, collective = _by_rank(individual), _by_rank(collective)

    verdicts: dict[tuple[str, int], dict[str, VerdictResult]] = defaultdict(dict)
    for verdict in result.verdicts:
        verdicts[(verdict.subject, verdict.subject_id)][verdict.award] = verdict

    day = _member_day(root, year)
    people_info = _people_of(root, day)
    people = []
    for person_id, (name, key, unit_name, unit_path) in people_info.items():
        row = ScreeningRow(INDIVIDUAL, person_id, name, "", unit_name, unit_path, key)
        found = verdicts.get((INDIVIDUAL, person_id), {})
        row.cells = [Cell(award, found.get(award.code)) for award in individual]
        people.append(row)
    people.sort(key=lambda row: (row.sort, row.pk))

    units = []
    if collective:
        for unit in (
            Unit.objects.under(root)
            .valid_on(day)
            .only("pk", "code", "name", "path", "parent_id")
            .order_by("path")
        ):
            row = ScreeningRow(COLLECTIVE, unit.pk, unit.name, unit.code, unit.name, unit.path, unit.path)
            found = verdicts.get((COLLECTIVE, unit.pk), {})
            row.cells = [Cell(award, found.get(award.code)) for award in collective]
            if found:
                units.append(row)

    summaries = []
    for subject, columns, rows in ((INDIVIDUAL, individual, people), (COLLECTIVE, collective, units)):
        for index, award in enumerate(columns):
            summary = AwardSummary(award, subject)
            for row in rows:
                code = row.cells[index].code
                if code:
                    setattr(summary, code, getattr(summary, code) + 1)
            summaries.append(summary)
    return ScreeningTable(result, root, year, as_of, individual, collective, people, units, summaries)


def filter_rows(
    rows: list[ScreeningRow], *, award: str = "", verdict: str = "", query: str = "", under_path: str = ""
) -> list[ScreeningRow]:
    """Rows matching the filters: a verdict for an award (or for any award), every word of the query
    in the accent-folded name, and a unit inside a sub-unit."""
    terms = search_terms(query)
    kept = []
    for row in rows:
        if under_path and not row.unit_path.startswith(under_path):
            continue
        if terms:
            haystack = fold(row.name) + " " + row.code.lower()
            if not all(term in haystack for term in terms):
                continue
        if award and not row.verdict_for(award):
            continue
        if verdict:
            if award:
                if row.verdict_for(award) != verdict:
                    continue
            elif not any(cell.code == verdict for cell in row.cells):
                continue
        kept.append(row)
    return kept


def screening_export_rows(table: ScreeningTable, people: list[ScreeningRow], units: list[ScreeningRow]):
    """One line per person, then per collective: a column per award (its verdict), the suggested
    titles, and the reasons in plain text."""
    awards = table.awards
    number = 0
    for subject_label, rows in ((_("Cá nhân"), people), (_("Tập thể"), units)):
        for row in rows:
            number += 1
            verdict_columns = []
            for award in awards:
                code = row.verdict_for(award.code)
                verdict_columns.append(str(VERDICT_LABELS[code]) if code else "")
            yield [
                number,
                str(subject_label),
                row.name,
                row.unit_name if row.subject == INDIVIDUAL else row.code,
                *verdict_columns,
                ", ".join(award.short_name or award.name for award in row.suggested),
                row.reasons_text(),
            ]


# ---------------------------------------------------------------- eligibility as JSON (API and CLI)


def eligibility_payload(
    *, root, year: int, award_codes: list[str], as_of: datetime.date, person=None
) -> dict[str, Any]:
    """The API's and the CLI's answer: one engine run, items for people (in Vietnamese name order)
    and, for collective awards, for the units of the subtree (in tree order)."""
    from thidua.organizations.models import Person, Unit

    result = screen(
        root=root,
        year=year,
        award_codes=award_codes,
        as_of=as_of,
        person_ids=[person.pk] if person is not None else None,
        include_collectives=person is None,
    )
    person_ids = sorted({v.subject_id for v in result.verdicts if v.subject == INDIVIDUAL})
    unit_ids = sorted({v.subject_id for v in result.verdicts if v.subject == COLLECTIVE})
    people_order: dict[int, str] = {}
    if person_ids:
        if person is not None:
            people_order = {person.pk: person.sort_key}
        else:
            day = _member_day(root, year)
            people_order = {pk: info[1] for pk, info in _people_of(root, day).items()}
            missing = [pk for pk in person_ids if pk not in people_order]
            if missing:
                people_order.update(Person.objects.filter(pk__in=missing).values_list("pk", "sort_key"))
    units = {}
    if unit_ids:
        units = {
            pk: (code, path) for pk, code, path in Unit.objects.under(root).values_list("pk", "code", "path")
        }

    award_order = {code: index for index, code in enumerate(award_codes)}

    def order(verdict: VerdictResult):
        if verdict.subject == INDIVIDUAL:
            return (
                0,
                people_order.get(verdict.subject_id, ""),
                verdict.subject_id,
                award_order.get(verdict.award, 0),
            )
        return (
            1,
            units.get(verdict.subject_id, ("", ""))[1],
            verdict.subject_id,
            award_order.get(verdict.award, 0),
        )

    items = []
    for verdict in sorted(result.verdicts, key=order):
        item: dict[str, Any] = {}
        if verdict.subject == INDIVIDUAL:
            item["person"] = verdict.subject_id
        else:
            item["unit"] = units.get(verdict.subject_id, ("", ""))[0]
        item.update(
            {
                "award": verdict.award,
                "verdict": verdict.verdict,
                "reasons": [reason.as_dict() for reason in verdict.reasons],
            }
        )
        items.append(item)
    ruleset = result.ruleset
    return {
        "ruleset": ruleset.code,
        "ruleset_name": ruleset.name,
        "ruleset_valid_from": ruleset.valid_from.isoformat() if ruleset.valid_from else None,
        "ruleset_valid_to": ruleset.valid_to.isoformat() if ruleset.valid_to else None,
        "beyond_validity": ruleset.beyond_validity,
        "year": year,
        "as_of": result.as_of.isoformat(),
        "quotas": [quota_dict(status) for status in result.quotas],
        "items": items,
    }


def quota_dict(status: QuotaStatus) -> dict[str, Any]:
    return {
        "award": status.award,
        "of_award": status.of_award,
        "max_share": status.max_share,
        "allowed": status.allowed,
        "eligible": status.eligible,
        "mode": status.mode,
        "exceeded": status.exceeded,
        "message": status.message,
        "source": status.source,
        "certainty": status.certainty,
    }


def screenable_codes(ruleset: EffectiveRuleset, codes: list[str]) -> list[str]:
    """The codes among ``codes`` for which the ruleset has criteria for a person or a collective."""
    return [
        code
        for code in codes
        if ruleset.award_rules(code, INDIVIDUAL) or ruleset.award_rules(code, COLLECTIVE)
    ]


# ---------------------------------------------------------------- rulesets shown to people


def shipped_document(code: str) -> dict[str, Any] | None:
    return next((document for document in shipped_rulesets() if document["code"] == code), None)


def _parse(day: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(day) if day else None


def ruleset_summaries() -> list[dict[str, Any]]:
    """The shipped national rulesets, newest first, with their validity."""
    rows = []
    for document in reversed(shipped_rulesets()):
        rows.append(
            {
                "code": document["code"],
                "name": document["name"],
                "valid_from": _parse(document.get("valid_from")),
                "valid_to": _parse(document.get("valid_to")),
                "note": document.get("note", ""),
                "sources": document.get("sources", []),
            }
        )
    return rows


def default_day_for(document: dict[str, Any], today: datetime.date | None = None) -> datetime.date:
    """Today when the ruleset is in force today, else the nearest day of its validity."""
    today = today or timezone.localdate()
    start, end = _parse(document.get("valid_from")), _parse(document.get("valid_to"))
    if start and today < start:
        return start
    if end and today > end:
        return end
    return today


def format_number(value: Any) -> str:
    """Vietnamese number style: 0,7 — 2.340.000."""
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1000:
            return f"{int(value):,}".replace(",", ".")
        return f"{value:g}".replace(".", ",")
    return str(value)


def format_coefficient(value: Any) -> str:
    """Coefficients are written with one decimal at least, as in the decrees: 1,0 — 0,3 — 4,5."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = f"{float(value):.2f}".rstrip("0")
        if text.endswith("."):
            text += "0"
        return text.replace(".", ",")
    return format_value(value)


def format_share(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",") + "%"
    return format_value(value)


DOCUMENT_LABELS = {
    "to_trinh": gettext_lazy("Tờ trình"),
    "bao_cao_thanh_tich": gettext_lazy("Báo cáo thành tích"),
    "bien_ban_binh_xet": gettext_lazy("Biên bản bình xét"),
    "bien_ban_xet_khen_thuong": gettext_lazy("Biên bản xét khen thưởng"),
    "bao_cao_tom_tat": gettext_lazy("Báo cáo tóm tắt thành tích"),
    "minh_chung_sang_kien": gettext_lazy("Minh chứng sáng kiến, đề tài"),
}

_VALUE_LABELS = {
    "all_members": gettext_lazy("tổng số thành viên Hội đồng"),
    "present_members": gettext_lazy("số thành viên có mặt"),
    "rejected": gettext_lazy("không thông qua"),
    "warn": gettext_lazy("cảnh báo"),
    "block": gettext_lazy("không được đề nghị vượt"),
}


def format_value(value: Any, key: str = "") -> str:
    if value is None:
        return _("chưa đặt")
    if key in {"max_share", "min_share"}:
        return format_share(value)
    if key == "rounding":
        return str(dict(RoundingMode.choices).get(value, value))
    if key == "certainty":
        return str(dict(Certainty.choices).get(value, value))
    if isinstance(value, list):
        return ", ".join(
            str(DOCUMENT_LABELS.get(item, item)) if isinstance(item, str) else format_value(item)
            for item in value
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return str(_VALUE_LABELS.get(value, value))
    return format_number(value)


PARAMETER_LABELS = {
    "rounding": gettext_lazy("Cách làm tròn"),
    "rounding_unit": gettext_lazy("Làm tròn đến (đồng)"),
    "household_multiplier": gettext_lazy("Hệ số cho hộ gia đình (so với cá nhân)"),
    "highest_title_only": gettext_lazy(
        "Cùng một thời gian đạt nhiều danh hiệu: chỉ thưởng danh hiệu cao nhất"
    ),
    "source": gettext_lazy("Căn cứ"),
    "certainty": gettext_lazy("Mức xác thực"),
    "of": gettext_lazy("Tính trên"),
    "max_share": gettext_lazy("Tỷ lệ tối đa"),
    "min_share": gettext_lazy("Tỷ lệ tối thiểu"),
    "mode": gettext_lazy("Khi vượt"),
    "strict": gettext_lazy("Phải vượt tỷ lệ (không tính bằng)"),
    "absent_may_vote_in_writing": gettext_lazy("Thành viên vắng mặt được gửi phiếu bằng văn bản"),
    "tie": gettext_lazy("Khi số phiếu ngang nhau"),
    "title": gettext_lazy("Hồ sơ đề nghị danh hiệu thi đua"),
    "form": gettext_lazy("Hồ sơ đề nghị hình thức khen thưởng"),
    "simplified": gettext_lazy("Hồ sơ theo thủ tục đơn giản"),
    "appraisal_working_days": gettext_lazy("Thời hạn thẩm định (ngày làm việc)"),
    "refusal_notice_working_days": gettext_lazy("Thông báo không khen kèm lý do (ngày làm việc)"),
    "state_level_province_working_days": gettext_lazy("Tỉnh xử lý đề nghị khen cấp Nhà nước (ngày làm việc)"),
    "publish_before_council_working_days": gettext_lazy(
        "Công khai danh sách trước khi Hội đồng họp (ngày làm việc)"
    ),
    "revocation_return_working_days": gettext_lazy(
        "Nộp lại hiện vật, tiền thưởng khi bị thu hồi (ngày làm việc)"
    ),
    "months": gettext_lazy("Số tháng"),
    "rating": gettext_lazy("Xếp loại"),
    "years": gettext_lazy("Số năm"),
    "count": gettext_lazy("Số lần"),
    "award": gettext_lazy("Danh hiệu"),
    "awards": gettext_lazy("Danh hiệu, hình thức"),
    "kinds": gettext_lazy("Loại"),
    "scope_at_least": gettext_lazy("Phạm vi từ"),
    "min_count": gettext_lazy("Số lượng tối thiểu"),
    "applied": gettext_lazy("Phải được áp dụng"),
    "min_level": gettext_lazy("Hình thức kỷ luật từ"),
    "text": gettext_lazy("Nội dung cần xác nhận"),
    "period_years": gettext_lazy("Mỗi lần (năm)"),
    # sections of ``parameters``, named in the paths an override may target
    "money": gettext_lazy("Tiền thưởng"),
    "coefficients": gettext_lazy("Hệ số"),
    "quotas": gettext_lazy("Tỷ lệ, định mức"),
    "votes": gettext_lazy("Biểu quyết"),
    "quorum": gettext_lazy("Số thành viên dự họp"),
    "dossier_documents": gettext_lazy("Hồ sơ"),
    "extra": gettext_lazy("Bổ sung"),
    "deadlines": gettext_lazy("Thời hạn"),
    "default": gettext_lazy("Mặc định"),
    "individual": gettext_lazy("Cá nhân"),
    "collective": gettext_lazy("Tập thể"),
    "household": gettext_lazy("Hộ gia đình"),
}


def parameter_label(key: str) -> str:
    return str(PARAMETER_LABELS.get(key, key))


@dataclass
class OverrideNote:
    """An override applied to a value: who changed it, from what, to what, from when."""

    target: str
    unit_name: str
    before: str
    after: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    legal_source: str
    certainty: str
    was_unset: bool = False  # the national ruleset leaves the value empty (a quota set only by provinces)

    @property
    def text(self) -> str:
        values = {
            "who": self.unit_name or _("Áp dụng chung"),
            "old": self.before,
            "new": self.after,
            "day": f"{self.valid_from:%d/%m/%Y}",
        }
        if self.was_unset:
            text = _("%(who)s đặt %(new)s từ %(day)s") % values
        else:
            text = _("%(who)s thay %(old)s bằng %(new)s từ %(day)s") % values
        if self.valid_to:
            text += _(" đến %(day)s") % {"day": f"{self.valid_to:%d/%m/%Y}"}
        return text

    @property
    def certainty_label(self) -> str:
        return certainty_badge(self.certainty)


@dataclass
class ParamValue:
    path: str
    key: str
    label: str
    display: str
    overrides: list[OverrideNote] = field(default_factory=list)


@dataclass
class ParamGroup:
    title: str
    values: list[ParamValue]
    source: str = ""
    certainty: str = ""

    @property
    def certainty_label(self) -> str:
        return certainty_badge(self.certainty)


@dataclass
class CoefficientRow:
    award: str
    individual: ParamValue | None
    collective: ParamValue | None
    household: str


@dataclass
class RuleView:
    depth: int
    path: str
    rule_id: str
    label: str
    description: str
    source: str
    certainty: str
    overrides: list[OverrideNote] = field(default_factory=list)

    @property
    def certainty_label(self) -> str:
        return certainty_badge(self.certainty)

    @property
    def certainty_class(self) -> str:
        return "badge-warn" if self.certainty == Certainty.RECOLLECTION else ""

    @property
    def indent(self) -> str:
        return "\u2003" * self.depth


@dataclass
class AwardRules:
    code: str
    name: str
    subject: str
    subject_label: str
    rules: list[RuleView]


@dataclass
class RulesetView:
    document: dict[str, Any]
    effective: EffectiveRuleset | None  # None when the ruleset is not the one in force on the day
    day: datetime.date
    unit: Any
    in_force_code: str
    money: ParamGroup
    coefficients: list[CoefficientRow]
    groups: list[ParamGroup]
    awards: list[AwardRules]
    notes: list[OverrideNote]

    @property
    def code(self) -> str:
        return self.document["code"]

    @property
    def name(self) -> str:
        return self.document["name"]

    @property
    def valid_from(self) -> datetime.date | None:
        return _parse(self.document.get("valid_from"))

    @property
    def valid_to(self) -> datetime.date | None:
        return _parse(self.document.get("valid_to"))


def _override_notes(base: dict[str, Any], effective: EffectiveRuleset | None) -> list[OverrideNote]:
    """Replay the overrides on a copy of the shipped document, so that each note says which value
    it replaced (a department's value replaces its province's, not the national one)."""
    if effective is None:
        return []
    document = copy.deepcopy(base)
    notes = []
    for applied in effective.overrides:
        key = applied.target.rsplit(".", 1)[-1]
        before = get_at_path(document, applied.target)
        notes.append(
            OverrideNote(
                target=applied.target,
                unit_name=applied.unit_name,
                before=format_value(before, key),
                after=format_value(applied.value, key),
                was_unset=before is None,
                valid_from=applied.valid_from,
                valid_to=applied.valid_to,
                legal_source=applied.legal_source,
                certainty=applied.certainty,
            )
        )
        try:
            set_at_path(document, applied.target, applied.value)
        except RulesetError:  # a target that no longer fits this document: the note still shows
            continue
    return notes


def _notes_for(notes: list[OverrideNote], path: str) -> list[OverrideNote]:
    return [note for note in notes if note.target == path]


def _group(
    document: dict[str, Any], section: str, title: str, notes: list[OverrideNote]
) -> ParamGroup | None:
    node = document.get("parameters", {}).get(section)
    if not isinstance(node, dict):
        return None
    values = []
    for key, value in node.items():
        if key in {"source", "certainty"} or isinstance(value, dict):
            continue
        path = f"parameters.{section}.{key}"
        values.append(
            ParamValue(path, key, parameter_label(key), format_value(value, key), _notes_for(notes, path))
        )
    return ParamGroup(title, values, node.get("source", ""), node.get("certainty", ""))


def _award_name(names: dict[str, str], code: str) -> str:
    return names.get(code, code)


def describe_rule(predicate: str, params: dict[str, Any], names: dict[str, str]) -> str:
    """A rule's parameters in words: "03 lần liên tục đạt CSTĐCS"."""
    rating = lambda code: f"{dict(Rating.choices).get(code, code)} ({code})"  # noqa: E731
    level = lambda code: str(dict(DisciplineLevel.choices).get(code, code)).lower()  # noqa: E731

    def share(p: dict[str, Any]) -> str:
        if not p.get("strict") and p.get("min_share") == 1:
            return format_share(1)  # "100% cá nhân", not "từ 100%"
        return (_("trên") if p.get("strict") else _("từ")) + " " + format_share(p.get("min_share"))

    if predicate == "rating_at_least":
        text = _("Xếp loại từ %(rating)s trở lên") % {"rating": rating(params.get("rating"))}
        years = int(params.get("years", 1))
        return text + (_(", %(years)02d năm liên tục") % {"years": years} if years > 1 else "")
    if predicate == "title_in_year":
        return _("Đạt %(award)s trong năm xét") % {"award": _award_name(names, params.get("award", ""))}
    if predicate == "consecutive_titles":
        text = _("%(count)02d lần liên tục đạt %(award)s") % {
            "count": int(params.get("count", 1)),
            "award": _award_name(names, params.get("award", "")),
        }
        period = int(params.get("period_years", 1))
        return text + (_(", mỗi lần %(years)d năm") % {"years": period} if period > 1 else "")
    if predicate == "initiatives_count":
        kinds = {"sang_kien": _("sáng kiến"), "de_tai": _("đề tài, đề án")}
        what = _(" hoặc ").join(
            str(kinds.get(kind, kind)) for kind in params.get("kinds", ["sang_kien", "de_tai"])
        )
        years = int(params.get("years", 1))
        period = _("trong năm xét") if years == 1 else _("trong %(years)02d năm") % {"years": years}
        text = _("Ít nhất %(count)02d %(what)s phạm vi từ %(scope)s trở lên %(period)s") % {
            "count": int(params.get("min_count", 1)),
            "what": what,
            "scope": str(dict(Scope.choices).get(params.get("scope_at_least", "co_so"), "")).lower(),
            "period": period,
        }
        return text + (_(", đã được áp dụng") if params.get("applied") else "")
    if predicate == "no_discipline":
        return _("Không bị kỷ luật từ %(level)s trở lên trong năm") % {
            "level": level(params.get("min_level", "khien_trach"))
        }
    if predicate == "no_pending_matter":
        return _("Không có vụ việc đang xem xét vào ngày xét")
    if predicate == "months_worked_at_least":
        return _("Thời gian công tác trong năm từ %(months)s tháng trở lên") % {
            "months": format_number(params.get("months"))
        }
    if predicate == "share_of_members_rating_at_least":
        return _("%(share)s cá nhân xếp loại từ %(rating)s trở lên") % {
            "share": share(params).capitalize(),
            "rating": rating(params.get("rating")),
        }
    if predicate == "share_of_members_with_title":
        return _("%(share)s cá nhân đạt %(award)s") % {
            "share": share(params).capitalize(),
            "award": _award_name(names, params.get("award", "")),
        }
    if predicate == "members_with_title_at_least":
        return _("Ít nhất %(count)02d cá nhân đạt %(award)s") % {
            "count": int(params.get("count", 1)),
            "award": _award_name(names, params.get("award", "")),
        }
    if predicate == "no_member_discipline":
        return _("Không có cá nhân bị kỷ luật từ %(level)s trở lên") % {
            "level": level(params.get("min_level", "canh_cao"))
        }
    if predicate == "since_last_award_rated_at_least":
        awards = ", ".join(_award_name(names, code) for code in params.get("awards", []))
        return _("Các năm kể từ lần được tặng %(awards)s trước đều xếp loại từ %(rating)s trở lên") % {
            "awards": awards,
            "rating": rating(params.get("rating", "HTTNV")),
        }
    if predicate == "award_received_before":
        return _("Đã được tặng %(award)s") % {"award": _award_name(names, params.get("award", ""))}
    if predicate == "manual":
        return _("Cần xác nhận: %(text)s") % {"text": params.get("text", "")}
    if predicate == "any_of":
        return _("Đạt một trong các điều kiện sau")
    if predicate == "all_of":
        return _("Đạt tất cả các điều kiện sau")
    return json.dumps(params, ensure_ascii=False)


def _rule_views(
    rules: list[dict[str, Any]], path: str, depth: int, names: dict[str, str], notes: list[OverrideNote]
) -> list[RuleView]:
    views = []
    for rule in rules:
        rule_path = f"{path}.{rule.get('id', '')}"
        own = [
            note
            for note in notes
            if note.target == rule_path
            or (
                note.target.startswith(rule_path + ".params.")
                and ".rules." not in note.target[len(rule_path) :]
            )
        ]
        views.append(
            RuleView(
                depth=depth,
                path=rule_path,
                rule_id=rule.get("id", ""),
                label=rule.get("label", ""),
                description=describe_rule(rule.get("predicate", ""), rule.get("params", {}), names),
                source=rule.get("source", ""),
                certainty=rule.get("certainty", Certainty.VERIFIED),
                overrides=own,
            )
        )
        if rule.get("predicate") in {"any_of", "all_of"}:
            views.extend(
                _rule_views(
                    rule.get("params", {}).get("rules", []),
                    f"{rule_path}.params.rules",
                    depth + 1,
                    names,
                    notes,
                )
            )
    return views


def ruleset_view(
    code: str, *, day: datetime.date | None = None, unit=None, awards: list[AwardType] | None = None
) -> RulesetView:
    """A shipped ruleset for reading: parameters and rules in words, with the overrides in force on
    ``day`` for ``unit`` shown where they apply. Http404 for an unknown code."""
    base = shipped_document(code)
    if base is None:
        raise Http404
    day = day or default_day_for(base)
    in_force = ruleset_for(day, unit)
    effective = in_force if in_force.code == code else None
    document = effective.document if effective else base
    notes = _override_notes(base, effective)
    names = {
        award.code: award.short_name or award.name for award in (awards if awards is not None else catalog())
    }
    full_names = {award.code: award.name for award in (awards if awards is not None else catalog())}

    money_node = document.get("parameters", {}).get("money", {})
    money_values = []
    for key in ("rounding", "rounding_unit", "household_multiplier", "highest_title_only"):
        if key in money_node:
            path = f"parameters.money.{key}"
            money_values.append(
                ParamValue(
                    path,
                    key,
                    parameter_label(key),
                    format_value(money_node[key], key),
                    _notes_for(notes, path),
                )
            )
    money = ParamGroup(
        _("Tiền thưởng"), money_values, money_node.get("source", ""), money_node.get("certainty", "")
    )
    multiplier = money_node.get("household_multiplier", 1)
    coefficients = []
    for award_code, by_subject in money_node.get("coefficients", {}).items():
        cells = {}
        for subject in (INDIVIDUAL, COLLECTIVE):
            if subject in by_subject:
                path = f"parameters.money.coefficients.{award_code}.{subject}"
                cells[subject] = ParamValue(
                    path, subject, subject, format_coefficient(by_subject[subject]), _notes_for(notes, path)
                )
        household = ""
        if (
            INDIVIDUAL in by_subject
            and isinstance(by_subject[INDIVIDUAL], (int, float))
            and isinstance(multiplier, (int, float))
        ):
            household = format_coefficient(round(by_subject[INDIVIDUAL] * multiplier, 4))
        coefficients.append(
            CoefficientRow(
                full_names.get(award_code, award_code),
                cells.get(INDIVIDUAL),
                cells.get(COLLECTIVE),
                household,
            )
        )

    groups = []
    parameters = document.get("parameters", {})
    for section, title in (("quotas", _("Tỷ lệ, định mức")), ("votes", _("Ngưỡng biểu quyết của Hội đồng"))):
        for key, node in (parameters.get(section) or {}).items():
            if not isinstance(node, dict):
                continue
            values = []
            for name, value in node.items():
                if name in {"source", "certainty"}:
                    continue
                path = f"parameters.{section}.{key}.{name}"
                shown = (
                    _award_name(full_names, value)
                    if name == "of" and value in full_names
                    else format_value(value, name)
                )
                values.append(ParamValue(path, name, parameter_label(name), shown, _notes_for(notes, path)))
            subject = _("Mặc định") if key == "default" else _award_name(full_names, key)
            groups.append(
                ParamGroup(f"{title}: {subject}", values, node.get("source", ""), node.get("certainty", ""))
            )
    quorum = _group(document, "quorum", _("Số lượng thành viên dự họp Hội đồng"), notes)
    if quorum:
        groups.append(quorum)
    dossier_node = parameters.get("dossier_documents") or {}
    if dossier_node:
        dossier = _group(document, "dossier_documents", _("Thành phần hồ sơ"), notes)
        for award_code, documents in (dossier_node.get("extra") or {}).items():
            path = f"parameters.dossier_documents.extra.{award_code}"
            dossier.values.append(
                ParamValue(
                    path,
                    award_code,
                    _("Thêm khi đề nghị %(award)s") % {"award": _award_name(names, award_code)},
                    format_value(documents),
                    _notes_for(notes, path),
                )
            )
        groups.append(dossier)
    deadlines = _group(document, "deadlines", _("Thời hạn"), notes)
    if deadlines:
        groups.append(deadlines)

    subject_labels = dict(Subject.choices)
    award_rules = []
    for award_code, subjects in document.get("awards", {}).items():
        for subject, body in subjects.items():
            path = f"awards.{award_code}.{subject}.rules"
            award_rules.append(
                AwardRules(
                    code=award_code,
                    name=full_names.get(award_code, award_code),
                    subject=subject,
                    subject_label=str(subject_labels.get(subject, subject)),
                    rules=_rule_views(body.get("rules", []), path, 0, names, notes),
                )
            )
    return RulesetView(
        base, effective, day, unit, in_force.code, money, coefficients, groups, award_rules, notes
    )


# ---------------------------------------------------------------- overridable paths


@dataclass(frozen=True)
class OverridablePath:
    path: str
    group: str
    label: str
    value: Any

    @property
    def kind(self) -> str:
        """How the form reads a value for this path: number, boolean, list or text."""
        if isinstance(self.value, bool):
            return "boolean"
        if self.value is None or isinstance(self.value, (int, float)):
            return "number"
        if isinstance(self.value, list):
            return "list"
        return "text"

    @property
    def choice_label(self) -> str:
        return f"{self.label} = {format_value(self.value, self.path.rsplit('.', 1)[-1])} ({self.path})"


def _parameter_leaves(node: Any, path: str):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _parameter_leaves(value, f"{path}.{key}")
    elif node is None or isinstance(node, (bool, int, float, str)):
        yield path, node


def _rule_param_leaves(rules: list[dict[str, Any]], path: str):
    for rule in rules:
        rule_path = f"{path}.{rule.get('id', '')}"
        for key, value in (rule.get("params") or {}).items():
            if key == "rules" and rule.get("predicate") in {"any_of", "all_of"}:
                yield from _rule_param_leaves(value, f"{rule_path}.params.rules")
            else:
                yield rule_path, rule.get("label", ""), key, value


def overridable_paths(
    document: dict[str, Any], awards: list[AwardType] | None = None
) -> list[OverridablePath]:
    """What a province or agency may change in a ruleset: every number, text or yes/no under
    ``parameters`` (empty values such as a quota not set nationally included), and every parameter
    of every rule."""
    names = {
        award.code: award.short_name or award.name for award in (awards if awards is not None else catalog())
    }
    paths = []
    general = _("Tham số chung")
    for path, value in _parameter_leaves(document.get("parameters", {}), "parameters"):
        steps = path.split(".")
        label = parameter_label(steps[-1])
        context = [names.get(step) or parameter_label(step) for step in steps[1:-1]]
        paths.append(
            OverridablePath(
                path, str(general), f"{' › '.join(context)} › {label}" if context else label, value
            )
        )
    subject_labels = dict(Subject.choices)
    for award_code, subjects in document.get("awards", {}).items():
        for subject, body in subjects.items():
            group = f"{names.get(award_code, award_code)} — {subject_labels.get(subject, subject)}"
            for rule_path, rule_label, key, value in _rule_param_leaves(
                body.get("rules", []), f"awards.{award_code}.{subject}.rules"
            ):
                paths.append(
                    OverridablePath(
                        f"{rule_path}.params.{key}", group, f"{rule_label} › {parameter_label(key)}", value
                    )
                )
    return paths


def overridable_paths_on(
    day: datetime.date, awards: list[AwardType] | None = None
) -> tuple[EffectiveRuleset, list[OverridablePath]]:
    """The ruleset in force on ``day`` (national document, before any override) and its paths."""
    ruleset = ruleset_for(day)
    base = shipped_document(ruleset.code) or ruleset.document
    return ruleset, overridable_paths(base, awards)


# ---------------------------------------------------------------- overrides and base salary


def overrides_visible_to(user, permission: str = "rules.view") -> QuerySet[RuleOverride]:
    """Overrides for units in the user's scope, and the installation-wide ones (which every reader
    of the rules needs to understand a verdict; only a root-scope holder may manage them)."""
    queryset = RuleOverride.objects.select_related("unit", "created_by")
    if scopes.scope_paths(user, permission) is None:
        return queryset
    everywhere = Q(unit__isnull=True)
    if permission == "rules.manage" and not scopes.holds_root_scope(user, permission):
        everywhere = Q(pk__in=[])
    return queryset.filter(
        everywhere | (Q(unit__isnull=False) & scopes.scope_q(user, permission, path_field="unit__path"))
    )


def access_override(user, pk, permission: str = "rules.view") -> RuleOverride:
    try:
        return overrides_visible_to(user, permission).get(pk=pk)
    except (RuleOverride.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def override_search(
    user, *, query: str = "", unit=None, status: str = "", day: datetime.date | None = None
) -> QuerySet[RuleOverride]:
    """Overrides matching a search in their target, source or note; ``status`` "active" (in force on
    ``day``), "ended" or "future"."""
    day = day or timezone.localdate()
    queryset = overrides_visible_to(user)
    for term in query.split():
        queryset = queryset.filter(
            Q(target__icontains=term) | Q(legal_source__icontains=term) | Q(note__icontains=term)
        )
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if status == "active":
        queryset = queryset.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
    elif status == "ended":
        queryset = queryset.filter(valid_to__lt=day)
    elif status == "future":
        queryset = queryset.filter(valid_from__gt=day)
    return queryset.order_by("target", "-valid_from", "id")


@dataclass
class SalaryRow:
    effective_from: datetime.date
    amount: int
    legal_source: str
    certainty: str
    added_here: bool
    current: bool

    @property
    def certainty_label(self) -> str:
        return certainty_badge(self.certainty)

    @property
    def amount_display(self) -> str:
        return format_number(self.amount)


def base_salary_rows(today: datetime.date | None = None) -> list[SalaryRow]:
    """The timeline, newest first, marking the rows an admin added and the one in force today."""
    from thidua.rules.money import base_salary_timeline

    today = today or timezone.localdate()
    added = set(BaseSalaryRate.objects.values_list("effective_from", flat=True))
    rows = []
    current_found = False
    for rate in base_salary_timeline():
        current = not current_found and rate.effective_from <= today
        current_found = current_found or current
        rows.append(
            SalaryRow(
                rate.effective_from,
                rate.amount,
                rate.legal_source,
                rate.certainty,
                rate.effective_from in added,
                current,
            )
        )
    return rows


# ---------------------------------------------------------------- a person's next levels


@dataclass
class NextLevel:
    award: AwardType | None
    code: str
    verdict: str
    missing: list[ReasonLine]

    @property
    def label(self) -> str:
        return verdict_short(self.verdict)

    @property
    def badge(self) -> str:
        return VERDICT_BADGES.get(self.verdict, "")


def next_levels(result: ScreeningResult | None, awards: list[AwardType] | None = None) -> list[NextLevel]:
    """The person's verdict for each higher award, in the order asked, with the rules still missing."""
    if result is None:
        return []
    by_code = {award.code: award for award in (awards if awards is not None else catalog())}
    levels = []
    for code in result.requested:
        verdict = next((v for v in result.verdicts if v.award == code and v.subject == INDIVIDUAL), None)
        if verdict is None:
            continue
        levels.append(NextLevel(by_code.get(code), code, verdict.verdict, missing_lines(verdict.reasons)))
    return levels
