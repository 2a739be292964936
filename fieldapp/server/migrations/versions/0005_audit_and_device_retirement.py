"""Audit trail (device audit log, API access log) and device retirement / fleet-health columns."""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disabled_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("wiped_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("last_sync_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("clock_offset_ms", sa.BigInteger(), nullable=True))
    op.create_table(
        "device_audit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=True),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("chain_ok", sa.Boolean(), nullable=False),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_audit")),
    )
    op.create_index("ix_device_audit_device_seq", "device_audit", ["device_id", "seq"])
    op.create_index("ix_device_audit_at", "device_audit", ["at"])
    op.create_index(op.f("ix_device_audit_user_id"), "device_audit", ["user_id"])
    op.create_index(op.f("ix_device_audit_record_id"), "device_audit", ["record_id"])
    op.create_table(
        "api_access",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.String(length=32), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("route", sa.String(length=120), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("ms", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_access")),
    )
    op.create_index(op.f("ix_api_access_at"), "api_access", ["at"])
    op.create_index(op.f("ix_api_access_user_id"), "api_access", ["user_id"])


def downgrade() -> None:
    op.drop_table("api_access")
    op.drop_table("device_audit")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("clock_offset_ms")
        batch_op.drop_column("last_sync_at")
        batch_op.drop_column("wiped_at")
        batch_op.drop_column("disabled_at")
