"""Reads on movements that depend on who asks. Views and the API fetch movements only through
``movements_visible_to`` and ``access_movement``.

A movement is seen by the people of its launching unit (``movement.view`` there) and by the people of
the units taking part once it has been launched: a draft is the launching unit's working paper.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from thidua.accounts import scopes
from thidua.common import notifications
from thidua.common.models import Deadline
from thidua.movements.enums import MovementStatus, Participation, RegistrationStatus
from thidua.movements.models import Movement, Registration, ReviewReport, ReviewRequest
from thidua.movements.services import participating_units
from thidua.organizations.models import PATH_SEGMENT_WIDTH, PATH_SEPARATOR, Unit

_SEGMENT = PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)


def _ancestors_and_self(path: str) -> list[str]:
    return [path[:end] for end in range(_SEGMENT, len(path) + 1, _SEGMENT)]


def movements_visible_to(user, permission: str = "movement.view") -> QuerySet[Movement]:
    """Movements launched by a unit in the user's scope, and launched or closed movements in which a
    unit of the user's scope takes part: the launching unit's subtree, or a chosen unit (with its own
    subtree, whose members register on its behalf)."""
    queryset = Movement.objects.all()
    paths = scopes.scope_paths(user, permission)
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    chosen = Movement.chosen_units.through.objects
    launched = ~Q(status=MovementStatus.DRAFT)
    condition = Q()
    for path in paths:
        # The user's scope is the subtree at ``path``: it meets a participating subtree rooted at R
        # when R lies inside it (R.path starts with path) or contains it (R.path is an ancestor).
        around = _ancestors_and_self(path)
        chosen_ids = chosen.filter(Q(unit__path__startswith=path) | Q(unit__path__in=around)).values(
            "movement_id"
        )
        condition |= Q(launching_unit__path__startswith=path)
        condition |= launched & Q(participation=Participation.SUBTREE, launching_unit__path__in=around)
        condition |= launched & Q(participation=Participation.CHOSEN, pk__in=chosen_ids)
    return queryset.filter(condition)


def access_movement(user, pk, permission: str = "movement.view") -> Movement:
    """The movement if the user may see it; 404 otherwise (other agencies' movements are not disclosed)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    movement = (
        movements_visible_to(user, permission)
        .select_related("launching_unit__parent", "parent", "created_by")
        .filter(pk=pk)
        .first()
    )
    if movement is None:
        raise Http404
    return movement


def can_manage(user, movement: Movement) -> bool:
    return scopes.can(user, "movement.manage", movement.launching_unit)


def movement_list(user) -> QuerySet[Movement]:
    """Visible movements in list order: newest five-year movement first, each followed by its rounds."""
    return (
        movements_visible_to(user)
        .select_related("launching_unit", "parent")
        .annotate(
            group_start=Coalesce("parent__start", "start"),
            group_id=Coalesce("parent_id", "id"),
        )
        .order_by("-group_start", "group_id", F("parent_id").asc(nulls_first=True), "start", "id")
    )


def launching_units_of(queryset: QuerySet[Movement]) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=queryset.values("launching_unit_id")).order_by("path"))


def movement_years(queryset: QuerySet[Movement]) -> list[int]:
    """Every year touched by a visible movement, newest first (for the year filter)."""
    bounds = queryset.order_by().values_list("start__year", "end__year").distinct()
    years: set[int] = set()
    for first, last in bounds:
        years.update(range(first, last + 1))
    return sorted(years, reverse=True)


def parent_choices(user, *, exclude: Movement | None = None) -> QuerySet[Movement]:
    """Movements that can hold rounds: top-level, not closed, launched by a unit the user manages."""
    queryset = (
        Movement.objects.filter(scopes.scope_q(user, "movement.manage", path_field="launching_unit__path"))
        .filter(parent__isnull=True)
        .exclude(status=MovementStatus.CLOSED)
        .select_related("launching_unit")
        .order_by("-start", "title")
    )
    if exclude is not None and exclude.pk:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset


