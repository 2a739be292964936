"""Edits dated on the device timeline (decision 0013): the anchor, the last moment alive, provisional stamps.

A store upgraded from an earlier version resumes from a lower bound: the newest stamp it holds (its clock
was corrected by the measured offset, so that is the best "alive" it knows).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"

STATE_COLUMNS = (
    ("anchor_boot", sa.String(64)),
    ("anchor_uptime_ms", sa.BigInteger()),
    ("anchor_server_ms", sa.BigInteger()),
    ("anchor_kind", sa.String(16)),
    ("anchor_epoch", sa.String(16)),
    ("anchor_error_ms", sa.BigInteger()),
    ("alive_ms", sa.BigInteger()),
    ("acked_floor", sa.String(48)),
)


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch rebuild: the audit log's triggers name sync_state.
    op.add_column("outbox", sa.Column("epoch", sa.String(16), nullable=True))
    op.add_column("outbox", sa.Column("physical_ms", sa.BigInteger(), nullable=True))
    for name, type_ in STATE_COLUMNS:
        op.add_column("sync_state", sa.Column(name, type_, nullable=True))
    # Stamps encode their wall time in the first 12 hex digits.
    bind = op.get_bind()
    last = bind.execute(sa.text("SELECT last_stamp FROM sync_state WHERE id = 1")).scalar()
    if last:
        bind.execute(sa.text("UPDATE sync_state SET alive_ms = :ms WHERE id = 1"), {"ms": int(last[:12], 16)})


def downgrade() -> None:
    for name, _ in reversed(STATE_COLUMNS):
        op.drop_column("sync_state", name)
    op.drop_column("outbox", "physical_ms")
    op.drop_column("outbox", "epoch")
