"""Index the device audit log by user name and time: the office's audit page filters by the person.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_device_audit_username_at", "device_audit", ["username", "at"])


def downgrade() -> None:
    op.drop_index("ix_device_audit_username_at", table_name="device_audit")
