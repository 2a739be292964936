"""Index assignments by worker, state and feed number (a worker's evictions and caseload lookups)."""

from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_index("ix_assignments_worker_active_seq", "assignments", ["worker_id", "active", "seq"])


def downgrade() -> None:
    op.drop_index("ix_assignments_worker_active_seq", table_name="assignments")
