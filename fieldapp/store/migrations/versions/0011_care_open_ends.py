"""Care documentation's open ends (decision 0034): entered-in-error marks with a reason on task outcomes,
medications and attachments; an attachment's thumbnail made by the device that took the photo; the care
tasks an exception names; the large files uploaded in the background.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"

_MARKED = ("task_outcomes", "medications")


def upgrade() -> None:
    for table in _MARKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("entered_in_error", sa.Boolean(), nullable=False, server_default=sa.false())
            )
            batch_op.add_column(
                sa.Column("error_reason", sa.String(length=200), nullable=False, server_default="")
            )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("error_reason", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("thumbnail_sha256", sa.String(length=64), nullable=True))
    with op.batch_alter_table("visit_exceptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tasks", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "uploaded_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_uploaded_blobs")),
    )


def downgrade() -> None:
    op.drop_table("uploaded_blobs")
    with op.batch_alter_table("visit_exceptions", schema=None) as batch_op:
        batch_op.drop_column("tasks")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_column("thumbnail_sha256")
        batch_op.drop_column("error_reason")
    for table in _MARKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("error_reason")
            batch_op.drop_column("entered_in_error")
