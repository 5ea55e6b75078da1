"""Benchmark: screening (bình xét) the whole synthetic province for one year and every annual title.

    .venv/bin/python benchmarks/screening.py [--people N] [--years Y] [--seed S] [--sample 300]
                                             [--rebuild] [--profile] [--drop]

Reuses the synthetic province in thidua_bench when it holds the requested number of people *and* the
evidence (ratings, award register); otherwise rebuilds it with `thidua synth --replace`.

1. Set-based: ``thidua.rules.engine.screen(root=<subtree>, year=<last rated year>, award_codes=<every
   annual award with rules>)`` on a subtree of about 10,000 people, then on the whole province: time,
   number of verdicts and number of SQL queries. The query count must be the same for both.
2. Per person, the obvious way: for a sample of people, the engine called once per person, as a naive
   screening page would loop (``screen(root=person.current_unit, person_ids=[person.pk],
   include_collectives=False)``), timed one by one and extrapolated to everyone screened in step 1.

Targets: set-based under 10 s for the whole province; at least 20× faster than per person.
"""

import cProfile
import datetime
import io
import pstats
import random
import statistics
import time

from _setup import DATABASE, argument_parser, drop_database, setup_django

TARGET_SECONDS = 10.0
TARGET_RATIO = 20.0


def _annual_awards(ruleset) -> list[str]:
    from thidua.rules.models import AwardType

    return [
        award.code
        for award in AwardType.objects.filter(annual=True).order_by("code")
        if ruleset.award_rules(award.code, "individual") or ruleset.award_rules(award.code, "collective")
    ]


def _province_ready(people: int) -> bool:
    from thidua.organizations.models import Person, Unit
    from thidua.records.models import AnnualRating, AwardRecord

    return (
        Unit.objects.filter(depth=0).count() == 1
        and Person.objects.count() == people
        and AnnualRating.objects.exists()
        and AwardRecord.objects.exists()
    )


def _screen_timed(root, *, year: int, codes: list[str], as_of: datetime.date):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.rules.engine import screen

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = screen(root=root, year=year, award_codes=codes, as_of=as_of)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return result, seconds, cpu, len(queries.captured_queries)


def _describe(label: str, result, seconds: float, cpu: float, queries: int) -> None:
    people = len({v.subject_id for v in result.verdicts if v.subject == "individual"})
    units = len({v.subject_id for v in result.verdicts if v.subject == "collective"})
    print(
        f"  {label:<44} {seconds:6.2f} s (Python CPU {cpu:5.2f} s)   {len(result.verdicts):>7,} verdicts   "
        f"{queries:>3} queries   ({people:,} people, {units:,} collectives)"
    )


