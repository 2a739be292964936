"""Index assignments by worker, state and feed number (a worker's evictions and caseload lookups).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_assignments_worker_active_seq", "assignments", ["worker_id", "active", "seq"])


def downgrade() -> None:
    op.drop_index("ix_assignments_worker_active_seq", table_name="assignments")
