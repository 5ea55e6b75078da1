"""Reads on exemplars and conferences, always scoped by who asks.

- An exemplar is read in its unit's subtree: confirmed ones by everyone there (``exemplar.view``), proposals
  by everyone but staff (``records.view``); the holder always reads their own.
- A conference is read by its organisers (``conference.manage`` on the organising unit), by its assigned
  reviewers, and, once it calls for presentations, by the people of the organising unit's tree (the units
  below it, and the units above it that oversee it).
- A presentation is read by the organisers (and auditors) with everything; by its participants (whoever
  submitted it, its authors, the managers of the submitting unit) with everything; and by an assigned
  reviewer **only through** ``presentation_for_reviewer``, which under blind review leaves out every name.
  A reviewer is never given a presentation they could identify by another route (their own, their unit's).
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from thidua.accounts import scopes
from thidua.exemplars.enums import (
    PUBLIC_STATUSES,
    ConferenceStatus,
    ExemplarStatus,
    InvitationKind,
    PresentationStatus,
    Rsvp,
)
from thidua.exemplars.models import (
    Conference,
    Exemplar,
    Invitation,
    Presentation,
    PresentationAuthor,
    Review,
    ReviewerAssignment,
)
from thidua.organizations.models import PATH_SEGMENT_WIDTH, PATH_SEPARATOR

ORGANISER, OBSERVER, PARTICIPANT, REVIEWER = "organiser", "observer", "participant", "reviewer"


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def _ancestors_of(path: str) -> list[str]:
    segment = PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)
    return [path[:end] for end in range(segment, len(path) + 1, segment)]


# ---------------------------------------------------------------- exemplars


def exemplars_visible_to(user) -> QuerySet[Exemplar]:
    condition = scopes.scope_q(user, "exemplar.view", "unit__path") & Q(status=ExemplarStatus.CONFIRMED)
    condition |= scopes.scope_q(user, "records.view", "unit__path")
    if getattr(user, "person_id", None):
        condition |= Q(person_id=user.person_id)
    return Exemplar.objects.filter(condition).select_related("person", "collective", "unit")


def access_exemplar(user, pk) -> Exemplar:
    try:
        return exemplars_visible_to(user).get(pk=_int(pk))
    except Exemplar.DoesNotExist:
        raise Http404 from None


def is_holder(user, exemplar: Exemplar) -> bool:
    """The person the exemplar is about (their own account)."""
    return bool(exemplar.person_id and getattr(user, "person_id", None) == exemplar.person_id)


def may_propose(user, exemplar: Exemplar) -> bool:
    return scopes.can(user, "exemplar.propose", exemplar.unit)


def may_confirm(user, exemplar: Exemplar) -> bool:
    return scopes.can(user, "exemplar.confirm", exemplar.unit)


def may_record_consent(user, exemplar: Exemplar) -> bool:
    """The holder, for a collective its unit's managers, and the confirming officer (who writes down a
    signed paper)."""
    if is_holder(user, exemplar) or may_confirm(user, exemplar):
        return True
    return exemplar.is_collective and scopes.can(user, "exemplar.propose", exemplar.collective)


def proposable_units(user):
    from thidua.organizations.models import Unit

    return Unit.objects.filter(scopes.scope_q(user, "exemplar.propose")).order_by("path")


# ---------------------------------------------------------------- conferences


def _participant_q(user) -> Q:
    paths = scopes.scope_paths(user, "presentation.submit")
    if paths is None:
        return Q()
    condition = Q(pk__in=[])
    above: set[str] = set()
    for path in paths:
        condition |= Q(organising_unit__path__startswith=path)
        above.update(_ancestors_of(path))
    if above:
        condition |= Q(organising_unit__path__in=sorted(above))
    return condition


def conferences_visible_to(user) -> QuerySet[Conference]:
    organiser = scopes.scope_q(user, "conference.manage", "organising_unit__path")
    observer = scopes.scope_q(user, "audit.view", "organising_unit__path")
    participant = _participant_q(user) & ~Q(status=ConferenceStatus.PLANNING)
    reviewer = Q(pk__in=ReviewerAssignment.objects.filter(user_id=getattr(user, "pk", None)).values("conference_id"))
    return Conference.objects.filter(organiser | observer | participant | reviewer).select_related("organising_unit")


def access_conference(user, pk) -> Conference:
    try:
        return conferences_visible_to(user).get(pk=_int(pk))
    except Conference.DoesNotExist:
        raise Http404 from None


def is_organiser(user, conference: Conference) -> bool:
    return scopes.can(user, "conference.manage", conference.organising_unit)


def is_reviewer(user, conference: Conference) -> bool:
    return ReviewerAssignment.objects.filter(conference=conference, user_id=getattr(user, "pk", None)).exists()


def may_submit_for(user, conference: Conference, unit) -> bool:
    """Presentations come from units inside the organising unit's tree, sent by someone of that unit."""
    return unit.path.startswith(conference.organising_unit.path) and scopes.can(user, "presentation.submit", unit)


