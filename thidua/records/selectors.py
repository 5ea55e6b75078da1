"""Reads on the evidence that depend on who asks. A person's records follow the person's current unit;
a unit's records follow the unit."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from thidua.accounts import scopes
from thidua.organizations.models import Employment, Unit
from thidua.organizations.selectors import people_in_unit_on, units_under
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative, InitiativeAuthor, Leave


def _person_or_unit_q(user, permission: str) -> Q:
    return scopes.scope_q(user, permission, path_field="person__current_unit__path") | scopes.scope_q(
        user, permission, path_field="unit__path"
    )


def ratings_visible_to(user, permission: str = "records.view") -> QuerySet[AnnualRating]:
    queryset = AnnualRating.objects.select_related("person", "person__current_unit", "unit")
    if scopes.scope_paths(user, permission) is None:
        return queryset
    condition = Q(person__isnull=False) & scopes.scope_q(user, permission, path_field="person__current_unit__path")
    condition |= Q(unit__isnull=False) & scopes.scope_q(user, permission, path_field="unit__path")
    return queryset.filter(condition)


def award_records_visible_to(user, permission: str = "records.view") -> QuerySet[AwardRecord]:
    queryset = AwardRecord.objects.select_related("person", "person__current_unit", "unit", "award", "issuing_unit")
    if scopes.scope_paths(user, permission) is None:
        return queryset
    condition = Q(person__isnull=False) & scopes.scope_q(user, permission, path_field="person__current_unit__path")
    condition |= Q(unit__isnull=False) & scopes.scope_q(user, permission, path_field="unit__path")
    condition |= Q(person__isnull=True, unit__isnull=True) & scopes.scope_q(user, permission, path_field="issuing_unit__path")
    return queryset.filter(condition)


def initiatives_visible_to(user, permission: str = "records.view") -> QuerySet[Initiative]:
    """Initiatives of a unit in scope, or with an author in scope."""
    queryset = Initiative.objects.select_related("unit").prefetch_related("author_links__person")
    if scopes.scope_paths(user, permission) is None:
        return queryset
    author_in_scope = InitiativeAuthor.objects.filter(initiative=OuterRef("pk")).filter(
        scopes.scope_q(user, permission, path_field="person__current_unit__path")
    )
    return queryset.filter(Q(Exists(author_in_scope)) | scopes.scope_q(user, permission, path_field="unit__path"))


def disciplines_visible_to(user, permission: str = "records.view") -> QuerySet[Discipline]:
    return Discipline.objects.select_related("person", "person__current_unit").filter(
        scopes.scope_q(user, permission, path_field="person__current_unit__path")
    )


def leaves_visible_to(user, permission: str = "records.view") -> QuerySet[Leave]:
    return Leave.objects.select_related("person", "person__current_unit").filter(
        scopes.scope_q(user, permission, path_field="person__current_unit__path")
    )


def _access(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_rating(user, pk, permission: str = "records.view") -> AnnualRating:
    return _access(ratings_visible_to(user, permission), pk)


def access_initiative(user, pk, permission: str = "records.view") -> Initiative:
    return _access(initiatives_visible_to(user, permission), pk)


def access_discipline(user, pk, permission: str = "records.view") -> Discipline:
    return _access(disciplines_visible_to(user, permission), pk)


def access_leave(user, pk, permission: str = "records.view") -> Leave:
    return _access(leaves_visible_to(user, permission), pk)


def access_award_record(user, pk, permission: str = "records.view") -> AwardRecord:
    return _access(award_records_visible_to(user, permission), pk)


def person_award_history(person) -> QuerySet[AwardRecord]:
    """Everything the person received, newest first, revoked ones included (and marked)."""
    return AwardRecord.objects.filter(person=person).select_related("award", "issuing_unit").order_by("-period_end", "-decision_date")


def unit_award_history(unit) -> QuerySet[AwardRecord]:
    return AwardRecord.objects.filter(unit=unit).select_related("award", "issuing_unit").order_by("-period_end", "-decision_date")


def person_ratings(person) -> QuerySet[AnnualRating]:
    return AnnualRating.objects.filter(person=person).order_by("-year")


def person_initiatives(person) -> QuerySet[Initiative]:
    return Initiative.objects.filter(author_links__person=person).order_by("-recognized_on")


def person_disciplines(person) -> QuerySet[Discipline]:
    """The person's discipline and pending matters, newest first (for a person already accessed)."""
    return Discipline.objects.filter(person=person).order_by("-start", "-id")


def person_leaves(person) -> QuerySet[Leave]:
    return Leave.objects.filter(person=person).order_by("-start", "-id")


# Levels shown on a person's page as "what is missing for the next step".
NEXT_LEVEL_AWARDS = ["CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH", "CSTD_TOAN_QUOC", "BANG_KHEN_TTG"]


def person_next_levels(person, *, year: int, as_of: datetime.date | None = None):
    """The engine's verdicts for the person for the higher awards, each with what is still missing."""
    from thidua.rules.engine import screen

    root = person.current_unit
    if root is None:
        return None
    return screen(root=root, year=year, award_codes=NEXT_LEVEL_AWARDS, as_of=as_of, person_ids=[person.pk], include_collectives=False)


# ---------------------------------------------------------------- used by the records pages and API


def issuing_units_for(user) -> QuerySet:
    """Units that may be named as the issuer of a past award: those the user sees, and the units above
    them (a department's people receive the province's Bằng khen, and the officer recording it must be
    able to name the province)."""
    paths = scopes.scope_paths(user, "unit.view")
    if paths is None:
        return Unit.objects.order_by("path")
    ancestors = {ancestor for path in paths for ancestor in Unit(path=path).ancestor_paths()}
    return Unit.objects.filter(scopes.scope_q(user, "unit.view") | Q(path__in=ancestors)).order_by("path")


def rating_sheet_people(unit, year: int) -> list[tuple]:
    """Everyone employed in the unit's subtree at the end of the year, in Vietnamese name order, each
    with the employment (unit, position) that placed them there, and their rating for the year and the
    year before. Three queries whatever the size of the unit."""
    day = datetime.date(year, 12, 31)
    roster = people_in_unit_on(unit, day)
    people = list(roster.select_related("current_unit"))
    placements = {
        employment.person_id: employment
        for employment in Employment.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            person__in=roster.values("pk"),
            unit__path__startswith=unit.path,
            start_date__lte=day,
        )
        .select_related("unit")
        .order_by("start_date", "id")
    }
    ratings: dict[tuple[int, int], AnnualRating] = {
        (rating.person_id, rating.year): rating
        for rating in AnnualRating.objects.filter(person__in=roster.values("pk"), year__in=[year, year - 1])
    }
    return [
        (person, placements.get(person.pk), ratings.get((person.pk, year)), ratings.get((person.pk, year - 1)))
        for person in people
    ]


def rating_sheet_units(unit, year: int) -> list[tuple]:
    """The unit and its sub-units that existed at the end of the year, in tree order, each with its
    rating for the year and the year before."""
    units = list(units_under(unit, at=datetime.date(year, 12, 31)).order_by("path"))
    ratings: dict[tuple[int, int], AnnualRating] = {
        (rating.unit_id, rating.year): rating
        for rating in AnnualRating.objects.filter(unit__in=[u.pk for u in units], year__in=[year, year - 1])
    }
    return [(u, ratings.get((u.pk, year)), ratings.get((u.pk, year - 1))) for u in units]
