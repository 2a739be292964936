"""What one pull page costs at the start and at the end of a long change feed (``fieldapp server``).

A worker with ``--feed`` patients on the caseload (default 100,000, seeded through the server's services;
the caseload in bulk). Timed, each the median of ``--repeats`` requests by a signed-in device (gzip, limit
1,000): the first page of a sync (it counts, once, what is still to come, for the progress bar), a next
page at the start of the feed, and a next page 1,500 records before its end. The floor is the page at the
end: a page must cost the same wherever it is in the feed (before issue 14 each page counted all that
remained, so a page at the start cost 10x one at the end). Ends with ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from benchmarks._client import assign_all
from benchmarks._server import PASSWORD, Device, check, fieldapp_server, scratch_postgres
from fieldapp import demodata
from fieldapp.server import migrate
from fieldapp.server.auth import admin
from fieldapp.server.auth import sessions as auth
from fieldapp.server.database import Database
from fieldapp.server.models import Record, User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role

PAGE = 1_000


def seed(url: str, size: int) -> list[int]:
    """The office, a worker with ``size`` patients; returns the patients' feed positions, in order."""
    database = Database(url)
    migrate.upgrade(database.engine)
    now = datetime.now(UTC)
    settings = Settings(database_url=url)
    try:
        with database.write() as session:
            office = auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
            worker = auth.create_user(session, "worker", PASSWORD, Role.WORKER, now)
            session.flush()
            office_id, worker_id = office.id, worker.id
        ids: list[uuid.UUID] = []
        everyone = demodata.patients(size)
        while len(ids) < size:
            chunk = [next(everyone) for _ in range(min(10_000, size - len(ids)))]
            with database.write() as session:
                author = session.get(User, office_id)
                assert author is not None
                admin.write_records(session, settings, author, chunk, now)
            ids += [p.id for p in chunk]
        assign_all(session_factory=database.write, worker_id=worker_id, patient_ids=ids, now=now)
        with database.read() as session:
            return list(session.scalars(sa.select(Record.seq).order_by(Record.seq)))
    finally:
        database.dispose()


@contextlib.contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'server.db'}"
    else:
        with scratch_postgres(f"fieldapp_pages_{os.getpid()}") as url:
            yield url


def timed(device: Device, cursor: str | None, repeats: int) -> tuple[float, dict[str, object]]:
    """Median seconds of GET /sync/pull at ``cursor``; and the last page."""
    samples, page = [], {}
    for _ in range(repeats):
        device.cursor = cursor
        start = time.perf_counter()
        page = check(device.get_pull(PAGE)).json()
        samples.append(time.perf_counter() - start)
        if len(page["changes"]) != PAGE or not page["has_more"]:
            raise RuntimeError(f"a page of {len(page['changes'])} records, has_more {page['has_more']}")
    return statistics.median(samples), page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=int, default=100_000, help="patients on the worker's caseload")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="fieldapp-pages-") as tmp,
        database_url(args.database, Path(tmp)) as url,
    ):
        started = time.perf_counter()
        positions = seed(url, args.feed)
        print(f"# seeded {args.feed:,} patients in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        with fieldapp_server(url, Path(tmp) / "server.log") as base:
            device = Device(base, "worker", "pages1")
            timed(device, None, 2)  # warm the server and the database's cache
            first, page = timed(device, None, args.repeats)
            at_start, _ = timed(device, str(page["cursor"]), args.repeats)
            near_end = f"s{positions[-PAGE - 500]}r1500"
            device.cursor = near_end
            if device.get_pull(PAGE).status_code == 422:  # a server from before continuation cursors
                near_end = near_end.partition("r")[0]
            at_end, _ = timed(device, near_end, args.repeats)
    ratio = at_start / at_end
    print(
        f"pull_pages {args.database}, {args.feed:,}-record feed, pages of {PAGE}: first page of a sync "
        f"{first * 1000:.1f} ms (counts what is to come, once) | next page at the start "
        f"{at_start * 1000:.1f} ms "
        f"| floor: a page at the end {at_end * 1000:.1f} ms | start / end {ratio:.2f}x (target about 1x; "
        f"before issue 14 about 10x)",
        flush=True,
    )
    result = {
        "page_first_ms": round(first * 1000, 1),
        "page_start_ms": round(at_start * 1000, 1),
        "page_end_ms": round(at_end * 1000, 1),
        "start_over_end": round(ratio, 2),
    }
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
