"""Sign-in throttling per user name, per client address and per familiar address (decision 0015).

Replaces ``login_throttle`` (one lock per user name, which anyone could keep closed for its owner). Its
counts are not carried over: they last a day at most.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure", MOMENT, nullable=True),
        sa.Column("locked_until", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_sign_in_throttle")),
    )
    op.create_table(
        "sign_in_familiar",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("last_success", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("username", "address", name=op.f("pk_sign_in_familiar")),
    )
    op.drop_table("login_throttle")


def downgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_throttle")),
    )
    op.drop_table("sign_in_familiar")
    op.drop_table("sign_in_throttle")