def submitting_units(user, conference: Conference):
    from thidua.organizations.models import Unit

    units = Unit.objects.filter(path__startswith=conference.organising_unit.path).filter(scopes.scope_q(user, "presentation.submit"))
    return units.valid_on(conference.held_on).order_by("path")


# ---------------------------------------------------------------- presentations


def _participant_presentations_q(user) -> Q:
    condition = Q(submitted_by_id=getattr(user, "pk", None))
    if getattr(user, "person_id", None):
        condition |= Q(pk__in=PresentationAuthor.objects.filter(person_id=user.person_id).values("presentation_id"))
    condition |= scopes.scope_q(user, "exemplar.propose", "unit__path")
    return condition


def is_participant(user, presentation: Presentation) -> bool:
    return Presentation.objects.filter(_participant_presentations_q(user), pk=presentation.pk).exists()


def role_on(user, presentation: Presentation) -> str | None:
    """How the user sees the presentation: organiser, observer (auditor), participant, reviewer, or not."""
    conference = presentation.conference
    if is_organiser(user, conference):
        return ORGANISER
    if scopes.can(user, "audit.view", conference.organising_unit):
        return OBSERVER
    if is_participant(user, presentation):
        return PARTICIPANT
    if presentation.status != PresentationStatus.WITHDRAWN and is_reviewer(user, conference):
        return REVIEWER
    return None


def access_presentation(user, pk) -> tuple[Presentation, str]:
    try:
        presentation = Presentation.objects.select_related("conference__organising_unit", "unit").get(pk=_int(pk))
    except Presentation.DoesNotExist:
        raise Http404 from None
    role = role_on(user, presentation)
    if role is None:
        raise Http404
    return presentation, role


def presentations_of(conference: Conference) -> QuerySet[Presentation]:
    """Every presentation with its authors and review counts (the organiser's list)."""
    return (
        Presentation.objects.filter(conference=conference)
        .select_related("unit", "submitted_by")
        .prefetch_related("authors")
        .annotate(review_count=Count("reviews", distinct=True))
        .order_by("id")
    )


def presentations_of_participant(user, conference: Conference) -> QuerySet[Presentation]:
    return presentations_of(conference).filter(_participant_presentations_q(user))


def presentations_to_review(user, conference: Conference) -> QuerySet[Presentation]:
    """What an assigned reviewer reviews: every presentation not withdrawn, except the ones they take part
    in (theirs, their unit's: they would know the authors)."""
    if not is_reviewer(user, conference):
        return Presentation.objects.none()
    mine = Review.objects.filter(reviewer_id=user.pk)
    return (
        Presentation.objects.filter(conference=conference)
        .exclude(status=PresentationStatus.WITHDRAWN)
        .exclude(_participant_presentations_q(user))
        .prefetch_related(Prefetch("reviews", queryset=mine, to_attr="my_reviews"))
        .order_by("id")
    )


@dataclass(frozen=True)
class ReviewerView:
    """All a reviewer is shown of a presentation. Built here, from the fields that may reach a reviewer,
    so that no template or API shape can print what was left out."""

    id: int
    conference_id: int
    title: str
    abstract: str
    status: str
    status_label: str
    revision: int
    has_file: bool
    file_withheld: bool
    # Present only without blind review.
    authors: tuple[str, ...] | None
    unit_name: str | None


def presentation_for_reviewer(presentation: Presentation) -> ReviewerView:
    blind = presentation.conference.blind_review
    if blind:
        authors, unit_name = None, None
        has_file = bool(presentation.blind_file)
        withheld = bool(presentation.file) and not has_file
    else:
        authors = tuple(author.name for author in presentation.authors.all())
        unit_name = presentation.unit.name
        has_file, withheld = bool(presentation.file), False
    return ReviewerView(
        id=presentation.pk, conference_id=presentation.conference_id, title=presentation.title, abstract=presentation.abstract,
        status=presentation.status, status_label=str(PresentationStatus(presentation.status).label), revision=presentation.revision,
        has_file=has_file, file_withheld=withheld, authors=authors, unit_name=unit_name,
    )


def review_of(user, presentation: Presentation) -> Review | None:
    return Review.objects.filter(presentation=presentation, reviewer_id=user.pk).prefetch_related("scores").first()


def review_table(conference: Conference) -> list[dict]:
    """For the organiser: each presentation with each reviewer's scores, the total and the average."""
    rows = []
    reviews = Review.objects.filter(presentation__conference=conference).select_related("reviewer").prefetch_related("scores")
    by_presentation: dict[int, list[Review]] = {}
    for review in reviews:
        by_presentation.setdefault(review.presentation_id, []).append(review)
    for presentation in presentations_of(conference):
        items = by_presentation.get(presentation.pk, [])
        totals = [review.total for review in items]
        rows.append(
            {
                "presentation": presentation,
                "reviews": [
                    {"review": review, "points": {score.criterion_id: score.points for score in review.scores.all()}} for review in items
                ],
                "average": round(sum(totals) / len(totals), 1) if totals else None,
            }
        )
    return rows


