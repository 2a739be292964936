"""Initial local store: records of the six entities, the outbox and the sync state."""

import sqlalchemy as sa
from alembic import op

from fieldapp.store.migration_shapes import create_synced_table, index_columns

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_synced_table(
        "day_reports",
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
    )
    index_columns("day_reports", "day")

    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mutation_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.String(length=48), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("mutation_id", name=op.f("uq_outbox_mutation_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_record", ["entity", "record_id"], unique=False)
        batch_op.create_index("ix_outbox_status_seq", ["status", "seq"], unique=False)

    create_synced_table(
        "patients",
        sa.Column("mrn", sa.String(length=32), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("address", sa.JSON(), nullable=True),
        sa.Column("emergency_contact", sa.JSON(), nullable=True),
        sa.Column("allergies", sa.JSON(), nullable=False),
        sa.Column("diagnoses", sa.JSON(), nullable=False),
        sa.Column("care_plan", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    index_columns("patients", "family_name", "mrn")

    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=32), nullable=False),
        sa.Column("last_stamp", sa.String(length=48), nullable=True),
        sa.Column("clock_offset_ms", sa.Integer(), nullable=False),
        sa.Column("pull_cursor", sa.String(length=200), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    create_synced_table(
        "visits",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("scheduled_start", sa.DateTime(), nullable=False),
        sa.Column("scheduled_end", sa.DateTime(), nullable=False),
        sa.Column("service_code", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("check_in", sa.JSON(), nullable=True),
        sa.Column("check_out", sa.JSON(), nullable=True),
        sa.Column("check_in_correction", sa.JSON(), nullable=True),
        sa.Column("check_out_correction", sa.JSON(), nullable=True),
        sa.Column("signature_id", sa.Uuid(), nullable=True),
        references=("patient_id",),
    )
    index_columns("visits", "patient_id")

    create_synced_table(
        "observations",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("observed_at", sa.DateTime(), nullable=False),
        sa.Column("entered_in_error", sa.Boolean(), nullable=False),
        references=("patient_id", "visit_id"),
    )
    index_columns("observations", "patient_id", "visit_id")

    create_synced_table(
        "signatures",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("strokes", sa.JSON(), nullable=False),
        sa.Column("image_sha256", sa.String(length=64), nullable=True),
        sa.Column("signer_name", sa.String(length=100), nullable=False),
        sa.Column("signer_role", sa.String(length=32), nullable=False),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("unable_reason", sa.String(length=200), nullable=False),
        references=("patient_id", "visit_id"),
    )
    index_columns("signatures", "patient_id", "visit_id")

    create_synced_table(
        "visit_notes",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("amends", sa.Uuid(), nullable=True),
        references=("patient_id", "visit_id"),
    )
    index_columns("visit_notes", "patient_id", "visit_id")


def downgrade() -> None:
    op.drop_table("visit_notes")
    op.drop_table("signatures")
    op.drop_table("observations")
    op.drop_table("visits")
    op.drop_table("sync_state")
    op.drop_table("patients")
    op.drop_table("outbox")
    op.drop_table("day_reports")
