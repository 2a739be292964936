"""``fieldapp admin verify`` on a year of an agency's records, against reading and hashing the same bytes.

Seeded (straight into the tables, as the push path stores them): 10 field workers, each visiting 5
patients a day for 365 days (18,250 visits), each visit with a note, three vitals and a signature (two
strokes of 60 samples, a 6 KB PNG, sealed with its digest), one day report per worker and day with a
4 KB PDF (3,650), and each tablet's hash-chained audit log of 20 entries a day (73,000 entries).

Measured in the same run, on the same database:
* verify: ``services.verify.verify`` over everything (what ``fieldapp admin verify`` does, less printing);
* floor "read + sha256": read the same rows (signatures, visits, notes, vitals, day reports, files, audit
  entries) and SHA-256 their bytes once, with no checking at all: what any verification must at least do;
* floor "sha256": SHA-256 over the same bytes already in memory.
Printed: records/s (signatures + files + day reports + audit entries checked per second) and the ratio of
verify's time to each floor's. Then a few planted alterations, and the lines verify prints for them.

    .venv/bin/python benchmarks/verify.py [--database sqlite|postgresql|both] [--days N] [--keep FILE]

``--keep FILE`` leaves the seeded (then tampered) SQLite database there, to try ``fieldapp admin verify``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._server import PASSWORD, scratch_postgres
from fieldapp import demodata
from fieldapp.domain.attestation import content_digest
from fieldapp.domain.audit import GENESIS, AuditAction, AuditContent
from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import DayReport, Entity, Observation, Signature, Visit, VisitNote
from fieldapp.domain.signing import digest_of
from fieldapp.server import migrate
from fieldapp.server.auth import admin
from fieldapp.server.auth import sessions as auth
from fieldapp.server.core.push import wire_fields
from fieldapp.server.database import Database
from fieldapp.server.integrity import verify
from fieldapp.server.models import Blob, Counter, DeviceAuditEvent, Record
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role

WORKERS = 10
VISITS_PER_DAY = 5
AUDIT_PER_DAY = 20
PNG_BYTES = 6 * 1024
PDF_BYTES = 4 * 1024
BATCH = 2000
SUMMARY = dict.fromkeys(
    ["visits_scheduled", "visits_completed", "visits_missed", "visits_unsigned", "visits_missing_evv",
     "notes", "observations", "unsent_changes", "open_conflicts"], 0,
)  # fmt: skip


@dataclass
class Seeded:
    signatures: list[uuid.UUID] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    reports: list[uuid.UUID] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class Writer:
    """Rows collected and inserted in batches, each record as the push path stores it."""

    def __init__(self, database: Database, now: datetime) -> None:
        self.database, self.now, self.seq = database, now, 0
        self.records: list[dict[str, Any]] = []
        self.blobs: list[dict[str, Any]] = []
        self.audit: list[dict[str, Any]] = []
        self.stamp = Stamp(int(now.timestamp() * 1000), 0, "bench").encode()

    def record(self, entity: Entity, **columns: Any) -> None:
        values = entity.model_dump(mode="json")
        values.pop("id")
        stamps = dict.fromkeys(values, self.stamp)
        self.seq += 1
        self.records.append(
            {
                "id": entity.id, "entity": entity.entity_name, "fields": values, "stamps": stamps,
                "bases": {}, "deleted": None, "wire": wire_fields(values, stamps, {}), "search_text": None,
                "seq": self.seq, "updated_at": self.now, "patient_id": None, "parent_id": None,
                "worker_id": None, "day": None, "blob_sha256": None, **columns,
            }
        )  # fmt: skip
        self._flush_if_full()

    def blob(self, content: bytes, media_type: str, uploader: uuid.UUID) -> str:
        sha = hashlib.sha256(content).hexdigest()
        self.blobs.append(
            {"sha256": sha, "size": len(content), "media_type": media_type, "content": content,
             "uploaded_by": uploader, "created_at": self.now}
        )  # fmt: skip
        return sha

    def _flush_if_full(self) -> None:
        if len(self.records) + len(self.blobs) + len(self.audit) >= BATCH:
            self.flush()

    def flush(self) -> None:
        with self.database.write() as session:
            for model, rows in ((Blob, self.blobs), (Record, self.records), (DeviceAuditEvent, self.audit)):
                if rows:
                    session.execute(sa.insert(model), rows)
            session.execute(sa.update(Counter).where(Counter.name == "change_seq").values(value=self.seq))
        self.records, self.blobs, self.audit = [], [], []


def seed(url: str, days: int, rng: random.Random) -> Seeded:
    """The year described in the module's docstring."""
    database = Database(url)
    migrate.upgrade(database.engine)
    now = datetime.now(UTC).replace(microsecond=0)
    seeded = Seeded()
    with database.write() as session:
        office = auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
        workers = [
            auth.create_user(session, f"worker{n:02d}", PASSWORD, Role.WORKER, now) for n in range(WORKERS)
        ]
        session.flush()
        patients = list(demodata.patients(WORKERS * VISITS_PER_DAY))
        admin.write_records(session, Settings(database_url=url), office, patients, now)
        first_seq = session.scalar(sa.select(Counter.value).where(Counter.name == "change_seq")) or 0
    writer = Writer(database, now)
    writer.seq = first_seq
    start = (now - timedelta(days=days)).date()
    for index, worker in enumerate(workers):
        device = f"bench{index:02d}"
        seeded.devices.append(device)
        chain = (0, GENESIS)
        mine = patients[index * VISITS_PER_DAY : (index + 1) * VISITS_PER_DAY]
        for offset in range(days):
            day = start + timedelta(days=offset)
            for slot, patient in enumerate(mine):
                _visit(writer, seeded, rng, worker.id, patient.id, day, slot)
            _day_report(writer, seeded, rng, worker.id, day)
            chain = _audit(writer, device, worker.id, worker.username, day, chain)
    writer.flush()
    database.dispose()
    seeded.counts = {
        "visits": len(seeded.signatures),
        "signatures": len(seeded.signatures),
        "files": len(seeded.signatures) + len(seeded.reports),
        "day reports": len(seeded.reports),
        "audit entries": WORKERS * days * AUDIT_PER_DAY,
    }
    return seeded


