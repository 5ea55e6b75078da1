"""Reads on councils and sessions, and who may do what in them.

Two sources of rights, kept apart on purpose:

- the permission table (``accounts.scopes``): ``council.manage`` (admins, emulation officers) creates
  councils and edits their members on units in scope; ``council.view`` reads the councils, sessions and
  closed tallies of units in scope (auditors, signers, officers, council roles);
- membership of the council itself, on a date: a member whose term covers the session's date sees the
  session and may vote in it (``membership_of``); the member whose role is ``secretary`` prepares and runs
  the session (``is_secretary``). Nobody votes with anyone else's account: a ballot is always the
  caller's own, found through their own membership.

Nothing here reads how anyone voted: there is nothing to read (see ``ballots.py``).
"""

import datetime
import hashlib
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from thidua.accounts import scopes
from thidua.council.enums import ACTIVE_STATUSES, Choice, MemberRole, SessionStatus, VoteSource
from thidua.council.models import (
    AgendaItem,
    Attendance,
    Council,
    Membership,
    PaperTally,
    Participation,
    Receipt,
    Session,
    TallyCounter,
)
from thidua.nominations.enums import NominationStatus, NomineeStatus
from thidua.nominations.models import Nominee

# ---------------------------------------------------------------- membership


def memberships_on(council: Council, day: datetime.date) -> QuerySet[Membership]:
    """The members whose term covers ``day``, chair first."""
    order = {role: index for index, role in enumerate(MemberRole.values)}
    rows = (
        Membership.objects.filter(council=council, start_on__lte=day)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=day))
        .select_related("user__person")
    )
    return sorted(rows, key=lambda m: (order.get(m.role, 99), m.start_on, m.pk))


