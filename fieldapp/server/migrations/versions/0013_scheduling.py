"""Office scheduling: recurring series, occurrences the office detached from them, workers' hours.

``schedule_series`` holds each recurring pattern (a series edited from a date on is ended and followed by
a successor with the same ``root_id``; the agency's ``external_id`` sits on the root). Visits stay ordinary
visit records in ``records``. ``schedule_detached`` names the series visits the office changed on their
own, so series edits leave them alone. ``worker_hours`` and ``worker_limits`` are what the double-booking
and hours warnings compare with. An index on the records' (entity, day) serves the board: one day of
visits for all workers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    # The board reads one day of visits for all workers; (entity, worker_id, day) cannot seek a day alone.
    op.create_index("ix_records_entity_day", "records", ["entity", "day"], unique=False)
    op.create_table(
        "schedule_series",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("service_code", sa.String(length=10), nullable=False),
        sa.Column("weekdays", sa.String(length=13), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("worker_notes", sa.Text(), nullable=False),
        sa.Column("cancel_reason", sa.String(length=200), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_series")),
        sa.UniqueConstraint("external_id", name=op.f("uq_schedule_series_external_id")),
    )
    op.create_index("ix_schedule_series_root_id", "schedule_series", ["root_id"])
    op.create_index("ix_schedule_series_worker_id", "schedule_series", ["worker_id"])
    op.create_table(
        "schedule_detached",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("detached_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_schedule_detached")),
    )
    op.create_index("ix_schedule_detached_root_id", "schedule_detached", ["root_id"])
    op.create_table(
        "worker_hours",
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_worker_hours_worker_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("worker_id", "weekday", "start_time", name=op.f("pk_worker_hours")),
    )
    op.create_table(
        "worker_limits",
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("max_weekly_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_worker_limits_worker_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_worker_limits")),
    )


def downgrade() -> None:
    op.drop_index("ix_records_entity_day", table_name="records")
    op.drop_table("worker_limits")
    op.drop_table("worker_hours")
    op.drop_index("ix_schedule_detached_root_id", table_name="schedule_detached")
    op.drop_table("schedule_detached")
    op.drop_index("ix_schedule_series_worker_id", table_name="schedule_series")
    op.drop_index("ix_schedule_series_root_id", table_name="schedule_series")
    op.drop_table("schedule_series")