# ---------------------------------------------------------------- honourees, attendance


def honoured_decisions(conference: Conference):
    from thidua.decisions.enums import DecisionStatus

    return conference.decisions.filter(status=DecisionStatus.ISSUED).select_related("issuing_unit").order_by("decision_date", "number")


def honourees(conference: Conference) -> list:
    """The lines of the issued decisions given at the conference whose award is still in force: collectives
    first, then individuals, each in the decision's order."""
    from thidua.decisions.models import DecisionRecipient

    lines = (
        DecisionRecipient.objects.filter(decision__in=honoured_decisions(conference))
        .exclude(award_record__revoked=True)
        .select_related("award", "decision", "person", "unit", "award_record", "nominee__nomination__proposing_unit")
        .order_by("decision__decision_date", "decision__number", "order", "id")
    )
    lines = list(lines)
    return [line for line in lines if line.unit_id] + [line for line in lines if not line.unit_id]


def public_honourees(conference: Conference) -> list:
    """The honourees whose decision the agency published (what the public pages may name)."""
    from thidua.exemplars.models import DecisionPublication

    lines = honourees(conference)
    published = set(DecisionPublication.objects.filter(decision_id__in={line.decision_id for line in lines}).values_list("decision_id", flat=True))
    return [line for line in lines if line.decision_id in published]


@dataclass(frozen=True)
class Attendance:
    invited: int
    internal: int
    guests: int
    attending: int
    declined: int
    pending: int
    present: int
    present_internal: int
    present_guests: int


def attendance(conference: Conference) -> Attendance:
    rows = Invitation.objects.filter(conference=conference)
    counts = rows.aggregate(
        invited=Count("id"),
        internal=Count("id", filter=Q(kind=InvitationKind.INTERNAL)),
        guests=Count("id", filter=Q(kind=InvitationKind.GUEST)),
        attending=Count("id", filter=Q(rsvp=Rsvp.ATTENDING)),
        declined=Count("id", filter=Q(rsvp=Rsvp.DECLINED)),
        pending=Count("id", filter=Q(rsvp=Rsvp.PENDING)),
        present=Count("id", filter=Q(checked_in_at__isnull=False)),
        present_internal=Count("id", filter=Q(checked_in_at__isnull=False, kind=InvitationKind.INTERNAL)),
        present_guests=Count("id", filter=Q(checked_in_at__isnull=False, kind=InvitationKind.GUEST)),
    )
    return Attendance(**counts)


def accepted_presentations(conference: Conference) -> QuerySet[Presentation]:
    return Presentation.objects.filter(conference=conference, status=PresentationStatus.ACCEPTED).prefetch_related("authors").order_by("id")


def invitation_by_token(token: str) -> Invitation | None:
    from thidua.exemplars.tokens import normalise_token

    normalised = normalise_token(token)
    if normalised is None:
        return None
    return Invitation.objects.filter(token=normalised).select_related("conference__organising_unit").first()


# ---------------------------------------------------------------- public pages


def public_exemplars() -> QuerySet[Exemplar]:
    return (
        Exemplar.objects.filter(status=ExemplarStatus.CONFIRMED, published=True, public_name=True)
        .select_related("person", "collective", "unit")
        .order_by("-period_end", "id")
    )


def public_exemplar(pk) -> Exemplar:
    try:
        return public_exemplars().get(pk=_int(pk))
    except Exemplar.DoesNotExist:
        raise Http404 from None


def public_conferences() -> QuerySet[Conference]:
    return Conference.objects.filter(status__in=PUBLIC_STATUSES).select_related("organising_unit").order_by("-held_on", "-id")


def public_conference(pk) -> Conference:
    try:
        return public_conferences().get(pk=_int(pk))
    except Conference.DoesNotExist:
        raise Http404 from None


def published_decisions():
    from thidua.decisions.enums import DecisionStatus
    from thidua.decisions.models import Decision

    return (
        Decision.objects.filter(publication__isnull=False, status=DecisionStatus.ISSUED)
        .select_related("issuing_unit", "publication")
        .order_by("-decision_date", "-number", "-id")
    )


def published_decision(pk):
    from thidua.decisions.models import Decision

    try:
        return published_decisions().get(pk=_int(pk))
    except Decision.DoesNotExist:
        raise Http404 from None


def public_awards():
    from thidua.exemplars.models import PublicAward

    return PublicAward.objects.filter(award_record__revoked=False, publication__decision__status="issued")
