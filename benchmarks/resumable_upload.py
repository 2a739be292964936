"""A 10 MB photo uploaded resumably through a link that drops every 64 KB (decision 0027).

A real ``fieldapp server`` subprocess (SQLite) behind the fault proxy of the tests (``tests/integration/
faultproxy.py``), in ``LIMIT`` mode: each connection carries at most 64 KB from the tablet, then is reset.
The tablet's ``HttpTransport.upload_resumable`` sends the file; the proxy counts the bytes it forwarded
both ways. The floor, in the same run: the same upload of another 10 MB file through the proxy with the
link up (``PASS``). Prints both, their bytes on the wire and the ratio to the file's size; the target is
"completes, bytes on the wire <= 1.5x the file".
Ends with one line ``RESULT {json}`` holding the figures (``benchmarks._common.result``).
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _client, _server
from benchmarks._common import result
from tests.integration.faultproxy import FaultProxy, Mode

SIZE = 10 * 1024 * 1024
DROP_EVERY = 64 * 1024
TARGET_RATIO = 1.5


def photo(seed: int) -> bytes:
    """A JPEG-headed file that does not compress: the bytes on the wire are the file's."""
    return b"\xff\xd8\xff\xe0" + hashlib.shake_256(seed.to_bytes(4, "big")).digest(SIZE - 4)


def upload(proxy: FaultProxy, device: _client.Device, content: bytes, mode: Mode) -> dict[str, float]:
    proxy.stats.clear()
    proxy.set(mode, limit_bytes=DROP_EVERY)
    started = time.perf_counter()
    report = device.transport.upload_resumable(hashlib.sha256(content).hexdigest(), content, "image/jpeg")
    seconds = time.perf_counter() - started
    wire = proxy.stats["bytes"]
    return {
        "seconds": round(seconds, 2),
        "wire_bytes": wire,
        "ratio": round(wire / len(content), 3),
        "cuts": report.cuts,
        "requests": report.requests,
    }


def main() -> int:
    _client.use_memory_keyring()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'server.db'}"
        _client.seed(url, ["nurse"], lambda users: {})
        with _server.fieldapp_server(url, folder / "server.log") as base, FaultProxy(base) as proxy:
            device = _client.new_device(folder / "tablet", proxy.url, "nurse")
            floor = upload(proxy, device, photo(1), Mode.PASS)
            dropping = upload(proxy, device, photo(2), Mode.LIMIT)
            device.close()
    ok = dropping["ratio"] <= TARGET_RATIO
    print(
        f"resumable 10 MB photo, link dropping every 64 KB: completed in {dropping['seconds']} s, "
        f"{dropping['cuts']} cuts, {dropping['wire_bytes']} bytes on the wire = {dropping['ratio']}x "
        "the file | "
        f"floor (link up): {floor['seconds']} s, {floor['wire_bytes']} bytes = {floor['ratio']}x | "
        f"target <= {TARGET_RATIO}x: {'OK' if ok else 'OVER TARGET'}"
    )
    result(
        "resumable_upload", file_bytes=SIZE, dropping=dropping, floor=floor, target_ratio=TARGET_RATIO, met=ok
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
