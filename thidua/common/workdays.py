"""Working days for legal time limits (appraisal in 20 working days, refusals within 10…): weekdays
that are not in the holiday calendar (common.models.Holiday)."""

import datetime
from collections.abc import Iterable

from thidua.common.models import Holiday


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))


def is_working_day(day: datetime.date, holidays: Iterable[datetime.date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def horizon(count: int) -> datetime.timedelta:
    """Calendar days enough to hold ``count`` working days and any realistic run of holidays (Tết is at
    most ~9 days off in a row): the range of holidays to read before counting."""
    return datetime.timedelta(days=abs(count) * 2 + 30)


def add_working_days(start: datetime.date, count: int, holidays: Iterable[datetime.date] | None = None) -> datetime.date:
    """The day ``count`` working days after ``start`` (``start`` itself is not counted): a dossier
    received on Friday with 1 working day is due on Monday. A negative ``count`` goes back (the last day
    to publish a list N working days before a meeting). ``holidays``: a set already read, for callers
    that count many deadlines with one query; otherwise the calendar is read here."""
    step = datetime.timedelta(days=1 if count >= 0 else -1)
    if holidays is None:
        edge = start + horizon(count) * (1 if count >= 0 else -1)
        holidays = holidays_between(min(start, edge), max(start, edge))
    day, remaining = start, abs(count)
    while remaining:
        day += step
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, holidays: Iterable[datetime.date] | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).
    ``holidays``: as for ``add_working_days``."""
    if end < start:
        return -working_days_between(end, start, holidays)
    if holidays is None:
        holidays = holidays_between(start, end)
    days = (end - start).days
    return sum(1 for offset in range(1, days + 1) if is_working_day(start + datetime.timedelta(days=offset), holidays))
