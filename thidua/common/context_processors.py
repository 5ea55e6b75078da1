"""Navigation for the base layout: which sections the user may open. Later capabilities add theirs
to NAVIGATION; each entry names the permission that shows it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.accounts import scopes

NAVIGATION = [
    # (url name, label, permission or None for every signed-in user, icon letter)
    ("common:dashboard", _("Tổng quan"), None),
    # "Đơn vị" and "Cá nhân" also mean "unit" and "individual" elsewhere: the menu has its own context.
    ("organizations:unit_tree", pgettext_lazy("navigation", "Đơn vị"), "unit.view"),
    ("organizations:person_list", pgettext_lazy("navigation", "Cá nhân"), "person.view"),
    ("movements:movement_list", _("Phong trào"), "movement.view"),
    ("records:rating_list", _("Minh chứng"), "records.view"),
    ("nominations:inbox", _("Hồ sơ khen thưởng"), "nomination.propose"),
    ("council:council_list", _("Hội đồng TĐKT"), "council.view"),
    ("decisions:decision_list", _("Quyết định khen thưởng"), "decision.view"),
    ("exemplars:exemplar_list", _("Điển hình tiên tiến"), "exemplar.view"),
    ("conferences:conference_list", _("Hội nghị"), "presentation.submit"),
    ("rules:screening", _("Bình xét"), "screening.view"),
    ("reports:overview", _("Thống kê, báo cáo"), "report.view"),
    ("rules:ruleset_list", _("Quy định"), "rules.view"),
    ("common:document_list", _("Sổ văn bản"), "document.view"),
    ("imports:import_list", _("Nhập Excel"), "import.run"),
    ("accounts:user_list", _("Tài khoản"), "role.manage"),
    ("common:audit_list", _("Nhật ký"), "audit.view"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    current_section = current.split(":")[0]
    items = []
    for url_name, label, permission in NAVIGATION:
        if permission is None or scopes.can(user, permission):
            section = url_name.split(":")[0]
            # Each app's pages light up its entry; "organizations" has two entries, told apart by name.
            if section == "organizations":
                active = current.startswith("organizations:unit") if "unit" in url_name else current.startswith("organizations:person")
            elif section == "rules":
                active = current.startswith("rules:screening") if url_name == "rules:screening" else (
                    current_section == "rules" and not current.startswith("rules:screening")
                )
            else:
                # common:document_list lights up on every common:document_* page, and so on.
                active = current.startswith(url_name.rsplit("_", 1)[0]) if section == "common" else current_section == section
            items.append({"url": reverse(url_name), "label": label, "active": active})
    return {"nav_items": items}


def notification_count(request):
    """The unread count shown on the bell in the top bar (one COUNT per page, signed-in users only)."""
    from thidua.common.notifications import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": unread_count(user)}
