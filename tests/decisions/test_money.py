"""Reward money on issue: coefficient × base salary in force on the signing day, rounded as the ruleset says
(up by default, to the nearest where a province says so), only the highest title paid for one period;
the totals by fund and year."""

import datetime

import pytest

from tests.decisions.conftest import approved_dossier, issue
from thidua.decisions import payments, services
from thidua.decisions.selectors import decisions_visible_to
from thidua.nominations import services as nominations
from thidua.rules.models import AwardType, RuleOverride

AUGUST_2020 = datetime.date(2020, 8, 7)


@pytest.fixture
def round_2020(officer, department):
    return nominations.round_create(
        actor=officer, awarding_unit=department, title="Khen thưởng tổng kết giai đoạn 2015–2020", period_start=2015, period_end=2020,
        opens_on=datetime.date(2020, 6, 15), submission_deadline=datetime.date(2020, 7, 15),
        accepted_awards=AwardType.objects.filter(code__in=["GIAY_KHEN"]),
    )


def _issue_2020(*, officer, manager, signer, office, round_2020, people, collectives):
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_2020, individuals=people, collectives=collectives)
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()), decision_date=AUGUST_2020)
    return issue(decision, officer=officer, signer=signer, day=AUGUST_2020)


def test_2020_giay_khen_rounds_up_to_the_next_ten_thousand(officer, manager, signer, office, round_2020, people):
    decision = _issue_2020(officer=officer, manager=manager, signer=signer, office=office, round_2020=round_2020, people=people[:1], collectives=[office])
    lines = {line.subject: line for line in decision.recipients.all()}
    # Base salary 1,490,000 from 1/7/2019 (Decree 38/2019); Giấy khen 0.3 / 0.6 (Decree 91/2017).
    assert (lines["individual"].base_salary, str(lines["individual"].coefficient), lines["individual"].amount) == (1490000, "0.30", 450000)
    assert (str(lines["collective"].coefficient), lines["collective"].amount) == ("0.60", 900000)  # 894,000 → 900,000
    assert lines["individual"].award_record.amount == 450000


def test_a_province_rounding_to_the_nearest_is_followed(officer, manager, signer, office, round_2020, people, province):
    RuleOverride.objects.create(unit=province, target="parameters.money.rounding", value="nearest", valid_from=datetime.date(2015, 1, 1),
                                legal_source="Quyết định của UBND tỉnh (thử nghiệm)")
    decision = _issue_2020(officer=officer, manager=manager, signer=signer, office=office, round_2020=round_2020, people=people[:1], collectives=[office])
    amounts = {line.subject: line.amount for line in decision.recipients.all()}
    assert amounts == {"individual": 450000, "collective": 890000}  # 447,000 → 450,000; 894,000 → 890,000


def test_the_base_salary_is_the_one_in_force_on_the_signing_day(officer, manager, signer, office, round_, people):
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people[:1])
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    decision = issue(decision, officer=officer, signer=signer, day=datetime.date(2026, 6, 30))
    line = decision.recipients.get()
    # 2,340,000 until 30/6/2026 (Decree 73/2024): 0.3 × 2,340,000 = 702,000 → 710,000 (up).
    assert (line.base_salary, line.amount) == (2340000, 710000)


def test_only_the_highest_title_of_one_period_is_paid(officer, manager, signer, office, department, people):
    round_ = nominations.round_create(
        actor=officer, awarding_unit=department, title="Danh hiệu năm 2025", period_start=2025, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code__in=["LDTT", "CSTDCS"]),
    )
    ldtt = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people[:1], code="LDTT")
    cstdcs = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people[:1], code="CSTDCS")
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=[*ldtt.nominees.all(), *cstdcs.nominees.all()])
    decision = issue(decision, officer=officer, signer=signer, day=datetime.date(2026, 6, 30))
    amounts = {line.award.code: (line.amount, line.money_note) for line in decision.recipients.select_related("award")}
    assert amounts == {"CSTDCS": (2340000, ""), "LDTT": (0, "Chỉ hưởng tiền thưởng của danh hiệu cao nhất cùng thời gian")}


def test_totals_by_fund_and_year(officer, manager, signer, office, round_2020, round_, people, auditor):
    _issue_2020(officer=officer, manager=manager, signer=signer, office=office, round_2020=round_2020, people=people[:2], collectives=[office])
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people[2:])
    (later,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    later = services.decision_update(actor=officer, decision=later, fund="Quỹ thi đua, khen thưởng của Ủy ban nhân dân tỉnh")
    issue(later, officer=officer, signer=signer, day=datetime.date(2026, 6, 30))

    totals = payments.totals_by_fund_and_year(decisions_visible_to(auditor))
    assert [(year["year"], year["amount"]) for year in totals] == [(2026, 710000), (2020, 1800000)]
    assert [(fund["fund"], fund["decisions"], fund["lines"], fund["amount"]) for fund in totals[1]["funds"]] == [
        ("Quỹ thi đua, khen thưởng của Sở Khoa học và Công nghệ", 1, 3, 1800000)]
    assert totals[0]["funds"][0]["fund"] == "Quỹ thi đua, khen thưởng của Ủy ban nhân dân tỉnh"
