"""Template helpers shared by every list page."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def page_numbers(page: Page) -> list:
    """Page numbers around the current one, with the paginator's ellipsis between gaps:
    1 2 … 7 8 [9] 10 11 … 40 41."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.filter
def type_label(content_type) -> str:
    """A content type as people name it: "Cá nhân", "Đơn vị" (not "person", "unit")."""
    if content_type is None:
        return "—"
    model = content_type.model_class()
    if model is None:
        return content_type.model
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]
