"""Reads on decisions, always scoped: a decision is seen by the readers of its issuing unit
(``decision.view`` on it or above it); drafting reads approved nominees of rounds the user awards for
(``decision.draft``). Certificates are read by code for the public verification page, which shows
nothing beyond its listed fields."""

from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.accounts import scopes
from thidua.decisions.enums import LIVE_STATUSES, DecisionStatus
from thidua.decisions.models import Certificate, CertificateTemplate, Decision, DecisionRecipient


def decisions_visible_to(user) -> QuerySet[Decision]:
    return Decision.objects.filter(scopes.scope_q(user, "decision.view", "issuing_unit__path")).select_related("issuing_unit")


def access_decision(user, pk) -> Decision:
    try:
        return decisions_visible_to(user).get(pk=int(pk))
    except (Decision.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def approved_nominees_for(user):
    """Approved nominees waiting for a decision, in rounds whose awarding unit the user drafts for."""
    from thidua.nominations.enums import NomineeStatus
    from thidua.nominations.models import Nominee

    taken = DecisionRecipient.objects.filter(nominee__isnull=False, decision__status__in=LIVE_STATUSES).values("nominee_id")
    return (
        Nominee.objects.filter(status=NomineeStatus.APPROVED)
        .filter(scopes.scope_q(user, "decision.draft", "nomination__round__awarding_unit__path"))
        .exclude(pk__in=taken)
        .select_related("person", "unit", "award", "nomination__round__awarding_unit", "nomination__proposing_unit")
        .order_by("nomination__round__awarding_unit__path", "nomination__round", "award__code", "nomination_id", "id")
    )


def signers_for(unit):
    """Active users holding the ``signer`` role on the issuing unit or above it (they may sign for it)."""
    from thidua.accounts.models import User

    return (
        User.objects.filter(is_active=True, roles__role="signer", roles__unit__path__in=unit.ancestor_paths())
        .select_related("person")
        .distinct()
        .order_by("username")
    )


def waiting_for(user, decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """Decisions on which the user has a step to take: signing for a signer, issuing or redrafting for an
    officer."""
    signer = Q(status=DecisionStatus.SUBMITTED) & scopes.scope_q(user, "decision.sign", "issuing_unit__path") & (
        Q(signer__isnull=True) | Q(signer=user.pk)
    )
    drafter = Q(status__in=[DecisionStatus.APPROVED, DecisionStatus.RETURNED]) & scopes.scope_q(user, "decision.draft", "issuing_unit__path")
    return decisions.filter(signer | drafter)


def certificate_by_code(code: str) -> Certificate | None:
    return (
        Certificate.objects.filter(code=code)
        .select_related("recipient__award", "recipient__award_record", "decision__issuing_unit")
        .first()
    )


def verification_facts(certificate: Certificate) -> dict:
    """Exactly what the public page and ``GET /api/v1/verify/{code}`` show: the holder, the award, the
    decision's number, date and issuing unit, and whether it is valid or revoked. Nothing else (no birth
    date, no position, no money)."""
    from thidua.decisions.certificates import format_code

    line = certificate.recipient
    decision = certificate.decision
    revoked = bool(line.award_record_id and line.award_record.revoked)
    holder = f"Tập thể {line.name}" if line.subject == "collective" else line.name
    return {
        "code": format_code(certificate.code),
        "holder": holder,
        "award": line.award.name,
        "decision_number": decision.reference,
        "decision_date": decision.decision_date,
        "issuing_unit": decision.issuing_unit.name,
        "status": "revoked" if revoked else "valid",
    }


def templates_for(user, unit=None):
    """Blank templates of the units the user drafts for (and of the units above the issuing unit)."""
    queryset = CertificateTemplate.objects.filter(is_active=True).select_related("unit", "award")
    if unit is not None:
        return queryset.filter(Q(unit__path__in=unit.ancestor_paths()) | Q(unit__path__startswith=unit.path)).order_by("unit__path", "name")
    return queryset.filter(scopes.scope_q(user, "decision.draft", "unit__path")).order_by("unit__path", "name")


def access_template(user, pk) -> CertificateTemplate:
    try:
        template = CertificateTemplate.objects.select_related("unit", "award").get(pk=int(pk))
    except (CertificateTemplate.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not scopes.can(user, "decision.draft", template.unit):
        raise Http404
    return template


def decision_links(decision: Decision) -> dict:
    """Both directions of the correction links: what this decision replaces or amends, and what
    replaced or amended it."""
    return {
        "replaces": decision.replaces,
        "amends": decision.amends,
        "replaced_by": list(decision.replaced_by.exclude(status=DecisionStatus.CANCELLED).order_by("decision_date", "id")),
        "amended_by": list(decision.amended_by.exclude(status=DecisionStatus.CANCELLED).order_by("decision_date", "id")),
    }
