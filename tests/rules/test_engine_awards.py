"""The eligibility rules, award by award and ruleset by ruleset, each case naming its legal article.

Achievement year 2025 is judged as of 15/01/2026 (Decree 152/2025); 2024 as of 15/01/2025 (Decree
98/2023); 2022 as of 15/01/2023 (Decree 91/2017 and the 2003/2013 Law).
"""

import datetime

import pytest

from thidua.records import services as records
from thidua.rules.engine import screen

ND152 = datetime.date(2026, 1, 15)
ND98 = datetime.date(2025, 1, 15)
ND91 = datetime.date(2023, 1, 15)


def verdict_of(team, subject, award, year, as_of, **kwargs):
    root = team.unit.parent if hasattr(subject, "path") else team.unit
    result = screen(root=root, year=year, award_codes=[award], as_of=as_of, **kwargs)
    subject_kind = "collective" if hasattr(subject, "path") else "individual"
    matches = [v for v in result.for_award(award) if v.subject == subject_kind and v.subject_id == subject.pk]
    assert len(matches) == 1, f"no verdict for {subject} / {award}"
    return matches[0]


def reason(verdict, rule_id):
    return next(r for r in verdict.reasons if r.rule == rule_id)


# ---------------------------------------------------------------- LĐTT — Điều 24 Luật TĐKT 2022


def test_ldtt_good_rating_is_eligible_art24(team):
    person = team.person()
    team.rate(person, 2025, "HTTNV")
    verdict = verdict_of(team, person, "LDTT", 2025, ND152)
    assert verdict.verdict == "eligible"
    assert verdict.ruleset == "ND152_2025"
    assert reason(verdict, "rating").message == (
        "Năm 2025 xếp loại HTTNV (yêu cầu từ HTTNV trở lên) — Điều 24 Luật Thi đua, khen thưởng 2022"
    )


def test_ldtt_done_rating_is_ineligible_art24(team):
    person = team.person()
    team.rate(person, 2025, "HTNV")
    verdict = verdict_of(team, person, "LDTT", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "rating").passed is False
    assert reason(verdict, "rating").message.startswith("Năm 2025 xếp loại HTNV, chưa đạt mức HTTNV")


def test_ldtt_missing_rating_needs_review_not_ineligible(team):
    person = team.person()
    verdict = verdict_of(team, person, "LDTT", 2025, ND152)
    assert verdict.verdict == "needs_review"
    assert reason(verdict, "rating").message.startswith("Chưa có kết quả xếp loại năm 2025")


@pytest.mark.parametrize(
    ("recruited", "expected"),
    [(datetime.date(2025, 7, 1), "eligible"), (datetime.date(2025, 8, 1), "ineligible")],
    ids=["exactly-6-months", "5-months"],
)
def test_ldtt_new_hire_needs_six_months_circular_01_2024(team, recruited, expected):
    person = team.person(recruited=recruited)
    team.rate(person, 2025, "HTTNV")
    verdict = verdict_of(team, person, "LDTT", 2025, ND152)
    assert verdict.verdict == expected


def test_ldtt_new_hire_needs_ten_months_before_2024_decree_91_art10(team):
    person = team.person(recruited=datetime.date(2022, 4, 1))  # 9 months in 2022
    team.rate(person, 2022, "HTTNV")
    verdict = verdict_of(team, person, "LDTT", 2022, ND91)
    assert verdict.ruleset == "ND91_2017"
    assert verdict.verdict == "ineligible"
    assert "chưa đủ 10 tháng" in reason(verdict, "tenure").message


def test_ldtt_maternity_leave_counts_as_time_worked(team):
    person = team.person(recruited=datetime.date(2025, 1, 1))
    team.rate(person, 2025, "HTTNV")
    records.leave_create(actor=None, person=person, kind="thai_san", start=datetime.date(2025, 2, 1), end=datetime.date(2025, 7, 31))
    assert verdict_of(team, person, "LDTT", 2025, ND152).verdict == "eligible"