def main() -> None:
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sample", type=int, default=300, help="people evaluated one at a time (default 300)"
    )
    parser.add_argument(
        "--subtree-people", type=int, default=10_000, help="size of the smaller subtree (default 10,000)"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the synthetic province even if it is there"
    )
    parser.add_argument("--profile", action="store_true", help="profile the whole-province run with cProfile")
    args = parser.parse_args()

    setup_django(fresh=False)
    from django.core.management import call_command
    from django.db.models import Max

    from thidua.organizations.models import Person, Unit
    from thidua.organizations.selectors import people_in_unit_on
    from thidua.records.models import AnnualRating
    from thidua.rules.engine import screen
    from thidua.rules.enums import Verdict
    from thidua.rules.rulesets import ruleset_for

    if args.rebuild or not _province_ready(args.people):
        print(f"Building the synthetic province in {DATABASE} (thidua synth --replace)…")
        call_command("synth", people=args.people, years=args.years, seed=args.seed, replace=True)

    root = Unit.objects.get(depth=0)
    year = AnnualRating.objects.aggregate(last=Max("year"))["last"]
    as_of = datetime.date(year + 1, 3, 1)  # the titles of a year are decided early the next year
    ruleset = ruleset_for(as_of, root)
    codes = _annual_awards(ruleset)
    day = datetime.date(year, 12, 31)
    sizes = {unit: people_in_unit_on(unit, day).count() for unit in Unit.objects.filter(depth=1)}
    subtree = min(sizes, key=lambda unit: abs(sizes[unit] - args.subtree_people))

    print(
        f"\nScreening {year} as of {as_of:%d/%m/%Y} under {ruleset.code}; awards: {', '.join(codes)}\n"
        f"Province {root.name}: {Person.objects.count():,} people in the records, "
        f"{Unit.objects.count():,} units."
    )
    # Warm-up on a small subtree so that both timed runs find the same caches.
    screen(root=min(sizes, key=sizes.get), year=year, award_codes=codes, as_of=as_of)

    print("\n1. Set-based (one call of the engine for the whole subtree)")
    small, small_seconds, small_cpu, small_queries = _screen_timed(
        subtree, year=year, codes=codes, as_of=as_of
    )
    _describe(f"{subtree.name} ({sizes[subtree]:,} people)", small, small_seconds, small_cpu, small_queries)
    whole, whole_seconds, whole_cpu, whole_queries = _screen_timed(root, year=year, codes=codes, as_of=as_of)
    _describe("whole province", whole, whole_seconds, whole_cpu, whole_queries)
    by_verdict = {
        code: {
            verdict: sum(1 for v in whole.for_award(code) if v.verdict == verdict)
            for verdict in Verdict.values
        }
        for code in codes
    }
    for code, counts in by_verdict.items():
        print(f"    {code:<16} " + "   ".join(f"{verdict} {count:>6,}" for verdict, count in counts.items()))
    same = "the same" if small_queries == whole_queries else "DIFFERENT"
    print(
        f"  Query count: {small_queries} for {sizes[subtree]:,} people, {whole_queries} for the whole province ({same})."
    )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        screen(root=root, year=year, award_codes=codes, as_of=as_of)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print("\nProfile of the whole-province run (cProfile slows it about 2×):\n" + out.getvalue())

    print(f"\n2. Per person (the engine called once per person, {args.sample} people)")
    screened = sorted({v.subject_id for v in whole.verdicts if v.subject == "individual"})
    sample = random.Random(args.seed).sample(screened, min(args.sample, len(screened)))
    samples: list[float] = []
    queries_per_person: list[int] = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for person_id in sample:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            person = Person.objects.select_related("current_unit").get(pk=person_id)
            screen(
                root=person.current_unit or root,
                year=year,
                award_codes=codes,
                as_of=as_of,
                person_ids=[person.pk],
                include_collectives=False,
            )
            samples.append(time.perf_counter() - started)
        queries_per_person.append(len(queries.captured_queries))
    mean = statistics.fmean(samples)
    extrapolated = mean * len(screened)
    print(
        f"  per person: mean {mean * 1000:.1f} ms, median {statistics.median(samples) * 1000:.1f} ms, "
        f"{statistics.fmean(queries_per_person):.0f} queries"
    )
    print(
        f"  extrapolated to {len(screened):,} people: {extrapolated:,.0f} s ({extrapolated / 60:.1f} min), "
        f"without the {len({v.subject_id for v in whole.verdicts if v.subject == 'collective'}):,} collectives"
    )

    ratio = extrapolated / whole_seconds
    print("\nSummary")
    print(
        f"  set-based, whole province: {whole_seconds:.2f} s (Python CPU {whole_cpu:.2f} s), {len(whole.verdicts):,} verdicts, "
        f"{whole_queries} queries "
        f"(target < {TARGET_SECONDS:g} s: {'OK' if whole_seconds < TARGET_SECONDS else 'TOO SLOW'})"
    )
    print(
        f"  per person, extrapolated: {extrapolated:,.0f} s → set-based is {ratio:,.0f}× faster "
        f"(target ≥ {TARGET_RATIO:g}×: {'OK' if ratio >= TARGET_RATIO else 'NOT MET'})"
    )
    print(
        f"  query count independent of the number of people: {'yes' if small_queries == whole_queries else 'NO'}"
    )
    if args.drop:
        drop_database()


if __name__ == "__main__":
    main()
