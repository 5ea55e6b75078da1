"""One nominee's findings from the dossier checks, rendered in the nominees table row (the checks are
computed once per page by ``checks.dossier_checks``; this tag only picks the nominee's share)."""

from django import template

register = template.Library()


@register.inclusion_tag("nominations/_checks.html#nominee")
def nominee_checks(checks, nominee_id) -> dict:
    return {"findings": checks.for_nominee(nominee_id) if hasattr(checks, "for_nominee") else []}
