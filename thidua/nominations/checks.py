"""The checks officers rely on when they read a dossier: the same subject proposed twice, an achievement
already rewarded, quotas from the ruleset and the legal time limits as SLA countdowns.

Read-only and set-based: one dossier costs a fixed handful of queries (its nominees, the other proposals
that may clash, the register, the ruleset, the quota counts, one holiday query), however many nominees it
holds. Nothing here refuses anything; the services keep their own guards (``nominee_add`` refuses the same
proposal twice in one round) and these checks show what slips past them — a race between two units, a
round with an overlapping period, an award already in the register, a quota, a clock running out.

Every legal figure (quota shares, working-day limits) is read from the ruleset in force, with its source,
and flagged when its certainty is not ``verified`` (editable data, not the law's text).
"""

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common.workdays import add_working_days, holidays_between, horizon, working_days_between
from thidua.nominations.enums import NominationStatus, NomineeStatus, Track
from thidua.nominations.models import Nomination, Nominee
from thidua.records.models import AwardRecord
from thidua.rules.enums import AwardCategory, AwardLevel, Certainty
from thidua.rules.rulesets import EffectiveRuleset, ruleset_for

ERROR, WARNING, INFO = "error", "warning", "info"
_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
# A countdown turns amber this many working days before the due day (the same threshold as _days_left.html).
SOON_WORKING_DAYS = 3
# Statuses in which the proposing unit still holds the dossier and the round's submission deadline runs.
PROPOSER_HOLDS = (NominationStatus.DRAFT, NominationStatus.RETURNED)


@dataclass(frozen=True)
class Finding:
    code: str  # duplicate, duplicate_rejected, already_rewarded, one_achievement_one_form, quota, submitted_late, publish_before_council
    severity: str  # error | warning | info
    message: str
    link: str = ""
    link_label: str = ""
    source: str = ""
    # The figure behind the finding is editable data whose certainty is not "verified".
    unverified: bool = False


@dataclass(frozen=True)
class Deadline:
    """One running clock: the due day, and how many calendar and working days are left on ``today``."""

    code: str  # submission, appraisal, refusal_notice, state_level, publish_before_council
    label: str
    due: datetime.date
    today: datetime.date
    working_days_left: int
    source: str = ""
    unverified: bool = False
    # Missing some limits is fatal (appraisal), others only matter if the step is taken (a refusal notice).
    overdue_severity: str = ERROR

    @property
    def calendar_days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.today > self.due

    @property
    def days_overdue(self) -> int:
        return max(0, -self.calendar_days_left)

    @property
    def working_days_overdue(self) -> int:
        return max(0, -self.working_days_left)

    @property
    def due_today(self) -> bool:
        return self.due == self.today

    @property
    def severity(self) -> str:
        if self.overdue:
            return self.overdue_severity
        if self.working_days_left <= SOON_WORKING_DAYS:
            return WARNING
        return INFO


@dataclass
class DossierChecks:
    nomination_id: int
    today: datetime.date
    ruleset_label: str = ""
    findings: list[Finding] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    nominee_findings: dict[int, list[Finding]] = field(default_factory=dict)

    def for_nominee(self, nominee_id: int) -> list[Finding]:
        return self.nominee_findings.get(nominee_id, [])

    def _all(self) -> list[str]:
        severities = [finding.severity for finding in self.findings]
        severities += [finding.severity for items in self.nominee_findings.values() for finding in items]
        severities += [deadline.severity for deadline in self.deadlines if deadline.overdue]
        return severities

    @property
    def error_count(self) -> int:
        return self._all().count(ERROR)

    @property
    def warning_count(self) -> int:
        return self._all().count(WARNING)

    @property
    def flagged_nominee_count(self) -> int:
        return sum(1 for items in self.nominee_findings.values() if any(f.severity != INFO for f in items))

    @property
    def is_clean(self) -> bool:
        """No finding at all (deadlines are shown anyway: a running clock is not a problem)."""
        return not self.findings and not any(self.nominee_findings.values())


# ---------------------------------------------------------------- small helpers


def _period(start: int, end: int) -> str:
    if start == end:
        return _("năm %(year)d") % {"year": end}
    return _("giai đoạn %(start)d–%(end)d") % {"start": start, "end": end}


