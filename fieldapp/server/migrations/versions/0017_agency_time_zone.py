"""The agency's time zone on its card (decision 0035): an IANA name, or none while the agency has not
chosen one (the server's setting ``agency_timezone`` then stands for it).
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"


def upgrade() -> None:
    with op.batch_alter_table("agency") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agency") as batch:
        batch.drop_column("time_zone")