def ongoing_movements(user, limit: int = 8) -> list[Movement]:
    return list(
        movements_visible_to(user)
        .filter(status=MovementStatus.LAUNCHED)
        .select_related("launching_unit")
        .order_by("end", "title")[:limit]
    )


# ---------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Due:
    """Days to a deadline (negative when past); ``settled`` when nothing is owed any more, so a past
    date is not shown as overdue."""

    day: datetime.date
    days: int
    settled: bool = False

    @property
    def late(self) -> int:
        return max(0, -self.days)

    @property
    def overdue(self) -> bool:
        return self.days < 0 and not self.settled


def due(day: datetime.date | None, today: datetime.date, *, settled: bool = False) -> Due | None:
    return Due(day=day, days=(day - today).days, settled=settled) if day else None


def open_deadlines(user, *, today: datetime.date | None = None, limit: int = 12) -> list[Deadline]:
    """The open deadlines of the units in the user's scope, soonest (and overdue) first, each with
    ``due`` set."""
    today = today or timezone.localdate()
    queryset = notifications.deadlines_open(scopes.scope_q(user, "movement.view", path_field="unit__path"))
    rows = list(queryset.order_by("due_on", "id")[:limit])
    for row in rows:
        row.due = due(row.due_on, today)
    return rows


# ---------------------------------------------------------------- the movement's dashboard


@dataclass
class UnitProgress:
    unit: Unit
    registered_collective: bool = False
    registered_people: int = 0
    reported: list[bool] = field(default_factory=list)

    @property
    def registered(self) -> bool:
        return self.registered_collective or self.registered_people > 0


@dataclass
class ReviewProgress:
    request: ReviewRequest
    reported: int
    missing: list[Unit]
    due: Due

    SHOWN = 5

    @property
    def missing_shown(self) -> list[Unit]:
        return self.missing[: self.SHOWN]

    @property
    def missing_more(self) -> int:
        return max(0, len(self.missing) - self.SHOWN)


@dataclass
class MovementDashboard:
    units: list[UnitProgress]
    registered_units: int
    unregistered: list[Unit]
    registration_count: int
    people_registered: int
    pending_registrations: int
    reviews: list[ReviewProgress]
    registration_due: Due | None

    @property
    def unit_count(self) -> int:
        return len(self.units)


def movement_dashboard(movement: Movement, *, today: datetime.date | None = None) -> MovementDashboard:
    """Participating units, who has registered and reported, and the days left to each deadline.
    A fixed number of queries, whatever the number of units."""
    today = today or timezone.localdate()
    units = list(participating_units(movement))
    # A refused registration does not count as registered (the unit is reminded again).
    by_unit = {
        row["on_behalf_of"]: row
        for row in Registration.objects.filter(movement=movement)
        .exclude(status=RegistrationStatus.REJECTED)
        .values("on_behalf_of")
        .annotate(
            collective=Count("pk", filter=Q(unit__isnull=False)),
            people=Count("pk", filter=Q(person__isnull=False)),
            pending=Count("pk", filter=Q(status=RegistrationStatus.SUBMITTED)),
        )
        .order_by()
    }
    requests = list(movement.review_requests.order_by("deadline", "id"))
    reported = set(
        ReviewReport.objects.filter(request__movement=movement).values_list("request_id", "unit_id")
    )
    progress = []
    for unit in units:
        row = by_unit.get(unit.pk, {})
        progress.append(
            UnitProgress(
                unit=unit,
                registered_collective=bool(row.get("collective")),
                registered_people=row.get("people", 0),
                reported=[(request.pk, unit.pk) in reported for request in requests],
            )
        )
    reviews = []
    for index, request in enumerate(requests):
        missing = [item.unit for item in progress if not item.reported[index]]
        reviews.append(
            ReviewProgress(
                request=request,
                reported=len(progress) - len(missing),
                missing=missing,
                due=due(
                    request.deadline, today, settled=not missing or movement.status == MovementStatus.CLOSED
                ),
            )
        )
    unregistered = [item.unit for item in progress if not item.registered]
    return MovementDashboard(
        units=progress,
        registered_units=sum(1 for item in progress if item.registered),
        unregistered=unregistered,
        registration_count=sum(row["collective"] + row["people"] for row in by_unit.values()),
        people_registered=sum(row["people"] for row in by_unit.values()),
        pending_registrations=sum(row["pending"] for row in by_unit.values()),
        reviews=reviews,
        registration_due=due(
            movement.registration_deadline,
            today,
            settled=not unregistered or movement.status != MovementStatus.LAUNCHED,
        ),
    )


