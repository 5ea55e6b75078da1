"""Benchmark: `thidua synth --people 100000 --years 10` on a fresh PostgreSQL database.

    .venv/bin/python benchmarks/synth.py [--people N] [--years Y] [--seed S] [--drop]

Target: under 3 minutes. The database (thidua_bench) is kept for benchmarks/person_search.py unless
--drop is given.
"""

import time

from _setup import DATABASE, argument_parser, drop_database, setup_django

TARGET_SECONDS = 180


def main() -> None:
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    migrate_seconds = setup_django(fresh=True)
    print(f"Migrated the fresh database {DATABASE} in {migrate_seconds:.1f} s.")

    from django.core.management import call_command

    started = time.perf_counter()
    call_command("synth", people=args.people, years=args.years, seed=args.seed)
    seconds = time.perf_counter() - started

    verdict = "OK" if seconds < TARGET_SECONDS else "TOO SLOW"
    print(
        f"\nthidua synth --people {args.people} --years {args.years} --seed {args.seed}: "
        f"{seconds:.1f} s on PostgreSQL (target < {TARGET_SECONDS} s: {verdict})"
    )
    if args.drop:
        drop_database()


if __name__ == "__main__":
    main()
