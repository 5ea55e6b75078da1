"""The eligibility engine: who may receive which award for an achievement year, as of a date, and why.

Rules are data (rulesets.py); this module is the fixed vocabulary of predicates they may use, and an
evaluator that works on whole sets of people and units at once. Evidence is read in a fixed number of
queries (ratings, awards, initiatives, discipline, leave, tenure, membership), whatever the number of
people, then every rule is evaluated in memory.

A predicate answers True (passed), False (failed) or None (cannot be decided: evidence missing, a
pending matter, or a criterion that needs a person's judgement). Verdicts:
- any rule failed → ``ineligible``;
- else any rule undecided → ``needs_review`` (never silently ineligible);
- else ``eligible``.
Each verdict keeps every rule checked with its Vietnamese message and legal source.
"""

import bisect
import datetime
import gc
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Max, Min, Q, QuerySet
from django.utils.translation import get_language

from thidua.records.enums import (
    DISCIPLINE_RANK,
    LEAVE_COUNTS_AS_WORK,
    RATING_RANK,
    SCOPE_RANK,
    DisciplineLevel,
    Rating,
    Scope,
)
from thidua.rules.enums import Verdict
from thidua.rules.rulesets import EffectiveRuleset, ruleset_for

INDIVIDUAL = "individual"
COLLECTIVE = "collective"
NOT_SCREENED_AS_COLLECTIVES = ("dang_uy", "cong_doan", "doan_thanh_nien")
TICK, CROSS, QUESTION = "✓", "✗", "?"

# Predicates whose ``award`` parameter names a title that members or the subject must hold in the
# achievement year: those awards are evaluated first, in the same run, when asked for.
_DEPENDENT_PREDICATES = {
    "title_in_year": INDIVIDUAL,  # the subject's own kind; resolved at run time
    "consecutive_titles": INDIVIDUAL,
    "share_of_members_with_title": INDIVIDUAL,
    "members_with_title_at_least": INDIVIDUAL,
}


def two_digits(number: int) -> str:
    """Vietnamese official style writes small counts with two digits: 02 năm, 03 lần."""
    return f"{number:02d}"


# ---------------------------------------------------------------- results


@dataclass
class RuleResult:
    rule: str
    label: str
    passed: bool | None
    message: str
    source: str
    certainty: str = "verified"
    children: list["RuleResult"] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = {
            "rule": self.rule,
            "label": self.label,
            "passed": self.passed,
            "message": self.message,
            "source": self.source,
            "certainty": self.certainty,
        }
        if self.children:
            data["children"] = [child.as_dict() for child in self.children]
        return data


@dataclass
class VerdictResult:
    subject: str  # "individual" or "collective"
    subject_id: int
    award: str
    year: int
    verdict: str
    reasons: list[RuleResult]
    ruleset: str

    @property
    def missing(self) -> list[RuleResult]:
        """The rules not (yet) met: what the person or unit still lacks."""
        return [reason for reason in self.reasons if reason.passed is not True]


@dataclass
class QuotaStatus:
    award: str
    of_award: str
    max_share: float
    allowed: int
    eligible: int
    mode: str  # "warn" or "block"
    source: str
    certainty: str

    @property
    def exceeded(self) -> bool:
        return self.eligible > self.allowed

    @property
    def message(self) -> str:
        percent = f"{self.max_share * 100:g}%"
        state = "vượt định mức" if self.exceeded else "trong định mức"
        return (
            f"{self.award}: {self.eligible} người đủ điều kiện / tối đa {self.allowed} "
            f"({percent} số đạt {self.of_award}) — {state} — {self.source}"
        )


# ---------------------------------------------------------------- evidence


