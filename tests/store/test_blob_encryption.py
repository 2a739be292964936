"""Signature images and report PDFs are encrypted at rest on the tablet (decision 0010)."""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldapp.config import Profile, ProfileSettings
from fieldapp.profiles import open_blobs, open_store
from fieldapp.security.keys import database_key, forget_database_key
from fieldapp.store.blobs import HEADER, BlobStore, BlobUnreadable, blob_key

SECRET = b"Philippa Quennell-Smythe"  # stands for patient data inside a file
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + SECRET + b"signature strokes" * 20
PDF = b"%PDF-1.7\n" + b"Day report of " + SECRET + b"\n" * 50 + b"%%EOF"


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_no_plaintext(folder: Path) -> None:
    files = _files(folder)
    assert files, "nothing was written"
    for path, data in files.items():
        assert SECRET not in data, f"{path.name} holds plaintext"
        assert b"\x89PNG" not in data and b"%PDF" not in data, f"{path.name} holds a file's magic"


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


def test_files_are_encrypted_on_the_disk_and_read_back_exactly(tmp_path: Path, key: bytes) -> None:
    blobs = BlobStore(tmp_path / "blobs", key=key)
    png, pdf = blobs.put(PNG), blobs.put(PDF)
    assert png == hashlib.sha256(PNG).hexdigest() and pdf == hashlib.sha256(PDF).hexdigest()
    assert blobs.put(PNG) == png, "the same content is stored once"
    assert len(_files(tmp_path / "blobs")) == 2
    _assert_no_plaintext(tmp_path / "blobs")
    for data in _files(tmp_path / "blobs").values():
        assert data.startswith(HEADER)
    assert blobs.get(png) == PNG and blobs.get(pdf) == PDF and blobs.has(png)
    reopened = BlobStore(tmp_path / "blobs", key=key)
    assert reopened.get(png) == PNG and reopened.get(pdf) == PDF
    # Each file has its own random nonce: the same content in two folders gives different bytes.
    other = BlobStore(tmp_path / "other", key=key)
    other.put(PNG)
    assert (
        _files(tmp_path / "other")[tmp_path / "other" / png[:2] / png]
        != _files(tmp_path / "blobs")[tmp_path / "blobs" / png[:2] / png]
    )


def test_without_a_key_files_stay_plaintext(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    sha = blobs.put(PNG)
    assert not blobs.encrypted
    assert (tmp_path / "blobs" / sha[:2] / sha).read_bytes() == PNG
    assert blobs.get(sha) == PNG


def test_a_wrong_key_or_no_key_is_a_clear_error_never_garbage(tmp_path: Path, key: bytes) -> None:
    sha = BlobStore(tmp_path / "blobs", key=key).put(PNG)
    with pytest.raises(BlobUnreadable, match=f"file {sha} cannot be read.*another device's key"):
        BlobStore(tmp_path / "blobs", key=secrets.token_bytes(32)).get(sha)
    with pytest.raises(BlobUnreadable, match=f"file {sha} .*opened without the device's key"):
        BlobStore(tmp_path / "blobs").get(sha)
    assert isinstance(BlobUnreadable(sha, "x"), ValueError), "callers that catch ValueError keep working"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[:-1], id="last byte cut"),
        pytest.param(lambda data: data[: len(HEADER) + 10], id="cut inside the nonce"),
        pytest.param(lambda data: data[:3], id="cut inside the header"),
        pytest.param(lambda data: b"", id="emptied"),
        pytest.param(lambda data: data[:-20] + bytes([data[-20] ^ 1]) + data[-19:], id="ciphertext bit"),
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 0x80]), id="tag bit"),
        pytest.param(lambda data: data[:8] + bytes([data[8] ^ 1]) + data[9:], id="nonce bit"),
        pytest.param(lambda data: data[:6] + b"\x02" + data[7:], id="version byte"),
        pytest.param(lambda data: b"X" + data[1:], id="magic byte"),
        pytest.param(lambda data: data + b"\x00", id="byte appended"),
    ],
)
def test_a_tampered_or_truncated_file_is_refused_by_name(
    tmp_path: Path, key: bytes, damage: Callable[[bytes], bytes]
) -> None:
    blobs = BlobStore(tmp_path / "blobs", key=key)
    sha = blobs.put(PNG)
    path = tmp_path / "blobs" / sha[:2] / sha
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(BlobUnreadable, match=f"file {sha} cannot be read on this device"):
        blobs.get(sha)


def test_a_file_copied_onto_another_name_is_refused(tmp_path: Path, key: bytes) -> None:
    blobs = BlobStore(tmp_path / "blobs", key=key)
    png, pdf = blobs.put(PNG), blobs.put(PDF)
    (tmp_path / "blobs" / pdf[:2] / pdf).write_bytes((tmp_path / "blobs" / png[:2] / png).read_bytes())
    with pytest.raises(BlobUnreadable, match=f"file {pdf} .*moved from another name"):
        blobs.get(pdf)
    assert blobs.get(png) == PNG


