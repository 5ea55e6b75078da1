from django import template

from thidua.decisions import wording

register = template.Library()


@register.filter
def dong(amount) -> str:
    """1520000 → "1.520.000" (amounts of money are written the Vietnamese way in every language)."""
    if amount in (None, ""):
        return ""
    return wording.money_text(int(amount))


@register.filter
def coefficient(value) -> str:
    return wording.coefficient_text(value)