@dataclass
class Evidence:
    """Everything the predicates read, keyed by person or unit id."""

    person_ratings: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    unit_ratings: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    # (award code, period_start, period_end) of awards that count for regular commendation
    person_awards: dict[int, list[tuple[str, int, int]]] = field(default_factory=lambda: defaultdict(list))
    unit_awards: dict[int, list[tuple[str, int, int]]] = field(default_factory=lambda: defaultdict(list))
    # (award code, last year of the achievement period) held, for constant-time "holds X in year Y"
    person_titles: dict[int, set[tuple[str, int]]] = field(default_factory=lambda: defaultdict(set))
    unit_titles: dict[int, set[tuple[str, int]]] = field(default_factory=lambda: defaultdict(set))
    # (kind, scope, year recognised, applied)
    initiatives: dict[int, list[tuple[str, str, int, bool]]] = field(default_factory=lambda: defaultdict(list))
    # (level, pending, pending kind label, start, end)
    disciplines: dict[int, list[tuple[str, bool, str, datetime.date, datetime.date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    leaves: dict[int, list[tuple[str, datetime.date, datetime.date]]] = field(default_factory=lambda: defaultdict(list))
    # first day of service, last day (None while still employed)
    tenure: dict[int, tuple[datetime.date | None, datetime.date | None]] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)


def load_evidence(
    *,
    people: QuerySet,
    units: Iterable,
    first_year: int,
    last_year: int,
    member_day: datetime.date,
    first_award_year: int | None = None,
    award_codes: dict[int, str] | None = None,
) -> Evidence:
    """Read the evidence for a set of people (a queryset, used as a subquery) and units, in a fixed
    number of queries. Awards are read from ``first_award_year`` on (None: the whole history);
    ``award_codes`` (id → code) spares the join on the catalog."""
    from thidua.organizations.models import Employment
    from thidua.records.models import AnnualRating, AwardRecord, Discipline, InitiativeAuthor, Leave

    evidence = Evidence()
    person_ids = people.values("pk")
    units = list(units)
    unit_ids = [unit.pk for unit in units]

    for person_id, year, rating in AnnualRating.objects.filter(
        person_id__in=person_ids, year__gte=first_year, year__lte=last_year
    ).values_list("person_id", "year", "rating").order_by():
        evidence.person_ratings[person_id][year] = rating
    if unit_ids:
        for unit_id, year, rating in AnnualRating.objects.filter(
            unit_id__in=unit_ids, year__gte=first_year, year__lte=last_year
        ).values_list("unit_id", "year", "rating").order_by():
            evidence.unit_ratings[unit_id][year] = rating

    # Awards from sudden or thematic rounds do not count towards regular ones; revoked awards never count.
    countable = AwardRecord.objects.filter(revoked=False, counts_for_regular=True, period_end__lte=last_year)
    if first_award_year is not None:
        countable = countable.filter(period_end__gte=first_award_year)
    if award_codes is None:
        from thidua.rules.models import AwardType

        award_codes = dict(AwardType.objects.values_list("pk", "code"))
    for person_id, award_id, start, end in countable.filter(person_id__in=person_ids).values_list(
        "person_id", "award_id", "period_start", "period_end"
    ).order_by():
        code = award_codes[award_id]
        evidence.person_awards[person_id].append((code, start, end))
        evidence.person_titles[person_id].add((code, end))
    if unit_ids:
        for unit_id, award_id, start, end in countable.filter(unit_id__in=unit_ids).values_list(
            "unit_id", "award_id", "period_start", "period_end"
        ).order_by():
            code = award_codes[award_id]
            evidence.unit_awards[unit_id].append((code, start, end))
            evidence.unit_titles[unit_id].add((code, end))

    for person_id, kind, scope, recognized_on, applied in InitiativeAuthor.objects.filter(
        person_id__in=person_ids, initiative__recognized_on__year__lte=last_year
    ).values_list("person_id", "initiative__kind", "initiative__scope", "initiative__recognized_on", "initiative__applied").order_by():
        evidence.initiatives[person_id].append((kind, scope, recognized_on.year, applied))

    for person_id, level, pending, pending_kind, start, end in Discipline.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "level", "pending", "pending_kind", "start", "end"
    ):
        evidence.disciplines[person_id].append((level, pending, pending_kind, start, end))

    year_start, year_end = datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31)
    for person_id, kind, start, end in Leave.objects.filter(
        person_id__in=person_ids, start__lte=year_end, end__gte=year_start
    ).values_list("person_id", "kind", "start", "end"):
        evidence.leaves[person_id].append((kind, start, end))

    for row in people.model.objects.filter(pk__in=person_ids).annotate(
        first_start=Min("employments__start_date"),
        last_end=Max("employments__end_date"),
        open_count=Max("employments__id", filter=Q(employments__end_date__isnull=True)),
    ).values_list("pk", "recruited_on", "first_start", "last_end", "open_count"):
        person_id, recruited_on, first_start, last_end, open_employment = row
        starts = [day for day in (recruited_on, first_start) if day]
        evidence.tenure[person_id] = (min(starts) if starts else None, None if open_employment else last_end)

    if units:
        # Members of a collective: people employed in its subtree on the reference day. Read once for
        # the widest subtree, then split by path prefix (sorted paths + bisect, no query per unit).
        memberships = sorted(
            Employment.objects.filter(person_id__in=person_ids, start_date__lte=member_day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=member_day))
            .values_list("unit__path", "person_id")
            .order_by()
            .distinct()
        )
        paths = [path for path, _ in memberships]
        for unit in units:
            low = bisect.bisect_left(paths, unit.path)
            high = bisect.bisect_left(paths, unit.path + "\uffff")
            evidence.members[unit.pk] = sorted({person_id for _, person_id in memberships[low:high]})
    return evidence


