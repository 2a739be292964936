from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp.domain.care import CareTask, Frequency
from fieldapp.domain.entities import Visit
from fieldapp.store import repo
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from tests import factories as f


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    s = LocalStore.open(tmp_path / "fieldapp.db")
    yield s
    s.close()


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs", key=b"k" * 32)


@pytest.fixture
def visit_with_tasks(store: LocalStore) -> tuple[Visit, list[CareTask]]:
    p = f.patient()
    v = f.visit(p.id)  # Thursday 2026-11-26
    tasks = [
        f.care_task(p.id, code="ADL-BATH", position=1),
        f.care_task(p.id, code="IADL-MEAL", position=2),
        f.care_task(p.id, code=None, title="Water the plants", frequency=Frequency.AS_NEEDED, position=3),
        f.care_task(p.id, code="IADL-LAUNDRY", frequency=Frequency.WEEKDAYS, weekdays=(0,), position=4),
    ]
    with store.unit_of_work() as s:
        for record in (p, v, *tasks):
            repo.add(s, store.clock, record)
    return v, tasks
