"""Reads on the evidence that depend on who asks. A person's records follow the person's current unit;
a unit's records follow the unit."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from thidua.accounts import scopes
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


# Levels shown on a person's page as "what is missing for the next step".
NEXT_LEVEL_AWARDS = ["CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH", "CSTD_TOAN_QUOC", "BANG_KHEN_TTG"]


def person_next_levels(person, *, year: int, as_of: datetime.date | None = None):
    """The engine's verdicts for the person for the higher awards, each with what is still missing."""
    from thidua.rules.engine import screen

    root = person.current_unit
    if root is None:
        return None
    return screen(root=root, year=year, award_codes=NEXT_LEVEL_AWARDS, as_of=as_of, person_ids=[person.pk], include_collectives=False)
