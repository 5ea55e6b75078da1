import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.rules import engine
from thidua.rules.engine import Context, Evidence, screen
from thidua.rules.rulesets import ruleset_for
from thidua.rules.services import rule_override_create

ND152 = datetime.date(2026, 1, 15)


def _office_with(team, members, ldtt):
    for index in range(members):
        person = team.person(f"Phạm Thị Hội Viên {index:02d}")
        team.rate(person, 2025, "HTTNV" if index < ldtt else "HTNV")
    team.rate(team.unit, 2025, "HTTNV")
    return team.unit


def _ttldtt(team):
    result = screen(root=team.unit, year=2025, award_codes=["TTLDTT"], as_of=ND152)
    return next(v for v in result.verdicts if v.subject_id == team.unit.pk)


def test_province_override_changes_a_threshold_for_its_subtree(team):
    _office_with(team, members=10, ldtt=6)
    assert _ttldtt(team).verdict == "eligible"
    province = team.unit.parent.parent
    rule_override_create(
        actor=None, unit=province, target="awards.TTLDTT.collective.rules.members_ldtt.params.min_share", value=0.7,
        valid_from=datetime.date(2025, 1, 1), legal_source="Quyết định 12/2025/QĐ-UBND tỉnh",
    )
    verdict = _ttldtt(team)
    assert verdict.verdict == "ineligible"
    assert "(yêu cầu trên 70%)" in next(r for r in verdict.reasons if r.rule == "members_ldtt").message


def test_agency_override_wins_over_province_override(team):
    _office_with(team, members=10, ldtt=6)
    province, department = team.unit.parent.parent, team.unit.parent
    target = "awards.TTLDTT.collective.rules.members_ldtt.params.min_share"
    rule_override_create(actor=None, unit=province, target=target, value=0.7, valid_from=datetime.date(2025, 1, 1), legal_source="QĐ tỉnh")
    rule_override_create(actor=None, unit=department, target=target, value=0.55, valid_from=datetime.date(2025, 1, 1), legal_source="Quy chế Sở")
    assert _ttldtt(team).verdict == "eligible"
    assert [o.value for o in ruleset_for(ND152, team.unit).overrides] == [0.7, 0.55]


def test_override_outside_its_dates_does_not_apply(team):
    _office_with(team, members=10, ldtt=6)
    rule_override_create(
        actor=None, target="awards.TTLDTT.collective.rules.members_ldtt.params.min_share", value=0.7,
        valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2025, 12, 31), legal_source="QĐ tỉnh 2024",
    )
    assert _ttldtt(team).verdict == "eligible"  # judged on 15/01/2026


def test_override_with_unknown_target_is_refused(db):
    with pytest.raises(ValidationError) as error:
        rule_override_create(actor=None, target="awards.LDTT.individual.rules.no_such_rule", value=1,
                             valid_from=datetime.date(2025, 1, 1), legal_source="x")
    assert "Không tìm thấy tham số" in error.value.message_dict["target"][0]


def test_cstdcs_quota_blocks_under_decree_91(team):
    people = [team.person(f"Đỗ Văn Người {i:02d}") for i in range(10)]
    for person in people:
        team.rate(person, 2022, "HTTNV")
    for person in people[:3]:
        team.initiative(person, 2022)
    result = screen(root=team.unit, year=2022, award_codes=["LDTT", "CSTDCS"], as_of=datetime.date(2023, 1, 15))
    (quota,) = result.quotas
    assert (quota.allowed, quota.eligible, quota.mode, quota.exceeded) == (1, 3, "block", True)
    assert quota.source == "Khoản 3 Điều 9 Nghị định 91/2017/NĐ-CP"


def test_cstdcs_quota_is_off_nationally_after_2024_until_a_province_sets_it(team):
    people = [team.person(f"Đỗ Văn Người {i:02d}") for i in range(10)]
    for person in people:
        team.rate(person, 2025, "HTXSNV")
    assert screen(root=team.unit, year=2025, award_codes=["LDTT", "CSTDCS"], as_of=ND152).quotas == []
    rule_override_create(actor=None, target="parameters.quotas.CSTDCS.max_share", value=0.15,
                         valid_from=datetime.date(2025, 1, 1), legal_source="Quy định của tỉnh")
    (quota,) = screen(root=team.unit, year=2025, award_codes=["LDTT", "CSTDCS"], as_of=ND152).quotas
    assert (quota.allowed, quota.eligible, quota.mode, quota.exceeded) == (1, 10, "warn", True)


