"""Resumable file uploads (decision 0027): an upload in progress per file and user, and the pieces received
so far (each committed as it arrives, so a dropped connection keeps them). Care records (tasks, outcomes,
medications, attachments, decision 0028) live in ``records`` like every entity: no table of their own.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    op.create_table(
        "blob_uploads",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "user_id", name=op.f("pk_blob_uploads")),
    )
    op.create_table(
        "blob_upload_parts",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "user_id", "offset", name=op.f("pk_blob_upload_parts")),
    )


def downgrade() -> None:
    op.drop_table("blob_upload_parts")
    op.drop_table("blob_uploads")