def _visit(
    w: Writer, seeded: Seeded, rng: random.Random, worker: uuid.UUID, patient: uuid.UUID, day: date, slot: int
) -> None:
    begin = datetime(day.year, day.month, day.day, 8 + slot * 2, tzinfo=UTC)
    check = {"device_time": begin, "server_time": begin, "location": {"kind": "home"}}
    out = {"device_time": begin + timedelta(minutes=50), "server_time": begin + timedelta(minutes=50)}
    visit = Visit(patient_id=patient, worker_id=worker, scheduled_start=begin,
                  scheduled_end=begin + timedelta(hours=1), service_code="G0156", status="completed",
                  check_in=check, check_out=out)  # fmt: skip
    note = VisitNote(visit_id=visit.id, patient_id=patient, author_id=worker,
                     text="Wound clean, dressing changed; patient reports less pain.",
                     written_at=begin + timedelta(minutes=20))  # fmt: skip
    vitals = [
        Observation(visit_id=visit.id, patient_id=patient, kind=kind, value=value, unit=unit,
                    observed_at=begin + timedelta(minutes=10))
        for kind, value, unit in (("heart_rate", 72, "/min"), ("spo2", 97, "%"), ("systolic_bp", 128, "mmHg"))
    ]  # fmt: skip
    image = w.blob(b"\x89PNG\r\n\x1a\n" + rng.randbytes(PNG_BYTES), "image/png", worker)
    strokes = [
        [{"x": 10 + i * 3.5, "y": 40 + rng.random() * 20, "t": i * 8, "pressure": round(rng.random(), 3)}
         for i in range(60)]
        for _ in range(2)
    ]  # fmt: skip
    signature = Signature(visit_id=visit.id, patient_id=patient, strokes=strokes, image_sha256=image,
                          signer_name="Ada Okafor", signer_role="patient",
                          meaning="I confirm the visit took place as recorded.",
                          signed_at=begin + timedelta(minutes=55),
                          content_sha256=content_digest(visit, [note], vitals))  # fmt: skip
    signature = signature.model_copy(
        update={"digest": digest_of(str(signature.id), signature.model_dump(mode="json"))}
    )
    visit = visit.model_copy(update={"signature_id": signature.id})
    w.record(visit, patient_id=patient, worker_id=worker, day=day)
    for child in (note, *vitals):
        w.record(child, patient_id=patient, parent_id=visit.id)
    w.record(signature, patient_id=patient, parent_id=visit.id, blob_sha256=image)
    seeded.signatures.append(signature.id)
    seeded.images.append(image)


