"""The arithmetic of a vote, at its exact boundaries: thresholds on all members vs those present, strict
and non-strict shares, ties, quorum — with exact fractions."""

from fractions import Fraction

import pytest

from thidua.council.selectors import parse_share, quorum_needed
from thidua.council.tally import ALL_MEMBERS, PRESENT, VoteRule, decide, percent, vote_rule


def _rule(share, *, strict=False, of=ALL_MEMBERS):
    return VoteRule(min_share=parse_share(share), strict=strict, of=of, source="", certainty="verified")


@pytest.mark.parametrize(("yes", "passed"), [(9, True), (8, False), (10, True)])
def test_ninety_percent_of_ten_members_is_nine(yes, passed):
    outcome = decide(yes=yes, no=10 - yes, abstain=0, members=10, present=10, written=0, rule=_rule(0.9))
    assert outcome.passed is passed
    assert outcome.base == 10


def test_ninety_percent_is_exact_not_a_float():
    # 0.9 as a binary float is 0.90000000000000002220…; 9/10 must still pass.
    assert parse_share(0.9) == Fraction(9, 10)
    assert decide(yes=9, no=0, abstain=1, members=10, present=10, written=0, rule=_rule(0.9)).passed is True
    assert decide(yes=27, no=3, abstain=0, members=30, present=30, written=0, rule=_rule(0.9)).passed is True


@pytest.mark.parametrize(("yes", "passed"), [(5, False), (6, True)])
def test_strict_half_of_ten_needs_more_than_five(yes, passed):
    assert decide(yes=yes, no=0, abstain=10 - yes, members=10, present=10, written=0, rule=_rule(0.5, strict=True)).passed is passed


def test_non_strict_half_of_ten_takes_five():
    assert decide(yes=5, no=0, abstain=5, members=10, present=10, written=0, rule=_rule(0.5)).passed is True


def test_share_on_all_members_counts_the_absent():
    # 7 of 10 present, 6 say yes: 6/10 on all members, 6/7 on those present.
    all_members = decide(yes=6, no=1, abstain=0, members=10, present=7, written=0, rule=_rule(0.9))
    present = decide(yes=6, no=1, abstain=0, members=10, present=7, written=0, rule=_rule(0.8, of=PRESENT))
    assert (all_members.base, all_members.passed) == (10, False)
    assert (present.base, present.passed) == (7, True)  # 6/7 = 85.7% ≥ 80%


def test_present_base_includes_written_votes():
    outcome = decide(yes=6, no=2, abstain=0, members=10, present=6, written=2, rule=_rule(0.75, of=PRESENT))
    assert outcome.base == 8
    assert outcome.passed is True  # 6/8 = 75% exactly, non-strict


def test_a_tie_rejects_when_the_ruleset_says_so_even_above_the_threshold():
    rule = _rule(0.4, of=PRESENT)
    assert decide(yes=4, no=4, abstain=2, members=10, present=10, written=0, rule=rule, tie="rejected").passed is False
    assert decide(yes=4, no=4, abstain=2, members=10, present=10, written=0, rule=rule, tie="threshold").passed is True


def test_share_is_stored_with_four_decimals_and_shown_the_vietnamese_way():
    outcome = decide(yes=2, no=1, abstain=0, members=3, present=3, written=0, rule=_rule(0.5, strict=True))
    assert str(outcome.share) == "0.6667"
    assert percent(Fraction(2, 3)) == "66,67%"
    assert percent(Fraction(9, 10), trim=True) == "90%"
    assert "2/3 đồng ý (66,67%)" in outcome.reason


@pytest.mark.parametrize(("members", "share", "needed"), [(10, 0.6667, 7), (9, 0.6667, 6), (9, "2/3", 6), (9, 0.5, 5), (8, 0.5, 4), (3, 1, 3), (20, 0.905, 19)])
def test_quorum_needed_is_the_exact_ceiling(members, share, needed):
    assert quorum_needed(members, share) == needed


def test_vote_rule_falls_back_to_default_and_reads_certainty():
    votes = {"CSTD_TINH": {"min_share": 0.9, "strict": False, "of": "all_members", "source": "ND 91", "certainty": "provincial"},
             "default": {"min_share": 0.5, "strict": True, "of": "present", "source": "Quy chế", "certainty": "verified"}}
    assert vote_rule(votes, "CSTD_TINH").min_share == Fraction(9, 10)
    assert vote_rule(votes, "CSTD_TINH").verified is False
    default = vote_rule(votes, "GIAY_KHEN")
    assert (default.min_share, default.strict, default.of, default.verified) == (Fraction(1, 2), True, PRESENT, True)
    assert default.describe() == "trên 50% số thành viên dự họp và có ý kiến bằng văn bản"
