"""Workers' full names, credentials and phones; the agency's name, address, phone and late grace.

Existing users keep empty names (records show the user name until the office fills them in); the agency
row starts empty with the usual 15 minutes' grace.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("full_name", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("credential", sa.String(length=8), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("phone", sa.String(length=32), nullable=True))
    agency = op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("address", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("late_after_min", sa.Integer(), nullable=False, server_default="15"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
    )
    op.bulk_insert(agency, [{"id": 1, "name": "", "address": "", "late_after_min": 15}])


def downgrade() -> None:
    op.drop_table("agency")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("credential")
        batch_op.drop_column("full_name")