# ---------------------------------------------------------------- the predicate vocabulary


@dataclass
class Context:
    """What a predicate sees: the subject, the year, the evidence, and the verdicts already reached
    in this run (a CSTĐCS needs this year's LĐTT, which may be decided in the same screening)."""

    subject: str
    subject_id: int
    year: int
    as_of: datetime.date
    evidence: Evidence
    run_verdicts: dict[tuple[str, str, int], str]
    award_names: dict[str, str]

    def name(self, code: str) -> str:
        return self.award_names.get(code, code)


def _rating_label(rating: str | None) -> str:
    return rating or "chưa có"


def _ratings(ctx: Context) -> dict[int, str]:
    if ctx.subject == INDIVIDUAL:
        return ctx.evidence.person_ratings.get(ctx.subject_id, {})
    return ctx.evidence.unit_ratings.get(ctx.subject_id, {})


def _awards(ctx: Context, subject: str | None = None, subject_id: int | None = None) -> list[tuple[str, int, int]]:
    subject = subject or ctx.subject
    subject_id = ctx.subject_id if subject_id is None else subject_id
    if subject == INDIVIDUAL:
        return ctx.evidence.person_awards.get(subject_id, [])
    return ctx.evidence.unit_awards.get(subject_id, [])


def _holds_title(ctx: Context, award: str, year: int, subject: str, subject_id: int) -> bool | None:
    """Whether the subject holds the award for ``year``: from the register, or — for the year being
    screened — from this run's verdict (None if that verdict is "needs review")."""
    titles = ctx.evidence.person_titles if subject == INDIVIDUAL else ctx.evidence.unit_titles
    if (award, year) in titles.get(subject_id, ()):
        return True
    if year == ctx.year:
        verdict = ctx.run_verdicts.get((award, subject, subject_id))
        if verdict == Verdict.ELIGIBLE:
            return True
        if verdict == Verdict.NEEDS_REVIEW:
            return None
    return False


def _mark(value: bool | None) -> str:
    return TICK if value is True else CROSS if value is False else QUESTION


def p_rating_at_least(ctx: Context, params: dict) -> tuple[bool | None, str]:
    required = params["rating"]
    years = int(params.get("years", 1))
    ratings = _ratings(ctx)
    span = list(range(ctx.year - years + 1, ctx.year + 1))
    marks: list[tuple[int, bool | None, str | None]] = []
    for year in span:
        rating = ratings.get(year)
        ok = None if rating is None else RATING_RANK[rating] >= RATING_RANK[required]
        marks.append((year, ok, rating))
    if years == 1:
        _, ok, rating = marks[0]
        if ok is None:
            return None, f"Chưa có kết quả xếp loại năm {ctx.year}"
        if ok:
            return True, f"Năm {ctx.year} xếp loại {rating} (yêu cầu từ {required} trở lên)"
        return False, f"Năm {ctx.year} xếp loại {rating}, chưa đạt mức {required}"
    detail = ", ".join(f"{year} {_mark(ok)} {_rating_label(rating)}" for year, ok, rating in marks)
    values = [ok for _, ok, _ in marks]
    if False in values:
        return False, f"Chưa đủ {two_digits(years)} năm liên tục xếp loại từ {required} ({detail})"
    if None in values:
        return None, f"Thiếu kết quả xếp loại để xét {two_digits(years)} năm liên tục từ {required} ({detail})"
    return True, f"Đủ {two_digits(years)} năm liên tục xếp loại từ {required} ({detail})"


def p_title_in_year(ctx: Context, params: dict) -> tuple[bool | None, str]:
    award = params["award"]
    held = _holds_title(ctx, award, ctx.year, ctx.subject, ctx.subject_id)
    if held is True:
        return True, f"Đạt {ctx.name(award)} năm {ctx.year}"
    if held is None:
        return None, f"{ctx.name(award)} năm {ctx.year} còn cần xem xét"
    return False, f"Chưa đạt {ctx.name(award)} năm {ctx.year}"


def p_consecutive_titles(ctx: Context, params: dict) -> tuple[bool | None, str]:
    """N consecutive times ending in the achievement year; ``period_years`` for titles given for a
    multi-year period (CSTĐ tỉnh every 3 years)."""
    award, count = params["award"], int(params["count"])
    step = int(params.get("period_years", 1))
    years = [ctx.year - step * offset for offset in range(count - 1, -1, -1)]
    marks = [(year, _holds_title(ctx, award, year, ctx.subject, ctx.subject_id)) for year in years]
    detail = ", ".join(f"{year} {_mark(held)}" for year, held in marks)
    values = [held for _, held in marks]
    if False in values:
        return False, f"Chưa đủ {two_digits(count)} lần liên tục đạt {ctx.name(award)} ({detail})"
    if None in values:
        return None, f"Chưa xác định đủ {two_digits(count)} lần liên tục đạt {ctx.name(award)} ({detail})"
    return True, f"Đủ {two_digits(count)} lần liên tục đạt {ctx.name(award)} ({detail})"


