"""PostgreSQL-only indexes; SQLite needs none at its sizes.

- pg_trgm GIN index on Person.search_text: the accent-insensitive search filters with LIKE '%word%',
  which a B-tree cannot serve.
- varchar_pattern_ops indexes on the unit paths: "all units under X" is LIKE 'prefix%', which a plain
  B-tree serves only under the C collation.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_search_text_trgm ON organizations_person USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS unit_path_pattern ON organizations_unit (path varchar_pattern_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS unit_path_pattern",
    "DROP INDEX IF EXISTS person_search_text_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRES_FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRES_BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
