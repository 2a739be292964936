"""Care documentation end to end, with the real server (uvicorn, SQLite) and a real tablet store on disk:
the plan of care and medications reach the tablet, a checklist, a medication edit and a photo come back,
and a photo goes up resumably through a link that drops every 64 KB (fault proxy), verified on arrival."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from fieldapp.device import Device
from fieldapp.domain.attachments import Source
from fieldapp.domain.care import Outcome
from fieldapp.server.models import Blob, BlobUpload, Record
from fieldapp.store import attachments, care, outbox
from tests import factories
from tests.integration.conftest import LiveServer
from tests.integration.faultproxy import FaultProxy, Mode

LINK_DROPS_EVERY = 64 * 1024


def photo(size: int, seed: int = 1) -> bytes:
    """A JPEG-headed file of ``size`` bytes that does not compress (the bytes on the wire are the file's)."""
    body = hashlib.shake_256(seed.to_bytes(4, "big")).digest(size - 4)
    return b"\xff\xd8\xff\xe0" + body


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(live_server.url) as running:
        yield running


def _server_values(live: LiveServer, record_id: uuid.UUID) -> dict[str, object]:
    with live.database.read() as s:
        row = s.get(Record, record_id)
        assert row is not None
        return dict(row.fields)


def test_the_plan_comes_down_and_the_visits_documentation_goes_up(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    p = factories.patient()
    v = factories.visit(p.id, worker_id=live_server.users["nurse"])
    task = factories.care_task(p.id)
    med = factories.medication(p.id)
    live_server.office_writes(p, v, task, med)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    with tablet.store.read() as s:
        assert [t.id for t in care.patient_tasks(s, p.id)] == [task.id]
    with tablet.store.unit_of_work() as s:
        care.record_outcome(s, tablet.store.clock, v.id, task.id, Outcome.COULD_NOT_DO, reason="No supplies")
        care.edit_medication(s, tablet.store.clock, med.id, {"dose": "half a tablet"})
        _, attached = attachments.attach(
            s,
            tablet.store.clock,
            tablet.blobs,
            photo(300_000),
            patient_id=p.id,
            visit_id=v.id,
            taken_at=datetime.now(UTC),
            source=Source.CAMERA,
        )
    result = tablet.engine.run()
    assert result.ok, result
    with tablet.store.read() as s:
        assert outbox.pending_count(s) == 1, "the photo's record waits for its file, going up apart"
    assert tablet.files.run().uploaded == 1 and tablet.engine.run().ok
    with tablet.store.read() as s:
        assert outbox.pending_count(s) == 0
    assert _server_values(live_server, med.id)["dose"] == "half a tablet"
    with live_server.database.read() as s:
        stored = s.get(Blob, attached.sha256)
        assert stored is not None and stored.media_type == "image/jpeg" and stored.size == 300_000
    assert tablet.transport.last_upload is not None, "a 300 KB photo goes up resumably"


def test_a_photo_gets_through_a_link_dropping_every_64_kb_without_starting_over(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy
) -> None:
    content = photo(2 * 1024 * 1024, seed=7)  # 10 MB: benchmarks/resumable_upload.py
    tablet = new_device("nurse", server_url=proxy.url)
    sha = hashlib.sha256(content).hexdigest()
    proxy.set(Mode.LIMIT, limit_bytes=LINK_DROPS_EVERY)

    report = tablet.transport.upload_resumable(sha, content, "image/jpeg")

    wire = proxy.stats["bytes"]
    print(
        f"Photo through a link dropping every 64 KB: {report.cuts} cuts, {wire} bytes on the wire "
        f"({wire / len(content):.3f}x the file)"
    )
    assert proxy.stats["limited"] >= len(content) // LINK_DROPS_EVERY - 1, "the link really dropped"
    assert report.cuts >= 20
    assert wire <= 1.5 * len(content)
    with live_server.database.read() as s:
        stored = s.get(Blob, sha)
        assert stored is not None and hashlib.sha256(stored.content).hexdigest() == sha
        assert s.scalar(sa.select(sa.func.count()).select_from(BlobUpload)) == 0
