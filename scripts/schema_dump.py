"""Dump the schema every migration step builds, to prove a refactoring of the migrations changes nothing.

Walks each Alembic tree (the tablet's store on SQLite; the server on SQLite and on PostgreSQL) up one
revision at a time to head and back down to the base, and after every step writes the schema: SQLite's
``sqlite_master`` SQL, PostgreSQL's ``pg_dump --schema-only``. Run it before and after a change and diff:

    mkdir /tmp/main-src && git archive main fieldapp | tar -x -C /tmp/main-src
    .venv/bin/python scripts/schema_dump.py --source /tmp/main-src > /tmp/before.sql   # main's revisions
    .venv/bin/python scripts/schema_dump.py > /tmp/after.sql                           # the branch's
    diff /tmp/before.sql /tmp/after.sql && echo identical

PostgreSQL is reached at ``--pg`` (default: the local test server, trust auth); a scratch database is
created and dropped. ``--no-pg`` skips it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

Dump = Callable[[], str]


def revisions(config: Config) -> list[str]:
    """The tree's revisions from the first to head."""
    return [
        script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))
    ]


def steps(config: Config) -> Iterator[tuple[str, str]]:
    """(direction, target) for every step up to head and back down to the base."""
    chain = revisions(config)
    for revision in chain:
        yield "upgrade", revision
    for revision in reversed(["base", *chain[:-1]]):
        yield "downgrade", revision


def sqlite_schema(engine: sa.Engine) -> Dump:
    def dump() -> str:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            ).all()
        return "\n".join(
            f"{kind} {name} on {table}: {_constraints_sorted(sql)}" for kind, name, table, sql in rows
        )

    return dump


def _constraints_sorted(sql: str | None) -> str | None:
    """A table's SQL with its table constraints in name order: a batch rebuild (SQLite) lists them in
    an order that changes from run to run, and their order means nothing."""
    if sql is None:
        return None
    lines = sql.splitlines()
    constraints = sorted(
        line.rstrip().rstrip(",") for line in lines if line.lstrip().startswith("CONSTRAINT ")
    )
    others = [line.rstrip().rstrip(",") for line in lines if not line.lstrip().startswith("CONSTRAINT ")]
    return "\n".join([*others[:-1], *constraints, others[-1]]) if constraints else sql


def pg_schema(url: str) -> Dump:
    def dump() -> str:
        parsed = sa.make_url(url)
        text = subprocess.run(
            [
                "pg_dump",
                "--schema-only",
                "--no-owner",
                "-h",
                parsed.host or "127.0.0.1",
                "-p",
                str(parsed.port or 5432),
                "-U",
                parsed.username or "postgres",
                parsed.database or "",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        # pg_dump 15+ writes a random restrict key per run; it says nothing about the schema.
        return re.sub(r"^\\(un)?restrict .*$", "", text, flags=re.MULTILINE)

    return dump


def walk(title: str, run: Callable[[str, str], None], config: Config, dump: Dump) -> None:
    for direction, target in steps(config):
        run(direction, target)
        print(f"===== {title}: {direction} to {target}")
        print(dump())


def use_source(folder: str) -> None:
    """Import fieldapp from ``folder`` (say, main's code from ``git archive``) instead of this checkout."""
    sys.meta_path[:] = [finder for finder in sys.meta_path if "editable" not in repr(finder)]
    sys.path.insert(0, folder)
    import fieldapp

    assert Path(fieldapp.__file__).is_relative_to(Path(folder).resolve()), fieldapp.__file__


def store_tree(folder: Path) -> None:
    from fieldapp.store import migrate as store_migrate
    from fieldapp.store.db import make_engine as store_engine

    engine = store_engine(folder / "store.db")
    try:
        walk(
            "store (SQLite)",
            lambda d, t: store_migrate._run(engine, d, t),
            store_migrate.alembic_config(),
            sqlite_schema(engine),
        )
    finally:
        engine.dispose()


def server_tree(title: str, url: str, dump: Callable[[sa.Engine], Dump]) -> None:
    from fieldapp.server import migrate as server_migrate
    from fieldapp.server.db import make_engine as server_engine

    engine = server_engine(url)

    def run(direction: str, target: str) -> None:
        config = server_migrate.alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            getattr(command, direction)(config, target)

    try:
        walk(title, run, server_migrate.alembic_config(), dump(engine))
    finally:
        engine.dispose()


def with_pg_database(admin_url: str, body: Callable[[str], None]) -> None:
    name = f"schema_dump_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        body(sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--source", help="import fieldapp from this folder (e.g. main's, from git archive)")
    args = parser.parse_args(argv)
    if args.source:
        use_source(args.source)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        store_tree(folder)
        server_tree("server (SQLite)", f"sqlite:///{folder / 'server.db'}", sqlite_schema)
    if not args.no_pg:
        with_pg_database(
            args.pg, lambda url: server_tree("server (PostgreSQL)", url, lambda _e: pg_schema(url))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