_KIND_LABELS = {"sang_kien": "sáng kiến", "de_tai": "đề tài, đề án"}
_SCOPE_LABELS = {Scope.BASE: "cơ sở", Scope.PROVINCE: "cấp tỉnh", Scope.NATIONAL: "toàn quốc"}


@lru_cache(maxsize=256)
def _initiative_terms(kinds: tuple[str, ...], scope: str, applied_required: bool) -> tuple[str, str]:
    """The fixed words of an initiatives message (same for every person: built once)."""
    what = " hoặc ".join(_KIND_LABELS[kind] for kind in sorted(kinds, reverse=True))
    return f"{what}{' đã áp dụng' if applied_required else ''}", str(_SCOPE_LABELS[scope])


def p_initiatives_count(ctx: Context, params: dict) -> tuple[bool | None, str]:
    kinds = tuple(params.get("kinds", ("sang_kien", "de_tai")))
    scope = params.get("scope_at_least", Scope.BASE)
    minimum = SCOPE_RANK[scope]
    need = int(params.get("min_count", 1))
    years = int(params.get("years", 1))
    applied_required = bool(params.get("applied", False))
    first = ctx.year - years + 1
    items = ctx.evidence.initiatives.get(ctx.subject_id)
    count = 0
    if items:
        count = sum(
            1
            for kind, item_scope, year, applied in items
            if kind in kinds and SCOPE_RANK[item_scope] >= minimum and first <= year <= ctx.year and (applied or not applied_required)
        )
    what, scope_text = _initiative_terms(kinds, scope, applied_required)
    period = str(ctx.year) if years == 1 else f"{first}–{ctx.year}"
    summary = f"{count} {what} phạm vi từ {scope_text} trở lên trong {period} (cần {two_digits(need)})"
    return (True, f"Có {summary}") if count >= need else (False, f"Chưa đủ: {summary}")


def _overlaps_year(start: datetime.date, end: datetime.date | None, year: int) -> bool:
    return start <= datetime.date(year, 12, 31) and (end is None or end >= datetime.date(year, 1, 1))


_LEVEL_LABELS = dict(DisciplineLevel.choices)


def _level_text(level: str) -> str:
    """The lower-cased label of a discipline level, translated once per language (called per person)."""
    return _level_text_in(level, get_language())


@lru_cache(maxsize=64)
def _level_text_in(level: str, language: str | None) -> str:
    return str(_LEVEL_LABELS[level]).lower()


def _discipline_in_year(disciplines, year: int, min_level: str) -> list[tuple]:
    threshold = DISCIPLINE_RANK[min_level]
    return [
        item
        for item in disciplines
        if not item[1] and item[0] and DISCIPLINE_RANK[item[0]] >= threshold and _overlaps_year(item[3], item[4], year)
    ]


def p_no_discipline(ctx: Context, params: dict) -> tuple[bool | None, str]:
    min_level = params.get("min_level", DisciplineLevel.REPRIMAND)
    hits = _discipline_in_year(ctx.evidence.disciplines.get(ctx.subject_id, []), ctx.year, min_level)
    if hits:
        level, _, _, start, _ = hits[0]
        return False, f"Bị kỷ luật {_level_text(level)} từ {start:%d/%m/%Y}"
    return True, f"Không bị kỷ luật từ {_level_text(min_level)} trở lên trong năm {ctx.year}"


def p_no_pending_matter(ctx: Context, params: dict) -> tuple[bool | None, str]:
    for _, pending, kind, start, end in ctx.evidence.disciplines.get(ctx.subject_id, []):
        if pending and start <= ctx.as_of and (end is None or end >= ctx.as_of):
            from thidua.records.enums import PendingMatterKind

            # Labels are translated only when a matter is found (most people have none).
            label = dict(PendingMatterKind.choices).get(kind, "Đang có vụ việc chưa kết luận")
            return None, f"{label} (từ {start:%d/%m/%Y}): tạm hoãn xét khen thưởng"
    return True, f"Không có vụ việc đang xem xét tại ngày {ctx.as_of:%d/%m/%Y}"