def test_ldtt_unpaid_leave_does_not_count(team):
    person = team.person(recruited=datetime.date(2025, 1, 1))
    team.rate(person, 2025, "HTTNV")
    records.leave_create(actor=None, person=person, kind="khong_luong", start=datetime.date(2025, 2, 1), end=datetime.date(2025, 8, 31))
    verdict = verdict_of(team, person, "LDTT", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert "mới 5 tháng, chưa đủ 6 tháng" in reason(verdict, "tenure").message


def test_ldtt_pending_investigation_defers_decree_152_art4(team):
    person = team.person()
    team.rate(person, 2025, "HTXSNV")
    records.discipline_create(actor=None, person=person, pending=True, pending_kind="dieu_tra", start=datetime.date(2025, 11, 3))
    verdict = verdict_of(team, person, "LDTT", 2025, ND152)
    assert verdict.verdict == "needs_review"
    assert reason(verdict, "pending").message == (
        "Đang bị điều tra, thanh tra, kiểm tra (từ 03/11/2025): tạm hoãn xét khen thưởng — Khoản 4 Điều 4 Nghị định 152/2025/NĐ-CP"
    )


def test_ldtt_reprimand_in_year_is_ineligible(team):
    person = team.person()
    team.rate(person, 2025, "HTTNV")
    records.discipline_create(actor=None, person=person, level="khien_trach", start=datetime.date(2025, 3, 4), end=datetime.date(2026, 3, 3))
    verdict = verdict_of(team, person, "LDTT", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "discipline").message.startswith("Bị kỷ luật khiển trách từ 04/03/2025")


# ---------------------------------------------------------------- CSTĐCS — Điều 23


def test_cstdcs_excellent_rating_suffices_under_law_2022_art23(team):
    person = team.person()
    team.rate(person, 2025, "HTXSNV")
    verdict = verdict_of(team, person, "CSTDCS", 2025, ND152)
    assert verdict.verdict == "eligible"
    assert reason(verdict, "ldtt").message == "Đạt LĐTT năm 2025 — Điều 23 Luật Thi đua, khen thưởng 2022"


def test_cstdcs_excellent_rating_without_initiative_fails_before_2024_decree_91_art9(team):
    person = team.person()
    team.rate(person, 2022, "HTXSNV")
    verdict = verdict_of(team, person, "CSTDCS", 2022, ND91)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "achievement").passed is False


def test_cstdcs_initiative_suffices_before_2024(team):
    person = team.person()
    team.rate(person, 2022, "HTTNV")
    team.initiative(person, 2022)
    assert verdict_of(team, person, "CSTDCS", 2022, ND91).verdict == "eligible"


def test_cstdcs_needs_this_years_ldtt(team):
    person = team.person()
    team.rate(person, 2025, "HTNV")
    team.initiative(person, 2025)
    verdict = verdict_of(team, person, "CSTDCS", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "ldtt").message.startswith("Chưa đạt LĐTT năm 2025")


def test_cstdcs_unapplied_research_does_not_count(team):
    person = team.person()
    team.rate(person, 2025, "HTTNV")
    team.initiative(person, 2025, kind="de_tai", applied=False)
    assert verdict_of(team, person, "CSTDCS", 2025, ND152).verdict == "ineligible"


# ---------------------------------------------------------------- CSTĐ tỉnh — Điều 22


def _cstd_tinh_candidate(team, held_years):
    person = team.person()
    for year in held_years:
        team.award(person, "CSTDCS", year)
    team.rate(person, 2025, "HTXSNV")
    team.initiative(person, 2024, scope="tinh")
    return person


def test_cstd_tinh_exactly_three_consecutive_art22(team):
    person = _cstd_tinh_candidate(team, [2023, 2024])  # 2025 comes from this screening
    verdict = verdict_of(team, person, "CSTD_TINH", 2025, ND152)
    assert verdict.verdict == "eligible"
    assert reason(verdict, "consecutive").message == (
        "Đủ 03 lần liên tục đạt CSTĐCS (2023 ✓, 2024 ✓, 2025 ✓) — Điều 22 Luật Thi đua, khen thưởng 2022"
    )


