"""``{% reports_dashboard %}``: the per-role report panels of the home page, so that the shared
dashboard template needs one line and its view no change."""

from django import template

from thidua.reports.dashboard import panels_for

register = template.Library()


@register.inclusion_tag("reports/_dashboard_panels.html", takes_context=True)
def reports_dashboard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"panels": None}
    return {"panels": panels_for(user), "request": request}
