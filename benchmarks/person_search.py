"""Benchmark: accent-insensitive person search over 100,000 people on PostgreSQL.

    .venv/bin/python benchmarks/person_search.py [--people N] [--seed S] [--rounds R] [--rebuild] [--drop]

Reuses the synthetic province in thidua_bench when it holds N people (benchmarks/synth.py leaves one
there), else builds it with `thidua synth`. Then it times `GET /api/v1/people?q=…[&unit=…]` through
Django's test Client with a real bearer token, and the selector alone (`people_search`: the count and
the first page of 50, which is what the endpoint asks of it). Queries with and without diacritics,
one and several words, common and rare names, some filtered by unit; for an admin of the whole
province and for an officer of one department. Target: median under 50 ms.
"""

import time

from _setup import argument_parser, drop_database, setup_django, summary

TARGET_MEDIAN_MS = 50
# (query, unit code without the prefix or None). Common names match a third of everyone ("nguyen"),
# rare ones a handful; the CCCD prefix matches thousands.
QUERIES: list[tuple[str, str | None]] = [
    ("nguyen", None),
    ("Nguyễn", None),
    ("nguyen van an", None),
    ("Nguyễn Văn An", None),
    ("tran thi", None),
    ("Trần Thị Hồng", None),
    ("le minh", None),
    ("huynh ngoc", None),
    ("Võ Thanh Tùng", None),
    ("thuy", None),
    ("phan", None),
    ("dang quoc", None),
    ("Hưng", None),
    ("Khưu", None),
    ("thach sane", None),
    ("087085", None),
    ("nguyen", "SGDDT"),
    ("Trần Văn", "SYT"),
    ("thi", "X001"),
    ("Nguyễn Thị", "X050"),
    ("le", "SNV"),
]


def _prepare(people: int, seed: int, rebuild: bool):
    from django.core.management import call_command

    from thidua.accounts.enums import Role
    from thidua.accounts.models import User
    from thidua.accounts.services import api_token_issue, role_grant, user_create
    from thidua.demo.synth import DEFAULT_PREFIX
    from thidua.organizations.models import Person, Unit

    root = Unit.objects.filter(code=DEFAULT_PREFIX, depth=0).first()
    if rebuild or root is None or Person.objects.count() != people:
        call_command("synth", people=people, years=10, seed=seed, replace=True)
        root = Unit.objects.get(code=DEFAULT_PREFIX, depth=0)
    else:
        print(f"Reusing the synthetic province with {people:,} people.")

    def bench_user(username: str, role: str, unit) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(actor=None, username=username, password=None)
        role_grant(actor=None, user=user, role=role, unit=unit)
        return User.objects.get(pk=user.pk)

    admin = bench_user("bench-admin", Role.ADMIN, root)
    officer = bench_user("bench-officer", Role.OFFICER, Unit.objects.get(code=f"{DEFAULT_PREFIX}_SGDDT"))
    return {"admin": (admin, api_token_issue(user=admin)), "officer": (officer, api_token_issue(user=officer))}


def main() -> None:
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the query list (after one warm-up)")
    parser.add_argument("--rebuild", action="store_true", help="build the synthetic province afresh")
    args = parser.parse_args()

    setup_django(fresh=args.rebuild)
    from django.test import Client

    from thidua.demo.synth import DEFAULT_PREFIX
    from thidua.organizations.models import Unit
    from thidua.organizations.selectors import people_search

    users = _prepare(args.people, args.seed, args.rebuild)
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=[f"{DEFAULT_PREFIX}_{c}" for _, c in QUERIES if c])}

    api_ms: dict[str, list[float]] = {}
    selector_ms: dict[str, list[float]] = {}
    per_query: dict[tuple[str, str, str | None], list[float]] = {}
    counts: dict[tuple[str, str, str | None], int] = {}
    for who, (user, token) in users.items():
        client = Client(headers={"authorization": f"Bearer {token}"})
        for round_number in range(args.rounds + 1):
            for query, unit_code in QUERIES:
                if who == "officer" and unit_code not in (None, "SGDDT"):
                    continue  # outside the officer's department: a 404, not a search
                code = f"{DEFAULT_PREFIX}_{unit_code}" if unit_code else None
                params = {"q": query} | ({"unit": code} if code else {})

                started = time.perf_counter()
                response = client.get("/api/v1/people", params)
                api_elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"GET /api/v1/people {params} answered {response.status_code}: {response.content[:300]!r}")

                started = time.perf_counter()
                queryset = people_search(user, query=query, unit=units[code] if code else None)
                count = queryset.count()
                list(queryset[:50])
                selector_elapsed = (time.perf_counter() - started) * 1000

                if round_number == 0:
                    counts[(who, query, unit_code)] = count
                    continue  # warm-up: caches, connections, query plans
                api_ms.setdefault(who, []).append(api_elapsed)
                selector_ms.setdefault(who, []).append(selector_elapsed)
                per_query.setdefault((who, query, unit_code), []).append(api_elapsed)

    print(f"\nPer query (API, median of {args.rounds}):")
    for (who, query, unit_code), samples in per_query.items():
        label = f"{who:<8} q={query!r}" + (f" unit={DEFAULT_PREFIX}_{unit_code}" if unit_code else "")
        print(f"  {label:<52} {sorted(samples)[len(samples) // 2]:7.1f} ms   {counts[(who, query, unit_code)]:>6,} found")

    print("\nGET /api/v1/people (test Client, bearer token):")
    all_api = [sample for samples in api_ms.values() for sample in samples]
    for who, samples in api_ms.items():
        print(f"  {who:<8} {summary(samples)}")
    print(f"  {'all':<8} {summary(all_api)}")
    print("people_search selector alone (count + first page of 50):")
    for who, samples in selector_ms.items():
        print(f"  {who:<8} {summary(samples)}")
    print(f"  {'all':<8} {summary([s for samples in selector_ms.values() for s in samples])}")

    median = sorted(all_api)[len(all_api) // 2]
    verdict = "OK" if median < TARGET_MEDIAN_MS else "TOO SLOW"
    print(f"\nAPI median {median:.1f} ms over {args.people:,} people (target < {TARGET_MEDIAN_MS} ms: {verdict})")
    if args.drop:
        drop_database()


if __name__ == "__main__":
    main()