def _day_report(w: Writer, seeded: Seeded, rng: random.Random, worker: uuid.UUID, day: date) -> None:
    pdf = w.blob(b"%PDF-1.4\n" + rng.randbytes(PDF_BYTES) + b"\n%%EOF\n", "application/pdf", worker)
    report = DayReport(worker_id=worker, day=day, summary=SUMMARY, pdf_sha256=pdf,
                       submitted_at=datetime(day.year, day.month, day.day, 18, tzinfo=UTC))  # fmt: skip
    w.record(report, worker_id=worker, day=day, blob_sha256=pdf)
    seeded.reports.append(report.id)


def _audit(
    w: Writer, device: str, user: uuid.UUID, username: str, day: date, chain: tuple[int, str]
) -> tuple[int, str]:
    seq, previous = chain
    base = int(datetime(day.year, day.month, day.day, 8, tzinfo=UTC).timestamp() * 1000)
    for n in range(AUDIT_PER_DAY):
        seq += 1
        content = AuditContent(uuid.uuid4(), seq, base + n * 60_000, username, AuditAction.VIEW, "visit",
                               uuid.uuid4(), "", previous)  # fmt: skip
        digest = content.digest()
        w.audit.append(
            {"id": content.id, "device_id": device, "seq": seq, "user_id": user, "username": username,
             "at": datetime.fromtimestamp(content.at_ms / 1000, UTC), "action": "view", "entity": "visit",
             "record_id": content.record_id, "detail": "", "prev_hash": previous, "hash": digest,
             "chain_ok": True, "received_at": w.now, "flag": None}
        )  # fmt: skip
        previous = digest
    return seq, previous


# -- measuring -----------------------------------------------------------------------------------------------


def read_and_hash(database: Database) -> tuple[float, list[bytes]]:
    """The floor: read every row verify reads, and SHA-256 each one's bytes once."""
    started = time.perf_counter()
    chunks: list[bytes] = []
    with database.read() as session:
        for (content,) in session.execute(sa.select(Blob.content)).yield_per(256):
            hashlib.sha256(content).digest()
            chunks.append(content)
        for (fields,) in session.execute(
            sa.select(Record.fields).where(
                Record.entity.in_(("signature", "visit", "visit_note", "observation", "day_report"))
            )
        ).yield_per(2000):
            text = orjson.dumps(fields)
            hashlib.sha256(text).digest()
            chunks.append(text)
        for row in session.execute(
            sa.select(
                DeviceAuditEvent.id,
                DeviceAuditEvent.username,
                DeviceAuditEvent.detail,
                DeviceAuditEvent.prev_hash,
            )
        ).yield_per(5000):
            text = f"{row[0]}{row[1]}{row[2]}{row[3]}".encode()
            hashlib.sha256(text).digest()
            chunks.append(text)
    return time.perf_counter() - started, chunks


def sha256_only(chunks: list[bytes]) -> float:
    started = time.perf_counter()
    for chunk in chunks:
        hashlib.sha256(chunk).digest()
    return time.perf_counter() - started


