"""Shared set-up for the benchmark scripts.

Each benchmark runs against a PostgreSQL database of its own (default ``thidua_bench`` on
postgres://postgres@127.0.0.1:5432), never against your development database. ``setup_django``
creates the database when needed (or afresh), points Django at it through DATABASE_URL *before*
settings load, and migrates it; ``drop_database`` removes it.

    THIDUA_BENCH_SERVER    server URL without a database name (default postgres://postgres@127.0.0.1:5432)
    THIDUA_BENCH_DATABASE  database name (default thidua_bench)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_URL = os.environ.get("THIDUA_BENCH_SERVER", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASE = os.environ.get("THIDUA_BENCH_DATABASE", "thidua_bench")


def _server():
    import psycopg

    return psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_exists() -> bool:
    with _server() as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone() is not None


def drop_database() -> None:
    # Django keeps connections open (CONN_MAX_AGE); close ours so that the DROP is not refused.
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    with _server() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {_quoted(DATABASE)} WITH (FORCE)")
    print(f"Dropped database {DATABASE}.")


def setup_django(*, fresh: bool = False) -> float:
    """Create (or recreate) the benchmark database, configure Django on it and migrate.
    Returns the seconds the migration took."""
    if fresh:
        drop_database()
    if not database_exists():
        with _server() as connection:
            connection.execute(f"CREATE DATABASE {_quoted(DATABASE)}")
        print(f"Created database {DATABASE}.")
    os.environ["DATABASE_URL"] = f"{SERVER_URL}/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    os.environ["THIDUA_ENV"] = "development"
    os.environ.pop("THIDUA_DEBUG", None)  # DEBUG would record every query and slow everything down
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - started


def argument_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--drop", action="store_true", help=f"drop the database {DATABASE} when done")
    return parser


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(samples_ms: list[float]) -> str:
    return (
        f"median {statistics.median(samples_ms):6.1f} ms   p95 {percentile(samples_ms, 0.95):6.1f} ms   "
        f"max {max(samples_ms):6.1f} ms   ({len(samples_ms)} requests)"
    )
