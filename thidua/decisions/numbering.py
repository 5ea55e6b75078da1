"""Numbers of decisions and of register entries: per issuing unit and calendar year, consecutive, taken
inside the issuing transaction.

The counter row is created if missing (``INSERT … ON CONFLICT DO NOTHING``: two first issues of a year
do not fail on each other) and then locked with ``SELECT … FOR UPDATE``: a second issuer waits until the
first commits and then reads its number. A failed issue rolls back and the number is free again, so
numbers are neither duplicated nor skipped. The unique constraint on (issuing unit, year, number) is the
database's own guarantee behind this.
"""

from django.db import transaction

from thidua.decisions.models import NumberCounter


def next_number(*, unit, year: int, series: str, count: int = 1) -> int:
    """The next number of the series; with ``count``, the first of ``count`` consecutive numbers taken at
    once (the register entries of a decision's lines)."""
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the lock would end at once and the number could be lost on a failure.
        raise RuntimeError("next_number must be called inside the issuing transaction")
    if count < 1:
        raise ValueError("count must be positive")
    NumberCounter.objects.bulk_create([NumberCounter(unit=unit, year=year, series=series, last=0)], ignore_conflicts=True)
    counter = NumberCounter.objects.select_for_update().get(unit=unit, year=year, series=series)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def decision_reference(number: int, type_code: str, unit) -> str:
    """ "05/QĐ-SKHCN": numbers under 10 take a leading zero (Decree 30/2020)."""
    return f"{number:02d}/{type_code}-{unit.document_code}"


def register_reference(number: int, year: int) -> str:
    """The register (sổ vàng) entry: "007/2020", consecutive per issuing unit and year."""
    return f"{number:03d}/{year}"
