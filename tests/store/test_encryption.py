"""Encryption at rest: the tablet's database is SQLCipher, keyed from the keyring."""

from __future__ import annotations

import secrets
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from fieldapp.config import Profile
from fieldapp.domain.entities import Patient
from fieldapp.profiles import open_store
from fieldapp.security.credentials import KeyringUnavailable
from fieldapp.security.keys import database_key
from fieldapp.store import outbox, repo
from fieldapp.store.db import WrongKeyError, is_plaintext
from fieldapp.store.local import LocalStore
from tests import factories as f

NAME = "Philippa Quennell-Smythe"


def _files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


def _patient() -> Patient:
    return f.patient(given_name="Philippa", family_name="Quennell-Smythe")


def test_no_patient_data_in_the_files_of_an_encrypted_store(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    store = LocalStore.open(tmp_path / "fieldapp.db", key=key)
    p = _patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    with store.read() as s:
        assert repo.get(s, Patient, p.id) == p
    assert b"Quennell" not in _files(tmp_path), "not in the database nor in its WAL while open"
    store.close()
    assert b"Quennell" not in _files(tmp_path)
    assert not is_plaintext(tmp_path / "fieldapp.db")
    reopened = LocalStore.open(tmp_path / "fieldapp.db", key=key)
    with reopened.read() as s:
        assert repo.get(s, Patient, p.id) == p
    reopened.close()


def test_a_wrong_key_fails_with_a_clear_message(tmp_path: Path) -> None:
    LocalStore.open(tmp_path / "fieldapp.db", key=secrets.token_bytes(32)).close()
    with pytest.raises(WrongKeyError, match="cannot be opened with this device's key"):
        LocalStore.open(tmp_path / "fieldapp.db", key=secrets.token_bytes(32))
    with pytest.raises(ValueError, match="32 bytes"):
        LocalStore.open(tmp_path / "other.db", key=b"short")


def test_an_unencrypted_store_is_encrypted_in_place_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    plain = LocalStore.open(path)
    p = _patient()
    with plain.unit_of_work() as s:
        repo.add(s, plain.clock, p)
        repo.update(s, plain.clock, Patient, p.id, {"phone": "555-0142"})
    node = plain.node_id
    plain.close()
    assert is_plaintext(path) and b"Quennell" in path.read_bytes()
    key = secrets.token_bytes(32)
    store = LocalStore.open(path, key=key)
    with store.read() as s:
        assert repo.get(s, Patient, p.id) == p.revise(phone="555-0142")
        assert [e.entity for e in outbox.pending(s)] == ["patient", "patient"], "queued changes kept"
    assert store.node_id == node
    store.close()
    assert not is_plaintext(path)
    assert b"Quennell" not in _files(tmp_path), "no readable copy left behind"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fieldapp.db"]


def test_the_profile_key_lives_in_the_keyring_not_on_the_disk(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    key = database_key(profile.folder)
    assert len(key) == 32 and database_key(profile.folder) == key
    assert database_key(tmp_path / "other") != key
    assert key.hex() not in _files(profile.folder).decode("latin-1")
    store = open_store(profile)
    store.close()
    assert not is_plaintext(profile.store_path)


def test_without_a_keyring_the_store_is_not_opened_unencrypted(tmp_path: Path) -> None:
    keyring.set_keyring(NoKeyring())
    with pytest.raises(KeyringUnavailable, match="no system keyring"):
        open_store(Profile.at(tmp_path / "profile"))
    assert not (tmp_path / "profile" / "fieldapp.db").exists()


def test_many_threads_share_an_encrypted_store_safely(tmp_path: Path) -> None:
    """GUI thread, sync worker and pool threads all read: no thread may lose its connection to another's
    clean-up (SQLAlchemy's default pool for SQLCipher closed other threads' connections past five)."""
    import threading

    store = LocalStore.open(tmp_path / "fieldapp.db", key=secrets.token_bytes(32))
    p = _patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(30):
                with store.read() as s:
                    assert repo.get(s, Patient, p.id) is not None
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    assert errors == []