def _subject_key(row) -> tuple[str, Any]:
    if row.person_id:
        return ("person", row.person_id)
    if row.unit_id:
        return ("unit", row.unit_id)
    return ("household", row.household_name)


def _subject_q(nominees) -> Q:
    """Rows about the same recipients as ``nominees`` (Nominee and AwardRecord name the fields alike)."""
    condition = Q(pk__in=[])
    people = {n.person_id for n in nominees if n.person_id}
    units = {n.unit_id for n in nominees if n.unit_id}
    households = {n.household_name for n in nominees if not n.person_id and not n.unit_id}
    if people:
        condition |= Q(person_id__in=people)
    if units:
        condition |= Q(unit_id__in=units)
    if households:
        condition |= Q(person__isnull=True, unit__isnull=True, household_name__in=households)
    return condition


def _origin(ruleset: EffectiveRuleset, prefix: str, source: str, certainty: str) -> tuple[str, bool]:
    """The legal source of a parameter and whether it is unverified: a province or agency override of
    the parameter (the last applied is the narrowest) replaces the national file's source."""
    for override in reversed(ruleset.overrides):
        if override.target == prefix or override.target.startswith(prefix + "."):
            source = override.legal_source + (f" ({override.unit_name})" if override.unit_name else "")
            certainty = override.certainty
            break
    return source, certainty != Certainty.VERIFIED


def _dossier_link(user, other: Nomination) -> str:
    if user is None:
        return ""
    if scopes.can(user, "nomination.propose", other.proposing_unit) or scopes.can(user, "nomination.appraise", other.round.awarding_unit):
        return reverse("nominations:nomination_detail", args=[other.pk])
    return ""


def _records_link(user, nominee: Nominee) -> str:
    if user is None:
        return ""
    if nominee.person_id and scopes.can_on_person(user, "records.view", nominee.person):
        return reverse("records:person_records", args=[nominee.person_id])
    if nominee.unit_id and scopes.can(user, "records.view", nominee.unit):
        return reverse("records:unit_records", args=[nominee.unit.code])
    return ""


# ---------------------------------------------------------------- the checks


def dossier_checks(nomination: Nomination, *, today: datetime.date | None = None, user=None,
                   council_date: datetime.date | None = None) -> DossierChecks:
    """Every check on one dossier. ``user`` only decides which findings carry a link (to a dossier or a
    register page the user may open); ``council_date``, when a council session is planned, turns the
    "publish before the council" rule into a countdown."""
    today = today or timezone.localdate()
    round_ = nomination.round
    checks = DossierChecks(nomination_id=nomination.pk, today=today)
    nominees = list(
        Nominee.objects.filter(nomination=nomination).select_related("person__current_unit", "unit", "award").order_by("pk")
    )
    ruleset = ruleset_for(today, round_.awarding_unit)
    checks.ruleset_label = ruleset.label
    if nominees:
        _check_clashes(checks, nomination, nominees, user)
        _check_quotas(checks, nomination, nominees, ruleset)
    _check_deadlines(checks, nomination, nominees, ruleset, today, council_date)
    for items in checks.nominee_findings.values():
        items.sort(key=lambda finding: _SEVERITY_ORDER[finding.severity])
    return checks


