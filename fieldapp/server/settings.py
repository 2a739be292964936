"""Server settings: one pydantic-settings class, read alike by ``fieldapp server``, ``fieldapp admin`` and
every production worker.

Where a value comes from, highest first: what the code passes (the command's flags; tests), the
environment (``FIELDAPP_`` and the field's name in capitals, e.g. ``FIELDAPP_PAGE_LIMIT=500``), the
settings file (TOML, one ``name = value`` per field, named by ``FIELDAPP_SETTINGS_FILE`` or the commands'
``--settings``), then the defaults below. docs/operations.md lists every field. ``load`` turns a value
that does not fit into ``SettingsError`` naming the field and the reason, before anything is served.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PREFIX = "FIELDAPP_"
SETTINGS_FILE_ENV = "FIELDAPP_SETTINGS_FILE"
DATABASE_URL_ENV = "FIELDAPP_DATABASE_URL"
API_DOCS_ENV = "FIELDAPP_API_DOCS"
AGENCY_TZ_ENV = "FIELDAPP_AGENCY_TZ"  # the older name of FIELDAPP_AGENCY_TIMEZONE, still read


def default_database_url() -> str:
    """A SQLite file in the user's data folder."""
    folder = Path(platformdirs.user_data_dir("fieldapp-server", appauthor=False))
    return f"sqlite:///{folder / 'fieldapp-server.db'}"


Count = Annotated[int, Field(gt=0)]


class SettingsError(ValueError):
    """Settings that cannot be used: the message names each field (or the file) and what is wrong."""


class Settings(BaseSettings):
    """Everything the server's behaviour depends on; tests build their own."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, frozen=True, extra="forbid", env_ignore_empty=True, validate_by_name=True
    )

    database_url: str = Field(default_factory=default_database_url, min_length=1)
    access_token_ttl_s: Count = 15 * 60
    refresh_token_ttl_s: Count = 30 * 24 * 3600
    max_body_bytes: Count = 8 * 1024 * 1024
    max_blob_bytes: Count = 4 * 1024 * 1024
    page_limit: Count = 1_000
    page_max_bytes: Count = 4 * 1024 * 1024
    max_clock_ahead_ms: Count = 5 * 60 * 1000
    # Sign-in throttling (auth/throttle.py): per user name (from unfamiliar addresses) and per user at a
    # familiar address, 5 free failures then 60 s, doubling; per client address, 10 free then 1 s, doubling.
    login_failures_before_lock: Count = 5
    login_lock_s: Count = 60
    address_failures_before_wait: Count = 10
    address_wait_s: Count = 1
    heartbeat_s: float = Field(default=15.0, gt=0, le=3600)
    # How often the server records the missed visits no tablet reported (``exceptions.sweep``); 0: never.
    missed_sweep_s: float = Field(default=600.0, ge=0, le=86_400)
    agency_timezone: str = Field(
        default="UTC",
        validation_alias=AliasChoices("agency_timezone", f"{PREFIX}AGENCY_TIMEZONE", AGENCY_TZ_ENV),
    )
    # The agency's id at the state's EVV aggregator, written on every row of the EVV export (docs/evv.md).
    agency_id: str = Field(default="AGENCY", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    # The interactive API documentation (/docs, /redoc) and its schema (/openapi.json) tell a stranger every
    # route and field: off unless the operator turns them on (``FIELDAPP_API_DOCS=1``, ``--api-docs``).
    api_docs: bool = False

    @field_validator("agency_timezone")
    @classmethod
    def _a_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"not a time zone name such as Europe/Berlin or UTC: {value!r}") from None
        return value

    @property
    def is_postgres(self) -> bool:
        """Whether the database is PostgreSQL (several workers, LISTEN/NOTIFY)."""
        return self.database_url.startswith("postgresql")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """What the code passes, over the environment, over the settings file (no .env, no secrets dir)."""
        path = settings_file()
        if path is None:
            return init_settings, env_settings
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=path)

    def as_environment(self) -> dict[str, str]:
        """These settings as ``FIELDAPP_*`` variables: how ``fieldapp server`` hands them to its workers."""
        values = self.model_dump()
        return {f"{PREFIX}{name.upper()}": _text(values[name]) for name in type(self).model_fields}


def settings_file() -> Path | None:
    """The settings file ``FIELDAPP_SETTINGS_FILE`` names, if any (``SettingsError`` if it is missing)."""
    name = os.environ.get(SETTINGS_FILE_ENV, "").strip()
    if not name:
        return None
    path = Path(name).expanduser()
    if not path.is_file():
        raise SettingsError(f"the settings file {path} does not exist ({SETTINGS_FILE_ENV})")
    return path


def load(**flags: Any) -> Settings:
    """The settings with the flags given (None: not given), or ``SettingsError`` saying what is wrong."""
    try:
        return Settings(**{name: value for name, value in flags.items() if value is not None})
    except SettingsError:
        raise
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '?'}: {e['msg']}" for e in exc.errors())
        raise SettingsError(f"the server's settings are not valid: {problems}") from None
    except ValueError as exc:  # the settings file is not TOML
        raise SettingsError(f"the settings file cannot be read: {exc}") from None


def _text(value: object) -> str:
    return ("1" if value else "0") if isinstance(value, bool) else str(value)
