"""Benchmark: Excel import of a 10,000-row people file, all-or-nothing, on PostgreSQL.

    .venv/bin/python benchmarks/people_import.py [--rows N] [--seed S] [--keep]

Runs against DATABASE_URL when it is set; otherwise it creates a fresh database ``thidua_bench_import``
on postgres://postgres@127.0.0.1:5432 (THIDUA_BENCH_SERVER overrides the server), migrates it and drops
it at the end (``--keep`` leaves it). It builds a small unit tree (a province, a department, ten
offices) and an officer of the department, writes an .xlsx file of N synthetic Vietnamese people (the
columns of the import template, CCCD as text), and times through ``import_people``:

  (a) a fresh import                         every row creates a person and an employment;
  (b) a re-import of the same file           every row unchanged, nothing written but the batch;
  (c) a re-import moving everyone            every person updated, old employment closed, new one opened;
  (d) a failing import                       a file that would update every row, with one bad row at the
                                             end: ImportFailed, and the counts of people, employments,
                                             audit entries and batches must not move.

Target: (a) under 15 s for 10,000 rows.
"""

import argparse
import datetime
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_URL = os.environ.get("THIDUA_BENCH_SERVER", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASE = "thidua_bench_import"
TARGET_SECONDS = 15.0
OFFICES = 10
HEADERS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Số CCCD",
    "Email",
    "Điện thoại",
    "Mã đơn vị",
    "Chức vụ",
    "Nhóm chức vụ",
    "Ngạch/chức danh",
    "Ngày tuyển dụng",
]
POSITIONS = [
    ("Chuyên viên", "Công chức, viên chức chuyên môn", "Chuyên viên"),
    ("Chuyên viên", "Công chức, viên chức chuyên môn", "Chuyên viên chính"),
    ("Kế toán viên", "Công chức, viên chức chuyên môn", "Kế toán viên"),
    ("Phó Trưởng phòng", "Quản lý cấp phòng", "Chuyên viên chính"),
    ("Trưởng phòng", "Quản lý cấp phòng", "Chuyên viên chính"),
    ("Nhân viên", "Người lao động trực tiếp", "Nhân viên"),
    ("Kỹ thuật viên", "Người lao động trực tiếp", "Kỹ thuật viên"),
]


def _server():
    import psycopg

    return psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True)


def create_database() -> None:
    with _server() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    with _server() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def setup_django(data_dir: str) -> bool:
    """Point Django at DATABASE_URL or at a fresh database; returns whether the database is ours."""
    owned = not os.environ.get("DATABASE_URL")
    if owned:
        create_database()
        os.environ["DATABASE_URL"] = f"{SERVER_URL}/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    os.environ["THIDUA_ENV"] = "development"
    os.environ["THIDUA_DATA_DIR"] = data_dir  # the kept upload files land here, not in ./var
    os.environ.pop("THIDUA_DEBUG", None)  # DEBUG records every query
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return owned


def build_tree():
    from thidua.accounts.services import role_grant, user_create
    from thidua.organizations.services import unit_create

    since = datetime.date(2000, 1, 1)
    province = unit_create(
        actor=None, code="BI_UBND", name="Ủy ban nhân dân tỉnh Sông Hậu", kind="ubnd_tinh", valid_from=since
    )
    department = unit_create(
        actor=None,
        code="BI_SKHCN",
        name="Sở Khoa học và Công nghệ",
        kind="so_nganh",
        parent=province,
        short_name="SKHCN",
        valid_from=since,
    )
    offices = [
        unit_create(
            actor=None,
            code=f"BI_P{index:02d}",
            name=f"Phòng {index}",
            kind="phong",
            parent=department,
            valid_from=since,
        )
        for index in range(1, OFFICES + 1)
    ]
    officer = user_create(actor=None, username="bench-import-officer", password=None)
    role_grant(actor=None, user=officer, role="officer", unit=department)
    return officer, offices


