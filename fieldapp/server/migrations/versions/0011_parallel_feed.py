"""The change feed without a writer lock: the PostgreSQL position base, and who a record's last write echoes.

``counters.xid_base`` (PostgreSQL) is added to transaction ids when numbering feed positions, so positions
keep growing after a restore into another cluster (the server raises it at start-up when needed).
``records.origin``/``origin_since``: the device whose push left the record exactly as that device holds
it, and that device's cursor at the time; its own pulls skip the record (it would download its own write).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("origin_since", sa.BigInteger(), nullable=True))
    counters = sa.table("counters", sa.column("name", sa.String()), sa.column("value", sa.BigInteger()))
    op.bulk_insert(counters, [{"name": "xid_base", "value": 0}])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM counters WHERE name = 'xid_base'"))
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("origin_since")
        batch_op.drop_column("origin")
