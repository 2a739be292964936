"""An export as an HTTP answer, for the API and the office page alike: written to a temporary file (removed
once sent) from one snapshot, recorded, then sent with its row count and SHA-256 in the headers."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime

from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from fieldapp.server.core.agency import agency_zone_of
from fieldapp.server.database import Database
from fieldapp.server.exports import files
from fieldapp.server.settings import Settings


def send(
    database: Database, wanted: files.Request, username: str, settings: Settings, now: datetime
) -> FileResponse:
    """Write the export to a temporary file (removed once sent), record it, and answer with it."""
    handle, path = tempfile.mkstemp(prefix="fieldapp-export-", suffix=f".{wanted.fmt.value}")
    try:
        with os.fdopen(handle, "wb") as out:
            written = files.export(
                database,
                wanted,
                out,
                username=username,
                agency_id=settings.agency_id,
                zone=agency_zone_of(database, settings),
                now=now,
            )
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(
        path,
        media_type=wanted.media_type,
        filename=wanted.filename,
        headers={"X-Row-Count": str(written.rows), "X-Content-SHA256": written.sha256},
        background=BackgroundTask(os.unlink, path),
    )
