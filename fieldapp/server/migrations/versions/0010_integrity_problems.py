"""The integrity log (hash-chained), and the device audit entries' flags.

``integrity_problems`` records every integrity failure the server finds (a file whose bytes do not match
its hash, a signature that no longer matches its digest, a broken audit chain), each entry chained to the
previous one; ``counters.integrity_seq`` numbers them and serialises writers. ``device_audit.flag`` says
why an uploaded entry deserves a look (it names another user, or a record outside the uploader's
caseload); ``device_audit.user_id`` already held the uploading account.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "integrity_problems",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("found_at", MOMENT, nullable=False),
        sa.Column("found_by", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("part", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_problems")),
        sa.UniqueConstraint("seq", name=op.f("uq_integrity_problems_seq")),
    )
    op.create_index("ix_integrity_problems_subject", "integrity_problems", ["kind", "subject"])
    op.bulk_insert(
        sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.BigInteger)),
        [{"name": "integrity_seq", "value": 0}],
    )
    with op.batch_alter_table("device_audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flag", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device_audit", schema=None) as batch_op:
        batch_op.drop_column("flag")
    op.execute("DELETE FROM counters WHERE name = 'integrity_seq'")
    op.drop_index("ix_integrity_problems_subject", table_name="integrity_problems")
    op.drop_table("integrity_problems")
