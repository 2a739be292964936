"""The tablet seals each signature with its digest at signing (repo.sign_visit), and store migration 0007
seals the signatures still waiting in the outbox when the app is upgraded."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fieldapp.domain import signing
from fieldapp.domain.attestation import content_digest
from fieldapp.domain.entities import Signature, Visit, VisitNote
from fieldapp.domain.errors import ValidationError
from fieldapp.store import migrate, outbox, repo
from fieldapp.store.db import make_engine
from fieldapp.store.local import LocalStore
from tests import factories as f


def _signed_visit(store: LocalStore) -> Signature:
    p = f.patient()
    v = f.visit(p.id)
    with store.unit_of_work() as s:
        for record in (p, v, f.note(v)):
            repo.add(s, store.clock, record)
    with store.read() as s:
        current = repo.get(s, Visit, v.id)
        assert current is not None
        content = content_digest(current, repo.list_for_visit(s, VisitNote, v.id), [])
    signature = Signature(
        visit_id=v.id,
        patient_id=v.patient_id,
        strokes=[[{"x": 1.5, "y": 2, "t": 0, "pressure": 0.4}, {"x": 3, "y": 4.25, "t": 16}]],
        image_sha256=hashlib.sha256(b"png").hexdigest(),
        signer_name="Zoë Núñez",
        signer_role="patient",
        meaning="I confirm I received the care recorded for this visit.",
        signed_at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
        content_sha256=content,
    )
    with store.unit_of_work() as s:
        repo.sign_visit(s, store.clock, signature)
    return signature


def test_a_signature_is_saved_and_queued_with_the_digest_of_everything_captured(store: LocalStore) -> None:
    signature = _signed_visit(store)
    with store.read() as s:
        saved = repo.get(s, Signature, signature.id)
        [queued] = [e for e in outbox.pending(s) if e.entity == "signature"]
    assert saved is not None and saved.digest is not None
    wire = saved.model_dump(mode="json")
    assert signing.check(str(saved.id), wire).intact
    assert saved.digest == signing.digest_of(str(saved.id), wire)
    assert queued.changes["digest"].value == saved.digest.model_dump(mode="json")
    assert queued.changes["digest"].stamp == queued.changes["strokes"].stamp, "made with the signature"


def test_a_signature_whose_given_digest_does_not_match_is_refused_and_nothing_is_saved(
    store: LocalStore,
) -> None:
    p = f.patient()
    v = f.visit(p.id)
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        repo.add(s, store.clock, v)
        current = repo.get(s, Visit, v.id)
    assert current is not None
    good = repo.seal(
        Signature(
            visit_id=v.id,
            patient_id=v.patient_id,
            strokes=[[{"x": 1, "y": 2, "t": 0}]],
            image_sha256=hashlib.sha256(b"png").hexdigest(),
            signer_name="Ada",
            signer_role="patient",
            meaning="I confirm.",
            signed_at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
            content_sha256=content_digest(current, [], []),
        )
    )
    forged = good.revise(signer_name="Somebody Else")  # the digest still names Ada
    with store.read() as s:
        before = outbox.pending_count(s)
    with pytest.raises(ValidationError, match="signer"), store.unit_of_work() as s:
        repo.sign_visit(s, store.clock, forged)
    with store.read() as s:
        assert repo.get(s, Signature, forged.id) is None
        assert outbox.pending_count(s) == before


def test_migration_0008_seals_queued_signatures_and_leaves_sent_ones_made_before_digests(
    tmp_path: Path,
) -> None:
    path = tmp_path / "fieldapp.db"
    store = LocalStore.open(path)
    queued, sent = _signed_visit(store), _signed_visit(store)
    with store.unit_of_work() as s:  # the server acknowledged the second signature before the upgrade
        [entry] = [e for e in outbox.pending(s) if e.record_id == sent.id]
        outbox.acknowledge(s, [entry.mutation_id])
    store.close()
    # What version 0005 of the app left: no digest column, queued changes without a digest.
    engine = make_engine(path)
    migrate.downgrade(engine, "0005")
    engine.dispose()
    db = sqlite3.connect(path)
    with db:
        for seq, changes in db.execute(
            "SELECT seq, changes FROM outbox WHERE entity = 'signature'"
        ).fetchall():
            old = {k: v for k, v in json.loads(changes).items() if k != "digest"}
            db.execute("UPDATE outbox SET changes = ? WHERE seq = ?", (json.dumps(old), seq))
        for row_id, stamps in db.execute("SELECT id, stamps FROM signatures").fetchall():
            old = {k: v for k, v in json.loads(stamps).items() if k != "digest"}
            db.execute("UPDATE signatures SET stamps = ? WHERE id = ?", (json.dumps(old), row_id))
    db.close()

    store = LocalStore.open(path)  # migrates to head
    with store.read() as s:
        sealed = repo.get(s, Signature, queued.id)
        older = repo.get(s, Signature, sent.id)
        [entry] = [e for e in outbox.pending(s) if e.entity == "signature"]
    store.close()
    assert sealed is not None and older is not None
    assert older.digest is None, "already at the office: stays made before digests"
    assert sealed.digest == signing.digest_of(str(queued.id), sealed.model_dump(mode="json"))
    assert sealed.digest == repo.seal(queued).digest, "the same digest the signing screen made"
    assert entry.record_id == queued.id
    assert entry.changes["digest"].value == sealed.digest.model_dump(mode="json")
    assert entry.changes["digest"].stamp == entry.changes["signed_at"].stamp
