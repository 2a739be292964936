"""Drop foreign keys between replicated records; add pending evictions.

The server's change feed orders records by their last change, so a visit may arrive before its
patient; a replica cannot enforce parent-first order. References are checked by the write path.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

CHILDREN = {
    "visits": ["patients"],
    "visit_notes": ["patients", "visits"],
    "observations": ["patients", "visits"],
    "signatures": ["patients", "visits"],
}


def _fk(table: str, parent: str) -> str:
    column = "patient_id" if parent == "patients" else "visit_id"
    return f"fk_{table}_{column}_{parent}"


def upgrade() -> None:
    op.create_table(
        "pending_evictions",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_pending_evictions")),
    )
    for table, parents in CHILDREN.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for parent in parents:
                batch_op.drop_constraint(_fk(table, parent), type_="foreignkey")


def downgrade() -> None:
    for table, parents in reversed(CHILDREN.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for parent in parents:
                column = "patient_id" if parent == "patients" else "visit_id"
                batch_op.create_foreign_key(_fk(table, parent), parent, [column], ["id"], ondelete="CASCADE")
    op.drop_table("pending_evictions")
