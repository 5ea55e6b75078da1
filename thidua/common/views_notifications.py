"""The user's own notifications: the list (unread first), opening one (marks it read, then follows
its link) and marking all read. Every user sees only their own: there is nothing to scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from thidua.common import notifications
from thidua.common.models import Notification
from thidua.common.views import paginate

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request):
    only_unread = request.GET.get("chua-doc") == "1"
    queryset = notifications.notifications_for(request.user)
    if only_unread:
        queryset = queryset.filter(read_at__isnull=True)
    queryset = queryset.annotate(
        read_rank=Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("read_rank", "-created_at", "-id")
    page = paginate(request, queryset, PAGE_SIZE)
    return render(
        request,
        "common/notifications/notification_list.html",
        {"page": page, "only_unread": only_unread, "unread": notifications.unread_count(request.user)},
    )


@login_required
@require_POST
def notification_read(request):
    """With ``id``: mark that notification read and open its link. Without: mark all read."""
    user = request.user
    if request.POST.get("id"):
        try:
            pk = int(request.POST["id"])
        except ValueError:
            return redirect("common:notification_list")
        notification = get_object_or_404(Notification, pk=pk, user=user)
        notifications.mark_read(user=user, notification_ids=[notification.pk])
        target = notification.url
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("common:notification_list")
    count = notifications.mark_read(user=user)
    if count:
        messages.success(
            request,
            ngettext(
                "Đã đánh dấu %(count)d thông báo là đã đọc.",
                "Đã đánh dấu %(count)d thông báo là đã đọc.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Không có thông báo chưa đọc."))
    return redirect("common:notification_list")
