"""The agency's visit-verification thresholds (decision 0033), and each visit exception's ``day`` (its
visit's day, kept in step by the push) so the office's queue reads a day's exceptions by the (entity, day)
index instead of joining every visit of the day to its children.

Existing agencies get the defaults they had in code (30 min early check-in, 15 early check-out, 30 late
check-out, 75 % and 125 % of the scheduled length, 400 m); existing exceptions get their visit's day.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"

THRESHOLDS = (
    ("early_check_in_min", "30"),
    ("early_check_out_min", "15"),
    ("late_check_out_min", "30"),
    ("short_visit_pct", "75"),
    ("long_visit_pct", "125"),
    ("far_m", "400"),
)


def upgrade() -> None:
    with op.batch_alter_table("agency", schema=None) as batch_op:
        for name, default in THRESHOLDS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default=default))
    op.execute(
        "UPDATE records SET day = (SELECT v.day FROM records v WHERE v.id = records.parent_id) "
        "WHERE entity = 'visit_exception'"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE records")  # the planner learns the exceptions' days now, not at autovacuum's turn


def downgrade() -> None:
    op.execute("UPDATE records SET day = NULL WHERE entity = 'visit_exception'")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        for name, _ in reversed(THRESHOLDS):
            batch_op.drop_column(name)