def test_cstd_tinh_gap_year_breaks_the_chain_art22(team):
    person = _cstd_tinh_candidate(team, [2022, 2023])  # 2024 missing
    verdict = verdict_of(team, person, "CSTD_TINH", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "consecutive").message == (
        "Chưa đủ 03 lần liên tục đạt CSTĐCS (2023 ✓, 2024 ✗, 2025 ✓) — Điều 22 Luật Thi đua, khen thưởng 2022"
    )


def test_cstd_tinh_needs_province_wide_initiative_art22(team):
    person = team.person()
    for year in (2023, 2024):
        team.award(person, "CSTDCS", year)
    team.rate(person, 2025, "HTXSNV")
    team.initiative(person, 2024, scope="co_so")
    verdict = verdict_of(team, person, "CSTD_TINH", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "effect").passed is False


def test_thematic_awards_do_not_count_towards_regular_ones_decree_152_art4(team):
    person = team.person()
    team.award(person, "CSTDCS", 2023)
    team.award(person, "CSTDCS", 2024, counts_for_regular=False)
    team.rate(person, 2025, "HTXSNV")
    team.initiative(person, 2024, scope="tinh")
    assert verdict_of(team, person, "CSTD_TINH", 2025, ND152).verdict == "ineligible"


def test_revoked_award_does_not_count(team):
    person = _cstd_tinh_candidate(team, [2023, 2024])
    from thidua.records.models import AwardRecord

    AwardRecord.objects.filter(person=person, period_end=2023).update(revoked=True)
    assert verdict_of(team, person, "CSTD_TINH", 2025, ND152).verdict == "ineligible"


# ---------------------------------------------------------------- collectives — Điều 27, 28


def _collective(team, *, members, ldtt, rating="HTXSNV", cstdcs=1):
    """A unit whose ``members`` people are all rated at least HTNV; ``ldtt`` of them reach LĐTT."""
    for index in range(members):
        person = team.person(f"Trần Văn Thành Viên {index:03d}")
        if index < cstdcs:
            team.rate(person, 2025, "HTXSNV")
        elif index < ldtt:
            team.rate(person, 2025, "HTTNV")
        else:
            team.rate(person, 2025, "HTNV")
    team.rate(team.unit, 2025, rating)
    return team.unit


def test_ttldxs_exactly_seventy_percent_ldtt_art27(team):
    unit = _collective(team, members=100, ldtt=70)
    verdict = verdict_of(team, unit, "TTLDXS", 2025, ND152)
    assert verdict.verdict == "eligible"
    assert reason(verdict, "members_ldtt").message.startswith("70/100 cá nhân (70%) đạt LĐTT năm 2025 (yêu cầu từ 70%)")


def test_ttldxs_sixty_nine_percent_ldtt_fails_art27(team):
    unit = _collective(team, members=100, ldtt=69)
    verdict = verdict_of(team, unit, "TTLDXS", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "members_ldtt").passed is False


def test_ttldxs_needs_one_cstdcs_art27(team):
    unit = _collective(team, members=10, ldtt=10, cstdcs=0)
    verdict = verdict_of(team, unit, "TTLDXS", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "members_cstdcs").message.startswith("0 cá nhân đạt CSTĐCS năm 2025 (cần 01)")


def test_ttldxs_member_not_done_fails(team):
    unit = _collective(team, members=10, ldtt=9)
    extra = team.person("Lê Văn Chưa Hoàn Thành")
    team.rate(extra, 2025, "KHTNV")
    verdict = verdict_of(team, unit, "TTLDXS", 2025, ND152)
    assert reason(verdict, "members_done").passed is False


@pytest.mark.parametrize(("ldtt", "expected"), [(5, "ineligible"), (6, "eligible")], ids=["exactly-50%", "60%"])
def test_ttldtt_needs_more_than_half_ldtt_art28(team, ldtt, expected):
    unit = _collective(team, members=10, ldtt=ldtt, rating="HTTNV")
    assert verdict_of(team, unit, "TTLDTT", 2025, ND152).verdict == expected


# ---------------------------------------------------------------- Bằng khen tỉnh — Điều 74, Điều 33.7 NĐ 152


def test_bang_khen_tinh_two_consecutive_cstdcs_art74(team):
    person = team.person()
    team.award(person, "CSTDCS", 2024)
    team.rate(person, 2024, "HTXSNV")
    team.rate(person, 2025, "HTXSNV")
    assert verdict_of(team, person, "BANG_KHEN_TINH", 2025, ND152).verdict == "eligible"


