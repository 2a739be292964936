"""Care documentation: plan-of-care tasks and their outcomes per visit, medications, attachments, and the
thumbnails made once per photo (decisions 0027, 0028).
"""

import sqlalchemy as sa
from alembic import op

from fieldapp.store.migration_shapes import create_synced_table, index_columns

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    create_synced_table(
        "care_tasks",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    index_columns("care_tasks", "patient_id")
    create_synced_table(
        "task_outcomes",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    index_columns("task_outcomes", "patient_id", "visit_id")
    create_synced_table(
        "medications",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("strength", sa.String(length=60), nullable=False),
        sa.Column("dose", sa.String(length=60), nullable=False),
        sa.Column("route", sa.String(length=16), nullable=False),
        sa.Column("frequency", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("stop_date", sa.Date(), nullable=True),
        sa.Column("prescriber", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
    )
    index_columns("medications", "patient_id")
    create_synced_table(
        "attachments",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("entered_in_error", sa.Boolean(), nullable=False),
    )
    index_columns("attachments", "patient_id", "visit_id")
    op.create_table(
        "thumbnails",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("thumbnail_sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_thumbnails")),
    )


def downgrade() -> None:
    for table in ("thumbnails", "attachments", "medications", "task_outcomes", "care_tasks"):
        op.drop_table(table)