# ================================================================ participation
# Registrations and review reports, read for the participation pages (views_participation.py).


def _titles(movement: Movement, subject_field: str) -> list:
    from thidua.rules.enums import AwardCategory
    from thidua.rules.models import AwardType

    planned = [
        award
        for award in movement.planned_awards.order_by("category", "-precedence", "code")
        if award.category == AwardCategory.TITLE and award.is_active and getattr(award, subject_field)
    ]
    if planned:
        return planned
    # Nothing planned for this kind of subject: any title of the catalog may be aimed for.
    return list(
        AwardType.objects.filter(
            category=AwardCategory.TITLE, is_active=True, **{subject_field: True}
        ).order_by("-precedence", "code")
    )


def individual_titles(movement: Movement) -> list:
    """The titles a person may register for: the movement's planned individual titles, else the catalog's."""
    return _titles(movement, "for_individual")


def collective_titles(movement: Movement) -> list:
    """The titles a unit may register for: the movement's planned collective titles, else the catalog's."""
    return _titles(movement, "for_collective")


def participating_unit_of(movement: Movement, unit: Unit | None) -> Unit | None:
    """The participating unit ``unit`` counts for (itself or its nearest participating ancestor)."""
    if unit is None:
        return None
    participants = {
        item.path: item for item in participating_units(movement).filter(path__in=unit.ancestor_paths())
    }
    for path in reversed(unit.ancestor_paths()):
        if path in participants:
            return participants[path]
    return None


def units_acting_for(user, movement: Movement, permission: str) -> list[Unit]:
    """Participating units on which the user holds the permission (registration.manage, review.submit)."""
    return list(
        participating_units(movement)
        .filter(scopes.scope_q(user, permission))
        .only("code", "name", "short_name", "depth", "path", "parent_id")
    )


def own_unit_among(user, units: list[Unit], permission: str) -> Unit | None:
    """The unit the user's role is held on, when it is among ``units`` (the page's default)."""
    paths = scopes.scope_paths(user, permission) or []
    for unit in units:
        if unit.path in paths:
            return unit
    return units[0] if units else None


def unit_registrations(movement: Movement, unit: Unit) -> tuple[Registration | None, dict[int, Registration]]:
    """The unit's own (collective) registration, and its people's registrations by person id."""
    collective = Registration.objects.filter(movement=movement, unit=unit).prefetch_related("awards").first()
    people = {
        registration.person_id: registration
        for registration in Registration.objects.filter(
            movement=movement, person__current_unit__path__startswith=unit.path
        ).prefetch_related("awards")
    }
    return collective, people


def pending_registrations(movement: Movement, unit: Unit) -> list[Registration]:
    """Self-registrations of the unit's people awaiting the manager's decision."""
    return list(
        Registration.objects.filter(
            movement=movement,
            status=RegistrationStatus.SUBMITTED,
            person__current_unit__path__startswith=unit.path,
        )
        .select_related("person__current_unit")
        .prefetch_related("awards")
        .order_by("person__sort_key", "id")
    )


def person_registration(movement: Movement, person) -> Registration | None:
    if person is None:
        return None
    return (
        Registration.objects.filter(movement=movement, person=person)
        .select_related("decided_by", "on_behalf_of")
        .prefetch_related("awards")
        .first()
    )


