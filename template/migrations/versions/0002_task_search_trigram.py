"""tasks: trigram indexes for the search, on PostgreSQL

The list's search (`q`) is a case-insensitive substring of the title or the description, which
no B-tree index can find: without these GIN indexes of pg_trgm, every search reads all of the
owner's tasks. On other databases (SQLite) this revision changes nothing. The indexes are not
in the models (SQLAlchemy cannot declare them for PostgreSQL alone); env.py leaves indexes
named *_trgm out of Alembic's comparison.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 04:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The index, the column: what `lower(column) LIKE '%...%'` (tasks/selectors.py) can use.
TRIGRAM_INDEXES = (
    ("ix_tasks_title_trgm", "title"),
    ("ix_tasks_description_trgm", "description"),
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # pg_trgm is a trusted extension: the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES:
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tasks USING gin (lower({column}) gin_trgm_ops)"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _ in TRIGRAM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
