"""A closed store stays closed: a late reader must not re-create a database that a wipe removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.store.local import LocalStore, StoreClosed


def test_a_closed_store_refuses_work_and_never_recreates_its_file(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    store = LocalStore.open(path, key=bytes(range(32)))
    with store.read() as session:
        assert session is not None
    store.close()
    for leftover in tmp_path.iterdir():
        leftover.unlink()  # the wipe
    with pytest.raises(StoreClosed), store.read():
        pass
    with pytest.raises(StoreClosed), store.unit_of_work():
        pass
    assert list(tmp_path.iterdir()) == []
    store.close()  # closing twice is harmless