def months_worked(tenure: tuple[datetime.date | None, datetime.date | None], leaves, year: int) -> float | None:
    start, end = tenure
    if start is None:
        return None
    first, last = max(start, datetime.date(year, 1, 1)), min(end or datetime.date(year, 12, 31), datetime.date(year, 12, 31))
    if last < first:
        return 0.0
    days = (last - first).days + 1
    for kind, leave_start, leave_end in leaves:
        if LEAVE_COUNTS_AS_WORK.get(kind, True):
            continue  # maternity leave and the like count as time worked
        overlap_start, overlap_end = max(first, leave_start), min(last, leave_end)
        if overlap_end >= overlap_start:
            days -= (overlap_end - overlap_start).days + 1
    days_in_year = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
    # Months as a share of the year (a whole year is exactly 12), truncated to one decimal.
    return math.floor(days * 12 / days_in_year * 10 + 1e-9) / 10


def p_months_worked_at_least(ctx: Context, params: dict) -> tuple[bool | None, str]:
    need = float(params["months"])
    months = months_worked(
        ctx.evidence.tenure.get(ctx.subject_id, (None, None)), ctx.evidence.leaves.get(ctx.subject_id, []), ctx.year
    )
    if months is None:
        return None, "Chưa có ngày tuyển dụng hoặc quá trình công tác"
    text = f"{months:g}".replace(".", ",")
    if months >= need:
        return True, f"Thời gian công tác năm {ctx.year}: {text} tháng (yêu cầu từ {need:g} tháng)"
    return False, f"Thời gian công tác năm {ctx.year} mới {text} tháng, chưa đủ {need:g} tháng"


def _members(ctx: Context) -> list[int]:
    return ctx.evidence.members.get(ctx.subject_id, [])


def _share_check(ok: int, unknown: int, total: int, min_share: float, strict: bool) -> bool | None:
    def meets(count: int) -> bool:
        return count / total > min_share if strict else count / total >= min_share - 1e-9

    if not meets(ok + unknown):
        return False
    if unknown and not meets(ok):
        return None
    return True


def _percent(value: float) -> str:
    return f"{value * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


def p_share_of_members_rating_at_least(ctx: Context, params: dict) -> tuple[bool | None, str]:
    required, min_share = params["rating"], float(params["min_share"])
    members = _members(ctx)
    if not members:
        return None, "Chưa có danh sách cá nhân của tập thể"
    ok = unknown = 0
    for person_id in members:
        rating = ctx.evidence.person_ratings.get(person_id, {}).get(ctx.year)
        if rating is None:
            unknown += 1
        elif RATING_RANK[rating] >= RATING_RANK[required]:
            ok += 1
    result = _share_check(ok, unknown, len(members), min_share, bool(params.get("strict")))
    text = f"{ok}/{len(members)} cá nhân ({_percent(ok / len(members))}) xếp loại từ {required} trở lên năm {ctx.year}"
    if unknown:
        text += f"; {unknown} người chưa có kết quả"
    return result, text + f" (yêu cầu {'trên' if params.get('strict') else 'từ'} {_percent(min_share)})"


def p_share_of_members_with_title(ctx: Context, params: dict) -> tuple[bool | None, str]:
    award, min_share, strict = params["award"], float(params["min_share"]), bool(params.get("strict"))
    members = _members(ctx)
    if not members:
        return None, "Chưa có danh sách cá nhân của tập thể"
    held = [_holds_title(ctx, award, ctx.year, INDIVIDUAL, person_id) for person_id in members]
    ok, unknown = held.count(True), held.count(None)
    result = _share_check(ok, unknown, len(members), min_share, strict)
    text = f"{ok}/{len(members)} cá nhân ({_percent(ok / len(members))}) đạt {ctx.name(award)} năm {ctx.year}"
    if unknown:
        text += f"; {unknown} người còn cần xem xét"
    return result, text + f" (yêu cầu {'trên' if strict else 'từ'} {_percent(min_share)})"


def p_members_with_title_at_least(ctx: Context, params: dict) -> tuple[bool | None, str]:
    award, need = params["award"], int(params.get("count", 1))
    held = [_holds_title(ctx, award, ctx.year, INDIVIDUAL, person_id) for person_id in _members(ctx)]
    ok, unknown = held.count(True), held.count(None)
    text = f"{ok} cá nhân đạt {ctx.name(award)} năm {ctx.year} (cần {two_digits(need)})"
    if ok >= need:
        return True, text
    if ok + unknown >= need:
        return None, text + f"; {unknown} người còn cần xem xét"
    return False, text


