"""Reads on rounds and dossiers, always scoped: a dossier is seen by the proposing unit (``nomination.propose``
on it) and by the awarding unit (``nomination.appraise`` on the round's awarding unit)."""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.accounts import scopes
from thidua.common.workdays import holidays_between, working_days_between
from thidua.nominations.enums import AWARDER, NOMINATION_TRANSITIONS, PROPOSER, NominationStatus
from thidua.nominations.models import Nomination, Round
from thidua.organizations.models import PATH_SEGMENT_WIDTH, PATH_SEPARATOR

SEGMENT = PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)


def _statuses_for(side: str) -> list[str]:
    """Statuses from which the given side may move a dossier (read from the transition table)."""
    return [str(source) for source, targets in NOMINATION_TRANSITIONS.items() if side in targets.values()]


PROPOSER_STATUSES = _statuses_for(PROPOSER)
AWARDER_STATUSES = _statuses_for(AWARDER)


def rounds_visible_to(user) -> QuerySet[Round]:
    """Rounds the user runs (appraise on the awarding unit) or may propose to (the awarding unit's
    subtree, or one of the accepted units, lies in the user's propose scope)."""
    paths = scopes.scope_paths(user, "nomination.propose")
    condition = scopes.scope_q(user, "nomination.appraise", "awarding_unit__path")
    if paths is None:
        condition = Q()
    else:
        for path in paths:
            # A proposer sees rounds opened above or inside its unit: the round may accept it.
            condition |= Q(awarding_unit__path__startswith=path) | Q(accepted_units__path__startswith=path)
            prefixes = [path[:end] for end in range(SEGMENT, len(path) + 1, SEGMENT)]
            condition |= Q(awarding_unit__path__in=prefixes) | Q(accepted_units__path__in=prefixes)
    ids = Round.objects.filter(condition).values("pk")
    return Round.objects.filter(pk__in=ids).select_related("awarding_unit")


def nominations_visible_to(user) -> QuerySet[Nomination]:
    condition = scopes.scope_q(user, "nomination.propose", "proposing_unit__path") | scopes.scope_q(
        user, "nomination.appraise", "round__awarding_unit__path"
    )
    return Nomination.objects.filter(condition).select_related("round__awarding_unit", "proposing_unit")


def waiting_for(user, nominations: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """Dossiers on which the user may take a step now: the same answer as a non-empty
    ``services.transitions_allowed_for``, computed in the database from the table's sides."""
    proposer = Q(status__in=PROPOSER_STATUSES) & scopes.scope_q(user, "nomination.propose", "proposing_unit__path")
    awarder = Q(status__in=AWARDER_STATUSES) & scopes.scope_q(user, "nomination.appraise", "round__awarding_unit__path")
    return nominations.filter(proposer | awarder)


def access_nomination(user, pk) -> Nomination:
    try:
        return nominations_visible_to(user).get(pk=pk)
    except (Nomination.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_round(user, pk) -> Round:
    try:
        return rounds_visible_to(user).get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def nomination_units(nominations: QuerySet[Nomination]):
    from thidua.organizations.models import Unit

    return Unit.objects.filter(pk__in=nominations.values("proposing_unit")).order_by("path")


def nomination_rounds(nominations: QuerySet[Nomination]):
    return Round.objects.filter(pk__in=nominations.values("round")).order_by("-submission_deadline", "title")


def nomination_awards(nominations: QuerySet[Nomination]):
    from thidua.rules.models import AwardType

    return AwardType.objects.filter(pk__in=nominations.values("nominees__award")).order_by("precedence", "name")


def appraisal_days_left_many(nominations, today: datetime.date) -> dict[int, int]:
    """``services.appraisal_days_left`` for a page of dossiers under review, with one holiday query for
    the page instead of one per dossier (same rule: weekdays not in the holiday calendar)."""
    due = {n.pk: n.appraisal_due for n in nominations if n.status == NominationStatus.UNDER_REVIEW and n.appraisal_due}
    if not due:
        return {}
    holidays = holidays_between(min([today, *due.values()]), max([today, *due.values()]))
    return {pk: working_days_between(today, day, holidays) for pk, day in due.items()}


def appraising_officers(nomination: Nomination):
    """Active users who may appraise for the round's awarding unit (a role on it or above it)."""
    from thidua.accounts.models import User

    paths = nomination.round.awarding_unit.ancestor_paths()
    users = User.objects.filter(is_active=True, roles__role__in=scopes.PERMISSIONS["nomination.appraise"], roles__unit__path__in=paths)
    return users.distinct().select_related("person").order_by("last_name", "first_name", "username")


def timeline(nomination: Nomination) -> list:
    """The dossier's steps, each submission after the first carrying ``changes``: what the unit changed
    since its previous submission (from the snapshots stored when sending)."""
    from thidua.nominations.models import NominationTransition
    from thidua.nominations.services import snapshot_changes

    steps = list(NominationTransition.objects.filter(nomination=nomination).select_related("by__person"))
    previous = None
    for step in steps:
        step.changes = []
        if step.to_status == NominationStatus.SUBMITTED and step.snapshot:
            if previous is not None:
                step.changes = snapshot_changes(previous, step.snapshot) or [_no_change()]
            previous = step.snapshot
    return steps


def _no_change() -> str:
    from django.utils.translation import gettext as _

    return _("Không có thay đổi về đề nghị và tài liệu so với lần gửi trước.")


def proposable_people(user, nomination: Nomination):
    """People the proposing unit may propose: visible to the user and working in its subtree now or
    during the round's period (see ``services._belongs_to_proposer``)."""
    from thidua.nominations.services import round_period_dates
    from thidua.organizations.models import Employment
    from thidua.organizations.selectors import people_visible_to

    root = nomination.proposing_unit.path
    start, end = round_period_dates(nomination.round)
    worked = Employment.objects.filter(unit__path__startswith=root, start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    people = people_visible_to(user, "person.view").filter(Q(current_unit__path__startswith=root) | Q(pk__in=worked.values("person")))
    return people.select_related("current_unit").order_by("sort_key", "id")
