"""`bykafe bundle export CAFE` / `bykafe bundle import FILE`: move one café between servers."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "bundle",
        help="move one café between servers as one file (notes, rounds, themes, curation, votes)",
        description="Export one café as a bundle (JSON), or import a bundle. Importing the same bundle again "
                    "adds nothing twice.",
    )
    actions = parser.add_subparsers(dest="bundle_command", required=True)
    export = actions.add_parser("export", help="write one café as a bundle")
    export.add_argument("cafe", type=int, metavar="CAFE", help="the café id (in the address /leader/cafes/ID)")
    export.add_argument("--out", metavar="FILE", help="default: bykafe-cafe-<id>-<village>.json; '-' for standard output")
    export.add_argument("--raw", action="store_true",
                        help="keep the notes as written, personal data included (default: masked); protect the file")
    imported = actions.add_parser("import", help="add a bundle's café to this database")
    imported.add_argument("file", metavar="FILE", help="a bundle written by 'bykafe bundle export'")
    imported.add_argument("--organisation", metavar="NAME", help="put the café under this organisation (default: the bundle's)")
    imported.add_argument("--process", type=int, metavar="ID", help="put the café in this existing process")
    imported.add_argument("--cafe-id", type=int, metavar="ID", help="merge into this existing café of the process")
    return parser


def run(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.bundle import BundleError, export_bundle
    from app.bundle_import import import_bundle
    from app.db import make_engine, upgrade_database
    from app.settings import Settings

    if args.bundle_command == "import":
        try:
            data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except OSError as error:
            return _fail(f"cannot read {args.file}: {error.strerror}")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            return _fail(f"{args.file} is not JSON ({error}); is it a bundle written by 'bykafe bundle export'?")
    database_url = Settings.from_env().database_url
    upgrade_database(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            if args.bundle_command == "export":
                bundle = export_bundle(session, args.cafe, raw=args.raw)
            else:
                summary = import_bundle(
                    session, data, organisation=args.organisation, process_id=args.process, cafe_id=args.cafe_id
                )
    except BundleError as error:
        return _fail(str(error) + (" Nothing was imported." if args.bundle_command == "import" else ""))
    finally:
        engine.dispose()
    if args.bundle_command == "import":
        print(summary.describe())
        return 0
    output = json.dumps(bundle, ensure_ascii=False, indent=1)
    if args.out == "-":
        print(output)
        return 0
    out = args.out or f"bykafe-cafe-{args.cafe}-{_slug(bundle['cafe']['village'])}.json"
    try:
        if args.raw:  # readable by this user only, before a byte is written
            Path(out).touch(mode=0o600)
            Path(out).chmod(0o600)
        Path(out).write_text(output + "\n", encoding="utf-8")
    except OSError as error:
        return _fail(f"cannot write {out}: {error.strerror}")
    print(f"{len(bundle['notes'])} notes, {len(bundle['themes'])} themes, {len(bundle['votes'])} votes: {out}",
          file=sys.stderr)
    if args.raw:
        print("The notes are as written, personal data included: keep the file where only you can read it, move it "
              "encrypted, and delete it after the import.", file=sys.stderr)
    return 0


def _slug(village: str) -> str:
    return re.sub(r"[^\w]+", "-", village.lower()).strip("-") or "cafe"


def _fail(message: str) -> int:
    print(f"bykafe bundle: {message}", file=sys.stderr)
    return 2
