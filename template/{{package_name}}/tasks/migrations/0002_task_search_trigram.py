"""Trigram indexes for the search, on PostgreSQL.

The list's search (`q`) is a case-insensitive substring of the title or the description
(`icontains`: `UPPER(column) LIKE UPPER('%...%')`), which no B-tree index can find: without
these GIN indexes of pg_trgm, every search reads all of the owner's tasks. On other databases
(SQLite) this migration changes nothing, which is why it is written as RunPython rather than
as `Meta.indexes`.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The index, the column: what `UPPER(column) LIKE ...` (tasks/selectors.py) can use.
TRIGRAM_INDEXES = (
    ("task_title_trgm_idx", "title"),
    ("task_description_trgm_idx", "description"),
)


def create_trigram_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("tasks", "Task")._meta.db_table
    # pg_trgm is a trusted extension: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