def _check_clashes(checks: DossierChecks, nomination: Nomination, nominees: list[Nominee], user) -> None:
    """Duplicates in other dossiers and awards already given, in two queries for the whole dossier."""
    round_ = nomination.round
    own_ids = [n.pk for n in nominees]
    sources = [n.source_nominee_id for n in nominees if n.source_nominee_id]
    by_subject: dict[tuple[str, Any], list[Nominee]] = {}
    for nominee in nominees:
        by_subject.setdefault(_subject_key(nominee), []).append(nominee)

    # Same subject, same award, in another live dossier of a round whose achievement period overlaps.
    # A dossier carried to the next level is the same proposal, not a second one: the copies linked by
    # ``source_nominee`` and the originals already forwarded are left out.
    others = list(
        Nominee.objects.filter(
            _subject_q(nominees),
            award_id__in={n.award_id for n in nominees},
            nomination__round__period_start__lte=round_.period_end,
            nomination__round__period_end__gte=round_.period_start,
        )
        .exclude(nomination=nomination)
        .exclude(nomination__status=NominationStatus.WITHDRAWN)
        .exclude(status=NomineeStatus.FORWARDED)
        .exclude(source_nominee_id__in=own_ids)
        .exclude(pk__in=sources)
        .select_related("nomination__proposing_unit", "nomination__round__awarding_unit", "award")
        .order_by("nomination__round__period_start", "pk")
    )

    # The register: the same award for an overlapping period, or another form for exactly this period.
    records = list(
        AwardRecord.objects.filter(_subject_q(nominees), revoked=False)
        .filter(
            Q(award_id__in={n.award_id for n in nominees}, period_start__lte=round_.period_end, period_end__gte=round_.period_start)
            | Q(award__category=AwardCategory.FORM, period_start=round_.period_start, period_end=round_.period_end)
        )
        .select_related("award", "issuing_unit")
        .order_by("-decision_date", "pk")
    )
    recorded = {(_subject_key(r), r.award_id, r.period_start, r.period_end) for r in records}
    regular_round = round_.track == Track.REGULAR

    for record in records:
        for nominee in by_subject.get(_subject_key(record), []):
            # A decided nominee's own decision is in the register: it is not "already rewarded".
            if nominee.status == NomineeStatus.DECIDED:
                continue
            facts = {
                "award": record.award.name, "period": _period(record.period_start, record.period_end),
                "number": record.decision_number, "date": f"{record.decision_date:%d/%m/%Y}",
            }
            issuer = record.issuing_unit.name if record.issuing_unit_id else record.issuer_name
            if record.award_id == nominee.award_id:
                message = _("Đã được tặng %(award)s cho thành tích %(period)s theo Quyết định số %(number)s ngày %(date)s") % facts
                code, severity = "already_rewarded", ERROR
            elif (
                nominee.award.category == AwardCategory.FORM
                # Sudden or thematic awards reward another achievement than the year's work (Decree 152 art. 4).
                and record.counts_for_regular == regular_round
            ):
                message = _(
                    "Thành tích %(period)s đã được khen thưởng %(award)s theo Quyết định số %(number)s ngày %(date)s"
                ) % facts
                code, severity = "one_achievement_one_form", WARNING
            else:
                continue
            if issuer:
                message += " " + _("của %(issuer)s") % {"issuer": issuer}
            message += "."
            if code == "one_achievement_one_form":
                message += " " + _("Mỗi thành tích chỉ được khen thưởng một hình thức.")
            link = _records_link(user, nominee)
            checks.nominee_findings.setdefault(nominee.pk, []).append(
                Finding(code, severity, message, link=link, link_label=_("Xem sổ khen thưởng") if link else "")
            )

    for other in others:
        dossier = other.nomination
        for nominee in by_subject.get(_subject_key(other), []):
            if nominee.award_id != other.award_id:
                continue
            facts = {
                "award": other.award.name, "dossier": dossier.title, "unit": dossier.proposing_unit.name,
                "round": dossier.round.title, "period": _period(dossier.round.period_start, dossier.round.period_end),
            }
            if other.status == NomineeStatus.DECIDED:
                # Once the decision is in the register the register finding says it, with its number.
                if (_subject_key(other), other.award_id, dossier.round.period_start, dossier.round.period_end) in recorded:
                    continue
                code, severity = "already_rewarded", ERROR
                message = _("Đã có quyết định tặng %(award)s qua hồ sơ “%(dossier)s” của %(unit)s (đợt “%(round)s”, thành tích %(period)s).") % facts
            elif other.status == NomineeStatus.REJECTED or dossier.status == NominationStatus.REJECTED:
                code, severity = "duplicate_rejected", INFO
                message = _("Đã được đề nghị %(award)s trong hồ sơ “%(dossier)s” của %(unit)s (đợt “%(round)s”, thành tích %(period)s) và không được chấp thuận.") % facts
            else:
                code, severity = "duplicate", ERROR
                message = _("Cũng được đề nghị %(award)s trong hồ sơ “%(dossier)s” của %(unit)s (đợt “%(round)s”, thành tích %(period)s).") % facts
            link = _dossier_link(user, dossier)
            checks.nominee_findings.setdefault(nominee.pk, []).append(
                Finding(code, severity, message, link=link, link_label=_("Xem hồ sơ") if link else "")
            )