def tamper(database: Database, seeded: Seeded, rng: random.Random) -> None:
    """A few alterations someone with database access might make."""
    with database.write() as session:
        row = session.get(Record, rng.choice(seeded.signatures))
        assert row is not None
        row.fields = {**row.fields, "strokes": [row.fields["strokes"][0]]}  # a stroke removed
        row = session.get(Record, rng.choice(seeded.signatures))
        assert row is not None
        row.fields = {**row.fields, "signer_name": "Somebody Else"}
        blob = session.get(Blob, rng.choice(seeded.images))
        assert blob is not None
        blob.content = blob.content[:-1] + b"\x00"  # one byte of an image
        report = session.get(Record, rng.choice(seeded.reports))
        assert report is not None
        session.execute(sa.delete(Blob).where(Blob.sha256 == report.fields["pdf_sha256"]))
        per_device = seeded.counts["audit entries"] // len(seeded.devices)
        entry = session.scalar(
            sa.select(DeviceAuditEvent).where(
                DeviceAuditEvent.device_id == seeded.devices[0], DeviceAuditEvent.seq == per_device // 4
            )
        )
        assert entry is not None
        entry.detail = "deleted nothing"
        # One from the middle: the newest entries can only be missed when the tablet next uploads (the next
        # entry then does not follow what the server holds), so the chain alone cannot show a cut tail.
        session.execute(
            sa.delete(DeviceAuditEvent).where(
                DeviceAuditEvent.device_id == seeded.devices[1], DeviceAuditEvent.seq == per_device // 2
            )
        )


def measure(url: str, days: int, label: str, keep: Path | None) -> dict[str, Any]:
    rng = random.Random(20261204)
    started = time.perf_counter()
    seeded = seed(url, days, rng)
    print(f"-- {label}: seeded {', '.join(f'{n} {what}' for what, n in seeded.counts.items())} "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    database = Database(url)
    try:
        read_and_hash(database)  # warm the caches alike for both
        with database.read() as session:
            outcome = verify.verify(session)
        assert not outcome.problems, [p.line() for p in outcome.problems[:5]]
        checked = sum(outcome.checked[k] for k in ("signatures", "files", "day reports", "audit entries"))
        floor_s, chunks = read_and_hash(database)
        hash_s = sha256_only(chunks)
        megabytes = sum(len(c) for c in chunks) / 1e6
        rate = checked / outcome.seconds
        print(f"{label} verify: {outcome.seconds:.2f} s for {checked} records ({rate:,.0f} records/s)")
        print(f"{label} floor read + sha256 of the same rows: {floor_s:.2f} s "
              f"({checked / floor_s:,.0f} records/s, {megabytes:.0f} MB) "
              f"| ratio {outcome.seconds / floor_s:.1f}x")  # fmt: skip
        ratio = outcome.seconds / hash_s
        print(f"{label} floor sha256 of the same bytes in memory: {hash_s:.3f} s | ratio {ratio:.0f}x")
        tamper(database, seeded, rng)
        with database.read() as session:
            tampered = verify.verify(session)
        print(f"{label} after 6 planted alterations, verify printed:")
        for finding in tampered.problems:
            print(f"  {finding.line()}")
        print(f"  {tampered.summary()}")
        assert len(tampered.problems) == 7, "6 alterations, one of them seen both as a file and a signature"
    finally:
        database.dispose()
    if keep is not None and url.startswith("sqlite:///"):
        shutil.copy(url.removeprefix("sqlite:///"), keep)
        print(f"kept the tampered database at {keep}: fieldapp admin --database sqlite:///{keep} verify")
    return {
        "database": label,
        "records": checked,
        "verify_s": round(outcome.seconds, 3),
        "records_per_s": round(rate),
        "floor_read_sha256_s": round(floor_s, 3),
        "ratio_to_read_sha256": round(outcome.seconds / floor_s, 2),
        "floor_sha256_s": round(hash_s, 4),
        "ratio_to_sha256": round(outcome.seconds / hash_s, 1),
        "planted_found": len(tampered.problems),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--days", type=int, default=365, help="days of records to seed (default a year)")
    parser.add_argument("--keep", type=Path, help="copy the tampered SQLite database here")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        if args.database in ("sqlite", "both"):
            results.append(measure(f"sqlite:///{folder}/verify-bench.db", args.days, "sqlite", args.keep))
        if args.database in ("postgresql", "both"):
            with scratch_postgres(f"fieldapp_verify_bench_{uuid.uuid4().hex[:6]}") as url:
                results.append(measure(url, args.days, "postgresql", None))
    print("RESULT " + json.dumps({"benchmark": "verify", "days": args.days, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
