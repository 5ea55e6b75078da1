"""A closed or cancelled session is immutable in the database too: triggers refuse to update the session
row and to insert or update any row under it (ballot records, counters, agenda, attendance, paper tallies).

Deletes are left to the models (which refuse them): the test runner empties tables with DELETE on SQLite.
SQLite drops a table's triggers when Django rebuilds the table: a later migration that alters one of these
tables must create its triggers again (call ``_sqlite`` from it).
"""

from django.db import migrations

FINAL = "('closed', 'cancelled')"
CHILD_TABLES = [
    "council_agendaitem",
    "council_attendance",
    "council_participation",
    "council_tallycounter",
    "council_receipt",
    "council_papertally",
    "council_papersheet",
]
MESSAGE = "council session is closed: its records cannot change"


def _sqlite(schema_editor, forwards: bool) -> None:
    statements = []
    if forwards:
        statements.append(
            f"CREATE TRIGGER council_session_final BEFORE UPDATE ON council_session "
            f"WHEN OLD.status IN {FINAL} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        for table in CHILD_TABLES:
            for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD")):
                statements.append(
                    f"CREATE TRIGGER {table}_final_{event.lower()} BEFORE {event} ON {table} "
                    f"WHEN (SELECT status FROM council_session WHERE id = {row}.session_id) IN {FINAL} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
    else:
        statements.append("DROP TRIGGER IF EXISTS council_session_final")
        for table in CHILD_TABLES:
            for event in ("insert", "update"):
                statements.append(f"DROP TRIGGER IF EXISTS {table}_final_{event}")
    for statement in statements:
        schema_editor.execute(statement)


def _postgresql(schema_editor, forwards: bool) -> None:
    if forwards:
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION council_session_final() RETURNS trigger AS $$
            BEGIN
              IF OLD.status IN {FINAL} THEN
                RAISE EXCEPTION '{MESSAGE}';
              END IF;
              RETURN NEW;
            END
            $$ LANGUAGE plpgsql
            """
        )
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION council_part_final() RETURNS trigger AS $$
            DECLARE
              parent bigint;
            BEGIN
              IF TG_OP = 'INSERT' THEN parent := NEW.session_id; ELSE parent := OLD.session_id; END IF;
              IF EXISTS (SELECT 1 FROM council_session WHERE id = parent AND status IN {FINAL}) THEN
                RAISE EXCEPTION '{MESSAGE}';
              END IF;
              RETURN NEW;
            END
            $$ LANGUAGE plpgsql
            """
        )
        schema_editor.execute(
            "CREATE TRIGGER council_session_final BEFORE UPDATE ON council_session "
            "FOR EACH ROW EXECUTE FUNCTION council_session_final()"
        )
        for table in CHILD_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_final BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION council_part_final()"
            )
    else:
        for table in CHILD_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_final ON {table}")
        schema_editor.execute("DROP TRIGGER IF EXISTS council_session_final ON council_session")
        schema_editor.execute("DROP FUNCTION IF EXISTS council_part_final()")
        schema_editor.execute("DROP FUNCTION IF EXISTS council_session_final()")


def _apply(forwards: bool):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            _sqlite(schema_editor, forwards)
        elif vendor == "postgresql":
            _postgresql(schema_editor, forwards)
        # Other databases: the models' own refusal is the guard.

    return run


class Migration(migrations.Migration):
    dependencies = [("council", "0001_initial")]

    operations = [migrations.RunPython(_apply(True), _apply(False))]
