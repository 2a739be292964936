"""Visit-verification exceptions, synced like every record (decision 0025)."""

import sqlalchemy as sa
from alembic import op

from fieldapp.store.migration_shapes import create_synced_table, index_columns

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    create_synced_table(
        "visit_exceptions",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("resolution", sa.JSON(), nullable=True),
    )
    index_columns("visit_exceptions", "visit_id", "patient_id")


def downgrade() -> None:
    op.drop_table("visit_exceptions")
