"""``/health``: liveness and database reachability, without sign-in."""

from __future__ import annotations

from fastapi import APIRouter

from fieldapp.server.web.deps import DB, Config, Now
from fieldapp.server.web.params import ms
from fieldapp.sync.protocol import Health

router = APIRouter(tags=["ops"])


@router.get("/health", response_model=Health)
def health(database: DB, settings: Config, now: Now) -> Health:
    """Liveness and database reachability; needs no sign-in."""
    with database.read() as session:
        session.connection().exec_driver_sql("SELECT 1")
    return Health(
        status="ok",
        database=database.dialect,
        server_time_ms=ms(now),
        max_clock_ahead_ms=settings.max_clock_ahead_ms,
    )
