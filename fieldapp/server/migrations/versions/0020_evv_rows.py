"""Each completed visit's verification state and EVV export row kept ready, with the inputs it was made
from, so the export streams stored rows and makes again only the stale ones (decision 0036)."""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"


def upgrade() -> None:
    op.create_table(
        "evv_rows",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("settles_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("call_in", sa.String(length=20), nullable=True),
        sa.Column("csv", sa.Text(), nullable=True),
        sa.Column("json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_evv_rows")),
    )


def downgrade() -> None:
    op.drop_table("evv_rows")