def p_no_member_discipline(ctx: Context, params: dict) -> tuple[bool | None, str]:
    min_level = params.get("min_level", DisciplineLevel.WARNING)
    hits = sum(
        1
        for person_id in _members(ctx)
        if _discipline_in_year(ctx.evidence.disciplines.get(person_id, []), ctx.year, min_level)
    )
    label = _level_text(min_level)
    if hits:
        return False, f"{hits} cá nhân bị kỷ luật từ {label} trở lên trong năm {ctx.year}"
    return True, f"Không có cá nhân bị kỷ luật từ {label} trở lên trong năm {ctx.year}"


def p_since_last_award_rated_at_least(ctx: Context, params: dict) -> tuple[bool | None, str]:
    """Decree 152 art. 33.7: the next proposal counts from the previous award's achievement period;
    each year in between must be rated at least HTTNV."""
    codes, required = set(params["awards"]), params.get("rating", Rating.GOOD)
    previous = [end for code, _, end in _awards(ctx) if code in codes and end < ctx.year]
    if not previous:
        return True, "Chưa được tặng trước đây: không phải tính từ lần khen trước"
    last = max(previous)
    ratings = _ratings(ctx)
    years = list(range(last + 1, ctx.year + 1))
    marks = [(year, ratings.get(year)) for year in years]
    checks = [None if rating is None else RATING_RANK[rating] >= RATING_RANK[required] for _, rating in marks]
    detail = ", ".join(f"{year} {_mark(ok)}" for (year, _), ok in zip(marks, checks, strict=True))
    if False in checks:
        return False, f"Kể từ lần khen năm {last}, có năm xếp loại dưới {required} ({detail})"
    if None in checks:
        return None, f"Kể từ lần khen năm {last}, thiếu kết quả xếp loại ({detail})"
    return True, f"Kể từ lần khen năm {last}, các năm đều từ {required} ({detail})"


def p_award_received_before(ctx: Context, params: dict) -> tuple[bool | None, str]:
    award = params["award"]
    years = sorted(end for code, _, end in _awards(ctx) if code == award and end < ctx.year)
    if years:
        return True, f"Đã được tặng {ctx.name(award)} ({', '.join(map(str, years))})"
    return False, f"Chưa được tặng {ctx.name(award)}"


def p_manual(ctx: Context, params: dict) -> tuple[bool | None, str]:
    return None, f"Cần xác nhận: {params.get('text', '')}"


