"""Losses delivered to the device whose value lost, and each device's clock-offset history (decision 0013).

- ``conflicts.seq``: the change number of the write that logged the loss, so a pull can hand the loss to
  the device that made the losing value (``conflicts.lost_node``, the node of its stamp) exactly once.
- ``device_clock_samples``: what each device reported about its wall clock, for the office's fleet page.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DEVICE = sa.ForeignKey("devices.id", ondelete="CASCADE")


def upgrade() -> None:
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("lost_node", sa.String(32), nullable=True))
        batch_op.create_index("ix_conflicts_lost_node_seq", ["lost_node", "seq"])
    # A stamp is 12 hex digits of wall time, 4 of counter, then the node id.
    op.execute("UPDATE conflicts SET lost_node = substr(lost_stamp, 17)")
    op.create_table(
        "device_clock_samples",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column(
            "device_id", sa.String(32), sa.ForeignKey("devices.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offset_ms", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_device_clock_samples_device_at", "device_clock_samples", ["device_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_device_clock_samples_device_at", table_name="device_clock_samples")
    op.drop_table("device_clock_samples")
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_index("ix_conflicts_lost_node_seq")
        batch_op.drop_column("lost_node")
        batch_op.drop_column("seq")
