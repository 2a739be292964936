"""Keep each record's feed form (JSON text) beside it, so pulls splice rows instead of re-encoding them."""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wire", sa.Text(), nullable=True))
    records = sa.table(
        "records",
        sa.column("id", sa.Uuid()),
        sa.column("fields", sa.JSON()),
        sa.column("stamps", sa.JSON()),
        sa.column("bases", sa.JSON()),
        sa.column("wire", sa.Text()),
    )
    connection = op.get_bind()
    for row in connection.execute(
        sa.select(records.c.id, records.c.fields, records.c.stamps, records.c.bases)
    ):
        fields, stamps, bases = (
            value if isinstance(value, dict) else json.loads(value)
            for value in (row.fields, row.stamps, row.bases)
        )
        wire = {
            name: {"v": fields.get(name), "s": stamp, "b": bases.get(name)} for name, stamp in stamps.items()
        }
        connection.execute(
            records.update()
            .where(records.c.id == row.id)
            .values(wire=json.dumps(wire, separators=(",", ":"), ensure_ascii=False))
        )


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("wire")
