"""Visit-verification exceptions, synced like every record (decision 0025)."""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "visit_exceptions",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("resolution", sa.JSON(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.Column("bases", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.String(length=48), nullable=True),
        sa.Column("server_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_exceptions")),
    )
    with op.batch_alter_table("visit_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_exceptions_visit_id"), ["visit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_exceptions_patient_id"), ["patient_id"], unique=False)


def downgrade() -> None:
    op.drop_table("visit_exceptions")
