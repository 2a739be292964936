"""The agency's units for vitals on the tablets: temperature ("[degF]" or "Cel") and weight ("[lb_av]" or
"kg"); an existing agency starts with degrees Fahrenheit and pounds (decision 0031).
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("temperature_unit", sa.String(length=8), nullable=False, server_default="[degF]")
        )
        batch_op.add_column(
            sa.Column("weight_unit", sa.String(length=8), nullable=False, server_default="[lb_av]")
        )


def downgrade() -> None:
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_column("weight_unit")
        batch_op.drop_column("temperature_unit")
