"""``fieldapp server``: the back-office server on uvicorn (the server libraries are imported when it runs)."""

from __future__ import annotations

import argparse
import sys

from fieldapp.cli.common import Commands


def add_command(commands: Commands) -> None:
    server = commands.add_parser("server", help="run the back-office server (FastAPI on uvicorn)")
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    server.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    server.add_argument("--database", help="SQLAlchemy URL (default: a SQLite file in the user data folder)")
    server.add_argument(
        "--workers", type=int, default=1, help="worker processes (more than 1 needs PostgreSQL)"
    )
    server.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    server.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM, chain included)")
    server.add_argument("--tls-key", help="the certificate's private key (PEM)")
    server.add_argument(
        "--insecure-http",
        action="store_true",
        help="allow plain HTTP on an address other than loopback (only on a network you fully trust; "
        "in production put a TLS reverse proxy in front, docs/operations.md)",
    )
    server.add_argument(
        "--api-docs",
        action="store_true",
        help="serve the API documentation at /docs, /redoc and /openapi.json (off by default; "
        "also FIELDAPP_API_DOCS=1)",
    )
    server.set_defaults(run=serve)


def serve(args: argparse.Namespace) -> int:
    import logging
    import os

    import uvicorn

    from fieldapp.server import migrate
    from fieldapp.server.database import Database
    from fieldapp.server.settings import API_DOCS_ENV, default_database_url

    url = args.database or default_database_url()
    if bool(args.tls_cert) != bool(args.tls_key):
        print("fieldapp: give --tls-cert and --tls-key together", file=sys.stderr)
        return 2
    tls = bool(args.tls_cert)
    if not tls and not args.insecure_http and not _loopback(args.host):
        print(
            f"fieldapp: refusing to serve patient data over plain HTTP on {args.host}: give --tls-cert and "
            "--tls-key, or listen on 127.0.0.1 behind a TLS reverse proxy (docs/operations.md); "
            "--insecure-http overrides",
            file=sys.stderr,
        )
        return 2
    if args.workers > 1 and not url.startswith("postgresql"):
        print(
            "fieldapp: several workers need PostgreSQL (--database postgresql+psycopg://...);"
            " SQLite serves one worker",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    database = Database(url)
    migrate.upgrade(database.engine)  # once, before the workers start
    database.dispose()
    os.environ["FIELDAPP_DATABASE_URL"] = url  # the workers build their settings from the environment
    if args.api_docs:
        os.environ[API_DOCS_ENV] = "1"
    print(
        f"fieldapp server on {'https' if tls else 'http'}://{args.host}:{args.port} "
        f"({url.split(':', 1)[0]}, {args.workers} worker(s))",
        flush=True,
    )
    uvicorn.run(
        "fieldapp.server.api:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=False,
        proxy_headers=True,
        timeout_graceful_shutdown=5,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
    )
    return 0


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