def _legacy_folder(folder: Path) -> dict[str, bytes]:
    """A blob folder as a version before encryption left it, with a crash's leftover temporary file."""
    plain = BlobStore(folder)
    contents = [PNG, PDF, SECRET + b" third file", b"x" * 100_000 + SECRET]
    names = {plain.put(content): content for content in contents}
    (folder / "ab").mkdir(exist_ok=True)
    (folder / "ab" / ".incoming-crashed").write_bytes(b"half a signature of " + SECRET)
    return names


def test_a_plaintext_folder_is_encrypted_in_place_without_loss_and_only_once(
    tmp_path: Path, key: bytes
) -> None:
    folder = tmp_path / "blobs"
    names = _legacy_folder(folder)
    damaged = hashlib.sha256(b"damaged").hexdigest()
    (folder / damaged[:2]).mkdir(exist_ok=True)
    (folder / damaged[:2] / damaged).write_bytes(b"not what the name says")
    blobs = BlobStore(folder, key=key)
    survivors = {p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != damaged}
    assert all(SECRET not in data and data.startswith(HEADER) for data in survivors)
    assert not list(folder.rglob(".incoming-*")), "a plaintext leftover of a crash is removed"
    for sha, content in names.items():
        assert blobs.get(sha) == content
    with pytest.raises(BlobUnreadable, match="damaged"):
        blobs.get(damaged)
    before = _files(folder)
    again = BlobStore(folder, key=key)
    assert again.encrypt_plaintext_files() == 0
    assert _files(folder) == before, "a second opening changes nothing"
    assert {sha: again.get(sha) for sha in names} == names


def test_a_crash_midway_leaves_every_file_readable_and_the_next_opening_finishes(
    tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "blobs"
    names = _legacy_folder(folder)
    real_replace = os.replace
    calls: list[str] = []

    def crash_on_third(source: str, target: str | Path) -> None:
        calls.append(str(target))
        if len(calls) == 3:
            raise OSError("power cut")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", crash_on_third)
    with pytest.raises(OSError, match="power cut"):
        BlobStore(folder, key=key)
    monkeypatch.setattr(os, "replace", real_replace)
    states = [(folder / sha[:2] / sha).read_bytes().startswith(HEADER) for sha in names]
    assert sorted(states) == [False, False, True, True], "two encrypted, two still plaintext"
    ours = [p for p in folder.rglob(".incoming-*") if p.name != ".incoming-crashed"]
    assert not [p for p in ours if SECRET in p.read_bytes()], "the interrupted write left no plaintext"
    # Mid-migration, both kinds of file are read (here by a store that does not finish the migration).
    monkeypatch.setattr(BlobStore, "encrypt_plaintext_files", lambda self: 0)
    halfway = BlobStore(folder, key=key)
    assert {sha: halfway.get(sha) for sha in names} == names
    monkeypatch.undo()
    finished = BlobStore(folder, key=key)
    _assert_no_plaintext(folder)
    assert {sha: finished.get(sha) for sha in names} == names


def test_no_temporary_file_ever_holds_plaintext(
    tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "blobs"
    names = _legacy_folder(folder)
    real_replace = os.replace
    seen: list[bytes] = []

    def inspect(source: str, target: str | Path) -> None:
        data = Path(source).read_bytes()
        seen.append(data)
        assert Path(source).name.startswith(".incoming-")
        assert data.startswith(HEADER) and SECRET not in data and b"\x89PNG" not in data, "plaintext temp"
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", inspect)
    blobs = BlobStore(folder, key=key)  # the migration
    blobs.put(PNG + b" a new one")  # and an ordinary write
    blobs.put(SECRET * 1000)
    assert len(seen) == len(names) + 2


def test_the_file_key_is_derived_not_the_database_key_itself(key: bytes) -> None:
    derived = blob_key(key)
    assert len(derived) == 32 and derived != key and blob_key(key) == derived
    assert blob_key(secrets.token_bytes(32)) != derived
    with pytest.raises(ValueError, match="32 bytes"):
        BlobStore(Path("unused"), key=b"short")


def test_a_profile_encrypts_its_files_by_default_and_a_wipe_makes_them_unreadable(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    open_store(profile).close()
    blobs = open_blobs(profile)
    assert blobs.encrypted
    sha = blobs.put(PNG)
    _assert_no_plaintext(profile.blobs_dir)
    assert open_blobs(profile).get(sha) == PNG
    assert database_key(profile.folder).hex() not in str(_files(profile.folder))
    forget_database_key(profile.folder)  # the device wipe removes the one secret
    with pytest.raises(BlobUnreadable, match=sha):
        open_blobs(profile).get(sha)


def test_the_application_opens_the_encrypted_file_store(tmp_path: Path) -> None:
    from fieldapp.app import open_device

    profile = Profile.at(tmp_path / "profile")
    profile.save_settings(
        ProfileSettings(server_url="http://127.0.0.1:9", username="nurse", user_id=str(uuid.uuid4()))
    )
    device = open_device(profile)
    try:
        assert device.blobs.encrypted
    finally:
        device.close()
