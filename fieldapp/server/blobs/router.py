"""``/blobs``: upload a file under the SHA-256 of its content, download one you may read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from fieldapp.server.blobs import store as blobs
from fieldapp.server.blobs import uploads
from fieldapp.server.errors import TooLarge
from fieldapp.server.integrity import checks as integrity
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.web.deps import DB, Config, Now, Uploader, Who
from fieldapp.sync.protocol import UPLOAD_LENGTH, UPLOAD_OFFSET, UPLOAD_TYPE, UploadStatus

router = APIRouter(tags=["blobs"])
T = TypeVar("T")


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


# A resumable upload keeps what arrived in pieces of this size (and the rest when the connection breaks).
KEEP_BYTES = 256 * 1024


@router.get("/uploads/{sha256:path}", response_model=UploadStatus)
def upload_status(sha256: str, who: Uploader, database: DB) -> UploadStatus:
    """Where your resumable upload of this file stands (404 ``no_upload``: start at offset 0)."""
    with database.read() as session:
        return uploads.status(session, who, sha256)


@router.patch("/uploads/{sha256:path}", response_model=UploadStatus)
async def upload_piece(sha256: str, request: Request, who: Uploader, database: DB, now: Now) -> UploadStatus:
    """Append the body at ``Upload-Offset`` (decision 0027); what arrives is kept even if the connection
    breaks, and the file is checked against its name when its last byte is in."""
    headers = request.headers
    piece = uploads.parse_piece(
        sha256, headers.get(UPLOAD_OFFSET), headers.get(UPLOAD_LENGTH), headers.get(UPLOAD_TYPE)
    )

    def begin() -> UploadStatus:
        with database.write() as session:
            return uploads.begin(session, who, piece, now)

    def discarding(work: Callable[[Session], T]) -> T:
        try:
            with database.write() as session:
                return work(session)
        except uploads.Discarded:
            with database.write() as session:
                uploads.discard(session, who, sha256)
            raise

    def keep(at: int, data: bytes) -> int:
        return discarding(lambda session: uploads.append(session, who, piece, at, data, now))

    def finish() -> UploadStatus:
        return discarding(lambda session: uploads.finish(session, who, sha256, now))

    held = await run_in_threadpool(begin)
    if held.complete:
        return held
    offset, buffer = piece.offset, bytearray()
    try:
        async for chunk in request.stream():
            buffer += chunk
            if len(buffer) >= KEEP_BYTES:
                offset = await run_in_threadpool(keep, offset, bytes(buffer))
                buffer.clear()
    except ClientDisconnect:  # the connection broke: keep what came; the client asks where to go on
        if buffer:
            offset = await run_in_threadpool(keep, offset, bytes(buffer))
        return UploadStatus(sha256=sha256, size=piece.size, offset=offset, media_type=piece.media_type)
    if buffer:
        offset = await run_in_threadpool(keep, offset, bytes(buffer))
    if offset == piece.size:
        return await run_in_threadpool(finish)
    return UploadStatus(sha256=sha256, size=piece.size, offset=offset, media_type=piece.media_type)


async def _read_limited(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"a file may have at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
