"""Checks that a built tablet bundle carries no back-office code or library; `make bundle` runs it.

    .venv/bin/python installer/check_bundle.py dist/fieldapp

What a PyInstaller one-folder bundle holds is read from the bundle itself: the Python modules frozen into
each program's archive (listed with PyInstaller's own archive reader, as `pyi-archive_viewer` does) and
the files beside the programs (``_internal/``: extension modules, shared libraries, data, dist-info). Any
module or file of the server (``fieldapp.server``) or of its libraries (FastAPI, Starlette, uvicorn,
psycopg, Jinja2) fails the check, named one per line. The tablet app has no use for them, and
``pip install fieldapp`` no longer installs them; this proves the build agrees. It also checks that the
bundle carries the compiled translations (``resources/translations/fieldapp_*.qm``), or the app would
speak English only.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

# The back office and the libraries only it needs (pyproject.toml's `server` extra and what they bring).
SERVER_PARTS = (
    "fieldapp.server",
    "fastapi",
    "starlette",
    "uvicorn",
    "psycopg",
    "psycopg_binary",
    "psycopg_pool",
    "jinja2",
    "pydantic_settings",
)


def _top(path: str) -> str:
    """A bundled file's package, as an import name: ``psycopg_binary.libs/x.so`` -> psycopg_binary,
    ``Jinja2-3.1.6.dist-info/RECORD`` -> jinja2, ``fieldapp/server/x.html`` -> fieldapp.server."""
    parts = path.replace("\\", "/").split("/")
    if parts[0] == "fieldapp" and len(parts) > 1:
        return f"fieldapp.{parts[1]}"
    name = parts[0].removesuffix(".libs")
    if name.endswith((".dist-info", ".egg-info")):
        name = name.split("-")[0]
    return name.lower().replace("-", "_")


def _is_server(name: str) -> bool:
    return any(name == part or name.startswith(part + ".") for part in SERVER_PARTS)


def server_parts(modules: Iterable[str], files: Iterable[str]) -> list[str]:
    """What of ``modules`` (frozen module names) and ``files`` (paths inside ``_internal``) belongs to the
    back office, sorted."""
    found = {f"module {name}" for name in modules if _is_server(name)}
    found |= {f"file {path}" for path in files if _is_server(_top(path))}
    return sorted(found)


CATALOGUES = ("resources/translations/fieldapp_es.qm", "resources/translations/fieldapp_en.qm")


def missing_catalogues(files: Iterable[str]) -> list[str]:
    """The compiled translations that ``files`` (paths inside ``_internal``) lack."""
    present = set(files)
    return [name for name in CATALOGUES if name not in present]


def bundle_contents(folder: Path) -> tuple[set[str], set[str]]:
    """The modules frozen into every program of the bundle at ``folder``, and the files in ``_internal``."""
    from PyInstaller.archive.readers import CArchiveReader, NotAnArchiveError  # the `bundle` extra

    modules: set[str] = set()
    programs = [p for p in folder.iterdir() if p.is_file()]
    for program in programs:
        try:
            archive = CArchiveReader(str(program))
        except (NotAnArchiveError, OSError, ValueError):
            continue  # not a PyInstaller program
        for name, entry in archive.toc.items():
            modules.add(name)
            if entry[-1] == "z":  # the PYZ: every pure-Python module
                modules.update(archive.open_embedded_archive(name).toc)
    internal = folder / "_internal"
    files = {p.relative_to(internal).as_posix() for p in internal.rglob("*") if p.is_file()}
    if not modules:
        raise SystemExit(f"check-bundle: no PyInstaller program in {folder}")
    return modules, files


def main(argv: list[str]) -> int:
    """Check the bundle folder given (dist/fieldapp by default); 0 when it carries no server part."""
    folder = Path(argv[0] if argv else "dist/fieldapp")
    modules, files = bundle_contents(folder)
    found = server_parts(modules, files)
    missing = missing_catalogues(files)
    if missing:
        print(
            f"check-bundle: {folder} lacks the translations: {', '.join(missing)} (`make qm`)",
            file=sys.stderr,
        )
        return 1
    if found:
        print(f"check-bundle: {folder} carries back-office parts the tablet must not ship:", file=sys.stderr)
        for part in found:
            print(f"  {part}", file=sys.stderr)
        return 1
    print(
        f"check-bundle: {folder}: {len(modules):,} frozen modules, {len(files):,} files; "
        f"no back-office part ({', '.join(SERVER_PARTS)}); translations {', '.join(CATALOGUES)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