def access_registration(user, pk, permission: str = "registration.manage") -> Registration:
    """A registration of a visible movement whose subject (the unit, or the person's current unit)
    is in the user's scope for the permission; 404 otherwise."""
    try:
        registration = Registration.objects.select_related(
            "movement__launching_unit", "unit", "person__current_unit", "on_behalf_of"
        ).get(pk=int(pk))
    except (Registration.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not movements_visible_to(user).filter(pk=registration.movement_id).exists():
        raise Http404
    subject_unit = registration.unit or registration.person.current_unit
    if subject_unit is None or not scopes.can(user, permission, subject_unit):
        raise Http404
    return registration


@dataclass
class RegistrationRow:
    """One participating unit in the registration overview."""

    unit: Unit
    collective: Registration | None = None
    people: int = 0
    pending: int = 0

    @property
    def registered(self) -> bool:
        return self.collective is not None or self.people > 0


def registration_overview(movement: Movement) -> list[RegistrationRow]:
    """Every participating unit with its collective registration, the number of its people registered
    and of self-registrations awaiting approval. Refused registrations do not count (as on the
    movement's dashboard). Four queries whatever the number of units."""
    units = list(participating_units(movement))
    counts = {
        row["on_behalf_of"]: row
        for row in Registration.objects.filter(movement=movement)
        .exclude(status=RegistrationStatus.REJECTED)
        .values("on_behalf_of")
        .annotate(
            people=Count("pk", filter=Q(person__isnull=False)),
            pending=Count("pk", filter=Q(status=RegistrationStatus.SUBMITTED)),
        )
        .order_by()
    }
    collectives = {
        registration.unit_id: registration
        for registration in Registration.objects.filter(movement=movement, unit__isnull=False)
        .exclude(status=RegistrationStatus.REJECTED)
        .prefetch_related("awards")
    }
    return [
        RegistrationRow(
            unit=unit,
            collective=collectives.get(unit.pk),
            people=counts.get(unit.pk, {}).get("people", 0),
            pending=counts.get(unit.pk, {}).get("pending", 0),
        )
        for unit in units
    ]


def review_requests_of(movement: Movement) -> list[ReviewRequest]:
    return list(movement.review_requests.order_by("-deadline", "-id"))


def access_review_request(user, pk) -> ReviewRequest:
    """A review request of a movement the user may see; 404 otherwise."""
    try:
        request = ReviewRequest.objects.select_related("movement__launching_unit__parent").get(pk=int(pk))
    except (ReviewRequest.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not movements_visible_to(user).filter(pk=request.movement_id).exists():
        raise Http404
    return request


def review_report_of(request: ReviewRequest, unit: Unit) -> ReviewReport | None:
    return ReviewReport.objects.filter(request=request, unit=unit).select_related("submitted_by").first()


def access_review_report(user, pk) -> ReviewReport:
    """A report seen by the launching unit's officers and by those who submit for the reporting unit."""
    try:
        report = ReviewReport.objects.select_related("request__movement__launching_unit", "unit").get(
            pk=int(pk)
        )
    except (ReviewReport.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    movement = report.request.movement
    if not movements_visible_to(user).filter(pk=movement.pk).exists():
        raise Http404
    if not (
        scopes.can(user, "movement.manage", movement.launching_unit)
        or scopes.can(user, "review.submit", report.unit)
    ):
        raise Http404
    return report


REVIEW_FIGURES = ("registrations_met", "titles_achieved", "initiatives", "commendations")


@dataclass
class ReviewRow:
    unit: Unit
    report: ReviewReport | None
    overdue: bool  # not sent and the deadline has passed
    late: bool  # first sent after the deadline


@dataclass
class ReviewTable:
    rows: list[ReviewRow]
    totals: dict[str, int]
    submitted: int
    overdue: int

    @property
    def unit_count(self) -> int:
        return len(self.rows)


def review_table(request: ReviewRequest, *, today: datetime.date | None = None) -> ReviewTable:
    """The consolidated table: every participating unit, sent or not, its figures, and the totals of
    the reports sent. Two queries whatever the number of units."""
    today = today or timezone.localdate()
    reports = {
        report.unit_id: report
        for report in ReviewReport.objects.filter(request=request).select_related("submitted_by")
    }
    rows = []
    for unit in participating_units(request.movement):
        report = reports.get(unit.pk)
        sent_on = timezone.localtime(report.submitted_at).date() if report is not None else None
        rows.append(
            ReviewRow(
                unit=unit,
                report=report,
                overdue=report is None and today > request.deadline,
                late=sent_on is not None and sent_on > request.deadline,
            )
        )
    sent = [row.report for row in rows if row.report is not None]
    totals = {name: sum(getattr(report, name) for report in sent) for name in REVIEW_FIGURES}
    return ReviewTable(
        rows=rows, totals=totals, submitted=len(sent), overdue=sum(1 for row in rows if row.overdue)
    )


def review_reported_units(movement: Movement, units: list[Unit]) -> set[tuple[int, int]]:
    """(request id, unit id) of the reports the units have sent for the movement's review requests."""
    return set(
        ReviewReport.objects.filter(request__movement=movement, unit__in=units).values_list(
            "request_id", "unit_id"
        )
    )


# ================================================================ clusters and registrations (API)
# Appended by the clusters/API work: who sees which clusters, and which registrations of a movement.

from thidua.movements.models import Cluster, ClusterMember  # noqa: E402
from thidua.organizations.models import Person  # noqa: E402


def registrations_visible_to(user, movement: Movement) -> QuerySet[Registration]:
    """The movement's registrations the user may see: all of them for the launching unit's people;
    otherwise the collective registrations of units in the user's scope and the registrations of the
    people the user may see (always the user's own)."""
    queryset = Registration.objects.filter(movement=movement)
    if not scopes.can(user, "movement.view", movement.launching_unit):
        people = Person.objects.filter(scopes.person_scope_q(user, "person.view")).values("pk")
        queryset = queryset.filter(
            (Q(unit__isnull=False) & scopes.scope_q(user, "movement.view", "unit__path"))
            | Q(person__in=people)
        )
    return (
        queryset.select_related("unit", "person", "on_behalf_of")
        .prefetch_related("awards")
        .order_by("on_behalf_of__path", "id")
    )


def clusters_visible_to(user) -> QuerySet[Cluster]:
    """Clusters organized in the user's scope, or with a member in it — or a member that the user's
    units belong to (a department's staff see their department's cluster)."""
    paths = scopes.scope_paths(user, "movement.view")
    if paths is None:
        return Cluster.objects.all()
    if not paths:
        return Cluster.objects.none()
    above = sorted({ancestor for path in paths for ancestor in _ancestors_and_self(path)})
    member_q = scopes.scope_q(user, "movement.view", "unit__path") | Q(unit__path__in=above)
    return Cluster.objects.filter(
        scopes.scope_q(user, "movement.view", "organizer__path")
        | Q(pk__in=ClusterMember.objects.filter(member_q).values("cluster_id"))
    )


def access_cluster(user, pk) -> Cluster:
    """The cluster if the user may see it; 404 otherwise."""
    try:
        return (
            clusters_visible_to(user)
            .select_related("organizer", "movement", "head_unit", "deputy_head_unit")
            .get(pk=int(pk))
        )
    except (Cluster.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def cluster_organizers(user) -> QuerySet[Unit]:
    """Units where the user may organize clusters (``cluster.manage``), in tree order."""
    return Unit.objects.filter(scopes.scope_q(user, "cluster.manage")).order_by("path")


def cluster_member_choices(organizer: Unit) -> QuerySet[Unit]:
    """The units that may be members: the organizer's sub-units, in tree order."""
    return Unit.objects.under(organizer, include_self=False).order_by("path")


def cluster_movement_choices(organizer: Unit) -> QuerySet[Movement]:
    """Movements whose criteria grid a cluster of this organizer may use: launched by it or above it."""
    return (
        Movement.objects.filter(launching_unit__path__in=_ancestors_and_self(organizer.path))
        .select_related("launching_unit")
        .order_by("-start", "title")
    )
