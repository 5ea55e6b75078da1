"""The dossier page's generated-documents card: its data is gathered here because the page's view
context is owned by the dossier view; this tag only reads (through ``documents.nomination_documents``)."""

from django import template

from thidua.accounts import scopes
from thidua.nominations import documents

register = template.Library()


@register.simple_tag
def nomination_document_panel(nomination, user) -> dict:
    nominees = {nominee.pk: nominee for nominee in nomination.nominees.select_related("person", "unit")}
    versions = [
        {"label": documents.document_label(stored.kind, nominees), "stored": stored}
        for stored in documents.nomination_documents(nomination)
    ]
    can_generate = scopes.can(user, "nomination.propose", nomination.proposing_unit) or scopes.can(
        user, "nomination.appraise", nomination.round.awarding_unit
    )
    choices = [
        {"kind": documents.COVER_LETTER, "label": documents.KIND_LABELS[documents.COVER_LETTER]},
        {"kind": documents.NOMINEE_LIST, "label": documents.KIND_LABELS[documents.NOMINEE_LIST]},
    ] + [
        {"kind": f"{documents.ACHIEVEMENT_REPORT}:{pk}", "label": documents.document_label(f"{documents.ACHIEVEMENT_REPORT}:{pk}", nominees)}
        for pk in nominees
    ]
    return {"versions": versions, "choices": choices if can_generate else []}
