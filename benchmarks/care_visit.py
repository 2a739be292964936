"""Care documentation on the tablet: a checklist tap saved, and the visit screen opened with its care parts.

1. Checklist tap: a visit whose patient has 20 plan-of-care tasks; each sample is one tap through
   ``Actions.record_outcome`` (what the screen calls): the outcome row written or updated, its outbox
   entry, its audit entry, one commit. The floor, in the same run: a raw sqlite3 transaction holding a row
   insert plus an outbox insert (``local_crud``'s floor). Target: p99 <= 5 ms.
2. Visit screen: ``VisitScreen.show_visit`` of a visit with 20 tasks, 10 medications and 30 photos with
   thumbnails, until laid out and painted (``grab``). The floor, on the same screen in the same run: a
   visit of a patient with no tasks, medications or photos. Target: < 150 ms.
Ends with one line ``RESULT {json}`` holding the figures (``benchmarks._common.result``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from benchmarks._common import report, result, summary_ms
from benchmarks.local_crud import measure_floor
from fieldapp.domain.care import CareTask, Outcome
from fieldapp.domain.entities import Patient, Visit
from fieldapp.domain.medications import Medication
from fieldapp.qt.actions import Actions
from fieldapp.qt.look import apply_look
from fieldapp.qt.records import Records
from fieldapp.store import repo
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.ui.visit import VisitScreen
from tests import factories

TASKS, MEDICATIONS, PHOTOS = 20, 10, 30
TAPS, WARMUP = 1_000, 100
OPENS = 40
TAP_TARGET_P99_MS, OPEN_TARGET_MS = 5.0, 150.0
CODES = ("ADL-BATH", "ADL-DRESS", "ADL-TOILET", "ADL-TRANSFER", "ADL-FEED", "IADL-MEAL", "IADL-HOUSE")
OUTCOMES = (Outcome.DONE, Outcome.NOT_NEEDED, Outcome.REFUSED, Outcome.COULD_NOT_DO, None)


def _jpeg(i: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageWriter

    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(QColor.fromHsv((i * 37) % 360, 160, 200))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"jpeg")).write(image)
    return bytes(data.data())


def build(folder: Path) -> tuple[LocalStore, Actions, Records, Visit, Visit]:
    store = LocalStore.open(folder / "store.db")
    blobs = BlobStore(folder / "blobs", key=b"k" * 32)
    actions, records = Actions(store, blobs, factories.WORKER), Records(store, blobs)
    busy, quiet = factories.patient(), factories.patient(allergies=[])
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    busy_visit = factories.visit(busy.id, scheduled_start=start, scheduled_end=start + timedelta(hours=1))
    quiet_visit = factories.visit(quiet.id, scheduled_start=start, scheduled_end=start + timedelta(hours=1))
    records_to_add: list[Patient | Visit | CareTask | Medication] = [busy, quiet, busy_visit, quiet_visit]
    records_to_add += [
        factories.care_task(
            busy.id,
            code=CODES[i % len(CODES)],
            title=f"Task {i + 1}",
            position=i,
            instructions="Follow the plan; ask before helping.",
        )
        for i in range(TASKS)
    ]
    records_to_add += [factories.medication(busy.id, name=f"Medication {i + 1}") for i in range(MEDICATIONS)]
    with store.unit_of_work() as s:
        for record in records_to_add:
            repo.add(s, store.clock, record)
    for i in range(PHOTOS):
        actions.attach(busy.id, busy_visit.id, _jpeg(i), caption=f"Wound photo {i + 1}")
    return store, actions, records, busy_visit, quiet_visit


def measure_taps(actions: Actions, records: Records, visit: Visit) -> list[float]:
    detail = records.visit_detail(visit.id)
    assert detail is not None
    task_ids = [line.task.id for line in detail.checklist]
    samples = []
    for i in range(WARMUP + TAPS):
        outcome = OUTCOMES[i % len(OUTCOMES)]
        reason = "Asleep" if outcome in (Outcome.REFUSED, Outcome.COULD_NOT_DO) else ""
        started = time.perf_counter()
        actions.record_outcome(visit.id, task_ids[i % len(task_ids)], outcome, reason)
        if i >= WARMUP:
            samples.append(time.perf_counter() - started)
    return samples


def measure_opens(screen: VisitScreen, app: QApplication, first: Visit, other: Visit) -> list[float]:
    samples = []
    for i in range(OPENS * 2):
        target = first if i % 2 == 0 else other
        started = time.perf_counter()
        screen.show_visit(target.id)
        app.processEvents()
        screen.grab()
        if target is first:
            samples.append(time.perf_counter() - started)
    return samples


def main() -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_look(app)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor_taps = summary_ms(measure_floor(folder))
        store, actions, records, busy, quiet = build(folder)
        taps = summary_ms(measure_taps(actions, records, busy))
        screen = VisitScreen(records, actions)
        screen.resize(1280, 800)
        screen.show()
        opens = summary_ms(measure_opens(screen, app, busy, quiet))
        floor_opens = summary_ms(measure_opens(screen, app, quiet, busy))
        screen.close()
        store.close()
    tap_ok = taps["p99"] <= TAP_TARGET_P99_MS
    open_ok = opens["p99"] < OPEN_TARGET_MS
    tap_figures = report(
        f"checklist tap ({TASKS} tasks) + outbox + audit",
        taps,
        floor_taps,
        f"target p99 <= {TAP_TARGET_P99_MS:.0f} ms: {'OK' if tap_ok else 'OVER TARGET'}",
    )
    open_figures = report(
        f"visit screen open ({TASKS} tasks, {MEDICATIONS} medications, {PHOTOS} photos)",
        opens,
        floor_opens,
        "floor: a visit without care parts; "
        f"target < {OPEN_TARGET_MS:.0f} ms: {'OK' if open_ok else 'OVER TARGET'}",
    )
    result(
        "care_visit",
        tap={**tap_figures, "target_p99_ms": TAP_TARGET_P99_MS, "met": tap_ok, "samples": TAPS},
        open={**open_figures, "target_ms": OPEN_TARGET_MS, "met": open_ok, "samples": OPENS},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
