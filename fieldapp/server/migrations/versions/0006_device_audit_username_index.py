"""Index the device audit log by user name and time: the office's audit page filters by the person."""

from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_index("ix_device_audit_username_at", "device_audit", ["username", "at"])


def downgrade() -> None:
    op.drop_index("ix_device_audit_username_at", table_name="device_audit")
