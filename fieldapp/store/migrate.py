"""Schema migrations of the local store (Alembic), applied at start-up after a backup of the file.

The migrations folder ships inside the package (and inside the frozen bundle as data), so its location
is always found next to this module. A device may skip several app versions between upgrades: every
revision from its current one to head runs in order, in one transaction, and the backup taken first
keeps its data (queued changes included) safe if anything goes wrong.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
KEEP_BACKUPS = 3


def migrations_dir() -> Path:
    """The migrations folder: in a frozen (PyInstaller) build, the copy shipped as data in the bundle
    folder (``sys._MEIPASS``), since the modules themselves live in an archive there; else the package's."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "fieldapp" / "store" / "migrations"
    return MIGRATIONS_DIR


def alembic_config() -> Config:
    """An Alembic configuration pointing at the store's migrations, without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def head_revision() -> str:
    """The newest revision this version of the application knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the store has no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a new (empty) database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, path: Path | None, revision: str = "head") -> Path | None:
    """Bring the database to ``revision``; back up an existing database first. Returns the backup's path."""
    current = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup = backup_file(path, current, engine) if path is not None and current is not None else None
    _run(engine, "upgrade", revision)
    log.info("local store migrated from %s to %s", current or "empty", target)
    return backup


def _run(engine: Engine, direction: str, revision: str) -> None:
    """Run Alembic with foreign-key enforcement off, as SQLite requires for table rebuilds.

    Batch migrations rebuild a table by copy, drop and rename; with enforcement on, dropping a parent
    table would cascade-delete its children. The pragma only takes effect outside a transaction, so it
    is set on the raw connection before the migration's transaction begins, and checked after.
    """
    config = alembic_config()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                getattr(command, direction)(config, revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken references; rolled back")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (for support and tests; the app only upgrades)."""
    _run(engine, "downgrade", revision)


def backup_file(path: Path, revision: str, engine: Engine | None = None) -> Path:
    """A consistent copy of the database (WAL included) beside it; only the newest few are kept.

    Through ``engine`` (the store's own, so an encrypted file stays encrypted in its copy): the WAL is
    checkpointed into the file, then the file is copied; at start-up nothing else writes to it.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = path.with_name(f"{path.name}.r{revision}.{stamp}.bak")
    if engine is not None:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(path, target)
    else:
        source = sqlite3.connect(path)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
    for old in sorted(path.parent.glob(f"{path.name}.r*.bak"))[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    log.info("backed up %s to %s before migrating", path.name, target.name)
    return target