def _check_quotas(checks: DossierChecks, nomination: Nomination, nominees: list[Nominee], ruleset: EffectiveRuleset) -> None:
    """Quotas (e.g. CSTĐCS ≤ a share of LĐTT) counted per proposing unit over the whole round, as the
    ruleset in force for the awarding unit sets them. Individuals only, as in the engine."""
    from thidua.organizations.models import Person
    from thidua.rules.models import AwardType

    proposed = {n.award.code for n in nominees if n.person_id}
    quotas = {
        code: quota for code, quota in (ruleset.param("quotas") or {}).items()
        if code in proposed and isinstance(quota, dict) and quota.get("max_share") is not None
    }
    if not quotas:
        return
    round_, unit = nomination.round, nomination.proposing_unit
    names = dict(AwardType.objects.filter(code__in={*quotas, *(q["of"] for q in quotas.values())}).values_list("code", "name"))
    live = (
        Nominee.objects.filter(nomination__round=round_, nomination__proposing_unit=unit, person__isnull=False)
        .exclude(nomination__status=NominationStatus.WITHDRAWN)
        .exclude(status=NomineeStatus.REJECTED)
    )
    # Proposals in the order they were made: the ones past the allowed number are flagged.
    used_by_award: dict[str, list[int]] = {}
    for pk, code in live.filter(award__code__in=list(quotas)).order_by("pk").values_list("pk", "award__code"):
        used_by_award.setdefault(code, []).append(pk)
    own = {n.pk for n in nominees}
    year = round_.period_end
    for code, quota in quotas.items():
        of_code = quota["of"]
        share = float(quota["max_share"])
        # The base: the unit's proposals for the base title in this round, and the unit's people who
        # already hold it for the year in the register (LĐTT is often decided before CSTĐCS), each once.
        base = Person.objects.filter(
            Q(pk__in=live.filter(award__code=of_code).values("person_id"))
            | Q(pk__in=AwardRecord.objects.filter(
                award__code=of_code, revoked=False, period_start__lte=year, period_end__gte=year,
                person__current_unit__path__startswith=unit.path,
            ).values("person_id"))
        ).count()
        allowed = math.floor(base * share + 1e-9)
        used = used_by_award.get(code, [])
        exceeded = len(used) > allowed
        severity = (ERROR if quota.get("mode") == "block" else WARNING) if exceeded else INFO
        source, unverified = _origin(ruleset, f"parameters.quotas.{code}", quota.get("source", ""), quota.get("certainty", Certainty.VERIFIED))
        facts = {
            "award": names.get(code, code), "of": names.get(of_code, of_code), "unit": unit.name, "used": len(used),
            "allowed": allowed, "share": f"{share * 100:g}%", "base": base,
        }
        if exceeded:
            message = _("%(award)s: %(unit)s đề nghị %(used)d, vượt định mức tối đa %(allowed)d (%(share)s của %(base)d người đạt %(of)s).") % facts
        else:
            message = _("%(award)s: %(unit)s đề nghị %(used)d, trong định mức tối đa %(allowed)d (%(share)s của %(base)d người đạt %(of)s).") % facts
        checks.findings.append(Finding("quota", severity, message, source=source, unverified=unverified))
        for rank, pk in enumerate(used, start=1):
            if rank > allowed and pk in own:
                checks.nominee_findings.setdefault(pk, []).append(Finding(
                    "quota", severity,
                    _("Vượt định mức %(award)s của %(unit)s: đề nghị thứ %(rank)d, tối đa %(allowed)d.") % {**facts, "rank": rank},
                    source=source, unverified=unverified,
                ))