def people_rows(count: int, seed: int, offices) -> list[list]:
    from thidua.demo import names
    from thidua.organizations.enums import Gender

    rng = random.Random(seed)
    taken: set[str] = set()
    rows = []
    for index in range(count):
        gender = names.pick_gender(rng)
        ethnicity = names.pick_ethnicity(rng)
        family, middle, given = names.person_name(rng, gender, ethnicity)
        born = names.birth_date(rng, born_from=datetime.date(1965, 1, 1), born_to=datetime.date(2002, 12, 31))
        recruited = born + datetime.timedelta(days=rng.randint(22 * 365, 30 * 365))
        recruited = min(recruited, datetime.date(2025, 12, 1))
        position, category, rank = rng.choice(POSITIONS)
        rows.append(
            [
                " ".join(part for part in (family, middle, given) if part),
                "Nam" if gender == Gender.MALE else "Nữ",
                born,
                ethnicity,
                names.cccd(rng, province_code="087", gender=gender, born=born, taken=taken),
                f"canbo{index:05d}@skhcn.example.gov.vn",
                f"09{rng.randint(10_000_000, 99_999_999)}",
                offices[index % len(offices)].code,
                position,
                category,
                rank,
                recruited,
            ]
        )
    return rows


def xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> tuple[int, int, int, int]:
    from thidua.common.models import AuditEntry, ImportBatch
    from thidua.organizations.models import Employment, Person

    return (
        Person.objects.count(),
        Employment.objects.count(),
        AuditEntry.objects.count(),
        ImportBatch.objects.count(),
    )


def timed_import(officer, content: bytes, name: str):
    from thidua.organizations.imports import import_people

    started = time.perf_counter()
    batch = import_people(actor=officer, uploaded_file=io.BytesIO(content), filename=name)
    return batch, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the people file (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE} afterwards")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="thidua-bench-import-") as data_dir:
        owned = setup_django(data_dir)
        from django.db import connection

        from thidua.organizations.imports import ImportFailed

        print(f"Database: {connection.settings_dict['NAME']} ({connection.vendor})")
        try:
            officer, offices = build_tree()
            rows = people_rows(args.rows, args.seed, offices)
            started = time.perf_counter()
            content = xlsx(rows)
            print(
                f"File: {args.rows:,} rows, {len(content) / 1024:,.0f} KiB, written in {time.perf_counter() - started:.2f} s"
            )
            results = []

            batch, seconds = timed_import(officer, content, "nhan-su.xlsx")
            assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (args.rows, 0, 0), (
                batch
            )
            results.append(("(a) fresh import", seconds, f"{batch.created_count:,} created"))

            batch, seconds = timed_import(officer, content, "nhan-su.xlsx")
            assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, args.rows), (
                batch
            )
            results.append(("(b) re-import, unchanged", seconds, f"{batch.unchanged_count:,} unchanged"))

            moved = [
                [*row[:7], offices[(index + 1) % len(offices)].code, *row[8:]]
                for index, row in enumerate(rows)
            ]
            batch, seconds = timed_import(officer, xlsx(moved), "chuyen-phong.xlsx")
            assert (batch.created_count, batch.updated_count) == (0, args.rows), batch
            results.append(("(c) re-import, everyone moved", seconds, f"{batch.updated_count:,} updated"))

            failing = [[*row[:6], f"08{index:08d}", *row[7:]] for index, row in enumerate(rows)]
            failing[-1][2] = "31/02/1980"
            before = counts()
            started = time.perf_counter()
            try:
                timed_import(officer, xlsx(failing), "co-loi.xlsx")
            except ImportFailed as failure:
                seconds = time.perf_counter() - started
                assert [(error.row, error.column) for error in failure.errors] == [(args.rows + 1, "C")], (
                    failure.errors
                )
            else:
                raise AssertionError("the failing file was imported")
            unchanged = counts() == before
            results.append(
                (
                    "(d) failing import (last row bad)",
                    seconds,
                    "nothing saved" if unchanged else "SOMETHING WAS SAVED",
                )
            )

            print(f"\nImport of {args.rows:,} people, {connection.vendor}:")
            for label, seconds, note in results:
                print(f"  {label:<36} {seconds:6.2f} s   {args.rows / seconds:8,.0f} rows/s   {note}")
            people, employments, entries, batches = counts()
            print(
                f"\nIn the database: {people:,} people, {employments:,} employments, {entries:,} audit entries, "
                f"{batches} import batches."
            )
            fresh = results[0][1]
            verdict = "within" if fresh < TARGET_SECONDS and unchanged else "MISSES"
            print(
                f"Target: fresh import under {TARGET_SECONDS:.0f} s, all-or-nothing — {verdict} the target."
            )
            return 0 if verdict == "within" else 1
        finally:
            if owned and not args.keep:
                drop_database()
                print(f"Dropped database {DATABASE}.")


if __name__ == "__main__":
    sys.exit(main())
