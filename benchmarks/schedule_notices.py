"""What watching visits for schedule notices (decision 0022) adds to applying a pulled page on the tablet.

A store holding ``--visits`` visits (default 1,000, one page) receives a page in which the office moved
every one of them. Timed, each over ``--repeats`` fresh stores: applying the page without watching (the
floor: what a pull cost before notices) and applying it with ``watch_visits`` and recording the notices
in the same transaction (what every pull after the first does now). Ends with ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import report, result, summary_ms
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Visit
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.store import notices, replica
from fieldapp.store.local import LocalStore


def _created(count: int, clock: HybridClock) -> list[replica.RemoteRecord]:
    """``count`` visits of one patient an hour from now, as the feed delivers the office's creations."""
    start = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    patient, worker = uuid.uuid4(), uuid.uuid4()
    records = []
    for _ in range(count):
        visit = Visit(
            patient_id=patient,
            worker_id=worker,
            scheduled_start=start,
            scheduled_end=start + timedelta(hours=1),
            service_code="T1019",
        )
        stamp = clock.now()
        wire = visit.model_dump(mode="json")
        fields = {n: Versioned(value, stamp) for n, value in wire.items() if n != "id"}
        records.append(replica.RemoteRecord("visit", visit.id, RecordState(fields), 1))
    return records


def _moved(records: list[replica.RemoteRecord], clock: HybridClock) -> list[dict[str, object]]:
    """The same visits half an hour later, as the feed delivers the office's move (wire form)."""
    page = []
    for record in records:
        stamp, fields = clock.now(), dict(record.state.fields)
        for name in ("scheduled_start", "scheduled_end"):
            later = datetime.fromisoformat(fields[name].value) + timedelta(minutes=30)
            fields[name] = Versioned(later.isoformat(), stamp, fields[name].stamp)
        page.append(replica._to_wire(replica.RemoteRecord("visit", record.record_id, RecordState(fields), 2)))
    return page


def one_run(folder: Path, count: int, watch: bool) -> float:
    """Seconds to apply the page of moves (and record the notices when ``watch``) on a fresh store."""
    store = LocalStore.open(folder / f"store-{uuid.uuid4().hex}.db")
    office = HybridClock("office1")
    created = _created(count, office)
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, created)
    page = _moved(created, office)
    began = time.perf_counter()
    with store.unit_of_work() as s:
        applied = replica.apply_wire(s, store.clock, page, watch_visits=watch)
        if watch:
            notices.record(s, applied.visits, datetime.now(UTC))
    took = time.perf_counter() - began
    store.close()
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        floor = [one_run(Path(folder), args.visits, watch=False) for _ in range(args.repeats)]
        watched = [one_run(Path(folder), args.visits, watch=True) for _ in range(args.repeats)]
    figures = report(
        f"apply a page of {args.visits} moved visits, with notices", summary_ms(watched), summary_ms(floor)
    )
    result("schedule_notices", visits=args.visits, repeats=args.repeats, **figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
