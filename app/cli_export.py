"""`bykafe export PROCESS`: write a process's (or one café's) export to a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("xlsx", "docx", "redogorelse", "samrad", "csv", "json", "archive", "geojson")
TABLES = ("notes", "themes", "matrix", "votes", "samrad")


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="export a process or one café "
        "(Excel, Word, samrådsredogörelse draft, samråd table, CSV, JSON, archive zip, GeoJSON)",
        description="Export the visible notes and themes of a process, or of one of its cafés. Personal data in "
                    "notes is masked and hidden notes are left out, as in the downloads.",
    )
    parser.add_argument("process", type=int, metavar="PROCESS", help="the process id (in the address /leader/processes/ID)")
    parser.add_argument("--format", choices=FORMATS, default="xlsx", help="default: xlsx")
    parser.add_argument("--out", metavar="FILE", help="where to write (default: a dated file name here; '-' for standard output)")
    parser.add_argument("--cafe", type=int, metavar="CAFE", help="only this café of the process (its id)")
    parser.add_argument("--separator", default=",", choices=(",", ";", "tab"), help="CSV only: ';' for Swedish Excel")
    parser.add_argument("--table", default="notes", choices=TABLES, help="CSV only: which table (default: notes)")
    parser.add_argument("--include-trial", action="store_true",
                        help="also the process's trial cafés (left out by default; --cafe names one anyway)")
    parser.add_argument("--public", action="store_true",
                        help="GeoJSON only: hide small counts as the public dashboard does (for a file to publish)")
    return parser


def run(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.db import make_engine, upgrade_database
    from app.exporters import render
    from app.models import Cafe, Process
    from app.services.exports import load_export
    from app.settings import Settings
    from facilitation.exports import flagged_notes

    database_url = Settings.from_env().database_url
    upgrade_database(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            process = session.get(Process, args.process)
            if process is None:
                return _fail(f"there is no process {args.process}. The process page's address ends in its id.")
            cafe = None
            if args.cafe is not None:
                cafe = session.get(Cafe, args.cafe)
                if cafe is None or cafe.process_id != process.id:
                    return _fail(f"process {process.id} ({process.name}) has no café {args.cafe}.")
            if args.format == "geojson":
                if cafe is not None:
                    return _fail("a GeoJSON file holds every café of the process: leave out --cafe.")
                return _write_geojson(session, process, args)
            _say(f"Reading {'the café in ' + cafe.village if cafe else process.name}…")
            data = load_export(session, process=process, cafe=cafe, archive=args.format == "archive",
                               include_trial=args.include_trial)
    finally:
        engine.dispose()
    _say(f"{len(data.cafes)} cafés, {len(data.notes)} visible notes, {len(data.themes)} themes.")
    flagged = flagged_notes(data)
    if flagged:
        _say(f"{len(flagged)} notes contain personal data, masked in the file: "
             + ", ".join(f"note {n.id} ({', '.join(kinds)})" for n, kinds in flagged[:10])
             + (" …" if len(flagged) > 10 else ""))
    separator = "\t" if args.separator == "tab" else args.separator
    _say(f"Writing {args.format}…")
    content, _media_type, filename = render(data, args.format, table=args.table, separator=separator)
    return _write(content, args.out or filename)


def _write_geojson(session, process, args: argparse.Namespace) -> int:
    import json

    from app.services.exports import load_geojson

    content, filename = load_geojson(session, process=process, public=args.public)
    collection = json.loads(content)
    _say(f"{len(collection['features'])} cafés on the map{' (public: small counts hidden)' if args.public else ''}.")
    if collection["cafes_without_location"]:
        _say("left out, without a location (set it on the café's form or import a CSV of villages): "
             + ", ".join(collection["cafes_without_location"]))
    return _write(content, args.out or filename)


def _write(content: bytes, where: str) -> int:
    if where == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return 0
    out = Path(where)
    try:
        out.write_bytes(content)
    except OSError as error:
        return _fail(f"cannot write {out}: {error.strerror}")
    _say(f"Wrote {out} ({max(len(content) // 1024, 1)} kB).")
    return 0


def _say(message: str) -> None:
    print(f"bykafe export: {message}", file=sys.stderr)


def _fail(message: str) -> int:
    _say(message)
    return 2