def test_bang_khen_tinh_two_excellent_years_and_two_initiatives_art74(team):
    person = team.person()
    team.rate(person, 2024, "HTXSNV")
    team.rate(person, 2025, "HTTNV")  # not CSTĐCS-level excellence in 2025
    team.initiative(person, 2024)
    team.initiative(person, 2025)
    verdict = verdict_of(team, person, "BANG_KHEN_TINH", 2025, ND152)
    assert verdict.verdict == "ineligible"  # 2025 was not HTXSNV
    records.rating_set(actor=None, person=person, year=2025, rating="HTXSNV")
    assert verdict_of(team, person, "BANG_KHEN_TINH", 2025, ND152).verdict == "eligible"


def test_bang_khen_tinh_counts_from_last_award_decree_152_art33(team):
    person = team.person()
    team.award(person, "BANG_KHEN_TINH", 2022, period_start=2021)
    team.award(person, "CSTDCS", 2024)
    for year, rating in [(2023, "HTNV"), (2024, "HTXSNV"), (2025, "HTXSNV")]:
        team.rate(person, year, rating)
    verdict = verdict_of(team, person, "BANG_KHEN_TINH", 2025, ND152)
    assert verdict.verdict == "ineligible"
    assert reason(verdict, "since_last").message == (
        "Kể từ lần khen năm 2022, có năm xếp loại dưới HTTNV (2023 ✗, 2024 ✓, 2025 ✓) — Khoản 7 Điều 33 Nghị định 152/2025/NĐ-CP"
    )


def test_co_thi_dua_always_needs_a_human_for_the_cluster_ranking_art26(team):
    unit = _collective(team, members=10, ldtt=10)
    verdict = verdict_of(team, unit, "CO_THI_DUA_TINH", 2025, ND152)
    assert verdict.verdict == "needs_review"
    assert reason(verdict, "leading").message.startswith("Cần xác nhận: Xác nhận kết quả chấm điểm")


# ---------------------------------------------------------------- the ruleset in force on a date


@pytest.mark.parametrize(
    ("as_of", "code"),
    [
        (datetime.date(2023, 12, 31), "ND91_2017"),
        (datetime.date(2024, 1, 1), "ND98_2023"),
        (datetime.date(2025, 6, 30), "ND98_2023"),
        (datetime.date(2025, 7, 1), "ND152_2025"),
        (datetime.date(2027, 2, 28), "ND152_2025"),
    ],
)
def test_ruleset_in_force_on_the_day_a_decree_takes_effect(db, as_of, code):
    from thidua.rules.rulesets import ruleset_for

    ruleset = ruleset_for(as_of)
    assert ruleset.code == code
    assert ruleset.beyond_validity is False


def test_ruleset_after_the_newest_expires_is_flagged(db):
    from thidua.rules.rulesets import ruleset_for

    ruleset = ruleset_for(datetime.date(2027, 3, 1))
    assert ruleset.code == "ND152_2025"
    assert ruleset.beyond_validity is True


# ---------------------------------------------------------------- CSTĐ toàn quốc — Điều 21


@pytest.mark.parametrize(("earlier", "expected"), [(2022, "eligible"), (2023, "ineligible")], ids=["two-periods", "overlap"])
def test_cstd_toan_quoc_needs_two_consecutive_three_year_cstd_tinh_art21(team, earlier, expected):
    person = team.person()
    team.award(person, "CSTD_TINH", earlier, period_start=earlier - 2)
    team.award(person, "CSTD_TINH", 2025, period_start=2023)
    team.initiative(person, 2024, scope="toan_quoc")
    verdict = verdict_of(team, person, "CSTD_TOAN_QUOC", 2025, ND152)
    assert verdict.verdict == expected
    held = "✓" if expected == "eligible" else "✗"
    assert reason(verdict, "consecutive").message.startswith(f"{'Đủ' if held == '✓' else 'Chưa đủ'} 02 lần liên tục đạt CSTĐ tỉnh (2022 {held}, 2025 ✓)")
