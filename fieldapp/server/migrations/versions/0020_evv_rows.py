"""Each completed visit's verification state and EVV export row kept ready, with the inputs it was made
from, so the export streams stored rows and makes again only the stale ones (decision 0036)."""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
# name: (type, may be empty); visit_id is the key
COLUMNS: dict[str, tuple[sa.types.TypeEngine[Any], bool]] = {
    "visit_id": (sa.Uuid(), False),
    "inputs": (sa.Text(), False),
    "state": (sa.String(length=16), False),
    "settles_at": (sa.DateTime(timezone=True), True),
    "call_in": (sa.String(length=20), True),
    "csv": (sa.Text(), True),
    "json": (sa.Text(), True),
}


def upgrade() -> None:
    columns = [sa.Column(name, kind, nullable=empty) for name, (kind, empty) in COLUMNS.items()]
    op.create_table("evv_rows", *columns, sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_evv_rows")))


def downgrade() -> None:
    op.drop_table("evv_rows")
