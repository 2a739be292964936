"""Signatures carry the digest that binds what was captured (fieldapp.domain.signing).

Signatures the server already holds stay without one ("made before digests"). Signatures still waiting in
the outbox get theirs now, in the row and in the queued change, stamped like the rest of the signature:
the server refuses a new signature without a digest, and these were made on this tablet, from the values
it has held since signing, exactly as the signing screen would have sealed them.
"""

import hashlib
import uuid
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"

outbox = sa.table(
    "outbox",
    sa.column("seq", sa.Integer),
    sa.column("entity", sa.String),
    sa.column("record_id", sa.Uuid),
    sa.column("changes", sa.JSON),
    sa.column("status", sa.String),
)
signatures = sa.table(
    "signatures",
    sa.column("id", sa.Uuid),
    sa.column("stamps", sa.JSON),
    sa.column("digest", sa.JSON),
)
# Every field a signature had before this revision: an outbox entry holding all of them is its creation.
CREATED_WITH = {
    "visit_id",
    "patient_id",
    "strokes",
    "image_sha256",
    "signer_name",
    "signer_role",
    "meaning",
    "signed_at",
    "content_sha256",
    "unable_reason",
}


# A copy of fieldapp.domain.signing's version-1 digest as it was when this revision was written (a
# migration must not change when the application's code does).
def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _part(name: str, value: Any) -> str:
    return hashlib.sha256(_canonical({"part": name, "version": 1, "value": value})).hexdigest()


def digest_v1(record_id: str, values: dict[str, Any]) -> dict[str, Any]:
    signer = ("signer_name", "signer_role", "meaning", "unable_reason")
    parts = {
        "strokes": _part("strokes", values.get("strokes")),
        "image": values.get("image_sha256"),
        "signer": _part("signer", {name: values.get(name) for name in signer}),
        "content": values.get("content_sha256"),
        "record": _part(
            "record", {"id": record_id, **{n: values.get(n) for n in ("visit_id", "patient_id", "signed_at")}}
        ),
    }
    overall = hashlib.sha256(_canonical({"version": 1, **parts})).hexdigest()
    return {"version": 1, **parts, "sha256": overall}


def upgrade() -> None:
    op.add_column("signatures", sa.Column("digest", sa.JSON(), nullable=True))
    connection = op.get_bind()
    queued = connection.execute(
        sa.select(outbox.c.seq, outbox.c.record_id, outbox.c.changes).where(
            outbox.c.entity == "signature", outbox.c.status.in_(("pending", "rejected"))
        )
    ).all()
    for seq, record_id, changes in queued:
        if not set(changes) >= CREATED_WITH or "digest" in changes:
            continue
        _seal(connection, seq, record_id, changes)


def _seal(connection: sa.Connection, seq: int, record_id: uuid.UUID, changes: dict[str, Any]) -> None:
    values = {name: change["v"] for name, change in changes.items()}
    digest = digest_v1(str(record_id), values)
    stamp = changes["signed_at"]["s"]
    connection.execute(
        sa.update(outbox)
        .where(outbox.c.seq == seq)
        .values(changes={**changes, "digest": {"v": digest, "s": stamp, "b": None}})
    )
    row = connection.execute(sa.select(signatures.c.stamps).where(signatures.c.id == record_id)).first()
    if row is not None:
        connection.execute(
            sa.update(signatures)
            .where(signatures.c.id == record_id)
            .values(digest=digest, stamps={**row[0], "digest": stamp})
        )


def downgrade() -> None:
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_column("digest")
