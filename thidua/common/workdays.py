"""Working days for legal time limits (appraisal in 20 working days, refusals within 10…): weekdays
that are not in the holiday calendar (common.models.Holiday)."""

import datetime
from collections.abc import Iterable

from thidua.common.models import Holiday


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))


def is_working_day(day: datetime.date, holidays: Iterable[datetime.date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The day ``count`` working days after ``start`` (``start`` itself is not counted): a dossier
    received on Friday with 1 working day is due on Monday."""
    if count < 0:
        raise ValueError("count must not be negative")
    # Enough calendar days for any realistic run of holidays (Tết is at most ~9 days off in a row).
    horizon = start + datetime.timedelta(days=count * 2 + 30)
    holidays = holidays_between(start, horizon)
    day, remaining = start, count
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    holidays = holidays_between(start, end)
    days = (end - start).days
    return sum(1 for offset in range(1, days + 1) if is_working_day(start + datetime.timedelta(days=offset), holidays))
