"""In-app notifications (with e-mail), and deadlines with their reminders.

Reminders are sent by a daily job (``thidua send_reminders``, or the task
``thidua.common.tasks.send_daily_reminders`` on the database task queue). Each deadline is claimed
with a conditional UPDATE before its reminder goes out, so two workers never send it twice and a
second run the same day sends nothing.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.common.models import Deadline, Notification

REMIND_DAYS_BEFORE = 3


def notify(*, users: Iterable, text: str, url: str = "", email: bool = True) -> int:
    """One notification per active user (duplicates ignored); e-mails leave after the commit."""
    unique = {user.pk: user for user in users if user is not None and user.is_active}
    if not unique:
        return 0
    Notification.objects.bulk_create([Notification(user=user, text=text[:500], url=url) for user in unique.values()])
    if email:
        messages = [
            (text[:150], f"{text}\n\n{url}" if url else text, settings.DEFAULT_FROM_EMAIL, [user.email])
            for user in unique.values()
            if user.email
        ]
        if messages:
            transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return len(unique)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())


def unit_contacts(units: Iterable, roles: Iterable[str] = ("unit_manager", "officer")):
    """Users holding one of the roles on exactly these units (the people who act for the unit)."""
    from thidua.accounts.models import User

    return User.objects.filter(roles__unit__in=list(units), roles__role__in=list(roles), is_active=True).distinct()


def deadline_sync(*, key: str, label: str, due_on: datetime.date, unit, url: str = "") -> Deadline:
    """Create or move a deadline. Moving it to a later date allows a new reminder."""
    deadline, created = Deadline.objects.get_or_create(key=key, defaults={"label": label, "due_on": due_on, "unit": unit, "url": url})
    if not created and (deadline.label, deadline.due_on, deadline.unit_id, deadline.url) != (label, due_on, unit.pk, url):
        reset = due_on > deadline.due_on
        deadline.label, deadline.unit, deadline.url = label, unit, url
        if reset:
            deadline.reminded_at = deadline.overdue_notified_at = None
        deadline.due_on = due_on
        deadline.save()
    return deadline


def deadline_done(*, key: str) -> None:
    Deadline.objects.filter(key=key, done_at__isnull=True).update(done_at=timezone.now())


def deadline_reopen(*, key: str) -> None:
    Deadline.objects.filter(key=key).update(done_at=None)


def _unit_still_working(today: datetime.date) -> Q:
    # A unit that has ceased (merged, split) can no longer act; its successor carries its work.
    return Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=today)


def deadlines_open(units_q: Q | None = None, *, today: datetime.date | None = None) -> QuerySet[Deadline]:
    """Open deadlines of units still working today."""
    queryset = Deadline.objects.filter(_unit_still_working(today or timezone.localdate()), done_at__isnull=True)
    queryset = queryset.select_related("unit")
    return queryset.filter(units_q) if units_q is not None else queryset


def send_reminders(*, today: datetime.date | None = None, days_before: int = REMIND_DAYS_BEFORE) -> dict[str, int]:
    """Remind each unit of its deadlines due within ``days_before`` days, once; tell it once when a
    deadline has passed. Returns counts of deadlines handled."""
    today = today or timezone.localdate()
    counts = {"reminded": 0, "overdue": 0}
    upcoming = Deadline.objects.filter(
        _unit_still_working(today),
        done_at__isnull=True,
        reminded_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=days_before),
    )
    for deadline in upcoming.select_related("unit"):
        with transaction.atomic():
            # Claim first: only the worker whose UPDATE hits the row sends the reminder.
            if not Deadline.objects.filter(pk=deadline.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                continue
            days = (deadline.due_on - today).days
            text = _("Nhắc việc: %(label)s — hạn %(day)s (còn %(days)d ngày).") % {
                "label": deadline.label, "day": f"{deadline.due_on:%d/%m/%Y}", "days": days,
            }
            notify(users=unit_contacts([deadline.unit]), text=text, url=deadline.url)
            counts["reminded"] += 1
    overdue = Deadline.objects.filter(_unit_still_working(today), done_at__isnull=True, overdue_notified_at__isnull=True, due_on__lt=today)
    for deadline in overdue.select_related("unit"):
        with transaction.atomic():
            if not Deadline.objects.filter(pk=deadline.pk, overdue_notified_at__isnull=True).update(overdue_notified_at=timezone.now()):
                continue
            text = _("Quá hạn: %(label)s — hạn %(day)s.") % {"label": deadline.label, "day": f"{deadline.due_on:%d/%m/%Y}"}
            notify(users=unit_contacts([deadline.unit]), text=text, url=deadline.url)
            counts["overdue"] += 1
    return counts
