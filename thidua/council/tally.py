"""The arithmetic of a council vote: thresholds, quorum and ties, from the ruleset's ``parameters.votes``
and ``parameters.quorum``, computed with exact fractions (0.9 is 9/10, never 0.90000000000000002).

``parameters.votes`` holds one entry per award code and a ``default``:

    {"min_share": 0.9, "strict": false, "of": "all_members", "source": "…", "certainty": "verified"}

- ``of``: ``all_members`` — the share is counted on every member of the council in term on the session
  date, present or not (Law 2022, what the law asks for national titles); ``present`` — on the members
  present plus those who voted in writing;
- ``strict``: true means the share must be *more than* ``min_share`` ("trên 50%"), false *at least*
  ("từ 90% trở lên").

``parameters.quorum``: ``min_share`` of the members must be present for voting to open;
``absent_may_vote_in_writing``; ``tie``: what a tie (as many yes as no votes) does — ``rejected``: the
nominee is not approved even if the threshold is reached; any other value: the threshold alone decides.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from thidua.council.enums import ItemResult
from thidua.council.selectors import parse_share

ALL_MEMBERS = "all_members"
PRESENT = "present"
TIE_REJECTS = "rejected"


@dataclass(frozen=True)
class VoteRule:
    min_share: Fraction
    strict: bool
    of: str
    source: str
    certainty: str

    @property
    def verified(self) -> bool:
        return self.certainty == "verified"

    def describe(self) -> str:
        """"trên 50% tổng số thành viên Hội đồng" / "từ 90% trở lên …"."""
        share = percent(self.min_share, places=2, trim=True)
        base = _("tổng số thành viên Hội đồng") if self.of == ALL_MEMBERS else _("số thành viên dự họp và có ý kiến bằng văn bản")
        if self.strict:
            return _("trên %(share)s %(base)s") % {"share": share, "base": base}
        return _("từ %(share)s %(base)s trở lên") % {"share": share, "base": base}


def vote_rule(votes: dict, award_code: str) -> VoteRule:
    entry = (votes or {}).get(award_code) or (votes or {}).get("default") or {}
    return VoteRule(
        min_share=parse_share(entry.get("min_share", "0.5")),
        strict=bool(entry.get("strict", True)),
        of=entry.get("of", ALL_MEMBERS) if entry.get("of") in (ALL_MEMBERS, PRESENT) else ALL_MEMBERS,
        source=str(entry.get("source", "")),
        certainty=str(entry.get("certainty", "")),
    )


def percent(value, *, places: int = 2, trim: bool = False) -> str:
    """A share as a Vietnamese percentage: 0.9 → "90,00%" (``trim``: "90%"), 0.66666… → "66,67%"."""
    amount = (Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)) * 100
    text = f"{amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


@dataclass(frozen=True)
class Outcome:
    yes: int
    no: int
    abstain: int
    base: int
    share: Decimal | None
    passed: bool
    tie: bool
    reason: str

    @property
    def result(self) -> str:
        return ItemResult.APPROVED if self.passed else ItemResult.REJECTED


def decide(*, yes: int, no: int, abstain: int, members: int, present: int, written: int, rule: VoteRule, tie: str = TIE_REJECTS) -> Outcome:
    """The result of one nominee's vote. ``present`` counts the members present (whether they voted on
    screen or on paper), ``written`` the absent members whose written vote was entered."""
    base = members if rule.of == ALL_MEMBERS else present + written
    share_fraction = Fraction(yes, base) if base else Fraction(0)
    reached = base > 0 and (share_fraction > rule.min_share if rule.strict else share_fraction >= rule.min_share)
    is_tie = yes == no and yes > 0
    passed = reached and not (is_tie and tie == TIE_REJECTS)
    share = (Decimal(yes) / Decimal(base)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if base else None
    counted = _("%(yes)d/%(base)d đồng ý (%(share)s)") % {"yes": yes, "base": base, "share": percent(share_fraction)}
    if is_tie and tie == TIE_REJECTS and reached:
        reason = _("%(counted)s; số phiếu đồng ý bằng số phiếu không đồng ý: theo quy chế, không thông qua.") % {"counted": counted}
    elif passed:
        reason = _("%(counted)s; đạt yêu cầu %(rule)s.") % {"counted": counted, "rule": rule.describe()}
    else:
        reason = _("%(counted)s; chưa đạt yêu cầu %(rule)s.") % {"counted": counted, "rule": rule.describe()}
    return Outcome(yes=yes, no=no, abstain=abstain, base=base, share=share, passed=passed, tie=is_tie, reason=reason)