def _check_deadlines(checks: DossierChecks, nomination: Nomination, nominees: list[Nominee], ruleset: EffectiveRuleset,
                     today: datetime.date, council_date: datetime.date | None) -> None:
    """The clocks that run for the dossier's current status, all counted on one read of the holiday calendar."""
    round_ = nomination.round
    limits = ruleset.param("deadlines") or {}
    limit_source, limit_unverified = _origin(
        ruleset, "parameters.deadlines", limits.get("source", ""), limits.get("certainty", Certainty.VERIFIED)
    )
    status = nomination.status
    state_level = any(n.award.level == AwardLevel.STATE for n in nominees)
    under_review = status == NominationStatus.UNDER_REVIEW

    wanted: dict[str, int] = {}
    if under_review and nomination.received_on:
        if limits.get("refusal_notice_working_days") is not None:
            wanted["refusal_notice"] = int(limits["refusal_notice_working_days"])
        if state_level and limits.get("state_level_province_working_days") is not None:
            wanted["state_level"] = int(limits["state_level_province_working_days"])
    publish_days = limits.get("publish_before_council_working_days")
    council_clock = state_level and publish_days is not None and status in (NominationStatus.UNDER_REVIEW, NominationStatus.IN_COUNCIL)

    anchors = [today, round_.submission_deadline]
    if nomination.appraisal_due:
        anchors.append(nomination.appraisal_due)
    if nomination.received_on:
        anchors.append(nomination.received_on)
    if council_clock and council_date:
        anchors += [council_date, council_date - horizon(int(publish_days))]
    longest = max(wanted.values(), default=0)
    start = min(anchors)
    end = max(anchors + ([nomination.received_on + horizon(longest)] if wanted else []))
    holidays = holidays_between(start, end)

    def clock(code: str, label: str, due: datetime.date, source: str, unverified: bool, overdue_severity: str = ERROR) -> None:
        checks.deadlines.append(Deadline(
            code=code, label=label, due=due, today=today, working_days_left=working_days_between(today, due, holidays),
            source=source, unverified=unverified, overdue_severity=overdue_severity,
        ))

    if status in PROPOSER_HOLDS:
        clock("submission", _("Hạn nộp hồ sơ"), round_.submission_deadline, _("Đợt xét “%(round)s”") % {"round": round_.title}, False)
    elif nomination.submitted_at:
        sent = timezone.localtime(nomination.submitted_at).date()
        if sent > round_.submission_deadline:
            checks.findings.append(Finding("submitted_late", WARNING, _("Hồ sơ gửi ngày %(sent)s, sau hạn nộp %(deadline)s của đợt xét.") % {
                "sent": f"{sent:%d/%m/%Y}", "deadline": f"{round_.submission_deadline:%d/%m/%Y}"}))
    if under_review and nomination.appraisal_due:
        clock("appraisal", _("Hạn thẩm định"), nomination.appraisal_due, limit_source, limit_unverified)
    if "refusal_notice" in wanted:
        # Only binding if the dossier is returned or refused: missing it is a warning, not a fault of the dossier.
        clock("refusal_notice", _("Hạn thông báo trả lại, không chấp thuận (nêu rõ lý do)"),
              add_working_days(nomination.received_on, wanted["refusal_notice"], holidays), limit_source, limit_unverified, WARNING)
    if "state_level" in wanted:
        clock("state_level", _("Hạn xử lý đề nghị khen thưởng cấp Nhà nước"),
              add_working_days(nomination.received_on, wanted["state_level"], holidays), limit_source, limit_unverified)
    if council_clock:
        if council_date:
            clock("publish_before_council", _("Hạn công khai danh sách trước phiên họp Hội đồng"),
                  add_working_days(council_date, -int(publish_days), holidays), limit_source, limit_unverified)
        else:
            checks.findings.append(Finding(
                "publish_before_council", INFO,
                _("Danh sách đề nghị khen thưởng cấp Nhà nước phải được công khai ít nhất %(days)d ngày làm việc trước phiên họp Hội đồng.")
                % {"days": int(publish_days)},
                source=limit_source, unverified=limit_unverified,
            ))


# ---------------------------------------------------------------- the inbox


def round_deadline_days_left_many(nominations, today: datetime.date) -> dict[int, Deadline]:
    """The round's submission-deadline countdown for each dossier of a page that the proposing unit still
    holds (draft or returned), with one holiday query for the page. Rounds must be loaded with the rows."""
    held = [n for n in nominations if n.status in PROPOSER_HOLDS]
    if not held:
        return {}
    deadlines = [n.round.submission_deadline for n in held]
    holidays = holidays_between(min([today, *deadlines]), max([today, *deadlines]))
    label = _("Hạn nộp hồ sơ")
    return {
        n.pk: Deadline(
            code="submission", label=label, due=n.round.submission_deadline, today=today,
            working_days_left=working_days_between(today, n.round.submission_deadline, holidays),
        )
        for n in held
    }
