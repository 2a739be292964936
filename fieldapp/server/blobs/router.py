"""``/blobs``: upload a file under the SHA-256 of its content, download one you may read."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from fieldapp.server.blobs import store as blobs
from fieldapp.server.errors import TooLarge
from fieldapp.server.integrity import checks as integrity
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.web.deps import DB, Config, Now, Uploader, Who

router = APIRouter(tags=["blobs"])


# ``:path`` so that a name with (encoded) slashes reaches check_name and gets its clear 422, not a 404.
@router.put(
    "/blobs/{sha256:path}",
    status_code=201,
    response_class=Response,
    responses={
        201: {"description": "stored"},
        200: {"description": "already stored (nothing changed)"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in sorted(blobs.MEDIA_TYPES)
            },
        }
    },
)
async def put_blob(
    sha256: str, request: Request, who: Uploader, database: DB, settings: Config, now: Now
) -> Response:
    """Upload a file under the SHA-256 of its content (checked); uploading it again changes nothing."""
    blobs.check_name(sha256)
    content = await _read_limited(request, settings.max_blob_bytes)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()

    def store() -> bool:
        with database.write() as session:
            return blobs.put(session, who, sha256, content, media_type, settings.max_blob_bytes, now)

    created = await run_in_threadpool(store)
    return Response(status_code=201 if created else 200)


@router.get(
    "/blobs/{sha256:path}",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "application/pdf": {}}}},
)
def get_blob(sha256: str, who: Who, database: DB, now: Now) -> Response:
    """Download a file you may read; a file whose bytes no longer match its hash or type is withheld
    (409 ``file_damaged``) and written to the integrity log."""
    try:
        with database.read() as session:
            blob = blobs.get(session, who, sha256)
    except integrity.FileDamaged as exc:
        integrity_log.report(database, [exc.finding], "download", who.user_id, now)
        raise
    return Response(
        blob.content,
        media_type=blob.media_type,
        headers={"Cache-Control": "private, max-age=31536000, immutable", "ETag": f'"{sha256}"'},
    )


async def _read_limited(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"a file may have at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
