"""Visits carry the office's schedule fields; schedule changes a pull brings become notices for the worker.

The new visit columns have defaults (an empty reason and empty notes, no external id, no series), so the
visits already held read as they did: nothing was cancelled and nothing was said to the worker.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.add_column("visits", sa.Column("cancel_reason", sa.String(200), nullable=False, server_default=""))
    op.add_column("visits", sa.Column("worker_notes", sa.Text(), nullable=False, server_default=""))
    op.add_column("visits", sa.Column("external_id", sa.String(64), nullable=True))
    op.add_column("visits", sa.Column("series_id", sa.Uuid(), nullable=True))
    op.create_table(
        "schedule_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_notices")),
    )
    op.create_index(op.f("ix_schedule_notices_visit_id"), "schedule_notices", ["visit_id"])
    op.create_index("ix_schedule_notices_unseen", "schedule_notices", ["seen_at", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_schedule_notices_unseen", table_name="schedule_notices")
    op.drop_index(op.f("ix_schedule_notices_visit_id"), table_name="schedule_notices")
    op.drop_table("schedule_notices")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("series_id")
        batch_op.drop_column("external_id")
        batch_op.drop_column("worker_notes")
        batch_op.drop_column("cancel_reason")
