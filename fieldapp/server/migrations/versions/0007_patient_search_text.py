"""Each patient's search text (names and record number, accents and case folded) kept beside the record.

The office's patient search then compares plain text on both databases: accent- and case-insensitive
("nunez" finds Núñez) without JSON extraction per row or a database extension.
"""

import json
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"

# A copy of fieldapp.domain.text as it was when this revision was written (a migration must not change
# when the application's code does).
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})


def _fold(text: str) -> str:
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", bare).casefold()


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    records = sa.table(
        "records",
        sa.column("id", sa.Uuid()),
        sa.column("entity", sa.String()),
        sa.column("fields", sa.JSON()),
        sa.column("search_text", sa.Text()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(records.c.id, records.c.fields).where(records.c.entity == "patient")
    ).all()
    for row in rows:
        fields = row.fields if isinstance(row.fields, dict) else json.loads(row.fields)
        parts = (fields.get("family_name"), fields.get("given_name"), fields.get("mrn"))
        text = " ".join(_fold(str(p)) for p in parts if isinstance(p, str) and p)
        connection.execute(records.update().where(records.c.id == row.id).values(search_text=text))


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("search_text")
