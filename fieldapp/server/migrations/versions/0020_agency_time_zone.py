"""The agency's time zone on its card (decision 0035): an IANA name, or none while the agency has not
chosen one (the server's setting ``agency_timezone`` then stands for it).

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agency") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agency") as batch:
        batch.drop_column("time_zone")