def _populate(team, count):
    for index in range(count):
        person = team.person(f"Vũ Văn Số {index:03d}")
        team.rate(person, 2025, "HTXSNV")
        team.rate(person, 2024, "HTTNV")
        team.award(person, "LDTT", 2024)
        team.initiative(person, 2025)


def test_engine_query_count_does_not_grow_with_people(team):
    awards = ["LDTT", "CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH", "TTLDTT", "TTLDXS"]
    _populate(team, 2)
    with CaptureQueriesContext(connection) as small:
        first = screen(root=team.unit.parent, year=2025, award_codes=awards, as_of=ND152)
    _populate(team, 20)
    with CaptureQueriesContext(connection) as large:
        second = screen(root=team.unit.parent, year=2025, award_codes=awards, as_of=ND152)
    assert len(second.for_award("LDTT")) == 22 and len(first.for_award("LDTT")) == 2
    assert len(large) == len(small)


# ---------------------------------------------------------------- properties of the consecutive-years logic


def _ctx(held_years, year, run_verdict=None):
    evidence = Evidence()
    evidence.person_awards[1] = [("CSTDCS", held, held) for held in held_years]
    evidence.person_titles[1] = {("CSTDCS", held) for held in held_years}
    run = {("CSTDCS", "individual", 1): run_verdict} if run_verdict else {}
    return Context("individual", 1, year, datetime.date(year + 1, 1, 15), evidence, run, {"CSTDCS": "CSTĐCS"})


@settings(max_examples=200, deadline=None)
@given(held=st.sets(st.integers(2010, 2030)), year=st.integers(2012, 2030), count=st.integers(1, 5))
def test_consecutive_titles_pass_exactly_when_every_year_of_the_window_is_held(held, year, count):
    passed, message = engine.p_consecutive_titles(_ctx(held, year), {"award": "CSTDCS", "count": count})
    window = set(range(year - count + 1, year + 1))
    assert passed is window.issubset(held)
    assert message.count("✓") == len(window & held)
    assert message.count("✗") == len(window - held)


@settings(max_examples=100, deadline=None)
@given(held=st.sets(st.integers(2015, 2024)), count=st.integers(1, 4))
def test_this_years_eligibility_completes_a_chain_and_review_makes_it_undecided(held, count):
    window_before = set(range(2025 - count + 1, 2025))
    eligible, _ = engine.p_consecutive_titles(_ctx(held, 2025, "eligible"), {"award": "CSTDCS", "count": count})
    review, _ = engine.p_consecutive_titles(_ctx(held, 2025, "needs_review"), {"award": "CSTDCS", "count": count})
    assert eligible is window_before.issubset(held)
    assert review is (None if window_before.issubset(held) else False)


@settings(max_examples=100, deadline=None)
@given(ratings=st.dictionaries(st.integers(2018, 2025), st.sampled_from(["HTXSNV", "HTTNV", "HTNV", "KHTNV"])), years=st.integers(1, 5))
def test_rating_at_least_over_years_fails_on_any_lower_year_and_is_undecided_on_gaps(ratings, years):
    evidence = Evidence()
    evidence.person_ratings[1] = ratings
    ctx = Context("individual", 1, 2025, datetime.date(2026, 1, 15), evidence, {}, {})
    passed, _ = engine.p_rating_at_least(ctx, {"rating": "HTTNV", "years": years})
    window = [ratings.get(y) for y in range(2025 - years + 1, 2026)]
    if any(r in ("HTNV", "KHTNV") for r in window):
        assert passed is False
    elif None in window:
        assert passed is None
    else:
        assert passed is True


def test_party_and_mass_organisations_are_not_screened_as_collectives(team):
    from tests.factories import make_unit

    union = make_unit("Công đoàn cơ sở", parent=team.unit.parent, kind="cong_doan")
    result = screen(root=team.unit.parent, year=2025, award_codes=["TTLDTT"], as_of=ND152)
    screened = {v.subject_id for v in result.verdicts}
    assert team.unit.pk in screened and union.pk not in screened
