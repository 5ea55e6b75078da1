"""Benchmark: the five-year summary by award and year for the whole synthetic province, about 1,000,000
award records, on PostgreSQL.

    .venv/bin/python benchmarks/report_summary.py [--people 170000] [--years 10] [--seed 1] [--rounds 7]
                                                  [--rebuild] [--drop]

Uses its own database, thidua_bench_reports (THIDUA_BENCH_DATABASE overrides it), and builds the province
there with `thidua synth --people 170000 --years 10 --replace` when it does not hold the requested people
and at least 1,000,000 award records (--rebuild forces it); the time that takes is printed.

1. ``thidua.reports.statistics.summary`` for the province (its scope resolved as the views do), by award
   and year over the last five years of achievement: median of --rounds runs after one warm-up.
   Target: under 1 s.
2. The same aggregate written by hand in raw SQL (award code, year, count; revoked awards left out),
   same rounds: the ratio of 1 to 2 must be at most 2, and both must give the same numbers.
3. For information: the same through the API (`GET /api/v1/reports/summary?by=award,year`), a
   department's summary (its records found through the history of every person), and the province by
   unit (every record placed under the unit of its decision date).
"""

import datetime
import os
import statistics
import time

os.environ.setdefault("THIDUA_BENCH_DATABASE", "thidua_bench_reports")

from _setup import DATABASE, argument_parser, drop_database, setup_django  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_RATIO = 2.0
MIN_RECORDS = 1_000_000

RAW_SQL = """
    SELECT t.code, r.period_end, COUNT(*)
    FROM records_awardrecord r JOIN rules_awardtype t ON t.id = r.award_id
    WHERE NOT r.revoked AND r.period_end BETWEEN %s AND %s
    GROUP BY t.code, r.period_end
"""


def _ready(people: int) -> bool:
    from thidua.organizations.models import Person, Unit
    from thidua.records.models import AwardRecord

    return (
        Unit.objects.filter(depth=0).count() == 1
        and Person.objects.count() == people
        and AwardRecord.objects.count() >= MIN_RECORDS
    )


def _timed(function, rounds: int) -> tuple[float, object]:
    result = function()  # warm-up: caches, plans
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def main() -> None:
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=170_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Max
    from django.test import Client

    from thidua.accounts.models import User
    from thidua.accounts.services import api_token_issue, user_create
    from thidua.organizations.models import Unit
    from thidua.records.models import AwardRecord
    from thidua.reports.enums import Dimension
    from thidua.reports.scope import resolve_scope
    from thidua.reports.statistics import Filters, summary

    if args.rebuild or not _ready(args.people):
        print(f"Building the synthetic province in {DATABASE} (thidua synth --people {args.people} --years {args.years})…")
        started = time.perf_counter()
        call_command("synth", people=args.people, years=args.years, seed=args.seed, replace=True)
        print(f"Built in {time.perf_counter() - started:.1f} s.")
    records = AwardRecord.objects.count()
    province = Unit.objects.get(depth=0)
    last = AwardRecord.objects.aggregate(last=Max("period_end"))["last"]
    first = last - 4
    print(f"\n{records:,} award records; the province {province.name}; years {first}–{last}.\n")

    def by_orm() -> dict:
        scope = resolve_scope(province, datetime.date.today())
        result = summary(scope, Filters(first, last), [Dimension.AWARD, Dimension.YEAR])
        return {(row["award"], row["year"]): row["count"] for row in result.rows}

    def by_hand() -> dict:
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, [first, last])
            return {(code, year): count for code, year, count in cursor.fetchall()}

    orm_seconds, orm_result = _timed(by_orm, args.rounds)
    raw_seconds, raw_result = _timed(by_hand, args.rounds)
    same = orm_result == raw_result
    ratio = orm_seconds / raw_seconds
    total = sum(orm_result.values())
    print(f"summary(province, {first}–{last}, by award, year): {orm_seconds * 1000:7.1f} ms  ({len(orm_result)} groups, {total:,} awards)")
    print(f"the same in raw SQL:                                {raw_seconds * 1000:7.1f} ms")
    print(f"ratio: {ratio:.2f}×   same numbers: {'yes' if same else 'NO'}")

    user = User.objects.filter(username="bench-reports").first() or user_create(
        actor=None, username="bench-reports", password="bench-reports-2026-x", is_superuser=True
    )
    client = Client(headers={"authorization": f"Bearer {api_token_issue(user=user)}"})
    query = {"unit": province.code, "from": first, "to": last, "by": "award,year"}
    api_seconds, response = _timed(lambda: client.get("/api/v1/reports/summary", query), args.rounds)
    print(f"\nGET /api/v1/reports/summary?by=award,year:          {api_seconds * 1000:7.1f} ms  (status {response.status_code}, total {response.json()['total']:,})")

    # A department of middling size: the one whose units have the median number of periods of work.
    departments = list(Unit.objects.filter(depth=1).annotate(n=Count("children__employments")).order_by("n"))
    department = departments[len(departments) // 2]
    department_scope = resolve_scope(department, datetime.date.today())
    dept_seconds, dept = _timed(lambda: summary(department_scope, Filters(first, last), [Dimension.AWARD, Dimension.YEAR]), 3)
    print(f"summary({department.name}: {len(department_scope.unit_ids)} units), by award, year: {dept_seconds * 1000:7.1f} ms  ({dept.total:,} awards)")
    scope = resolve_scope(province, datetime.date.today())
    unit_seconds, by_unit = _timed(lambda: summary(scope, Filters(last, last), [Dimension.UNIT]), 3)
    print(f"summary(province, {last}, by unit of the decision date): {unit_seconds * 1000:7.1f} ms  ({len(by_unit.rows)} units, {by_unit.total:,} awards)")

    verdict = "OK" if orm_seconds < TARGET_SECONDS and ratio <= TARGET_RATIO and same else "MISSED"
    print(f"\nTarget: under {TARGET_SECONDS:.0f} s and within {TARGET_RATIO:.0f}× of raw SQL: {verdict}")
    if args.drop:
        drop_database()


if __name__ == "__main__":
    main()
