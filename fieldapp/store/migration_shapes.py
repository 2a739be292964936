"""Table shapes the store's Alembic revisions share: a synced record's table and its indexes.

Revisions written long ago call these, so what a function builds must never change: a new shape is a
new function. (It lives outside ``fieldapp.store.migrations`` because the frozen app ships that folder
as files for Alembic to read, not as modules to import.) ``scripts/schema_dump.py`` shows the schema each
revision builds.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The table a reference column names: records reference their patient and their visit.
PARENTS = {"patient_id": "patients", "visit_id": "visits"}


def create_synced_table(name: str, *columns: sa.Column[object], references: tuple[str, ...] = ()) -> None:
    """A replicated record's table: its own ``columns``, then the sync metadata every record carries
    (id, stamps, bases, tombstone, server sequence), a foreign key (cascading delete) per column named in
    ``references``, and the primary key."""
    op.create_table(
        name,
        *columns,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.Column("bases", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.String(length=48), nullable=True),
        sa.Column("server_seq", sa.Integer(), nullable=True),
        *(_reference(name, column) for column in references),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )


def _reference(table: str, column: str) -> sa.ForeignKeyConstraint:
    parent = PARENTS[column]
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete="CASCADE"
    )


def index_columns(table: str, *columns: str) -> None:
    """One plain index per column, named by the naming convention (``ix_<table>_<column>``)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)
