"""The `bykafe` command: serve, migrate, create-user, demo, themes, backup, restore."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from sqlmodel import Session

from app import cli_bundle, cli_export, cli_themes
from app.settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bykafe", description="World Café dialogues for municipal planning.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="upgrade the database and serve the app")
    # Unset flags leave the settings (HOST, PORT, WORKERS, FORWARDED_ALLOW_IPS) as the environment has them.
    serve.add_argument("--host", help="the address to listen on (default: HOST, else 127.0.0.1)")
    serve.add_argument("--port", type=int, help="the port to listen on (default: PORT, else 8000)")
    serve.add_argument("--workers", type=int, help="app processes behind the one port (PostgreSQL only)")
    serve.add_argument("--forwarded-allow-ips",
                       help="the reverse proxy's address: trust its X-Forwarded-For/-Proto, and nobody else's")

    sub.add_parser("migrate", help="upgrade the database to the newest schema")

    user = sub.add_parser("create-user", help="create a process-leader account (or print a one-time link)")
    user.add_argument("--email")
    user.add_argument("--organisation", help="organisation or municipality, created if new")
    user.add_argument("--name", default="")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.add_argument("--link", action="store_true", help="print a one-time sign-up link instead")

    sub.add_parser("demo", help="fill the database with a Swedish example process")

    backup = sub.add_parser("backup", help="copy the database to a file while the app serves")
    backup.add_argument("--out", required=True, type=Path, help="the backup file to write")
    restore = sub.add_parser("restore", help="bring a backup back into an empty database")
    restore.add_argument("file", type=Path, help="a file written by `bykafe backup`")

    cli_themes.register(sub)
    cli_export.register(sub)
    cli_bundle.register(sub)

    args = parser.parse_args(argv)
    try:
        return _run(args)
    except SettingsError as error:
        print(f"bykafe: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        flags = dict(host=args.host, port=args.port, workers=args.workers, forwarded_allow_ips=args.forwarded_allow_ips)
        return serve_app(Settings.from_env(**{name: value for name, value in flags.items() if value is not None}))
    if args.command == "backup":
        return backup_database(args.out)
    if args.command == "restore":
        return restore_database(args.file)
    if args.command == "migrate":
        return migrate()
    if args.command == "create-user":
        return create_user(args)
    if args.command == "demo":
        return demo()
    if args.command == "themes":
        return cli_themes.run(args)
    if args.command == "export":
        return cli_export.run(args)
    if args.command == "bundle":
        return cli_bundle.run(args)
    return 2


def _settings_and_engine():
    from app.db import make_engine, upgrade_database

    settings = Settings.from_env()
    upgrade_database(settings.database_url)
    return settings, make_engine(settings.database_url)


def serve_app(settings: Settings) -> int:
    import gc
    import importlib
    import tempfile

    import uvicorn

    from app.db import upgrade_database

    host, port, workers = settings.host, settings.port, settings.workers
    if workers > 1 and settings.database_url.startswith("sqlite"):
        print("--workers above 1 needs PostgreSQL (DATABASE_URL=postgresql://...): with SQLite one process "
              "serves the café, and live updates and rate limits would not reach the other processes.",
              file=sys.stderr)
        return 2
    upgrade_database(settings.database_url)  # once, before the workers start
    # uvicorn builds the app in each worker with Settings.from_env(): the flags reach it from here,
    # so that the addresses the server prints name this port.
    os.environ.update(HOST=host, PORT=str(port))
    _remember_address(host, port)
    if workers > 1:  # the workers count requests in files that a scrape of any of them sums up
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="bykafe-metrics-")
    importlib.import_module("app.main")
    # A long-running server: the objects of the loaded code stay out of every garbage collection,
    # and collections come less often. At the end of a round that is about a sixth more notes a
    # second (make bench-live).
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 50)
    from app.observability import LOG_CONFIG

    uvicorn.run(
        "app.main:create_app", factory=True, host=host, port=port, workers=workers,
        # No access log: it would keep the address of every phone. Our own log is one JSON line
        # per request without it (app/observability.py).
        access_log=False, log_config=LOG_CONFIG,
        # Behind a reverse proxy, its X-Forwarded-* headers are believed from its address only.
        proxy_headers=bool(settings.forwarded_allow_ips), forwarded_allow_ips=settings.forwarded_allow_ips,
        # On stop: take no new requests, finish those in flight (a note being stored is answered
        # after its commit), then close event streams, which the screens reopen elsewhere.
        timeout_graceful_shutdown=5,
    )
    return 0


def backup_database(out: Path) -> int:
    from app.backup import BackupError, backup

    try:
        backup(Settings.from_env().database_url, out)
    except BackupError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Backup written to {out}.")
    return 0


def restore_database(source: Path) -> int:
    from app.backup import BackupError, restore
    from app.db import make_engine

    database_url = Settings.from_env().database_url
    try:
        restore(database_url, source, make_engine(database_url))
    except BackupError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Restored {source}. Start the app as usual: it brings the database up to date.")
    return 0


def migrate() -> int:
    _settings_and_engine()
    print("Database is up to date.")
    return 0


def create_user(args: argparse.Namespace) -> int:
    from app.services.accounts import AccountError, new_setup_link
    from app.services.accounts import create_user as create

    settings, engine = _settings_and_engine()
    with Session(engine) as session:
        if args.link or not args.email:
            token = new_setup_link(session)
            base = settings.address
            print(f"One-time link to create a process-leader account (valid 24 hours):\n  {base}/setup/{token}")
            return 0
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password (at least 10 characters): ")
        try:
            user = create(
                session, email=args.email, password=password, organisation=args.organisation or "", name=args.name
            )
        except AccountError as error:
            from app.messages import message_for

            print(message_for(error.code, lambda m: m), file=sys.stderr)
            return 2
    print(f"Created {user.email}. Log in at {settings.address}/login")
    return 0


def _remember_address(host: str, port: int) -> None:
    """Where `bykafe serve` listens, for commands run beside it (`make demo` in a second terminal)."""
    from app.settings import VAR

    VAR.mkdir(exist_ok=True)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    (VAR / "served-address").write_text(f"http://{shown}:{port}\n")


def _served_address(settings: Settings) -> str:
    """PUBLIC_URL or a PORT given to this command; else where the server last listened; else the default."""
    from app.settings import VAR

    served = VAR / "served-address"
    if settings.public_url or "port" in settings.model_fields_set or not served.exists():
        return settings.address
    return served.read_text().strip()


def demo() -> int:
    from app.demo import load_demo

    settings, engine = _settings_and_engine()
    with Session(engine) as session:
        summary = load_demo(session)
    print(summary.describe(_served_address(settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