PREDICATES: dict[str, Callable[[Context, dict], tuple[bool | None, str]]] = {
    "rating_at_least": p_rating_at_least,
    "title_in_year": p_title_in_year,
    "consecutive_titles": p_consecutive_titles,
    "initiatives_count": p_initiatives_count,
    "no_discipline": p_no_discipline,
    "no_pending_matter": p_no_pending_matter,
    "months_worked_at_least": p_months_worked_at_least,
    "share_of_members_rating_at_least": p_share_of_members_rating_at_least,
    "share_of_members_with_title": p_share_of_members_with_title,
    "members_with_title_at_least": p_members_with_title_at_least,
    "no_member_discipline": p_no_member_discipline,
    "since_last_award_rated_at_least": p_since_last_award_rated_at_least,
    "award_received_before": p_award_received_before,
    "manual": p_manual,
    # any_of / all_of are handled by evaluate_rule
}
COMPOSITES = {"any_of", "all_of"}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule of the ruleset document, resolved once per screening (not once per person)."""

    id: str
    label: str
    predicate: str
    function: Callable[[Context, dict], tuple[bool | None, str]] | None
    params: dict
    source: str
    certainty: str
    children: tuple["CompiledRule", ...]


def compile_rules(rules: list[dict[str, Any]], prefix: str = "") -> tuple[CompiledRule, ...]:
    compiled = []
    for rule in rules:
        rule_id = prefix + rule["id"]
        predicate = rule["predicate"]
        params = rule.get("params", {})
        children = compile_rules(params["rules"], rule_id + ".") if predicate in COMPOSITES else ()
        compiled.append(
            CompiledRule(
                id=rule_id,
                label=rule.get("label", ""),
                predicate=predicate,
                function=PREDICATES.get(predicate),
                params=params,
                source=rule.get("source", ""),
                certainty=rule.get("certainty", "verified"),
                children=children,
            )
        )
    return tuple(compiled)


def evaluate_rule(ctx: Context, rule: "CompiledRule | dict[str, Any]") -> RuleResult:
    if isinstance(rule, dict):
        (rule,) = compile_rules([rule])
    source = rule.source
    if rule.children or rule.predicate in COMPOSITES:
        children = [evaluate_rule(ctx, child) for child in rule.children]
        values = [child.passed for child in children]
        if rule.predicate == "any_of":
            passed = True if True in values else (None if None in values else False)
        else:
            passed = False if False in values else (None if None in values else True)
        chosen = [child for child in children if child.passed is passed] or children
        detail = "; ".join(child.message.split(" — ")[0] for child in chosen)
        message = f"{rule.label}: {'đạt' if passed else 'chưa đạt' if passed is False else 'cần xem xét'} ({detail})"
        return RuleResult(rule.id, rule.label, passed, f"{message} — {source}", source, rule.certainty, children)
    if rule.function is None:
        return RuleResult(rule.id, rule.label, None, f"Quy tắc không được hỗ trợ: {rule.predicate}", source)
    passed, message = rule.function(ctx, rule.params)
    return RuleResult(rule.id, rule.label, passed, f"{message} — {source}" if source else message, source, rule.certainty)


def combine(reasons: list[RuleResult]) -> str:
    values = [reason.passed for reason in reasons]
    if False in values:
        return Verdict.INELIGIBLE
    if None in values:
        return Verdict.NEEDS_REVIEW
    return Verdict.ELIGIBLE


# ---------------------------------------------------------------- running a screening


def _referenced_awards(rules: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for rule in rules:
        if rule["predicate"] in COMPOSITES:
            found |= _referenced_awards(rule["params"]["rules"])
        elif rule["predicate"] in _DEPENDENT_PREDICATES and "award" in rule.get("params", {}):
            found.add(rule["params"]["award"])
    return found


def _years_needed(rules: list[dict[str, Any]], year: int) -> int:
    """The earliest year any rule looks at (for loading ratings)."""
    earliest = year
    for rule in rules:
        params = rule.get("params", {})
        if rule["predicate"] in COMPOSITES:
            earliest = min(earliest, _years_needed(params["rules"], year))
        else:
            span = max(int(params.get("years", 1)), int(params.get("count", 1)) * int(params.get("period_years", 1)))
            earliest = min(earliest, year - span + 1)
        if rule["predicate"] == "since_last_award_rated_at_least":
            earliest = min(earliest, year - 15)
    return earliest


# Predicates that look at the whole award history, however old.
_WHOLE_HISTORY_PREDICATES = {"since_last_award_rated_at_least", "award_received_before"}


def _needs_whole_award_history(rules: list[dict[str, Any]]) -> bool:
    return any(
        rule["predicate"] in _WHOLE_HISTORY_PREDICATES
        or (rule["predicate"] in COMPOSITES and _needs_whole_award_history(rule["params"]["rules"]))
        for rule in rules
    )


def evaluation_plan(ruleset: EffectiveRuleset, award_codes: Iterable[str]) -> list[tuple[str, str]]:
    """(award, subject) pairs to evaluate, dependencies first: individual titles before collective
    ones, and each award after those its rules refer to."""
    pending = {(code, subject) for code in award_codes for subject in (INDIVIDUAL, COLLECTIVE) if ruleset.award_rules(code, subject)}
    # pull in dependencies (always individual titles: LĐTT for CSTĐCS, members' LĐTT for TTLĐTT…)
    queue = list(pending)
    while queue:
        code, subject = queue.pop()
        for dependency in _referenced_awards(ruleset.award_rules(code, subject) or []):
            for dep_subject in (subject, INDIVIDUAL):
                pair = (dependency, dep_subject)
                if pair not in pending and ruleset.award_rules(*pair):
                    pending.add(pair)
                    queue.append(pair)
    ordered: list[tuple[str, str]] = []
    remaining = set(pending)
    while remaining:
        progressed = False
        for pair in sorted(remaining, key=lambda p: (p[1] != INDIVIDUAL, p[0])):
            deps = {
                (dep, s)
                for dep in _referenced_awards(ruleset.award_rules(*pair) or [])
                for s in (pair[1], INDIVIDUAL)
                if (dep, s) in remaining and (dep, s) != pair
            }
            if not deps:
                ordered.append(pair)
                remaining.discard(pair)
                progressed = True
        if not progressed:  # a cycle in the data: evaluate the rest as they come
            ordered.extend(sorted(remaining))
            break
    return ordered


@dataclass
class ScreeningResult:
    ruleset: EffectiveRuleset
    year: int
    as_of: datetime.date
    verdicts: list[VerdictResult]
    quotas: list[QuotaStatus]
    requested: list[str]

    def for_award(self, award: str) -> list[VerdictResult]:
        return [verdict for verdict in self.verdicts if verdict.award == award]


def screen(
    *,
    root,
    year: int,
    award_codes: Iterable[str],
    as_of: datetime.date | None = None,
    person_ids: Iterable[int] | None = None,
    include_collectives: bool = True,
) -> ScreeningResult:
    """Evaluate every person and collective in ``root``'s subtree for the awards and achievement
    year, under the ruleset in force on ``as_of`` (default today) for ``root``.

    People: those employed in the subtree on 31/12 of the year (or the unit's last day). Collectives:
    the units of the subtree valid that day. The query count does not depend on how many there are.
    """
    from django.utils import timezone

    from thidua.organizations.models import Person, Unit
    from thidua.rules.models import AwardType

    as_of = as_of or timezone.localdate()
    ruleset = ruleset_for(as_of, root)
    requested = list(dict.fromkeys(award_codes))
    plan = evaluation_plan(ruleset, requested)
    member_day = datetime.date(year, 12, 31)
    if root.valid_to and root.valid_to < member_day:
        member_day = root.valid_to

    subtree_people = Person.objects.filter(
        Q(employments__unit__path__startswith=root.path),
        Q(employments__start_date__lte=member_day),
        Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=member_day),
    )
    person_ids = list(person_ids) if person_ids is not None else None
    units = []
    if include_collectives and any(subject == COLLECTIVE for _, subject in plan):
        # Party committees and mass organisations are rewarded in their own systems, not with these titles.
        units = list(
            Unit.objects.under(root)
            .valid_on(member_day)
            .exclude(kind__in=NOT_SCREENED_AS_COLLECTIVES)
            .only("pk", "path", "code", "name")
        )
    if person_ids is None:
        people = Person.objects.filter(pk__in=subtree_people.values("pk"))
    elif units:  # members of the collectives are needed too
        people = Person.objects.filter(Q(pk__in=person_ids) | Q(pk__in=subtree_people.values("pk")))
    else:
        people = Person.objects.filter(pk__in=person_ids)

    earliest = min([_years_needed(ruleset.award_rules(*pair) or [], year) for pair in plan] or [year])
    whole_history = any(_needs_whole_award_history(ruleset.award_rules(*pair) or []) for pair in plan)
    catalog = list(AwardType.objects.values_list("pk", "code", "short_name"))
    evidence = load_evidence(
        people=people,
        units=units,
        first_year=earliest,
        last_year=year,
        member_day=member_day,
        first_award_year=None if whole_history else earliest,
        award_codes={pk: code for pk, code, _ in catalog},
    )
    award_names = {code: name or code for _, code, name in catalog}

    subject_people = list(evidence.tenure.keys()) if person_ids is None else person_ids
    run_verdicts: dict[tuple[str, str, int], str] = {}
    results: list[VerdictResult] = []
    # A province-wide run keeps over a million result objects alive; the cyclic collector would walk
    # them thousands of times for nothing (none of them form cycles). Paused for the loop only.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _evaluate(plan, ruleset, subject_people, units, year, as_of, evidence, run_verdicts, award_names, requested, results)
    finally:
        if collecting:
            gc.enable()

    quotas = _quota_statuses(ruleset, run_verdicts, requested, award_names)
    return ScreeningResult(ruleset, year, as_of, results, quotas, requested)


def _evaluate(plan, ruleset, subject_people, units, year, as_of, evidence, run_verdicts, award_names, requested, results) -> None:
    for award, subject in plan:
        rules = compile_rules(ruleset.award_rules(award, subject) or [])
        subjects = subject_people if subject == INDIVIDUAL else [unit.pk for unit in units]
        for subject_id in subjects:
            ctx = Context(subject, subject_id, year, as_of, evidence, run_verdicts, award_names)
            reasons = [evaluate_rule(ctx, rule) for rule in rules]
            verdict = combine(reasons)
            run_verdicts[(award, subject, subject_id)] = verdict
            if award in requested:
                results.append(VerdictResult(subject, subject_id, award, year, verdict, reasons, ruleset.code))


def _quota_statuses(ruleset, run_verdicts, requested, award_names) -> list[QuotaStatus]:
    statuses = []
    for award, quota in (ruleset.param("quotas") or {}).items():
        if award not in requested or quota.get("max_share") is None:
            continue
        of_award = quota["of"]
        eligible = sum(1 for (code, subject, _), verdict in run_verdicts.items() if code == award and verdict == Verdict.ELIGIBLE and subject == INDIVIDUAL)
        base = sum(1 for (code, subject, _), verdict in run_verdicts.items() if code == of_award and verdict == Verdict.ELIGIBLE and subject == INDIVIDUAL)
        statuses.append(
            QuotaStatus(
                award=award_names.get(award, award),
                of_award=award_names.get(of_award, of_award),
                max_share=float(quota["max_share"]),
                allowed=math.floor(base * float(quota["max_share"]) + 1e-9),
                eligible=eligible,
                mode=quota.get("mode", "warn"),
                source=quota.get("source", ""),
                certainty=quota.get("certainty", "verified"),
            )
        )
    return statuses
