"""Files apart from the push (decision 0034), with the real server (uvicorn, SQLite) and real tablet stores
on disk: a 10 MB photo going up over a link that drops every 64 KB never holds up a record edit, which
pushes and arrives while the upload is still in progress; the photo's record follows once its file is up.
Photos taken by another device come down thumbnail first (encrypted at rest like the device's own), the
photo itself only when opened."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from fieldapp.device import Device
from fieldapp.domain.attachments import Attachment, Source
from fieldapp.server.models import Blob, Record
from fieldapp.store import attachments, care, files, outbox, repo
from fieldapp.sync.files import Moved
from tests import factories
from tests.integration.conftest import LiveServer
from tests.integration.faultproxy import FaultProxy, Mode
from tests.integration.test_care_sync import LINK_DROPS_EVERY, photo

THUMB = b"\xff\xd8\xff\xe0" + hashlib.shake_256(b"thumbnail").digest(3000)


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(live_server.url) as running:
        yield running


def _server_record(live: LiveServer, record_id: uuid.UUID) -> dict[str, object] | None:
    with live.database.read() as s:
        row = s.get(Record, record_id)
        return None if row is None else dict(row.fields)


def _patient_on(live: LiveServer, *workers: str) -> tuple[uuid.UUID, uuid.UUID]:
    p = factories.patient()
    med = factories.medication(p.id)
    live.office_writes(p, med)
    for worker in workers:
        live.assign(worker, p.id)
    return p.id, med.id


def _attach(tablet: Device, patient_id: uuid.UUID, content: bytes, thumb: bytes | None = None) -> Attachment:
    with tablet.store.unit_of_work() as s:
        _, record = attachments.attach(
            s, tablet.store.clock, tablet.blobs, content, patient_id=patient_id, visit_id=None,
            taken_at=datetime.now(UTC), source=Source.CAMERA, thumbnail=(thumb, 24, 18) if thumb else None,
        )  # fmt: skip
    return record


def test_a_big_upload_in_progress_never_holds_up_a_record_edit(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy
) -> None:
    patient_id, med_id = _patient_on(live_server, "nurse")
    tablet = new_device("nurse", server_url=proxy.url)
    assert tablet.engine.run().ok
    big = _attach(tablet, patient_id, photo(10 * 1024 * 1024, seed=11))
    proxy.set(Mode.LIMIT, limit_bytes=LINK_DROPS_EVERY)
    moved: list[Moved] = []
    uploading = threading.Thread(target=lambda: moved.append(tablet.files.run()), name="file-mover")
    uploading.start()
    try:
        with tablet.store.unit_of_work() as s:
            care.edit_medication(s, tablet.store.clock, med_id, {"dose": "2 tablets"})
        result = tablet.engine.run()
        in_progress = uploading.is_alive()
        arrived = _server_record(live_server, med_id)
    finally:
        uploading.join(timeout=300)
    assert result.ok, result
    assert in_progress, "the 10 MB upload was still going when the edit had arrived"
    assert arrived is not None and arrived["dose"] == "2 tablets"
    assert _server_record(live_server, big.id) is None, "the photo's record waits for its file"
    assert moved and moved[0].uploaded == 1 and moved[0].error is None, moved
    wire = proxy.stats["bytes"]
    assert proxy.stats["limited"] >= 100, "the link really dropped"
    assert wire <= 1.5 * big.byte_size + 1024 * 1024, f"{wire} bytes on the wire for {big.byte_size}"

    proxy.set(Mode.PASS)
    assert tablet.engine.run().ok
    assert _server_record(live_server, big.id) is not None
    with tablet.store.read() as s:
        assert outbox.pending_count(s) == 0 and files.held_back(s) == set()
    with live_server.database.read() as s:
        stored = s.get(Blob, big.sha256)
        assert stored is not None and stored.size == big.byte_size


def test_photos_of_others_come_down_thumbnail_first_and_the_photo_when_opened(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    patient_id, _ = _patient_on(live_server, "nurse", "aide")
    taker, other = new_device("nurse"), new_device("aide")
    assert taker.engine.run().ok
    content = photo(300_000, seed=5)
    taken = _attach(taker, patient_id, content, THUMB)
    assert taker.engine.run().ok and taker.files.run().uploaded == 1
    assert taker.engine.run().ok, "the photo's record goes once its file is up"

    assert other.engine.run().ok
    with other.store.read() as s:
        shown = attachments.gallery(s, patient_id)
    assert [v.attachment.id for v in shown] == [taken.id] and shown[0].thumbnail_sha256 is None
    moved = other.files.run()
    assert (moved.thumbnails, moved.error) == (1, None)
    with other.store.read() as s:
        [view] = attachments.gallery(s, patient_id)
    assert view.thumbnail_sha256 == taken.thumbnail_sha256 and other.blobs.get(view.thumbnail_sha256) == THUMB
    assert not other.blobs.has(taken.sha256), "the photo itself waits until it is opened"
    stored_thumb = next(other.blobs.folder.rglob(view.thumbnail_sha256)).read_bytes()
    assert THUMB not in stored_thumb, "kept encrypted"

    assert other.files.fetch(taken.sha256) == content
    assert (
        other.blobs.has(taken.sha256)
        and content[:64] not in next(other.blobs.folder.rglob(taken.sha256)).read_bytes()
    )
    assert other.files.run().thumbnails == 0, "fetched once"
    with other.store.read() as s:
        assert repo.get(s, Attachment, taken.id) is not None