def membership_of(user, council: Council, on: datetime.date) -> Membership | None:
    """The user's membership of ``council`` whose term covers ``on`` (None when not a member then)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return (
        Membership.objects.filter(council=council, user=user, start_on__lte=on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .select_related("user__person")
        .first()
    )


def is_secretary(user, session: Session) -> bool:
    membership = membership_of(user, session.council, session.held_on)
    return membership is not None and membership.role == MemberRole.SECRETARY


def can_manage(user, council: Council) -> bool:
    return scopes.can(user, "council.manage", council.unit)


# ---------------------------------------------------------------- visibility


def councils_visible_to(user) -> QuerySet[Council]:
    """Councils of units in the user's ``council.view`` or ``council.manage`` scope, and councils the user
    has ever been a member of."""
    condition = scopes.scope_q(user, "council.view", "unit__path") | scopes.scope_q(user, "council.manage", "unit__path")
    if getattr(user, "is_authenticated", False):
        condition |= Q(pk__in=Membership.objects.filter(user=user).values("council"))
    return Council.objects.filter(condition).select_related("unit")


def sessions_visible_to(user) -> QuerySet[Session]:
    return Session.objects.filter(council__in=councils_visible_to(user).values("pk")).select_related("council__unit")


def access_council(user, pk) -> Council:
    try:
        return councils_visible_to(user).get(pk=pk)
    except (Council.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_session(user, pk) -> Session:
    try:
        return sessions_visible_to(user).get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def councils_run_by(user) -> QuerySet[Council]:
    """Councils in which the user is the secretary today (may prepare sessions)."""
    from django.utils import timezone

    today = timezone.localdate()
    ids = Membership.objects.filter(user=user, role=MemberRole.SECRETARY, start_on__lte=today).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    ).values("council")
    return Council.objects.filter(pk__in=ids).select_related("unit")


# ---------------------------------------------------------------- the agenda


def nominees_awaiting(council: Council, *, session: Session | None = None) -> QuerySet[Nominee]:
    """Nominees the council may put on an agenda: waiting in the council (``in_council``) in dossiers
    that are in the council, of rounds whose awarding unit is the council's unit, and not already on the
    agenda of another session that is still being prepared or voting (``session``'s own agenda does not
    count as taken)."""
    taken = AgendaItem.objects.filter(session__status__in=ACTIVE_STATUSES)
    if session is not None:
        taken = taken.exclude(session=session)
    taken = taken.values("nominee")
    return (
        Nominee.objects.filter(
            status=NomineeStatus.IN_COUNCIL,
            nomination__status=NominationStatus.IN_COUNCIL,
            nomination__round__awarding_unit=council.unit,
        )
        .exclude(pk__in=taken)
        .select_related("person", "unit", "award", "nomination__proposing_unit", "nomination__round")
        .order_by("-award__precedence", "award__name", "nomination__proposing_unit__path", "id")
    )


def agenda(session: Session) -> list[AgendaItem]:
    return list(
        session.items.select_related("nominee__person", "nominee__unit", "nominee__award", "nominee__nomination__proposing_unit")
        .order_by("-nominee__award__precedence", "nominee__award__name", "position", "id")
    )


@dataclass
class AwardGroup:
    award: object
    items: list


def grouped_by_award(items, nominee_of=None) -> list[AwardGroup]:
    """Agenda items (or nominees, or anything ``nominee_of`` maps to a nominee) grouped by award, in the
    order given."""
    groups: dict[int, AwardGroup] = {}
    for item in items:
        nominee = nominee_of(item) if nominee_of else getattr(item, "nominee", item)
        group = groups.get(nominee.award_id)
        if group is None:
            group = groups[nominee.award_id] = AwardGroup(award=nominee.award, items=[])
        group.items.append(item)
    return list(groups.values())


def subject_name(nominee: Nominee) -> str:
    if nominee.person_id:
        return nominee.person.full_name
    if nominee.unit_id:
        return nominee.unit.name
    return nominee.household_name


# ---------------------------------------------------------------- attendance and progress


def roster(session: Session) -> list[Attendance]:
    """The attendance rows, or — before any is stored — the members in term, all absent (unsaved rows)."""
    rows = list(session.attendance.select_related("membership__user__person"))
    if rows:
        order = {role: index for index, role in enumerate(MemberRole.values)}
        return sorted(rows, key=lambda a: (order.get(a.membership.role, 99), a.membership.start_on, a.membership_id))
    return [Attendance(session=session, membership=m, present=False) for m in memberships_on(session.council, session.held_on)]


@dataclass
class Progress:
    """How many have voted — never how."""

    members: int
    present: int
    voted: int  # present members who cast an electronic ballot
    written: int  # absent members whose written vote was entered
    receipts: int

    @property
    def participants(self) -> int:
        return self.voted + self.written


def progress(session: Session) -> Progress:
    participation = Participation.objects.filter(session=session).aggregate(
        electronic=Count("pk", filter=Q(source=VoteSource.ELECTRONIC)), written=Count("pk", filter=Q(source=VoteSource.WRITTEN))
    )
    attendance = Attendance.objects.filter(session=session).aggregate(total=Count("pk"), present=Count("pk", filter=Q(present=True)))
    members = session.members_total if session.members_total is not None else (attendance["total"] or len(memberships_on(session.council, session.held_on)))
    return Progress(
        members=members,
        present=session.present_total if session.present_total is not None else attendance["present"],
        voted=participation["electronic"],
        written=participation["written"],
        receipts=Receipt.objects.filter(session=session).count(),
    )


def has_participated(session: Session, membership: Membership | None) -> bool:
    return membership is not None and Participation.objects.filter(session=session, membership=membership).exists()


def written_participations(session: Session) -> list[Participation]:
    return list(Participation.objects.filter(session=session, source=VoteSource.WRITTEN).select_related("membership__user__person"))


def paper_tallies(session: Session) -> dict[int, PaperTally]:
    return {row.nominee_id: row for row in PaperTally.objects.filter(session=session)}


def counter_totals(session: Session) -> dict[int, dict[str, int]]:
    """{nominee id: {choice: electronic + written count}} (the system-counted votes)."""
    totals: dict[int, dict[str, int]] = {}
    for nominee_id, choice, count in TallyCounter.objects.filter(session=session).values_list("nominee", "choice", "count"):
        totals.setdefault(nominee_id, dict.fromkeys(Choice.values, 0))[choice] += count
    return totals


# ---------------------------------------------------------------- receipts


def receipt_hash(code: str) -> str:
    return hashlib.sha256((code or "").strip().encode()).hexdigest()


def receipt_hashes(session: Session) -> list[str]:
    """Sorted by value, never by insertion: the list must not replay the order in which members voted."""
    return sorted(Receipt.objects.filter(session=session).values_list("code_hash", flat=True))


def receipt_fingerprint(session: Session) -> str:
    """One hash over the sorted receipt hashes: printed in the vote-count report, shown on the page."""
    return hashlib.sha256("\n".join(receipt_hashes(session)).encode()).hexdigest()


def receipt_counted(session: Session, code: str) -> bool:
    return bool((code or "").strip()) and Receipt.objects.filter(session=session, code_hash=receipt_hash(code)).exists()


# ---------------------------------------------------------------- rules


def parse_share(value) -> Fraction:
    """A share from the ruleset as an exact fraction: 0.9 → 9/10 (through its decimal text, not the
    binary float), "2/3" → 2/3. A rounded decimal of a simple fraction means that fraction: the rulesets
    write two thirds as 0.6667, and 9 members × 0.6667 must need 6 present, not 7."""
    share = Fraction(str(value))
    simple = share.limit_denominator(12)
    return simple if abs(share - simple) < Fraction(1, 10_000) else share


def quorum_needed(members: int, min_share) -> int:
    """The smallest number present with present ≥ min_share × members (exact)."""
    needed = parse_share(min_share) * members
    whole = needed.numerator // needed.denominator
    return whole if whole == needed else whole + 1


def sessions_filtered(queryset: QuerySet[Session], *, council=None, status: str = "", year: int | None = None) -> QuerySet[Session]:
    if council is not None:
        queryset = queryset.filter(council=council)
    if status in SessionStatus.values:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(held_on__year=year)
    return queryset
