from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp.store.local import LocalStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    s = LocalStore.open(tmp_path / "fieldapp.db")
    yield s
    s.close()
