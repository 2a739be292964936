"""Server settings: command-line options, with environment variables as defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


def default_database_url() -> str:
    """A SQLite file in the user's data folder (``$FIELDAPP_DATABASE_URL`` overrides)."""
    override = os.environ.get("FIELDAPP_DATABASE_URL")
    if override:
        return override
    folder = Path(platformdirs.user_data_dir("fieldapp-server", appauthor=False))
    return f"sqlite:///{folder / 'fieldapp-server.db'}"


API_DOCS_ENV = "FIELDAPP_API_DOCS"
_YES = frozenset({"1", "true", "yes", "on"})


def env_flag(name: str) -> bool:
    """Whether an on/off environment variable is on (1, true, yes or on, in any case)."""
    return os.environ.get(name, "").strip().lower() in _YES


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server's behaviour depends on; tests build their own."""

    database_url: str = field(default_factory=default_database_url)
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    max_body_bytes: int = 8 * 1024 * 1024
    max_blob_bytes: int = 4 * 1024 * 1024
    page_limit: int = 1_000
    page_max_bytes: int = 4 * 1024 * 1024
    max_clock_ahead_ms: int = 5 * 60 * 1000
    # Sign-in throttling (auth/throttle.py): per user name (from unfamiliar addresses) and per user at a
    # familiar address, 5 free failures then 60 s, doubling; per client address, 10 free then 1 s, doubling.
    login_failures_before_lock: int = 5
    login_lock_s: int = 60
    address_failures_before_wait: int = 10
    address_wait_s: int = 1
    heartbeat_s: float = 15.0
    agency_timezone: str = field(default_factory=lambda: os.environ.get("FIELDAPP_AGENCY_TZ", "UTC"))
    # The agency's id at the state's EVV aggregator, written on every row of the EVV export.
    agency_id: str = field(default_factory=lambda: os.environ.get("FIELDAPP_AGENCY_ID", "AGENCY"))
    # The interactive API documentation (/docs, /redoc) and its schema (/openapi.json) tell a stranger every
    # route and field: off unless the operator turns them on (``FIELDAPP_API_DOCS=1``, ``--api-docs``).
    api_docs: bool = field(default_factory=lambda: env_flag(API_DOCS_ENV))

    @property
    def is_postgres(self) -> bool:
        """Whether the database is PostgreSQL (several workers, LISTEN/NOTIFY)."""
        return self.database_url.startswith("postgresql")
